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
import { COMMUNES, OUTSIDE_PLACES } from '../communes';
import { fold, gazetteer } from './gazetteer';

export interface NameSpan {
  start: number;
  end: number;
}

const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean).map(fold));

// --- words that are not names ---------------------------------------------------------------

/** Capitalised words that follow a cue without being a name: verbs (text in capitals), diseases. */
export const NOT_NAMES = words(`
  vit est a et ou qui se ne il elle habite souffre présente refuse dit va doit peut reste était semble veut is heeft woont
  wil kan moet zegt leeft lijdt was gaat komt weigert die hij zij en lives has says wants refuses can will suffers who and
  she he the de la le les un une het een
  madame monsieur mademoiselle mesdames messieurs mevrouw meneer mijnheer heer juffrouw docteur dokter doctor professeur
  professor dr mme mlle mr mrs ms dhr mevr mw
  alzheimer parkinson crohn huntington korsakoff down asperger hodgkin wernicke charcot lyme cushing addison basedow hashimoto
  tourette raynaud paget kahler horton sjögren bechterew ménière covid creutzfeldt jakob guillain barré barre willebrand
  partenaire partner expert experte intervention
  cmd occm cpas ocmw psi mg as csm sisd gdt bim ris inami riziv asbl vzw sdf bpco copd vih hiv one spf fod ssm cgg mmse avc cva
  tsa adhd tdah ehpad mrs mr wzc chu uz az hub ulb vub ucl kul eid niss insz
  monday tuesday wednesday thursday friday saturday sunday january february march april june july august september october
  november december lundi mardi mercredi jeudi vendredi samedi dimanche maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
  noël noel pâques paques ramadan aïd aid toussaint kerstmis pasen allah dieu god jésus jesus
  congo
`);

/** Pronouns and function words, capitalised at the start of a sentence ("Ze spreekt…"). */
const FUNCTION_WORDS = words(`
  je tu on nous vous ils elles ce cet cette ça ca celui celle lui eux que quoi dont où ou si mais donc car ni
  ze we wij jij je u men dat dit deze wie wat er hier daar hun haar zijn mijn ons onze maar want dus
  son sa ses leur leurs mon ma mes notre nos votre vos
  i you we they it this that there what when where why how
`);

/** Countries, cities and languages that are also in name lists ("France", "Frans", "Paris"). */
const PLACES_AND_LANGUAGES = words(`
  belgique belgië belgie belgium bruxelles brussel brussels anvers antwerpen liège luik gand gent namur namen charleroi mons bergen
  louvain leuven malines mechelen bruges brugge ostende oostende hal halle vilvorde vilvoorde wavre waver nivelles nijvel
  france frankrijk paris parijs maroc marokko morocco tanger nador casablanca rabat fès fes oujda tétouan tetouan agadir
  marrakech berkane hoceima turquie turkije turkey istanbul ankara emirdağ emirdag afyon congo kinshasa lubumbashi rwanda kigali
  burundi bujumbura pologne polen poland varsovie warschau roumanie roemenië romania bucarest boekarest espagne spanje spain
  italie italië italy portugal algérie algerije algeria tunisie tunesië tunisia syrie syrië syria afghanistan kaboul kabul
  guinée guinee guinea cameroun kameroen sénégal senegal dakar albanie albanië kosovo bulgarie bulgarije ukraine oekraïne
  russie rusland allemagne duitsland germany angleterre engeland londres londen pays-bas nederland holland europe europa afrique
  afrika amérique amerika asie azië
  français francais frans néerlandais neerlandais nederlands vlaams flamand anglais engels english duits allemand german arabe
  arabisch arabic berbère berbere berbers tamazight amazigh rifain darija turc turks turkish polonais pools polish roumain
  roemeens espagnol spaans spanish italien italiaans portugais portugees russe russisch lingala swahili kikongo tshiluba
  kinyarwanda kirundi dari pashto farsi persan perzisch kurde koerdisch albanais albanees bulgare bulgaars peul wolof bambara
  ourdou urdu tigrinya amharique somali
  marocain marocaine marokkaan marokkaanse turque congolais congolaise congolees belge belg belgische
  européen européenne europees africain africaine afrikaans
`);

