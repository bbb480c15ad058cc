/**
 * Anonymity guard for every free-text field about the person concerned: the admissibility phase
 * is anonymous ("Brusano never knows the name of the person or any information that could
 * identify her", seed 001 annex 5). Findings carry offsets only, never the matched text, so they
 * can be logged. A heuristic, not a proof: it cannot see a bare "Jean Dupont" without a cue.
 *
 * Decisions (kept in the tests):
 * - NISS: 11 digits, optional separators. A valid mod-97 checksum (pre- or post-2000) is a NISS.
 *   A wrong checksum is still refused as 'niss' when the first six digits read as a birth date
 *   (YYMMDD, BIS months +20/+40 included): that is a mistyped national number and identifies as
 *   well. Otherwise it is left to the phone detector (refused only if it has a phone shape).
 * - Any full date with a year (numeric, ISO or month name) is refused as 'birthDate', whatever
 *   the event: an exact date is a quasi-identifier and the form never needs one in free text.
 *   Day + month without year ("ordonnance du 12/03") and a year alone ("né en 1950") pass.
 * - Names: cues, a gazetteer of first names and surnames, capitals; the layers and what passes on
 *   purpose are described in ./anonymity/names.ts.
 * - Belgian identity card number (eID, also the foreigners' electronic cards): 12 digits written
 *   3-7-2 ("591-1234567-89"); check digits = first ten digits mod 97, 97 when the remainder is 0
 *   (python-stdnum stdnum/be/eid.py, from the card's specification). With the 3-7-2 separators the
 *   shape alone is refused (a mistyped card number identifies as well); 12 digits in one run only
 *   with a valid check. After a label ("carte d'identité n°", "eID", "kaartnummer") any number.
 * - Passport: Belgian passports are two letters and six digits ("EH123456"): refused on that shape
 *   alone; after a label ("passeport n°", "paspoort nr", "passport no") any letters-and-digits
 *   token of 6 to 12 characters with at least 4 digits (foreign passports have other shapes).
 * - E-mail also spelled out: "jean.dupont at example dot org", "(at)", "[at]", "arobase",
 *   "apenstaartje", with "dot", "point", "punt", "(dot)" for the dots.
 * - A postcode with a commune ("1070 Anderlecht") is not an address; a street with a number is.
 */

import { findNameSpans } from './anonymity/names';

export type IdentifierKind = 'niss' | 'idCard' | 'passport' | 'phone' | 'email' | 'iban' | 'birthDate' | 'streetAddress' | 'personalName';

export interface IdentifierFinding {
  kind: IdentifierKind;
  /** UTF-16 offsets in the checked text, end exclusive. */
  start: number;
  end: number;
}

/** On overlap the more specific kind wins (an IBAN also looks like digits, a date like a phone). */
const PRIORITY: readonly IdentifierKind[] = ['email', 'iban', 'niss', 'idCard', 'passport', 'birthDate', 'phone', 'streetAddress', 'personalName'];

