/**
 * Personal names in free text, in layers (the decisions are kept as tables in
 * test/domain/anonymity*.test.ts and measured on test/domain/anonymity.corpus.json):
 *
 * 1. Cues: a title (Madame, M., dhr., de heer, MR…), a role noun of the patient ("la patiente",
 *    "bewoner"), a naming verb ("s'appelle", "heet", "zijn naam is"), or a label with a colon
 *    ("Nom :", "Naam:", "Patiente:") followed by a name. After a label even a lower-case word
 *    counts unless it is a placeholder ("Nom : inconnu").
 * 2. The gazetteer (./names.json): a capitalised word that is a frequent first name or surname
 *    ("Fatima vit seule", "suivie par Janssens"), two capitalised words of which one is a name
 *    ("Jean Dupont, 67 ans", "Dubois Marie"), particles inside surnames ("Van den Bossche",
 *    "El Amrani", "Ben Ali").
 * 3. Capitals: a surname in capitals ("DUPONT", "MR VANDERSTRAETEN vit seul"); an unknown word of
 *    six letters or more in capitals in a text that is not shouted as a whole.
 *
 * What passes, deliberately:
 * - A name that is also an ordinary word ("Rose", "Pierre", "Hope", "Jan") alone: it needs a cue,
 *   a role noun or a second name word. "Ali" and "Marie" are not ordinary words: alone they count.
 * - Capitalised words after an institution or place word: "hôpital Saint-Pierre", "maison
 *   médicale Marconi", "CPAS de Schaerbeek", "Institut Jules Bordet", "métro Louise"; the
 *   communes; countries, cities and languages ("spreekt Frans"); months, weekdays, diseases,
 *   medication brands.
 * - A single letter ("Madame X", "le patient D.") is a placeholder.
 *
 * Decided: the first name of a professional or relative is refused too ("l'infirmière Rose",
 * "sa fille Nadia"), as "Dr Dupont" always was: with the commune and the situation it narrows the
 * person down, and the sheet asks for roles, not names.
 */
import { fold, gazetteer } from './gazetteer';
import { Token, tokenize } from './tokens';
import { ARTICLE_PARTICLES, INSTITUTION_FILLERS, INSTITUTION_WORDS, NAMED_INSTITUTIONS, NAME_PARTICLES, NOT_NAMES, PERSON_VERBS, PLACEHOLDERS, ROLE_ARTICLES, ROLE_FILLERS, ROLE_NOUNS, SHOUTED_WORDS, STRONG_PARTICLES, isDenied } from './nameWords';

export interface NameSpan {
  start: number;
  end: number;
}

const isPersonVerb = (t: Token | undefined): boolean => t !== undefined && t.joined && PERSON_VERBS.has(t.core);

// --- the gazetteer layer --------------------------------------------------------------------

type Strength = 'strong' | 'weak' | 'unknown';

interface NameWord {
  token: Token;
  first: boolean;
  /** A first name of the curated lists, not only of the long national registers. */
  frequentFirst: boolean;
  surname: boolean;
  strength: Strength;
}

