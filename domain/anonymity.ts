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

import { findStreetAddresses } from './anonymity/addresses';
import { findEmails, findPhones } from './anonymity/contact';
import { findDates } from './anonymity/dates';
import { IdentifierFinding, IdentifierKind } from './anonymity/finding';
import { findNameSpans } from './anonymity/names';
import { findIbans, findIdCards, findNiss, findPassports } from './anonymity/numbers';

export type { IdentifierFinding, IdentifierKind };
export { isValidIban, isValidIdCardNumber, isValidNiss } from './anonymity/numbers';

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
    ...findStreetAddresses(text),
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

// --- personal names: see ./anonymity/names.ts ------------------------------------------------

function findNames(text: string): IdentifierFinding[] {
  return findNameSpans(text).map((span) => ({ kind: 'personalName', ...span }));
}
