// Bank accounts, national register numbers, identity cards and passports (see the decisions in ../anonymity.ts).
import { IdentifierFinding, matches } from './finding';

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

export function findIbans(text: string): IdentifierFinding[] {
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

export function findNiss(text: string): IdentifierFinding[] {
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

export function findIdCards(text: string): IdentifierFinding[] {
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

export function findPassports(text: string): IdentifierFinding[] {
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
