// The activity report as a spreadsheet, in the reader's language: a sheet of figures (one column
// per sector, as in seed 001's table), the requests behind them and the concertations behind them
// (tracking ids and codes only). The CSV beside it (the export storage keeps one) lists the requests.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { ActivityReport, ColumnFigures, REPORT_COLUMNS, ReportColumn } from '../domain/activityReport';
import { REFUSAL_REASONS, RefusalReason, Sector } from '../domain/sectors';
import { Locale, t } from '../locales/i18n';

/** The figures of a column, in the order of seed 001's table; minutes are shown as hours:minutes. */
type CountFigure = 'organisers' | 'requests' | 'accepted' | 'refused' | 'pending' | 'concertations' | 'interpreterConcertations' | 'averageParticipants';
type ColumnFigure = CountFigure | `refusedBy.${RefusalReason}` | 'averagePreparation' | 'averageDuration';
const COLUMN_FIGURES: readonly ColumnFigure[] = [
  'organisers', 'requests', 'accepted', 'refused', ...REFUSAL_REASONS.map((r) => `refusedBy.${r}` as const), 'pending', 'concertations', 'averagePreparation', 'averageDuration', 'interpreterConcertations', 'averageParticipants',
];

function valueOf(c: ColumnFigures, f: ColumnFigure): number | null {
  if (f === 'averagePreparation') return c.averagePreparationMinutes;
  if (f === 'averageDuration') return c.averageDurationMinutes;
  if (f.startsWith('refusedBy.')) return c.refusedBy[f.slice(10) as RefusalReason];
  return c[f as CountFigure];
}

const isMinutes = (f: ColumnFigure) => f === 'averagePreparation' || f === 'averageDuration';

/** The columns of the requests' rows, in the XLSX and the CSV. */
const REQUEST_COLUMNS = ['trackingId', 'sector', 'submitted', 'decision', 'refusalReason', 'decided', 'daysToDecision', 'firstConcertation', 'daysToFirstConcertation', 'concertations', 'interpreter'] as const;

/** A figure's label in the XLSX. */
function figureLabel(locale: Locale, figure: string): string {
  if (figure.startsWith('refusedBy.')) return t(locale, 'report.figure.refusedBy', { reason: t(locale, `report.reason.${figure.slice(10)}`) });
  return t(locale, `report.figure.${figure}`);
}

const columnLabel = (locale: Locale, c: ReportColumn): string => (c === 'total' ? t(locale, 'report.column.total') : t(locale, `report.sector.${c}`));
const sectorLabel = (locale: Locale, s: Sector | null) => t(locale, `report.sector.${s ?? 'none'}`);

/** A Brussels day as an Excel date (a calendar day: midnight UTC is what Excel's serial date means). */
const excelDay = (day: string | null): Date | null => (day ? new Date(`${day}T00:00:00Z`) : null);

