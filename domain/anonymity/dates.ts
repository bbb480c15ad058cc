// Full dates (any date with a year: see the decisions in ../anonymity.ts).
import { IdentifierFinding, matches } from './finding';

// --- dates -----------------------------------------------------------------------------------

const MONTHS: Record<string, number> = {};
const monthNames: [number, string[]][] = [
  [1, ['janvier', 'janv', 'januari', 'january', 'jan']],
  [2, ['février', 'fevrier', 'févr', 'fevr', 'fév', 'fev', 'februari', 'february', 'feb']],
  [3, ['mars', 'maart', 'mrt', 'march', 'mar']],
  [4, ['avril', 'avr', 'april', 'apr']],
  [5, ['mai', 'mei', 'may']],
  [6, ['juin', 'juni', 'june', 'jun']],
  [7, ['juillet', 'juil', 'juli', 'july', 'jul']],
  [8, ['août', 'aout', 'augustus', 'august', 'aug']],
  [9, ['septembre', 'september', 'sept', 'sep']],
  [10, ['octobre', 'oktober', 'october', 'oct', 'okt']],
  [11, ['novembre', 'november', 'nov']],
  [12, ['décembre', 'decembre', 'december', 'déc', 'dec']],
];
for (const [n, names] of monthNames) for (const name of names) MONTHS[name] = n;
const MONTH = `(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})\\.?(?![\\p{L}])`;

const NUMERIC_DATE = /(?<![\p{N}])(?<!\p{N}[./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\p{N}])(?![./-]\p{N})/gu;
const ISO_DATE = /(?<![\p{N}])(?<!\p{N}[./-])(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?![\p{N}])(?![./-]\p{N})/gu;
// With a month name a 2-digit year is accepted ("12 mars 56"), unless it is a quantity or an hour.
const SHORT_YEAR = String.raw`['’]?\d{2}(?![\p{N}])(?!\s*(?:ans?|jaar|years?|h|u|uur|heures?|hours?|min|patients?|personnes?|personen|people)(?![\p{L}]))`;
const DAY_MONTH_YEAR = new RegExp(`(?<![\\p{L}\\p{N}])(\\d{1,2})(?:er|e|ème|st|nd|rd|th|ste|de)?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4}(?![\\p{N}])|${SHORT_YEAR})`, 'giu');
const MONTH_DAY_YEAR = new RegExp(`(?<![\\p{L}])${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?![\\p{N}])`, 'giu');

const validDay = (d: number, m: number) => m >= 1 && m <= 12 && d >= 1 && d <= 31;

export function findDates(text: string): IdentifierFinding[] {
  const out: IdentifierFinding[] = [];
  const push = (m: RegExpExecArray) => out.push({ kind: 'birthDate', start: m.index, end: m.index + m[0].length });
  for (const m of matches(NUMERIC_DATE, text)) if (validDay(Number(m[1]), Number(m[3]))) push(m);
  for (const m of matches(ISO_DATE, text)) {
    const y = Number(m[1]);
    if (y >= 1900 && y <= 2099 && validDay(Number(m[4]), Number(m[3]))) push(m);
  }
  for (const m of matches(DAY_MONTH_YEAR, text)) if (validDay(Number(m[1]), MONTHS[m[2].toLowerCase()])) push(m);
  for (const m of matches(MONTH_DAY_YEAR, text)) if (validDay(Number(m[2]), MONTHS[m[1].toLowerCase()])) push(m);
  return out;
}
