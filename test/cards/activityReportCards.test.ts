// The activity report card and its chart: a valid 1.5 card in each language with the key figures,
// the chart inline (a PNG that decodes, is not blank, stays small and is the same for the same
// figures), the legend in the reader's language, and the link to the XLSX.
import { PNG } from 'pngjs';
import { activityReportCard } from '../../cards/activityReport';
import { CHART_BAR, CHART_LABEL_WIDTH, CHART_WIDTH, reportChartPng, reportChartSvg } from '../../cards/pictures/reportChart';
import { activityReport, ReportInput, ReportRequest } from '../../domain/activityReport';
import { SECTORS } from '../../domain/sectors';
import { SUPPORTED_LOCALES } from '../../locales/i18n';
import { cardProblems, NO_PROBLEMS } from '../support/cards';

const at = (iso: string) => new Date(iso);
const request = (n: number, sector: ReportRequest['sector'], status: 'yes' | 'no' | null): ReportRequest => ({
  trackingId: `CMD-2026-${String(n).padStart(4, '0')}`,
  submittedAt: at('2026-03-02T09:00:00Z'),
  sector,
  interpreterNeeded: n % 2 === 0,
  decision: status ? { status, refusalReason: status === 'no' ? 'consentDoubt' : null, decidedAt: at('2026-03-04T09:00:00Z') } : null,
});

const BUSY: ReportInput = {
  from: '2026-03-01',
  to: '2026-03-31',
  organisers: [{ sector: 'precarity' }, { sector: 'hospital' }],
  requests: [request(1, 'precarity', 'yes'), request(2, 'precarity', 'no'), request(3, 'hospital', 'yes'), request(4, null, null)],
  concertations: [
    { trackingId: 'CMD-2026-0001', date: '2026-03-20', preparationHours: 4.5, durationHours: 1.75, personPresent: true, referentPresent: true, professionalsPresent: 2, relativesPresent: 0 },
  ],
  polls: [{ createdAt: at('2026-03-05T09:00:00Z'), decidedAt: at('2026-03-08T09:00:00Z') }],
  reminders: [{ dueAt: at('2026-03-19T08:00:00Z'), outcomeAt: at('2026-03-19T08:01:00Z'), outcome: 'sent' }],
};
const EMPTY: ReportInput = { from: '2026-03-01', to: '2026-03-31', organisers: [], requests: [], concertations: [], polls: [], reminders: [] };
// Hundreds of requests in every sector: long bars, three-digit labels.
const LARGE: ReportInput = { ...EMPTY, requests: Array.from({ length: 900 }, (_, i) => request(i + 1, SECTORS[i % SECTORS.length], i % 3 ? 'yes' : 'no')) };

const decode = (png: Buffer) => PNG.sync.read(png);
const colours = (png: PNG) => new Set(Array.from({ length: png.width * png.height }, (_, i) => png.data.readUInt32BE(i * 4))).size;

describe('the report chart', () => {
  it.each([
    ['busy', BUSY],
    ['empty', EMPTY],
    ['large', LARGE],
  ] as const)('a %s period: a PNG that decodes, is not blank and stays under 20 KB', (_name, input) => {
    const png = reportChartPng(activityReport(input), 'fr');
    const image = decode(png);
    expect(image.width).toBe(CHART_WIDTH);
    expect(image.height).toBeGreaterThan(200);
    // Background, text and the three series' colours at least.
    expect(colours(image)).toBeGreaterThan(4);
    expect(png.length).toBeLessThanOrEqual(20 * 1024);
  });

  it('is the same picture for the same figures', () => {
    const report = activityReport(BUSY);
    expect(reportChartPng(report, 'nl').equals(reportChartPng(activityReport(BUSY), 'nl'))).toBe(true);
  });

  it('draws the bars to scale and speaks the reader’s language', () => {
    const fr = reportChartSvg(activityReport(BUSY), 'fr');
    const nl = reportChartSvg(activityReport(BUSY), 'nl');
    expect(fr).toContain('Demandes');
    expect(fr).toContain('précarité');
    expect(nl).toContain('Aanvragen');
    expect(nl).toContain('kwetsbaarheid');
    // Precarity has the most requests (2): its bar is the longest; hospital's and no sector's (1) half as long.
    const widths = [...fr.matchAll(new RegExp(`<rect x="${CHART_LABEL_WIDTH}" y="\\d+" width="(\\d+)" height="${CHART_BAR}" fill="#4a6fa5"/>`, 'g'))].map((m) => Number(m[1]));
    const longest = CHART_WIDTH - CHART_LABEL_WIDTH - 40;
    expect(widths).toEqual([longest, longest / 2, longest / 2]);
  });
});

describe.each(SUPPORTED_LOCALES)('the report card in %s', (locale) => {
  const link = 'https://bot.example.org/exports/abcdefghijklmnopqrstuvwxyz.xlsx';

  it('is a valid card with the key figures, the chart and the download link', () => {
    const card = activityReportCard({ report: activityReport(BUSY), xlsxUrl: link, minutes: 15, reminderRetentionDays: 90 }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const text = JSON.stringify(card);
    expect(text).toContain('data:image/png;base64,');
    expect(text).toContain(link);
    expect(text).not.toContain('CMD-2026'); // figures only: the ids are in the XLSX
    // 4 h 30 of preparation, 1 h 45 of concertation.
    expect(text).toContain(locale === 'nl' ? '4 u 30' : '4 h 30');
    expect(text).toContain(locale === 'nl' ? '1 u 45' : '1 h 45');
    // The reminders counted are those still kept.
    expect(text).toMatch(/\b90\b (jours|dagen|days)/);
  });

  it('an empty period says so and shows dashes for what cannot be averaged', () => {
    const card = activityReportCard({ report: activityReport(EMPTY), xlsxUrl: link, minutes: 15, reminderRetentionDays: 90 }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(card)).toContain('—');
  });

  it('a large period stays within the card size', () => {
    expect(cardProblems(activityReportCard({ report: activityReport(LARGE), xlsxUrl: link, minutes: 15, reminderRetentionDays: 90 }, locale))).toEqual(NO_PROBLEMS);
  });
});
