// The activity report's chart: per requester's sector, three horizontal bars (requests, accepted,
// refused) with their numbers, and a legend in the reader's language. Horizontal so that the long
// sector names ("pathologies chroniques") read without turning. Drawn on its own light background
// so that it reads the same in Teams' light and dark themes. Every sector is drawn, zeros too: the
// same picture for the same figures, and a reader sees which sectors had nothing.
import type { ActivityReport, ReportColumn } from '../../domain/activityReport';
import { NO_SECTOR } from '../../domain/activityReport';
import { SECTORS } from '../../domain/sectors';
import { Locale, t } from '../../locales/i18n';
import { PICTURE_FONT, svgText, svgToPng } from './png';

const SERIES = [
  { key: 'requests', colour: '#4a6fa5' },
  { key: 'accepted', colour: '#3f8f5a' },
  { key: 'refused', colour: '#c0504d' },
] as const;

// Teams shows a card's picture about 400 px wide: a narrow canvas keeps the text readable there.
export const CHART_WIDTH = 480;
const WIDTH = CHART_WIDTH;
export const CHART_LABEL_WIDTH = 196;
const LABEL_WIDTH = CHART_LABEL_WIDTH;
export const CHART_BAR = 13;
const BAR = CHART_BAR;
const GAP = 2;
const GROUP_GAP = 12;
const TOP = 44;

const ROWS: readonly ReportColumn[] = [...SECTORS, NO_SECTOR];

/** The chart as an SVG document. */
export function reportChartSvg(report: ActivityReport, locale: Locale): string {
  const groupHeight = SERIES.length * (BAR + GAP) - GAP;
  const height = TOP + ROWS.length * (groupHeight + GROUP_GAP) + 8;
  const max = Math.max(1, ...ROWS.map((c) => report.columns[c].requests));
  const scale = (WIDTH - LABEL_WIDTH - 40) / max;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${PICTURE_FONT}">`,
    `<rect width="${WIDTH}" height="${height}" rx="6" fill="#ffffff"/>`,
  ];
  // The legend, in a row along the top.
  let x = 12;
  for (const s of SERIES) {
    const label = svgText(t(locale, `report.chart.${s.key}`));
    parts.push(`<rect x="${x}" y="14" width="14" height="14" fill="${s.colour}"/><text x="${x + 20}" y="26" font-size="14" fill="#222222">${label}</text>`);
    x += 20 + label.length * 8.5 + 20;
  }
  ROWS.forEach((c, i) => {
    const y = TOP + i * (groupHeight + GROUP_GAP);
    const figures = report.columns[c];
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + groupHeight / 2 + 5}" font-size="14" text-anchor="end" fill="#222222">${svgText(t(locale, `report.sector.${c}`))}</text>`);
    SERIES.forEach((s, j) => {
      const value = figures[s.key];
      const by = y + j * (BAR + GAP);
      const w = Math.round(value * scale);
      if (w > 0) parts.push(`<rect x="${LABEL_WIDTH}" y="${by}" width="${w}" height="${BAR}" fill="${s.colour}"/>`);
      parts.push(`<text x="${LABEL_WIDTH + w + 4}" y="${by + BAR - 2}" font-size="12" fill="#444444">${value}</text>`);
    });
  });
  parts.push(`<line x1="${LABEL_WIDTH}" y1="${TOP - 4}" x2="${LABEL_WIDTH}" y2="${height - 8}" stroke="#888888" stroke-width="1"/></svg>`);
  return parts.join('');
}

/** The chart as PNG bytes (small enough to travel inline in the report card). */
export function reportChartPng(report: ActivityReport, locale: Locale): Buffer {
  return svgToPng(reportChartSvg(report, locale), { width: WIDTH, colours: 32 });
}
