// Street addresses: a street with a number (a postcode with a commune is not an address).
import { IdentifierFinding, matches } from './finding';

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

export function findStreetAddresses(text: string): IdentifierFinding[] {
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
