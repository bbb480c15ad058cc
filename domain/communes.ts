/**
 * The 19 communes of the Brussels-Capital Region (admissibility criterion: the person lives in the
 * region) and a forgiving matcher for what a requester types: FR or NL name, short forms,
 * abbreviations (St-, Ste-, Sint-), missing accents/hyphens, small typos, or a postcode.
 */

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

const REGION: readonly Named[] = [
  { id: 'anderlecht', nameFr: 'Anderlecht', nameNl: 'Anderlecht', postcodes: ['1070'], aliases: ['Cureghem', 'Kuregem'] },
  { id: 'auderghem', nameFr: 'Auderghem', nameNl: 'Oudergem', postcodes: ['1160'] },
  { id: 'berchem-sainte-agathe', nameFr: 'Berchem-Sainte-Agathe', nameNl: 'Sint-Agatha-Berchem', postcodes: ['1082'], aliases: ['Berchem'] },
  {
    id: 'bruxelles',
    nameFr: 'Bruxelles',
    nameNl: 'Brussel',
    postcodes: ['1000', '1020', '1120', '1130'],
    aliases: ['Brussels', 'City of Brussels', 'Laeken', 'Laken', 'Neder-Over-Heembeek', 'Haren'],
  },
  { id: 'etterbeek', nameFr: 'Etterbeek', nameNl: 'Etterbeek', postcodes: ['1040'] },
  { id: 'evere', nameFr: 'Evere', nameNl: 'Evere', postcodes: ['1140'] },
  { id: 'forest', nameFr: 'Forest', nameNl: 'Vorst', postcodes: ['1190'] },
  { id: 'ganshoren', nameFr: 'Ganshoren', nameNl: 'Ganshoren', postcodes: ['1083'] },
  { id: 'ixelles', nameFr: 'Ixelles', nameNl: 'Elsene', postcodes: ['1050'] },
  { id: 'jette', nameFr: 'Jette', nameNl: 'Jette', postcodes: ['1090'] },
  { id: 'koekelberg', nameFr: 'Koekelberg', nameNl: 'Koekelberg', postcodes: ['1081'] },
  { id: 'molenbeek-saint-jean', nameFr: 'Molenbeek-Saint-Jean', nameNl: 'Sint-Jans-Molenbeek', postcodes: ['1080'], aliases: ['Molenbeek'] },
  { id: 'saint-gilles', nameFr: 'Saint-Gilles', nameNl: 'Sint-Gillis', postcodes: ['1060'] },
  {
    id: 'saint-josse-ten-noode',
    nameFr: 'Saint-Josse-ten-Noode',
    nameNl: 'Sint-Joost-ten-Node',
    postcodes: ['1210'],
    aliases: ['Saint-Josse', 'Sint-Joost'],
  },
  { id: 'schaerbeek', nameFr: 'Schaerbeek', nameNl: 'Schaarbeek', postcodes: ['1030'] },
  { id: 'uccle', nameFr: 'Uccle', nameNl: 'Ukkel', postcodes: ['1180'] },
  {
    id: 'watermael-boitsfort',
    nameFr: 'Watermael-Boitsfort',
    nameNl: 'Watermaal-Bosvoorde',
    postcodes: ['1170'],
    aliases: ['Boitsfort', 'Bosvoorde', 'Watermael', 'Watermaal'],
  },
  { id: 'woluwe-saint-lambert', nameFr: 'Woluwe-Saint-Lambert', nameNl: 'Sint-Lambrechts-Woluwe', postcodes: ['1200'], aliases: ['WSL'] },
  {
    id: 'woluwe-saint-pierre',
    nameFr: 'Woluwe-Saint-Pierre',
    nameNl: 'Sint-Pieters-Woluwe',
    postcodes: ['1150'],
    aliases: ['WSP', 'Stockel', 'Stokkel'],
  },
];

