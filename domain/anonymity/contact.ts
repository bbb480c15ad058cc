// E-mail addresses and phone numbers (see the decisions in ../anonymity.ts).
import { IdentifierFinding, matches } from './finding';

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

export function findEmails(text: string): IdentifierFinding[] {
  return [...matches(EMAIL, text), ...matches(SPELLED_EMAIL, text), ...matches(MAILBOX_PROVIDER, text)].map((m) => ({ kind: 'email', start: m.index, end: m.index + m[0].length }));
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
export function findPhones(text: string): IdentifierFinding[] {
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