/** Brand names of common drugs that collide with name lists, and the like. */
const MEDICATION_AND_PRODUCTS = words(`
  dafalgan paracetamol perdolan xanax temesta lorazepam sipralexa cipramil trazodone trazolan haldol risperdal seroquel zyprexa
  depakine dépakine lasix marevan sintrom pradaxa eliquis xarelto metformine glucophage lantus novorapid durogesic tradonal
  oxynorm contramal motilium pantomed nexium coversyl amlor emconcor isoten lipitor crestor sinemet madopar aricept ebixa
  exelon rivotril valium dominal stilnoct lormetazepam deprez tegretol keppra lyrica neurontin suboxone methadone antabus
  insuline insulin ventolin seretide symbicort spiriva dafalgan diamicron januvia
  teams outlook whatsapp facebook google excel word
`);

/** Institutions named after people and frequent in Brussels: the whole run is not a person. */
const NAMED_INSTITUTIONS = [
  'jules bordet', 'edith cavell', 'paul brien', 'marie curie', 'joseph bracops', 'reine fabiola', 'reine astrid', 'ambroise paré',
  'ambroise pare', 'eddy merckx', 'jean monnet', 'camille lemonnier', 'victor horta', 'fernand cocq', 'émile bockstael',
  'emile bockstael', 'jacques brel', 'charles quint', 'saint luc', 'saint pierre', 'sint jan', 'sint pieter', 'saint jean',
  'sainte anne', 'saint michel', 'saint remi', 'saint guidon', 'jan portaels', 'albert premier',
].map(fold);

/** Single names of institutions, stations and sites of Brussels' health and social network. */
const INSTITUTION_NAMES = words(`
  erasme erasmus bordet brugmann cavell chirec titeca sanatia epsylon huderf delta iris molière moliere longchamp bracops
  fabiola marconi esseghem medikuregem tournesol kattebroek samusocial smes diogenes doucheflux solidaris partenamut helan
  mutualia fedasil bruss'help infor-homes simonis rogier clemenceau delacroix ribaucourt yser bockstael merode mérode
  montgomery thieffry pétillon petillon hankar beaulieu demey roodebeek vandervelde alma crainhem kraainem stockel stokkel ceria
  albert flagey louise horta bourse beurs arts-loi kunst-wet madou botanique kruidtuin trône troon porte hal naamsepoort
  namur heysel heizel houba brugmann vandenhoven lemonnier anneessens ribaucourt sainctelette comte flandre vlaanderen osseghem
  weststation jacques brel aumale lambeau étangs
  emmaüs emmaus samu lijn stib mivb sncb nmbs actiris vdab forem delhaize colruyt carrefour aldi lidl ikea quick
`);

/** Words after which capitalised words name a place or an institution ("hôpital Erasme"). */
const INSTITUTION_WORDS = words(`
  hôpital hopital hôpitaux hospital hospitals ziekenhuis kliniek clinique cliniques clinic polyclinique institut instituut institute
  maison huis centre centrum center cpas ocmw chu uz az hub chirec résidence residence home mr mrs wzc rusthuis woonzorgcentrum
  école ecole school asbl vzw service dienst rue avenue av boulevard bd chaussée chaussee chée place square straat laan plein
  steenweg métro metro station gare arrêt arret halte tram bus quartier wijk parc park pharmacie apotheek fondation stichting
  projet project association vereniging antenne site campus pavillon unité unite polyclinic mutualité mutualite mutuelle
  ziekenfonds saint sainte sint st ste église eglise mosquée mosquee kerk moskee collège college athénée athenee lycée lycee
  université universite universiteit hogeschool ulb vub ucl kul cgg ssm csm sisd asbl commune gemeente ville stad
  galerie cité cite rond-point porte gare piscine zwembad bibliothèque bibliotheek prison gevangenis
  foyer villa hôtel hotel abri refuge ferme
  équipe equipe team cellule réseau reseau netwerk dispositif programme programma plateforme platform
`);
/** Lower-case words allowed between an institution word and its name ("maison médicale Marconi"). */
const INSTITUTION_FILLERS = words(`
  de du des la le les d l van der den het t médicale medicale médical medical universitaire universitaires psychiatrique
  psychiatrisch général generale générale general sociale social public publique communal communale régional regional
  gemeentelijk medisch algemeen universitair sociaal academisch academic hospitalier hospitalière of the
  mobile mobiel accueil hébergement hebergement soins santé sante repos jour nuit crise urgence aide sans-abri
  d'accueil d'hébergement d'hebergement d'aide d'urgence d'écoute d'ecoute d'insertion
`);