// Not exhaustive: the periphery and big cities people may type; any other Belgian postcode
// outside 1000-1299 is recognised as outside anyway.
const OUTSIDE: readonly Named[] = [
  { id: 'vilvoorde', nameFr: 'Vilvorde', nameNl: 'Vilvoorde', postcodes: ['1800'] },
  {
    id: 'zaventem',
    nameFr: 'Zaventem',
    nameNl: 'Zaventem',
    postcodes: ['1930', '1931', '1932', '1933'],
    aliases: ['Sint-Stevens-Woluwe', 'Sterrebeek', 'Nossegem'],
  },
  { id: 'halle', nameFr: 'Hal', nameNl: 'Halle', postcodes: ['1500', '1501', '1502'] },
  { id: 'dilbeek', nameFr: 'Dilbeek', nameNl: 'Dilbeek', postcodes: ['1700', '1701', '1702', '1703'] },
  { id: 'grimbergen', nameFr: 'Grimbergen', nameNl: 'Grimbergen', postcodes: ['1850', '1851', '1852', '1853'], aliases: ['Strombeek-Bever'] },
  { id: 'wemmel', nameFr: 'Wemmel', nameNl: 'Wemmel', postcodes: ['1780'] },
  { id: 'kraainem', nameFr: 'Kraainem', nameNl: 'Kraainem', postcodes: ['1950'] },
  { id: 'wezembeek-oppem', nameFr: 'Wezembeek-Oppem', nameNl: 'Wezembeek-Oppem', postcodes: ['1970'] },
  { id: 'drogenbos', nameFr: 'Drogenbos', nameNl: 'Drogenbos', postcodes: ['1620'] },
  { id: 'linkebeek', nameFr: 'Linkebeek', nameNl: 'Linkebeek', postcodes: ['1630'] },
  { id: 'sint-genesius-rode', nameFr: 'Rhode-Saint-Genèse', nameNl: 'Sint-Genesius-Rode', postcodes: ['1640'] },
  { id: 'waterloo', nameFr: 'Waterloo', nameNl: 'Waterloo', postcodes: ['1410'] },
  { id: 'machelen', nameFr: 'Machelen', nameNl: 'Machelen', postcodes: ['1830', '1831'], aliases: ['Diegem'] },
  { id: 'tervuren', nameFr: 'Tervuren', nameNl: 'Tervuren', postcodes: ['3080'], aliases: ['Tervueren'] },
  { id: 'overijse', nameFr: 'Overijse', nameNl: 'Overijse', postcodes: ['3090'] },
  { id: 'asse', nameFr: 'Asse', nameNl: 'Asse', postcodes: ['1730', '1731'], aliases: ['Zellik'] },
  { id: 'beersel', nameFr: 'Beersel', nameNl: 'Beersel', postcodes: ['1650', '1651', '1652', '1653', '1654'] },
  { id: 'sint-pieters-leeuw', nameFr: 'Leeuw-Saint-Pierre', nameNl: 'Sint-Pieters-Leeuw', postcodes: ['1600', '1601', '1602'] },
  { id: 'hoeilaart', nameFr: 'Hoeilaart', nameNl: 'Hoeilaart', postcodes: ['1560'] },
  { id: 'braine-l-alleud', nameFr: "Braine-l'Alleud", nameNl: 'Eigenbrakel', postcodes: ['1420', '1421', '1428'] },
  { id: 'wavre', nameFr: 'Wavre', nameNl: 'Waver', postcodes: ['1300', '1301'] },
  { id: 'leuven', nameFr: 'Louvain', nameNl: 'Leuven', postcodes: ['3000', '3001', '3010', '3012', '3018'] },
  { id: 'mechelen', nameFr: 'Malines', nameNl: 'Mechelen', postcodes: ['2800'] },
  { id: 'antwerpen', nameFr: 'Anvers', nameNl: 'Antwerpen', postcodes: ['2000'], aliases: ['Antwerp'] },
  { id: 'gent', nameFr: 'Gand', nameNl: 'Gent', postcodes: ['9000'], aliases: ['Ghent'] },
  { id: 'liege', nameFr: 'Liège', nameNl: 'Luik', postcodes: ['4000'] },
  { id: 'namur', nameFr: 'Namur', nameNl: 'Namen', postcodes: ['5000'] },
  { id: 'charleroi', nameFr: 'Charleroi', nameNl: 'Charleroi', postcodes: ['6000'] },
  { id: 'mons', nameFr: 'Mons', nameNl: 'Bergen', postcodes: ['7000'] },
];

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