function lookUp(token: Token): NameWord {
  const g = gazetteer();
  const key = token.key.replace(/^d['’]/, '');
  const parts = key.split('-').filter(Boolean);
  const first = g.firstNames.has(key) || (parts.length > 1 && parts.every((p) => g.firstNames.has(p)));
  const surname = g.surnames.has(key) || (parts.length > 1 && parts.every((p) => g.surnames.has(p) || g.firstNames.has(p)));
  const known = first || surname;
  const common = g.commonWords.has(key) || (parts.length > 1 && parts.some((p) => g.commonWords.has(p)));
  const frequentFirst = g.frequentFirstNames.has(key) || (parts.length > 1 && parts.every((p) => g.frequentFirstNames.has(p)));
  return { token, first, frequentFirst, surname, strength: !known ? 'unknown' : common ? 'weak' : 'strong' };
}

/** A hyphenated place ("Saint-Gilles", "Sint-Jans-Molenbeek") or a denied word. */
function notAName(t: Token): boolean {
  if (isDenied(t.key) || INSTITUTION_WORDS.has(t.key) || ROLE_NOUNS.has(t.key) || SHOUTED_WORDS.has(t.key)) return true;
  const parts = t.key.split('-');
  return parts.length > 1 && (/^(saint|sainte|sint|st|ste)$/.test(parts[0]) || parts.some((p) => isDenied(p) && !gazetteer().firstNames.has(p)));
}

/** True when the words before `i` are an institution or place word and its fillers. */
function afterWordOf(tokens: Token[], i: number, heads: Set<string>, fillers: Set<string>, overNames = false): boolean {
  for (let j = i - 1, steps = 0; j >= 0 && steps < 4; j--, steps++) {
    // "Huisarts, Thuisverpleging": a comma ends the phrase.
    if (!tokens[j + 1].joined) return false;
    const k = tokens[j].key;
    if (heads.has(k)) return true;
    // An institution's name may have several capitalised words ("maison d'accueil Pierre d'Angle").
    const nameWord = overNames && tokens[j + 1].joined && (tokens[j].titleCase || tokens[j].capitals);
    if (!nameWord && (!fillers.has(k) || tokens[j].titleCase || tokens[j].capitals)) return false;
  }
  return false;
}

const isParticle = (t: Token) => NAME_PARTICLES.has(t.key.replace(/['’]$/, '')) || /^[dD]['’]$/.test(t.core);
// Every part of a hyphenated name is capitalised ("Dupont-Leroy"); "Palach-plein" is a street.
const nameShaped = (t: Token) =>
  (t.titleCase || t.capitals) && t.core.replace(/^[dD]['’]/, '').length >= 2 && t.core.split('-').every((p) => /^(?:[dD]['’])?\p{Lu}/u.test(p));

/**
 * Runs of capitalised words joined by blanks (particles allowed inside), judged as a whole:
 * "Jean Dupont", "Dubois Marie", "Van den Bossche", "Fatima".
 */
function findGazetteerNames(tokens: Token[]): NameSpan[] {
  const out: NameSpan[] = [];
  const shouted = tokens.length >= 4 && tokens.filter((t) => t.capitals).length / tokens.length > 0.5;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    const particleStart = isParticle(t) && (t.titleCase || t.capitals) && i + 1 < tokens.length && tokens[i + 1].joined;
    if (!(nameShaped(t) || particleStart) || (notAName(t) && !particleStart)) {
      i++;
      continue;
    }
    // Collect the run: name-shaped words and particles, each joined to the previous by blanks.
    const run: Token[] = [t];
    let j = i + 1;
    while (j < tokens.length && tokens[j].joined && run.length < 6) {
      const u = tokens[j];
      if (isParticle(u) && !u.capitals) run.push(u);
      else if (nameShaped(u) && !notAName(u)) run.push(u);
      else break;
      j++;
    }
    while (run.length > 1 && isParticle(run[run.length - 1]) && !nameShaped(run[run.length - 1])) run.pop();
    while (run.length > 1 && isParticle(run[run.length - 1]) && run[run.length - 1].key.length <= 3 && !tokens[i + run.length]?.joined) run.pop();
    const span = judgeRun(tokens, i, run, shouted);
    if (span) out.push(span);
    i += Math.max(1, run.length);
  }
  return out;
}

function judgeRun(tokens: Token[], index: number, run: Token[], shouted: boolean): NameSpan | null {
  const first = run[0];
  if (afterWordOf(tokens, index, INSTITUTION_WORDS, INSTITUTION_FILLERS, true)) return null;
  const phrase = tokens.slice(index, index + 4).map((t) => t.key.replace(/-/g, ' ')).join(' ');
  if (NAMED_INSTITUTIONS.some((n) => phrase.startsWith(n) || run.length > 1 && phrase.includes(n))) return null;
  // "Free Clinic", "Sainte-Anne Hospital": the institution word comes after the name.
  const after = tokens[index + run.length];
  if (after !== undefined && after.joined && INSTITUTION_WORDS.has(after.key)) return null;
  const span = { start: first.start, end: run[run.length - 1].end };
  const named = run.filter((t) => !isParticle(t) || (t.capitals && t.key.length > 3)).map(lookUp);
  const afterRole = afterWordOf(tokens, index, ROLE_NOUNS, ROLE_FILLERS);
  const strong = named.filter((w) => w.strength === 'strong');
  const weak = named.filter((w) => w.strength === 'weak');
  const leadingParticle = isParticle(first) && named.length > 0;

  // After a role noun: a name of the lists, or one unknown capitalised word ("sa fille Naoual");
  // not a run of unknown words ("thuisverpleegkundige Wit-Gele Kruis" is an organisation).
  const roleName = named.some((w) => w.strength !== 'unknown') || (named.length === 1 && named[0].token.titleCase && !named[0].token.core.includes('-'));
  if (afterRole && roleName) return span;
  // "Van den Bossche", "El Amrani", "Ben Ali": a capitalised particle before a capitalised word.
  if (leadingParticle && first.titleCase) {
    if (STRONG_PARTICLES.has(first.key) || (run.length > 2 && !ARTICLE_PARTICLES.has(first.key))) return span;
    if (named.some((w) => w.strength !== 'unknown')) return span;
    if (!first.sentenceStart && !ARTICLE_PARTICLES.has(first.key)) return span;
    return null;
  }
  if (named.length >= 2) {
    // Two capitalised words of which one is a name nobody writes as a common word, or two names.
    if (strong.length >= 1) return span;
    if (weak.length >= 2 && weak.some((w) => w.first)) return span;
    // "Jean Fictivaert": a first name that is also a word, then a capitalised word no list knows.
    const second = run[1];
    if (named[0].frequentFirst && named[0].strength === 'weak' && second === named[1]?.token && named[1].strength === 'unknown' && second.titleCase && !second.core.includes('-')) return span;
    return null;
  }
  if (named.length !== 1) return null;
  const w = named[0];
  const t = w.token;
  if (t.capitals) {
    if (SHOUTED_WORDS.has(t.key) || shouted) return null;
    const next = tokens[index + 1];
    const verbFollows = isPersonVerb(next);
    // Acronyms have up to four letters ("AMO", "ONSS", "CAW"): a short name in capitals needs a verb.
    if (w.strength === 'strong' && (t.core.length >= 5 || verbFollows)) return span;
    if (w.strength === 'weak' && verbFollows) return span;
    // An unknown word in capitals, long enough not to be an acronym, with a person's verb after
    // it: a surname typed in capitals ("VANDERSTRAETEN vit seul"), not "HYPERLINK" or "BELRAI".
    if (w.strength === 'unknown' && t.core.length >= 6 && !/\d/.test(t.core) && verbFollows) return span;
    return null;
  }
  if (roleFollows(tokens, index + 1)) return span;
  if (w.strength === 'unknown') return null;
  // "auprès d'Engie", "CPAS d'Ixelles": alone, d' is the preposition; "Madame d'Hondt" has a cue.
  if (/^[dD]['’]/.test(t.core)) return null;
  if (w.strength === 'strong' && w.first && (w.frequentFirst || !t.sentenceStart)) return span;
  // In French and Dutch an ordinary word is not capitalised inside a sentence: there a capitalised
  // "Rose" or "Peeters" is a name. At the start of a sentence only when a person's verb follows.
  // In brackets an ordinary word names a service more often than a person ("éducateur (Dune)").
  const bracketed = /\(\s*$/.test(t.gap) && /^\s*\)/.test(tokens[index + 1]?.gap ?? '');
  if (w.strength === 'weak' && bracketed) return null;
  if (!t.sentenceStart) return span;
  const next = tokens[index + 1];
  return isPersonVerb(next) ? span : null;
}

/** ", la fille" / ", de dochter" / ", le neveu" right after the word: an apposition naming a role. */
function roleFollows(tokens: Token[], i: number): boolean {
  const comma = tokens[i] !== undefined && /^\s*[,(–-]\s*$/.test(tokens[i].gap);
  if (!comma) return false;
  // An article or possessive first: "Pharmacien, Infirmière relais" is a list of roles.
  if (!ROLE_ARTICLES.has(tokens[i].key)) return false;
  for (let j = i + 1; j < Math.min(tokens.length, i + 3); j++) {
    if (ROLE_NOUNS.has(tokens[j].key)) return true;
    if (!ROLE_ARTICLES.has(tokens[j].key)) return false;
  }
  return false;
}

// --- the cue layer --------------------------------------------------------------------------

// Long titles in any case; short ones with their usual case only ("MS" is multiple sclerosis).
const LONG_TITLE = /(?<![\p{L}])(?:madame|monsieur|mademoiselle|mevrouw|meneer|mijnheer|juffrouw|de heer|docteur|dokter|doctor|professeur|professor|mister|madam|herr|frau)[ \t\u00a0]+/giu;
const SHORT_TITLE = /(?<![\p{L}])(?:M\.|Mr\.?|MR\.?|Mrs\.?|Ms\.?|Mme\.?|MME\.?|mme\.?|Mlle\.?|MLLE\.?|Mmes?|Dr\.?|DR\.?|dr\.?|Dhr\.?|DHR\.?|dhr\.?|Mevr\.?|MEVR\.?|mevr\.?|Mw\.?|mw\.?|Mej\.?|Prof\.?|prof\.?|Miss)(?:[ \t\u00a0]+|(?<=\.)(?=\p{Lu}))/gu;
// "le patient Marc": acronyms follow such words ("patient BPCO"), so the name must be Title-case.
const PATIENT_CUE = /(?<![\p{L}])(?:patiente?|patiënte?|cliente?|cliënte?|bénéficiaire|beneficiaire|usager|usagère|résidente?|bewoner|bewoonster)[ \t\u00a0]+/giu;
// "s'appelle DUPONT" may be in capitals. Not "called": mostly the verb to phone.
const NAMING_CUE =
  /(?<![\p{L}-])(?:s['’]appelle|s['’]appellent|l['’]appelle|on appelle|surnommée?|appelée?|bijgenaamd|se nomme|prénommée?|prenommée?|nommée?|dénommée?|du nom de|(?:son|leur) nom(?: de famille)? est|(?:son|leur) prénom est|heet|heten|genaamd|noemt|(?:zijn|haar|hun) (?:voor|achter|familie)?naam is|named|whose name is|(?:his|her|their) (?:first |last |sur)?name is)[ \t\u00a0]+/giu;
// "Nom : Dubois Marie", "Naam: Peeters Jan", "Patiente: Fatima Benali" (a colon or equals sign).
const LABEL_CUE =
  /(?<![\p{L}])(?:nom(?: de famille| et prénom| complet)?|prénom|prenom|nom\/prénom|naam(?: en voornaam)?|voornaam|achternaam|familienaam|volledige naam|name|full name|first name|surname|last name|patiente?|patiënte?|patient\(e\)|bewoner|bewoonster|résidente?|resident|cliënte?|cliente?|bénéficiaire|usager|identité|identiteit|personne concernée|betrokkene|dossier de|dossier van)[ \t\u00a0]*[:=][ \t\u00a0]*/giu;

/**
 * Reads the words after a cue; returns the span of the name, or null. Particles and initials
 * count only when a name word follows ("Monsieur de Smet", "M. J. Dupont" yes; "le Dr de garde",
 * "Madame X vit seule" no): a lone letter is a placeholder.
 */
function nameAfter(text: string, from: number, allowCapitals: boolean, allowParticles: boolean, lowerCase: LowerCase): NameSpan | null {
  const re = /\S+/gu;
  re.lastIndex = from;
  let pending = -1;
  let span: NameSpan | null = null;
  for (let count = 0; count < 6; count++) {
    const m = re.exec(text);
    // Only the words right after the cue, separated by blanks.
    if (!m || (count === 0 && m.index !== from)) break;
    if (count > 0 && /\n/.test(text.slice(span ? span.end : from, m.index))) break;
    const core = m[0].replace(/[.,;:!?)\]»"”]+$/u, '');
    const punctuated = core.length < m[0].length;
    const lower = fold(core);
    if (core === '') break;
    if (allowParticles && (/^\p{Lu}$/u.test(core) || NAME_PARTICLES.has(lower))) {
      if (pending < 0) pending = m.index;
      if (punctuated && !/^\p{Lu}$/u.test(core)) break;
      continue;
    }
    const bare = core.replace(/^[dl]['’]/iu, '');
    if (bare !== core && !allowParticles) break;
    const titleCase = /^\p{Lu}(?:['’]\p{Lu})?\p{Ll}/u.test(bare); // also N'Diaye, O'Brien
    const capitals = allowCapitals && /^\p{Lu}[\p{Lu}'’-]+$/u.test(bare);
    // After a label the name may be typed in lower case: a name word, not an ordinary word.
    const lowerName = lowerCase !== 'no' && /^\p{Ll}[\p{L}'’-]+$/u.test(bare) && isLowerCaseName(fold(bare), lowerCase === 'any' && count === 0);
    if ((!titleCase && !capitals && !lowerName) || NOT_NAMES.has(lower) || NOT_NAMES.has(fold(bare)) || PLACEHOLDERS.has(lower)) break;
    span = { start: span ? span.start : pending >= 0 ? pending : m.index, end: m.index + core.length };
    pending = -1;
    if (punctuated) break;
  }
  return span;
}

/** "nom : dubois marie": in the gazetteer and not an ordinary word; the first word may be unknown. */
function isLowerCaseName(key: string, firstWord: boolean): boolean {
  const g = gazetteer();
  if (g.commonWords.has(key) || PLACEHOLDERS.has(key) || isDenied(key)) return false;
  return g.firstNames.has(key) || g.surnames.has(key) || (firstWord && key.length >= 3 && !SHOUTED_WORDS.has(key));
}

/** Lower-case names after a cue: none, gazetteer names only, or also an unknown first word. */
type LowerCase = 'no' | 'gazetteer' | 'any';

// Dutch puts the verb after the name: "hij wordt Fonske genoemd".
const NAMED_AFTER = /(?<![\p{L}])(?:wordt|werd|worden|werden)[ \t\u00a0]+(\p{Lu}[\p{L}'’-]+(?:[ \t\u00a0]+\p{Lu}[\p{L}'’-]+)?)[ \t\u00a0]+(?:genoemd|geheten)(?![\p{L}])/gu;

function findCuedNames(text: string): NameSpan[] {
  const out: NameSpan[] = [];
  for (const m of text.matchAll(NAMED_AFTER)) {
    const start = m.index + m[0].indexOf(m[1]);
    out.push({ start, end: start + m[1].length });
  }
  // [cue, names in capitals allowed, particles/initials allowed, lower-case names allowed]. Only a
  // label makes an unknown lower-case word a name ("Nom : dubois"): "qui s'appelle maintenant" no.
  // After "patient"/"bénéficiaire" the name must come at once: "bénéficiaire de l'Intégration
  // sociale" is a status.
  const cues: [RegExp, boolean, boolean, LowerCase][] = [
    [LONG_TITLE, true, true, 'no'],
    [SHORT_TITLE, true, true, 'no'],
    [PATIENT_CUE, false, false, 'no'],
    [NAMING_CUE, true, true, 'gazetteer'],
    [LABEL_CUE, true, true, 'any'],
  ];
  for (const [re, allowCapitals, allowParticles, allowLower] of cues) {
    for (const m of text.matchAll(re)) {
      const span = nameAfter(text, m.index + m[0].length, allowCapitals, allowParticles, allowLower);
      if (span) out.push(span);
    }
  }
  return out;
}

export function findNameSpans(text: string): NameSpan[] {
  return [...findCuedNames(text), ...findGazetteerNames(tokenize(text))];
}