/** Relatives and professionals: a capitalised word after them is a first name ("sa fille Nadia"). */
const ROLE_NOUNS = words(`
  fille fils petite-fille petit-fils mère mere maman père pere papa mari épouse epouse époux epoux femme compagnon compagne
  conjoint conjointe sœur soeur frère frere cousin cousine neveu nièce niece tante oncle voisin voisine ami amie belle-fille
  beau-fils gendre bru infirmière infirmiere infirmier aide-soignante aide-soignant kiné kine kinésithérapeute
  kinesitherapeute médecin medecin généraliste generaliste psychologue psychiatre ergothérapeute ergotherapeute logopède
  logopede assistante éducateur educateur éducatrice educatrice coordinatrice coordinateur référent referent référente
  referente tuteur tutrice administrateur administratrice avocat avocate curateur aidant aidante proche
  dochter zoon moeder vader echtgenoot echtgenote partner zus zuster broer buurman buurvrouw vriend vriendin kleindochter
  kleinzoon schoondochter schoonzoon nicht neef tante oom verpleegkundige thuisverpleegkundige verpleger verpleegster huisarts
  arts psycholoog psychiater kinesitherapeut ergotherapeut logopedist werker werkster begeleider begeleidster bewindvoerder
  advocaat mantelzorger zorgkundige gezinshelper gezinshelpster poetshulp
  daughter son wife husband nurse neighbour neighbor brother sister mother father friend carer caregiver
  famille familie gezin family couple koppel ménage menage
`);
/**
 * Lower-case words allowed between a role noun and the name ("l'aide familiale Nadia"). Not "de",
 * "du": "l'éducatrice du SAJ", "psychiatre du Méridien" name the service, not the person.
 */
const ROLE_FILLERS = words(`
  familiale familial sociale social soignante soignant traitant traitante domicile référent référente
  maatschappelijk maatschappelijke sociaal sociale werker thuis
`);

const ROLE_ARTICLES = words(`le la les son sa ses leur un une de het een zijn haar hun the his her a an`);

/**
 * Verbs after which a capitalised first word is the subject: a person ("Thomas vit seul"). Kept
 * with their accents: "a" is a verb, "à" a preposition.
 */
const PERSON_VERBS = new Set(`
  vit habite est a refuse souffre présente dort travaille mange boit parle reste était avait veut doit peut ne n'a n'est
  s'est se sort rentre arrive vient va fait dit semble
  woont leeft is heeft weigert lijdt slaapt werkt eet drinkt spreekt blijft was had wil moet kan komt gaat zegt lijkt
  lives is has refuses suffers sleeps works speaks was had wants`.split(/\s+/).filter(Boolean));
const isPersonVerb = (t: Token | undefined): boolean => t !== undefined && t.joined && PERSON_VERBS.has(t.core);

/** Particles inside surnames ("Van den Bossche", "El Amrani", "d'Hondt"). */
const NAME_PARTICLES = words(`de du des la le van von der den ten ter vanden vander di da del della dos das el al ben bin ibn ould ait aït abou abu op`);
/** A capitalised particle that starts a surname on its own, also at the start of a sentence. */
const STRONG_PARTICLES = words(`van vanden vander el ben bin ibn ould ait aït abou abu`);
/**
 * Capitalised articles start institution names inside a sentence ("Le Pont", "La Strada", "De
 * Lijn"): after them only a gazetteer name makes a surname ("De Smet", "Le Goff").
 */
const ARTICLE_PARTICLES = words(`le la les du des de den der`);

