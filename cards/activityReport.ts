// The activity report card: the key figures of the period (the total column of seed 001's table),
// a short table of the sectors that had activity, the chart (inline PNG), the delays and
// reminders, and the link to the full table (XLSX). Numbers in the reader's language.
import { ActivityReport, NO_SECTOR, REPORT_LATE_MINUTES, ReportColumn } from '../domain/activityReport';
import { REFUSAL_REASONS, SECTORS } from '../domain/sectors';
import { intlLocale, Locale, t } from '../locales/i18n';
import { pngDataUri } from './pictures/png';
import { reportChartPng } from './pictures/reportChart';
import { renderCard } from './render';

export interface ActivityReportCardView {
  report: ActivityReport;
  xlsxUrl: string;
  /** How long the link works. */
  minutes: number;
  /** Reminders are purged after this many days: older ones are no longer counted. */
  reminderRetentionDays: number;
}

export function activityReportCard(view: ActivityReportCardView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const r = view.report;
  const total = r.columns.total;
  const number = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 });
  const empty = tr('report.empty');
  const shown = (v: number | null) => (v === null ? empty : number.format(v));
  const duration = (minutes: number | null) => (minutes === null ? empty : tr('report.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') }));
  const reasons = REFUSAL_REASONS.filter((k) => total.refusedBy[k] > 0).map((k) => `${tr(`report.reason.${k}`)} ${total.refusedBy[k]}`);
  const fact = (figure: string, value: string) => ({ title: tr(`report.figure.${figure}`), value });

  const row = (column: ReportColumn, label: string, weight = 'Default') => {
    const c = r.columns[column];
    return { label, weight, requests: String(c.requests), accepted: String(c.accepted), refused: String(c.refused), concertations: String(c.concertations) };
  };
  const active = [...SECTORS, NO_SECTOR].filter((c) => r.columns[c].requests > 0 || r.columns[c].concertations > 0);

  return renderCard('activityReport', {
    title: tr('report.card.title'),
    period: tr('report.card.period', { from: r.from, to: r.to }),
    empty: total.requests === 0 && total.concertations === 0,
    noActivity: tr('report.card.noActivity'),
    chart: pngDataUri(reportChartPng(r, locale)),
    chartAlt: tr('report.card.chartAlt'),
    keyFiguresTitle: tr('report.card.keyFigures'),
    keyFigures: [
      fact('organisers', String(total.organisers)),
      fact('requests', String(total.requests)),
      fact('accepted', String(total.accepted)),
      fact('refused', reasons.length ? tr('report.card.refusedReasons', { count: total.refused, reasons: reasons.join(', ') }) : String(total.refused)),
      fact('pending', String(total.pending)),
      fact('concertations', String(total.concertations)),
      fact('averagePreparation', duration(total.averagePreparationMinutes)),
      fact('averageDuration', duration(total.averageDurationMinutes)),
      fact('interpreterConcertations', String(total.interpreterConcertations)),
      fact('averageParticipants', shown(total.averageParticipants)),
    ],
    bySectorTitle: tr('report.card.bySector'),
    sectorRows: [
      { label: tr('report.card.sector'), weight: 'Bolder', requests: tr('report.card.requests'), accepted: tr('report.card.accepted'), refused: tr('report.card.refused'), concertations: tr('report.card.concertations') },
      ...active.map((c) => row(c, tr(`report.sector.${c}`))),
      row('total', tr('report.column.total'), 'Bolder'),
    ],
    columnsNote: tr('report.card.columnsNote'),
    delaysTitle: tr('report.card.delays'),
    delays: [
      fact('medianDaysToDecision', shown(r.medianDaysToDecision)),
      fact('medianDaysDecisionToFirstConcertation', shown(r.medianDaysDecisionToFirstConcertation)),
      fact('medianPollDaysToDecision', shown(r.medianPollDaysToDecision)),
      fact('remindersSent', String(r.reminders.sent)),
      fact('remindersLate', String(r.reminders.late)),
      fact('remindersFailed', String(r.reminders.failed)),
    ],
    lateNote: tr('report.card.lateNote', { minutes: REPORT_LATE_MINUTES, days: view.reminderRetentionDays }),
    note: tr('report.card.note', { minutes: view.minutes }),
    downloadLabel: tr('report.card.download'),
    xlsxUrl: view.xlsxUrl,
  });
}
