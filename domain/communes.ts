/**
 * The 19 communes of the Brussels-Capital Region (admissibility criterion: the person lives in the
 * region) and a forgiving matcher for what a requester types: FR or NL name, short forms,
 * abbreviations (St-, Ste-, Sint-), missing accents/hyphens, small typos, or a postcode.
 */
import places from './communes.json';

export interface Commune {
  /** Stable slug stored in answers; never translated. */
  id: string;
  nameFr: string;
  nameNl: string;
  /** Main postcodes, first = the usual one. */
  postcodes: readonly string[];
}

/** A known place outside the region, so the bot can say "Vilvoorde is outside the region". */
export interface OutsidePlace {
  id: string;
  nameFr: string;
  nameNl: string;
  postcodes: readonly string[];
}

export type CommuneMatch =
  | { status: 'match'; commune: Commune }
  | { status: 'ambiguous'; candidates: Commune[] }
  | { status: 'outside'; place?: OutsidePlace; postcode?: string }
  | { status: 'unknown' };

interface Named {
  id: string;
  nameFr: string;
  nameNl: string;
  postcodes: readonly string[];
  /** Extra spellings: short forms, sub-localities, EN. */
  aliases?: readonly string[];
}

// The region's communes, then places outside it. Not exhaustive outside: the periphery and big
// cities people may type; any other Belgian postcode outside 1000-1299 is recognised as outside anyway.
const REGION: readonly Named[] = places.region;
const OUTSIDE: readonly Named[] = places.outside;

const strip = ({ id, nameFr, nameNl, postcodes }: Named) => ({ id, nameFr, nameNl, postcodes });

export const COMMUNES: readonly Commune[] = REGION.map(strip);
export const OUTSIDE_PLACES: readonly OutsidePlace[] = OUTSIDE.map(strip);

export function communeById(id: string): Commune | undefined {
  return COMMUNES.find((c) => c.id === id);
}

export function isBrusselsCommuneId(id: string | null | undefined): boolean {
  return id != null && communeById(id) !== undefined;
}

// --- matching -------------------------------------------------------------------------------

/** Saint/Sainte/Sint and their abbreviations are one token, so FR, NL and "St-" forms meet. */
const SAINT = new Set(['saint', 'sainte', 'sint', 'st', 'ste']);
/** Words that carry no place information ("commune d'Anderlecht", "Bruxelles-Ville", "B-1070"). */
const NOISE = new Set(['commune', 'gemeente', 'municipality', 'of', 'd', 'de', 'du', 'l', 'la', 'le', 'ville', 'stad', 'city', 'b', 'be']);

function tokens(s: string): string[] {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t && !NOISE.has(t))
    .map((t) => (SAINT.has(t) ? 'st' : t));
}

interface Entry {
  place: Named;
  keys: string[][];
}

const index = (list: readonly Named[]): Entry[] =>
  list.map((place) => ({ place, keys: [place.nameFr, place.nameNl, ...(place.aliases ?? [])].map((n) => tokens(n)) }));

const REGION_INDEX = index(REGION);
const OUTSIDE_INDEX = index(OUTSIDE);

const join = (t: string[]) => t.join('');

function exact(entries: Entry[], input: string[]): Named[] {
  const k = join(input);
  return entries.filter((e) => e.keys.some((key) => join(key) === k)).map((e) => e.place);
}

/** Every typed token is a word of one spelling: "Molenbeek", "St Gilles", "Woluwe" (two hits). */
function shortForm(entries: Entry[], input: string[]): Named[] {
  return entries.filter((e) => e.keys.some((key) => input.every((t) => key.includes(t)))).map((e) => e.place);
}

/** One spelling appears inside a longer answer: "Anderlecht, quartier Cureghem". */
function contained(entries: Entry[], input: string[]): Named[] {
  const text = ` ${input.join(' ')} `;
  return entries.filter((e) => e.keys.some((key) => text.includes(` ${key.join(' ')} `))).map((e) => e.place);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Typos ("Schaerbeck", "Anderlect"): 1 edit from 5 letters, 2 from 10; unique closest only. */
function fuzzy(input: string[]): { region: Named[]; outside: Named[] } {
  const k = join(input);
  const allowed = k.length >= 10 ? 2 : k.length >= 5 ? 1 : 0;
  const none = { region: [], outside: [] };
  if (allowed === 0) return none;
  let best = allowed + 1;
  let hits: { place: Named; outside: boolean }[] = [];
  for (const [entries, outside] of [[REGION_INDEX, false], [OUTSIDE_INDEX, true]] as const) {
    for (const e of entries) {
      const d = Math.min(...e.keys.map((key) => levenshtein(k, join(key))));
      if (d < best) [best, hits] = [d, [{ place: e.place, outside }]];
      else if (d === best && !hits.some((h) => h.place === e.place)) hits.push({ place: e.place, outside });
    }
  }
  if (best > allowed || hits.length !== 1) return none;
  return hits[0].outside ? { region: [], outside: [hits[0].place] } : { region: [hits[0].place], outside: [] };
}

const toCommune = (n: Named): Commune => COMMUNES.find((c) => c.id === n.id)!;
const toOutside = (n: Named): OutsidePlace => OUTSIDE_PLACES.find((c) => c.id === n.id)!;

function byName(input: string[]): CommuneMatch {
  const strategies = [exact, shortForm, contained];
  for (const strategy of strategies) {
    const region = strategy(REGION_INDEX, input);
    if (region.length === 1) return { status: 'match', commune: toCommune(region[0]) };
    if (region.length > 1) return { status: 'ambiguous', candidates: region.map(toCommune) };
    const outside = strategy(OUTSIDE_INDEX, input);
    if (outside.length > 0) return { status: 'outside', place: toOutside(outside[0]) };
  }
  const f = fuzzy(input);
  if (f.region.length === 1) return { status: 'match', commune: toCommune(f.region[0]) };
  if (f.outside.length === 1) return { status: 'outside', place: toOutside(f.outside[0]) };
  return { status: 'unknown' };
}

/**
 * 1000-1299 is the region's postcode range; unmapped codes inside it (institutional codes such as
 * 1049) are 'unknown' so the bot asks for the commune name. 1050 is taken as Ixelles and 1040 as
 * Etterbeek although parts of Bruxelles-Ville use them too: the name, when given, wins.
 */
export function matchPostcode(postcode: string): CommuneMatch {
  if (!/^\d{4}$/.test(postcode) || postcode < '1000') return { status: 'unknown' };
  const commune = COMMUNES.find((c) => c.postcodes.includes(postcode));
  if (commune) return { status: 'match', commune };
  const n = Number(postcode);
  if (n >= 1000 && n <= 1299) return { status: 'unknown' };
  const place = OUTSIDE_PLACES.find((p) => p.postcodes.includes(postcode));
  return place ? { status: 'outside', place, postcode } : { status: 'outside', postcode };
}

/** "Région bruxelloise" names the region, not a commune: ask again rather than guess Bruxelles-Ville. */
const REGION_WORDS = new Set(['region', 'regio', 'gewest', 'capitale', 'hoofdstad', 'hoofdstedelijk', 'capital']);

export function matchCommune(input: string): CommuneMatch {
  const all = tokens(input);
  if (all.some((t) => REGION_WORDS.has(t))) return { status: 'unknown' };
  const postcodes = all.filter((t) => /^\d{4}$/.test(t));
  const words = all.filter((t) => !/^\d+$/.test(t));
  if (words.length > 0) {
    const named = byName(words);
    if (named.status !== 'unknown') return named;
  }
  return postcodes.length === 1 ? matchPostcode(postcodes[0]) : { status: 'unknown' };
}