/** Shouted words that are not names (texts typed in capitals, headings). */
const SHOUTED_WORDS = words(`
  important urgent urgence attention situation personne patient patiente madame monsieur remarque demande aanvraag dringend
  belangrijk opgelet aandacht probleme problème probleem contexte context besoin besoins nood noden objectif objectifs
  doel doelen reseau réseau netwerk famille familie sante santé gezondheid social sociaal medical médical medisch
  logement huisvesting domicile thuis isolement isolatie seule alleen refus weigering danger gevaar aucun aucune geen
  inconnu onbekend anonyme anoniem`);

/** After a label ("Nom : …"), words that say the name is not given. */
const PLACEHOLDERS = words(`inconnu inconnue onbekend anonyme anoniem anonymous unknown x xx xxx n/a na nvt néant neant aucun geen none - / ? … non nee no`);

const PLACE_WORDS = (() => {
  const s = new Set<string>();
  for (const c of [...COMMUNES, ...OUTSIDE_PLACES]) {
    const aliases = 'aliases' in c && Array.isArray((c as { aliases?: unknown }).aliases) ? ((c as { aliases: string[] }).aliases) : [];
    for (const n of [c.nameFr, c.nameNl, ...aliases]) {
      s.add(fold(n));
      // "Woluwe-Saint-Lambert": "woluwe" is a place, "Lambert" after "Saint" stays a name.
      const parts = n.split(/[\s-]+/);
      parts.forEach((part, k) => {
        if (!/^(saint|sainte|sint|ten|de|la|le|les|lez)$/i.test(part) && !/^(saint|sainte|sint)$/i.test(parts[k - 1] ?? '')) s.add(fold(part));
      });
    }
  }
  return s;
})();

const isDenied = (key: string): boolean =>
  NOT_NAMES.has(key) || FUNCTION_WORDS.has(key) || PLACES_AND_LANGUAGES.has(key) || MEDICATION_AND_PRODUCTS.has(key) || INSTITUTION_NAMES.has(key) || PLACE_WORDS.has(key);

// --- tokens ---------------------------------------------------------------------------------

interface Token {
  /** The word without an elided article ("l'infirmière" → "infirmière"); "d'Hondt" keeps d'. */
  core: string;
  start: number;
  end: number;
  key: string;
  titleCase: boolean;
  capitals: boolean;
  /** First word of the text, or after . ! ? : ; a new line, a bullet or an opening quote. */
  sentenceStart: boolean;
  /** Only blanks between the previous word and this one. */
  joined: boolean;
  /** What stands between the previous word and this one. */
  gap: string;
}

const WORD = /\p{L}[\p{L}\p{M}'’-]*/gu;
// Not "(": "la patiente (Vandamme)" goes on the same sentence.
const SENTENCE_BREAK = /[.!?:;\n•*«"“–—|]/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(WORD)) {
    let word = m[0].replace(/[-'’]+$/u, '');
    let start = m.index;
    const elided = /^[lLjJsScCmMtTnN]['’](?=\p{L})/u.exec(word);
    // "l'infirmière", "n'a": an elided article or pronoun; "N'Diaye" (capital after) is a name.
    if (elided && !/^[nN]['’]\p{Lu}/u.test(word)) {
      word = word.slice(2);
      start += 2;
    }
    const gap = text.slice(prevEnd, m.index);
    const bare = word.replace(/^[dD]['’]/u, '');
    out.push({
      core: word,
      start,
      end: start + word.length,
      key: fold(word),
      titleCase: /^(?:[dD]['’])?(?:\p{Lu}['’])?\p{Lu}\p{Ll}/u.test(word),
      capitals: /^\p{Lu}[\p{Lu}'’-]+$/u.test(bare) && /\p{Lu}{2}/u.test(bare),
      // After an initial ("J. Dupont", "M. Dupont") the dot does not end a sentence.
      sentenceStart: out.length === 0 ? !/\S/.test(gap) || SENTENCE_BREAK.test(gap) : SENTENCE_BREAK.test(gap) && !(/^\p{Lu}$/u.test(out[out.length - 1].core) && /^\.\s*$/.test(gap)),
      joined: out.length > 0 && /^[ \t\u00a0]+$/.test(gap),
      gap,
    });
    prevEnd = m.index + m[0].length;
  }
  return out;
}

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
