// The word lists the name finder (./names.ts) leans on: what is not a name, what cues one.
// Keys are folded (lower case, no diacritics) unless said otherwise.
import { COMMUNES, OUTSIDE_PLACES } from '../communes';
import { fold } from './gazetteer';

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
export const NAMED_INSTITUTIONS = [
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
export const INSTITUTION_WORDS = words(`
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
export const INSTITUTION_FILLERS = words(`
  de du des la le les d l van der den het t médicale medicale médical medical universitaire universitaires psychiatrique
  psychiatrisch général generale générale general sociale social public publique communal communale régional regional
  gemeentelijk medisch algemeen universitair sociaal academisch academic hospitalier hospitalière of the
  mobile mobiel accueil hébergement hebergement soins santé sante repos jour nuit crise urgence aide sans-abri
  d'accueil d'hébergement d'hebergement d'aide d'urgence d'écoute d'ecoute d'insertion
`);

/** Relatives and professionals: a capitalised word after them is a first name ("sa fille Nadia"). */
export const ROLE_NOUNS = words(`
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
export const ROLE_FILLERS = words(`
  familiale familial sociale social soignante soignant traitant traitante domicile référent référente
  maatschappelijk maatschappelijke sociaal sociale werker thuis
`);

export const ROLE_ARTICLES = words(`le la les son sa ses leur un une de het een zijn haar hun the his her a an`);

/**
 * Verbs after which a capitalised first word is the subject: a person ("Thomas vit seul"). Kept
 * with their accents: "a" is a verb, "à" a preposition.
 */
export const PERSON_VERBS = new Set(`
  vit habite est a refuse souffre présente dort travaille mange boit parle reste était avait veut doit peut ne n'a n'est
  s'est se sort rentre arrive vient va fait dit semble
  woont leeft is heeft weigert lijdt slaapt werkt eet drinkt spreekt blijft was had wil moet kan komt gaat zegt lijkt
  lives is has refuses suffers sleeps works speaks was had wants`.split(/\s+/).filter(Boolean));

/** Particles inside surnames ("Van den Bossche", "El Amrani", "d'Hondt"). */
export const NAME_PARTICLES = words(`de du des la le van von der den ten ter vanden vander di da del della dos das el al ben bin ibn ould ait aït abou abu op`);
/** A capitalised particle that starts a surname on its own, also at the start of a sentence. */
export const STRONG_PARTICLES = words(`van vanden vander el ben bin ibn ould ait aït abou abu`);
/**
 * Capitalised articles start institution names inside a sentence ("Le Pont", "La Strada", "De
 * Lijn"): after them only a gazetteer name makes a surname ("De Smet", "Le Goff").
 */
export const ARTICLE_PARTICLES = words(`le la les du des de den der`);

/** Shouted words that are not names (texts typed in capitals, headings). */
export const SHOUTED_WORDS = words(`
  important urgent urgence attention situation personne patient patiente madame monsieur remarque demande aanvraag dringend
  belangrijk opgelet aandacht probleme problème probleem contexte context besoin besoins nood noden objectif objectifs
  doel doelen reseau réseau netwerk famille familie sante santé gezondheid social sociaal medical médical medisch
  logement huisvesting domicile thuis isolement isolatie seule alleen refus weigering danger gevaar aucun aucune geen
  inconnu onbekend anonyme anoniem`);

/** After a label ("Nom : …"), words that say the name is not given. */
export const PLACEHOLDERS = words(`inconnu inconnue onbekend anonyme anoniem anonymous unknown x xx xxx n/a na nvt néant neant aucun geen none - / ? … non nee no`);

/** The communes' and nearby places' names and the words in them. */
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

/** Never a name by itself: a word of the lists above, a place, a commune. */
export const isDenied = (key: string): boolean =>
  NOT_NAMES.has(key) || FUNCTION_WORDS.has(key) || PLACES_AND_LANGUAGES.has(key) || MEDICATION_AND_PRODUCTS.has(key) || INSTITUTION_NAMES.has(key) || PLACE_WORDS.has(key);