export async function reportXlsx(r: ActivityReport, locale: Locale): Promise<Buffer> {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const empty = tr('report.empty');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CMD concertation bot';

  const figures = wb.addWorksheet(tr('report.xlsx.figuresSheet'));
  figures.addRow([tr('report.xlsx.title', { from: r.from, to: r.to })]).font = { bold: true, size: 13 };
  figures.addRow([]);
  const header = figures.addRow([tr('report.xlsx.figure'), ...REPORT_COLUMNS.map((c) => columnLabel(locale, c))]);
  header.font = { bold: true };
  for (const f of COLUMN_FIGURES) {
    const row = figures.addRow([figureLabel(locale, f), ...REPORT_COLUMNS.map((c) => {
      const v = valueOf(r.columns[c], f);
      // Minutes as an Excel duration (a fraction of a day), shown "4:30".
      return v === null ? empty : isMinutes(f) ? v / 1440 : v;
    })]);
    if (isMinutes(f)) for (let i = 2; i <= REPORT_COLUMNS.length + 1; i++) row.getCell(i).numFmt = '[h]:mm';
  }
  figures.addRow([]);
  const single: Array<[string, number | null]> = [
    [tr('report.figure.medianDaysToDecision'), r.medianDaysToDecision],
    [tr('report.figure.medianDaysDecisionToFirstConcertation'), r.medianDaysDecisionToFirstConcertation],
    [tr('report.figure.medianPollDaysToDecision'), r.medianPollDaysToDecision],
    [tr('report.figure.remindersSent'), r.reminders.sent],
    [tr('report.figure.remindersLate'), r.reminders.late],
    [tr('report.figure.remindersFailed'), r.reminders.failed],
  ];
  for (const [label, v] of single) figures.addRow([label, v ?? empty]);
  figures.getColumn(1).width = 58;
  for (let i = 2; i <= REPORT_COLUMNS.length + 1; i++) figures.getColumn(i).width = 14;
  figures.views = [{ state: 'frozen', ySplit: 3, xSplit: 1 }];

  const requests = wb.addWorksheet(tr('report.xlsx.requestsSheet'));
  requests.columns = REQUEST_COLUMNS.map((c) => ({ header: tr(`report.col.${c}`), key: c, width: 18 }));
  for (const row of r.requestRows) {
    requests.addRow({
      trackingId: row.trackingId,
      sector: sectorLabel(locale, row.sector),
      submitted: excelDay(row.submitted),
      decision: row.decision ? tr(`report.decision.${row.decision}`) : tr('report.decision.pending'),
      refusalReason: row.refusalReason ? tr(`report.reason.${row.refusalReason}`) : '',
      decided: excelDay(row.decided),
      daysToDecision: row.daysToDecision,
      firstConcertation: excelDay(row.firstConcertation),
      daysToFirstConcertation: row.daysToFirstConcertation,
      concertations: row.concertations,
      interpreter: tr(row.interpreterNeeded ? 'report.yes' : 'report.no'),
    });
  }
  for (const c of ['submitted', 'decided', 'firstConcertation']) requests.getColumn(c).numFmt = 'dd/mm/yyyy';

  const concertations = wb.addWorksheet(tr('report.xlsx.concertationsSheet'));
  const concertationCols = ['trackingId', 'date', 'sector', 'preparationHours', 'durationHours', 'participants', 'interpreter'] as const;
  concertations.columns = concertationCols.map((c) => ({ header: tr(`report.col.${c}`), key: c, width: 18 }));
  for (const c of r.concertationRows) {
    concertations.addRow({ ...c, date: excelDay(c.date), sector: sectorLabel(locale, c.sector), interpreter: tr(c.interpreterNeeded ? 'report.yes' : 'report.no') });
  }
  concertations.getColumn('date').numFmt = 'dd/mm/yyyy';
  for (const ws of [requests, concertations]) {
    ws.getRow(1).font = { bold: true };
    // The header row keeps the General format: a column format would apply to it too.
    ws.getRow(1).eachCell((cell) => (cell.numFmt = 'General'));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The requests' rows as CSV for Excel with Belgian settings (as the records export: ";", dd/mm/yyyy, BOM, CRLF). */
export function reportCsv(r: ActivityReport, locale: Locale): Buffer {
  const tr = (k: string) => t(locale, k);
  const day = (d: string | null) => (d ? d.split('-').reverse().join('/') : '');
  const rows = r.requestRows.map((row) => [
    row.trackingId,
    sectorLabel(locale, row.sector),
    day(row.submitted),
    row.decision ? tr(`report.decision.${row.decision}`) : tr('report.decision.pending'),
    row.refusalReason ? tr(`report.reason.${row.refusalReason}`) : '',
    day(row.decided),
    row.daysToDecision ?? '',
    day(row.firstConcertation),
    row.daysToFirstConcertation ?? '',
    row.concertations,
    tr(row.interpreterNeeded ? 'report.yes' : 'report.no'),
  ]);
  return Buffer.from(stringify([REQUEST_COLUMNS.map((c) => tr(`report.col.${c}`)), ...rows], { delimiter: ';', record_delimiter: 'windows', bom: true }), 'utf8');
}

export async function reportFiles(r: ActivityReport, locale: Locale): Promise<{ baseName: string; xlsx: Buffer; csv: Buffer }> {
  return { baseName: `${t(locale, 'report.baseName')}_${r.from}_${r.to}`, xlsx: await reportXlsx(r, locale), csv: reportCsv(r, locale) };
}