export function findIdentifiers(text: string): IdentifierFinding[] {
  const found = [
    ...findEmails(text),
    ...findIbans(text),
    ...findNiss(text),
    ...findIdCards(text),
    ...findPassports(text),
    ...findDates(text),
    ...findPhones(text),
    ...findAddresses(text),
    ...findNames(text),
  ];
  const kept: IdentifierFinding[] = [];
  for (const kind of PRIORITY) {
    for (const f of found) {
      if (f.kind === kind && !kept.some((k) => k.start < f.end && f.start < k.end)) kept.push(f);
    }
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

export function isAnonymous(text: string): boolean {
  return findIdentifiers(text).length === 0;
}

/**
 * Where a finding is, told without repeating it: the number of the word it starts in (1-based)
 * and the number of words of the text. The refusal message says "word 5 of 12" so that nothing
 * of the refused text has to be echoed, stored or logged.
 */
export function wordPosition(text: string, finding: Pick<IdentifierFinding, 'start'>): { word: number; words: number } {
  const spans = [...text.matchAll(/\S+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const index = spans.findIndex((w) => finding.start < w.end);
  return { word: index < 0 ? spans.length : index + 1, words: spans.length };
}

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  for (let m = r.exec(text); m; m = r.exec(text)) {
    yield m;
    if (m[0] === '') r.lastIndex++;
  }
}

// --- e-mail --------------------------------------------------------------------------------

// Also the "name (at) domain.be" / "[at]" forms people use to dodge spam filters. The lookbehind
// keeps matching linear on long runs of letters.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+(?:@|\s?[[({]at[\])}]\s?)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/giu;
// Spelled out: "jean.dupont at example dot org", "marie arobase exemple point be", "piet
// apenstaartje voorbeeld punt be", "x (at) y (dot) com". The dot words only count before a known
// top-level domain, so "at home" or "un point sur la situation" never read as an address.
const AT_WORD = String.raw`(?:\s*(?:[[({]\s*(?:at|a|arobase|@)\s*[\])}])\s*|\s+(?:at|arobase|apenstaartje|apestaart|at-teken)\s+)`;
const DOT_WORD = String.raw`(?:\s*[[({]\s*(?:dot|point|punt)\s*[\])}]\s*|\s+(?:dot|point|punt)\s+|\.)`;
const TLD = '(?:com|org|net|be|fr|nl|eu|info|lu|de|ma|cd|tr|pl|ro|es|it|pt|uk|ch|brussels|vlaanderen|wallonie|edu|gov|int|io|me)';
const SPELLED_EMAIL = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+(?:\s+(?:dot|point|punt)\s+[\p{L}\p{N}_%+-]+){0,3}${AT_WORD}[\p{L}\p{N}-]+(?:${DOT_WORD}[\p{L}\p{N}-]+)*?${DOT_WORD}${TLD}(?![\p{L}\p{N}])`,
  'giu',
);

// An address without its ending is still an address: "jean.dupont@gmail", "x@telenet".
const MAILBOX_PROVIDER = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:gmail|googlemail|hotmail|outlook|live|msn|yahoo|icloud|skynet|telenet|proximus|scarlet|voo|orange|free|laposte|wanadoo|gmx|protonmail|proton)(?![\p{L}\p{N}-])/giu;

function findEmails(text: string): IdentifierFinding[] {
  return [...matches(EMAIL, text), ...matches(SPELLED_EMAIL, text), ...matches(MAILBOX_PROVIDER, text)].map((m) => ({ kind: 'email', start: m.index, end: m.index + m[0].length }));
}

// --- IBAN ----------------------------------------------------------------------------------

// Lengths from the SWIFT IBAN registry; a code not listed is accepted only if the whole
// candidate passes mod-97.
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18,
  FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24,
  ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29,
  QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25,
  SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
  // Partial IBAN countries (Africa), frequent in Brussels for remittances.
  DZ: 26, AO: 25, BF: 28, BJ: 28, CI: 28, CM: 27, CV: 25, MA: 28, MG: 27, ML: 28, MZ: 25, SN: 28, CG: 27, GA: 27, TD: 27,
};

// Lower-case country letters only when glued to the digits, so "de 12 34 ..." is not a candidate.
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])(?:[A-Z]{2} ?|[a-z]{2})\d{2}(?:[ -]?[A-Za-z0-9]){8,32}/gu;

function mod97(digitsAndLetters: string): number {
  let rem = 0;
  for (const ch of digitsAndLetters) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}

export function isValidIban(iban: string): boolean {
  const s = iban.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(s)) return false;
  const len = IBAN_LENGTH[s.slice(0, 2)];
  if (len !== undefined && s.length !== len) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

function findIbans(text: string): IdentifierFinding[] {
  const out: IdentifierFinding[] = [];
  for (const m of matches(IBAN_CANDIDATE, text)) {
    // Offsets of each alphanumeric char, so a valid prefix of the candidate can be cut out.
    const chars: { c: string; end: number }[] = [];
    for (let i = 0; i < m[0].length; i++) {
      if (/[A-Za-z0-9]/.test(m[0][i])) chars.push({ c: m[0][i].toUpperCase(), end: m.index + i + 1 });
    }
    const compact = chars.map((x) => x.c).join('');
    const len = IBAN_LENGTH[compact.slice(0, 2)] ?? compact.length;
    if (chars.length >= len && isValidIban(compact.slice(0, len))) {
      out.push({ kind: 'iban', start: m.index, end: chars[len - 1].end });
    }
  }
  return out;
}

// --- NISS / INSZ (national register number) -------------------------------------------------

const NISS_CANDIDATE = /(?<![\p{N}+])\d{2}[ .\/-]?\d{2}[ .\/-]?\d{2}[ .\/-]?\d{3}[ .\/-]?\d{2}(?![\p{N}])/gu;

/** 11 digits; checksum 97 - (first 9 mod 97), with "2" prefixed for people born from 2000. */
export function isValidNiss(niss: string): boolean {
  const d = niss.replace(/[\s./-]/g, '');
  if (!/^\d{11}$/.test(d)) return false;
  const base = Number(d.slice(0, 9));
  const check = Number(d.slice(9));
  return 97 - (base % 97) === check || 97 - ((2_000_000_000 + base) % 97) === check;
}

/** YYMMDD with month 0-12, or +20 / +40 (BIS numbers); 00 stands for an unknown month/day. */
function looksLikeNissDate(d: string): boolean {
  const mm = Number(d.slice(2, 4)) % 20;
  const month = Number(d.slice(2, 4));
  const day = Number(d.slice(4, 6));
  return month <= 52 && mm <= 12 && day <= 31;
}

function findNiss(text: string): IdentifierFinding[] {
  const out: IdentifierFinding[] = [];
  for (const m of matches(NISS_CANDIDATE, text)) {
    const d = m[0].replace(/\D/g, '');
    if (isValidNiss(d) || looksLikeNissDate(d)) out.push({ kind: 'niss', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// --- identity cards and passports -----------------------------------------------------------

const ID_CARD_SHAPED = /(?<![\p{N}])\d{3}[ .-]\d{7}[ .-]\d{2}(?![\p{N}])/gu;
const ID_CARD_RUN = /(?<![\p{N}])\d{12}(?![\p{N}])/gu;
const ID_CARD_LABEL =
  /(?<![\p{L}])(?:carte d['’]identité|carte d['’]identite|carte de séjour|carte de sejour|carte eid|eid|e-id|identiteitskaart|id-kaart|verblijfskaart|verblijfsvergunning|kaartnummer|identity card|residence card|id card|carte id|titre de séjour)(?![\p{L}])[ \t\u00a0]*(?:n°|no\.?|nr\.?|num[ée]ro|nummer|number|#)?[ \t\u00a0]*:?[ \t\u00a0]*([A-Z]{0,2}[ \t\u00a0]?[\d][\d .-]{4,16}\d)/giu;

/** 12 digits; check = first ten mod 97, 97 when that is 0 (see the module header). */
export function isValidIdCardNumber(number: string): boolean {
  const d = number.replace(/[\s.-]/g, '');
  if (!/^\d{12}$/.test(d)) return false;
  const rest = Number(d.slice(0, 10)) % 97;
  return (rest === 0 ? 97 : rest) === Number(d.slice(10));
}

function findIdCards(text: string): IdentifierFinding[] {
  const out: IdentifierFinding[] = [];
  for (const m of matches(ID_CARD_SHAPED, text)) out.push({ kind: 'idCard', start: m.index, end: m.index + m[0].length });
  for (const m of matches(ID_CARD_RUN, text)) if (isValidIdCardNumber(m[0])) out.push({ kind: 'idCard', start: m.index, end: m.index + m[0].length });
  for (const m of matches(ID_CARD_LABEL, text)) {
    const start = m.index + m[0].length - m[1].length;
    out.push({ kind: 'idCard', start, end: m.index + m[0].length });
  }
  return out;
}

// Two capitals then six digits: the Belgian passport. Not preceded by a letter or digit ("BE68…"
// is an IBAN, caught first).
const PASSPORT_SHAPED = /(?<![\p{L}\p{N}])[A-Z]{2}[ ]?\d{6}(?![\p{L}\p{N}])/gu;
const PASSPORT_LABEL =
  /(?<![\p{L}])(?:passeport|paspoort|passport|pasaporte|passaporto|pasaport|reispas|paspoortnummer|passport number)(?![\p{L}])(?:[ \t\u00a0]+\p{Ll}+){0,2}[ \t\u00a0]*(?:n°|no\.?|nr\.?|num[ée]ro|nummer|number|#)?[ \t\u00a0]*:?[ \t\u00a0]*([A-Z0-9][A-Z0-9 -]{4,14}[A-Z0-9])(?![\p{L}\p{N}])/giu;

function findPassports(text: string): IdentifierFinding[] {
  const out: IdentifierFinding[] = [];
  for (const m of matches(PASSPORT_SHAPED, text)) out.push({ kind: 'passport', start: m.index, end: m.index + m[0].length });
  for (const m of matches(PASSPORT_LABEL, text)) {
    const token = m[1];
    const compact = token.replace(/[ -]/g, '');
    if (compact.length < 6 || compact.length > 12 || (compact.match(/\d/g) ?? []).length < 4) continue;
    const start = m.index + m[0].length - token.length;
    out.push({ kind: 'passport', start, end: m.index + m[0].length });
  }
  return out;
}

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

function findDates(text: string): IdentifierFinding[] {
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

// --- phone numbers ---------------------------------------------------------------------------

// A run of digit groups joined by one separator: space, dot, slash, dash, or "(0)" after +32.
// Only the slash may have spaces around it ("0470 / 12 34 56"): "06/03 - 08/03" is a list of dates.
const PHONE_RUN = /(?<![\p{L}\p{N}+])(?:\+\s?)?\d+(?:(?:\s?\(0\)\s?|\s?\/\s?|[.-]|[ \u00a0])\d+)*/gu;

/**
 * Belgian national: 0 + 8 digits (landline) or 0 + 9 (mobile 04xx). International: +32/0032 then
 * 8-9 digits (a stray "0" after +32 tolerated), any other country 8-15 digits (E.164).
 * An unseparated run starting with 0 may have 11 digits (a mistyped number is still a number).
 */
function isPhoneDigits(d: string, plus: boolean, singleGroup: boolean): boolean {
  if (plus || d.startsWith('00')) {
    const intl = plus ? d : d.slice(2);
    if (intl.startsWith('0')) return false;
    if (intl.startsWith('32')) {
      const rest = intl.slice(2).replace(/^0/, '');
      return rest.length === 8 || rest.length === 9;
    }
    return intl.length >= 8 && intl.length <= 15;
  }
  if (!d.startsWith('0')) return false;
  return d.length === 9 || d.length === 10 || (singleGroup && d.length === 11);
}

/**
 * A phone starts at the beginning of a run (starting mid-run finds phones inside dates and
 * NISS numbers); after a phone, the next group may start another ("02 512 34 56 0470 12 34 56").
 */
function findPhones(text: string): IdentifierFinding[] {
  const out: IdentifierFinding[] = [];
  for (const m of matches(PHONE_RUN, text)) {
    const body = m[0].replace(/\(0\)/g, '   ');
    const groups = [...matches(/\+?\d+/, body)];
    for (let first = 0; first < groups.length; ) {
      const plus = groups[first][0].startsWith('+') || (first === 0 && body.startsWith('+'));
      let digits = '';
      let best = -1;
      for (let i = first; i < groups.length && digits.length <= 17; i++) {
        digits += groups[i][0].replace('+', '');
        if (isPhoneDigits(digits, plus, i === first)) best = i;
      }
      if (best < 0) break;
      out.push({ kind: 'phone', start: m.index + groups[first].index, end: m.index + groups[best].index + groups[best][0].length });
      first = best + 1;
    }
  }
  return out;
}

// --- street addresses ------------------------------------------------------------------------

/** Street types after which a lower-case street name is still believable ("rue haute 12"). */
const STRONG_TYPES = ['rue', 'avenue', 'av', 'chaussée', 'chaussee', 'chée', 'boulevard', 'bd', 'bld', 'bvd', 'drève', 'dreve', 'impasse', 'ruelle', 'venelle'];
/** Street types that are also common words ("place", "route"): the name must be capitalised. */
const WEAK_TYPES = ['place', 'pl', 'square', 'sq', 'quai', 'allée', 'allee', 'chemin', 'clos', 'galerie', 'passage', 'parvis', 'rond-point', 'cité', 'cite', 'sentier', 'route', 'esplanade', 'street', 'road', 'lane'];
const FR_TYPE = `(${[...STRONG_TYPES, ...WEAK_TYPES].sort((a, b) => b.length - a.length).join('|')})\\.?`;

const PARTICLES = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'au', 'aux', 'van', 'von', 'der', 'den', 'ten', 'ter', 'of', 'the', 'sint', 'saint', 'sainte', 'st', 'ste']);
/** Words that show the "name" is really the rest of a sentence ("à la rue depuis 3 ans"). */
const ADDRESS_STOP = new Set([
  'depuis', 'pendant', 'dans', 'avec', 'pour', 'sans', 'chez', 'vers', 'et', 'ou', 'à', 'a', 'en', 'est', 'il', 'elle', 'y', 'on',
  'qui', 'que', 'plus', 'pas', 'fois', 'since', 'for', 'with', 'and', 'or', 'in', 'at', 'sinds', 'met', 'voor', 'is', 'op', 'bij',
]);
/** A number followed by a unit is a quantity, not a house number ("depuis 3 ans", "2 fois"). */
const UNIT = String.raw`(?!\s*(?:ans?|années?|jaar|jaren|years?|yrs?|fois|keer|times|x|jours?|dagen|dag|days?|mois|maanden|maand|months?|semaines?|weken|week|weeks|heures?|uur|hours?|h|u|min|minutes?|mg|g|ml|kg|%|€|eur|euros?|enfants?|kinderen|kind|children|personnes?|personen|people|patients?|étages?|verdiepingen?|ème|e|er)(?![\p{L}]))`;
// A 4-digit number followed by a word is a postcode + commune ("rue Haute, 1000 Bruxelles").
const NUMBER = String.raw`(?:(?:n°|no\.?|nr\.?|num[ée]ro)\s*)?(?:\d{1,3}|\d{4}(?![\p{N}])(?!\s*\p{L}))(?:[a-zA-Z](?![\p{L}]))?(?![\p{N}])` + UNIT;

// Type first, then 1-6 name words, then the number: "rue de la Loi 16", "avenue Louise, 231".
const TYPE_NAME_NUMBER = new RegExp(`(?<![\\p{L}])${FR_TYPE}\\s+((?:[\\p{L}'’.-]+\\s+){0,5}?[\\p{L}'’.-]+)\\s*,?\\s*${NUMBER}`, 'giu');
// Number first: "16 rue de la Loi". At most 3 digits: "en 2019 avenue Louise" is a year.
const NUMBER_TYPE_NAME = new RegExp(`(?<![\\p{N}])\\d{1,3}[a-zA-Z]?,?\\s+${FR_TYPE}\\s+((?:[\\p{L}'’.-]+\\s+){0,5}[\\p{L}'’.-]+)`, 'giu');
// NL compound street names: "Wetstraat 16", "Waversesteenweg 100", "Sint-Jansplein 3".
const NL_STREET = new RegExp(
  `(?<![\\p{L}])([\\p{L}'’-]{2,}?(?:straat|laan|steenweg|weg|plein|lei|dreef|kaai|kade|markt|dijk|baan|gracht|singel|steeg|square))\\s*,?\\s*${NUMBER}`,
  'giu',
);
const NL_NOT_STREETS = new Set(['onderweg', 'halfweg', 'loopbaan', 'arbeidsmarkt', 'woningmarkt', 'huurmarkt', 'supermarkt', 'zijweg']);
// Two-word NL names: "Grote Markt 1".
const NL_TWO_WORDS = new RegExp(`(?<![\\p{L}])(?:\\p{Lu}[\\p{L}'’-]*\\s+){1,3}(?:Markt|Straat|Laan|Plein|Steenweg|Dreef|Kaai|Lei|Dijk|Square)\\s*,?\\s*${NUMBER}`, 'gu');
// English: "10 Downing Street", "Louise Avenue 231".
// Full words only: "en 2019 Clinique St Jean" must not read as "2019 ... St".
const EN_TYPES = '(?:Street|Road|Avenue|Lane|Boulevard|Drive|Square|Terrace|Crescent)';
const EN_NUMBER_FIRST = new RegExp(`(?<![\\p{N}])\\d{1,3},?\\s+(?:\\p{Lu}[\\p{L}'’-]*\\s+){1,3}${EN_TYPES}(?![\\p{L}])`, 'gu');
const EN_NUMBER_LAST = new RegExp(`(?<![\\p{L}])(?:\\p{Lu}[\\p{L}'’-]*\\s+){1,3}${EN_TYPES}\\s*,?\\s*${NUMBER}`, 'gu');

const isCapitalised = (w: string) => /^(?:[dl]['’])?\p{Lu}/u.test(w);

/** The words between the street type and the number must look like a street name. */
function plausibleStreetName(type: string, name: string, stopAtFirstCore: boolean): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  const weak = WEAK_TYPES.includes(type.toLowerCase().replace(/\.$/, ''));
  let sawCore = false;
  for (const w of words) {
    const lower = w.toLowerCase();
    if (ADDRESS_STOP.has(lower)) return sawCore && stopAtFirstCore;
    const core = lower.replace(/^[dl]['’]/, ''); // "l'Église" → "église"
    if (core === '' || PARTICLES.has(core)) continue;
    if (weak && !isCapitalised(w)) return sawCore && stopAtFirstCore;
    sawCore = true;
    if (stopAtFirstCore) return true;
  }
  return sawCore;
}

function findAddresses(text: string): IdentifierFinding[] {
  const out: IdentifierFinding[] = [];
  const push = (m: RegExpExecArray) => out.push({ kind: 'streetAddress', start: m.index, end: m.index + m[0].length });
  for (const m of matches(TYPE_NAME_NUMBER, text)) if (plausibleStreetName(m[1], m[2], false)) push(m);
  for (const m of matches(NUMBER_TYPE_NAME, text)) if (plausibleStreetName(m[1], m[2], true)) push(m);
  for (const m of matches(NL_STREET, text)) if (!NL_NOT_STREETS.has(m[1].toLowerCase())) push(m);
  for (const m of matches(NL_TWO_WORDS, text)) push(m);
  for (const m of matches(EN_NUMBER_FIRST, text)) push(m);
  for (const m of matches(EN_NUMBER_LAST, text)) push(m);
  return out;
}

// --- personal names: see ./anonymity/names.ts ------------------------------------------------

function findNames(text: string): IdentifierFinding[] {
  return findNameSpans(text).map((span) => ({ kind: 'personalName', ...span }));
}
