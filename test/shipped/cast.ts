// The people of the story and what they type: fictional names, the sheets in French and Dutch,
// the command words. Data only; the steps are in story.ts.
import type { Conversation, User } from './teamsClient';

export type Lang = 'fr' | 'nl';

const aad = (n: number) => `00000000-0000-4000-8000-${String(700000 + n).padStart(12, '0')}`;
const user = (n: number, name: string, locale: string): User => ({ id: `29:shipped-user-${n}`, aadObjectId: aad(n), name, locale });

export const STORY_COORDINATORS = [aad(1), aad(11)];

/** Identifying strings the story types into the anonymous sheet; the guard refuses them, so they are stored nowhere. */
export const REFUSED_IDENTIFIERS = ['Testelinck', '85.07.30-033.28', '85073003328'];
/** Words of the person's PSI and the name of her carer: personal data, kept only where the case needs them. */
export const PSI_WORDS = 'Hulp in het dagelijks leven';
export const CARER_NAME = 'Kim Fictif';
/** The person herself asks for the concertation that is admitted under condition: her name and phone. */
export const SELF_REQUESTERS = { fr: { name: 'Yvette Exemplaire', phone: '0471 55 66 77' }, nl: { name: 'Lotte Voorbeeld', phone: '0486 77 88 99' } } as const;

export interface Cast {
  lang: Lang;
  coordinator: User;
  organiser: User;
  requester: User;
  /** The person the concertation is about, asking for it herself. */
  person: User;
  selfSheet: string[];
  participants: User[];
  coordination: Conversation;
  caseChat: Conversation;
  personal: (u: User) => Conversation;
  words: Record<string, string>;
  /** Organisers an earlier run left active, deactivated first so this run starts with an empty pool. */
  earlierOrganisers: string[];
  sheet: Array<string | Record<string, unknown>>;
}

const FR_SHEET = [
  'professionnel', 'CPAS fictif de Test', 'précarité', 'assistante sociale', '02 123 45 67', 'passer', '72', 'à domicile', 'Saint-Gilles',
  // Refused by the anonymity guard, then written again without who she is.
  'Madame Testelinck (NISS 85.07.30-033.28) vit seule depuis le décès de son mari.',
  "Madame vit seule, refuse les soins infirmiers et le CPAS s'inquiète de sa perte d'autonomie.", 'non', 'français', 'non', 'somatique, social',
  'Chutes à répétition, isolement, factures impayées.', "Les soins à domicile dépendent d'une aide sociale que la personne refuse.", 'continuité des soins',
  "Personne ne coordonne le médecin, l'infirmière et le CPAS.", 'oui', 'oui', 'oral', 'passer', 'oui', 'passer', 'oui',
  'médecin généraliste, assistante sociale, infirmière à domicile', 'passer', 'envoyer',
];
const NL_SHEET = [
  'zorgverlener', 'Thuisverpleging Fictief Brussel', 'ouderen', 'thuisverpleegkundige', '0470 12 34 56', 'overslaan', '81 jaar', 'thuis', 'Schaarbeek',
  'Mevrouw Testelinck (rijksregisternummer 85.07.30-033.28) woont alleen sinds haar man overleed.',
  'Mevrouw woont alleen, weigert de poetshulp en valt regelmatig; de huisarts maakt zich zorgen.', 'nee', 'Nederlands', 'nee', 'somatisch en sociaal',
  'Valpartijen, ondervoeding en vereenzaming.', 'De thuiszorg lukt niet zonder afspraken tussen huisarts, OCMW en thuisverpleging.', 'zorgcontinuïteit',
  'Niemand coördineert de huisarts, de thuisverpleging en het OCMW.', 'ja', 'ja', 'mondeling', 'overslaan', 'ja', 'overslaan', 'ja',
  'huisarts, thuisverpleegkundige en maatschappelijk werker van het OCMW', 'overslaan', 'versturen',
];

const SELF_SHEET: Record<Lang, string[]> = {
  fr: [
    'moi-même', SELF_REQUESTERS.fr.phone, 'passer', 'passer', '68', 'à domicile', 'Forest',
    "Je vis seule, je n'arrive plus à gérer mes médicaments et mes rendez-vous, et personne ne se parle.", 'non', 'français', 'non',
    'somatique, social', 'Diabète mal équilibré, chutes, isolement.', "Mon médecin, l'infirmière et le CPAS ne se concertent pas.",
    'continuité des soins', 'Chacun fait de son côté, sans plan commun.', 'oui', 'oui', 'écrit', 'passer', 'oui', 'passer', 'oui',
    'médecin généraliste, infirmière à domicile, assistante sociale', 'passer', 'envoyer',
  ],
  nl: [
    'de persoon zelf', SELF_REQUESTERS.nl.phone, 'overslaan', 'overslaan', '74', 'thuis', 'Schaarbeek',
    'Ik woon alleen, ik val vaak en mijn huisarts en de thuisverpleging spreken niets af.', 'nee', 'Nederlands', 'nee',
    'somatisch en sociaal', 'Valpartijen, ondervoeding en eenzaamheid.', 'De thuiszorg lukt niet zonder afspraken tussen huisarts en thuisverpleging.',
    'zorgcontinuïteit', 'Niemand coördineert de zorg.', 'ja', 'ja', 'mondeling', 'overslaan', 'ja', 'overslaan', 'ja', 'huisarts, thuisverpleegkundige', 'overslaan', 'versturen',
  ],
};

const WORDS: Record<Lang, Record<string, string>> = {
  fr: {
    help: 'aide', language: 'langue fr', newRequest: 'nouvelle demande', cancel: 'annuler', myCases: 'mes dossiers', myReminders: 'mes rappels',
    setCoordination: 'définir coordination', organisers: 'organisateurs', linkCase: 'lier dossier', newPoll: 'nouveau sondage', agenda: 'ordre du jour',
    psi: 'psi', networkMap: 'carte', record: 'fiche concertation', export: 'export', report: 'rapport', myRequests: 'mes demandes',
  },
  nl: {
    help: 'hulp', language: 'taal nl', newRequest: 'nieuwe aanvraag', cancel: 'annuleren', myCases: 'mijn dossiers', myReminders: 'mijn herinneringen',
    setCoordination: 'coördinatie instellen', organisers: 'organisatoren', linkCase: 'dossier koppelen', newPoll: 'nieuwe peiling', agenda: 'agenda',
    psi: 'zorgplan', networkMap: 'kaart', record: 'overlegfiche', export: 'exporteren', report: 'verslag', myRequests: 'mijn aanvragen',
  },
};

export function people(lang: Lang): Cast {
  const base = lang === 'fr' ? 0 : 10;
  const locale = lang === 'fr' ? 'fr-BE' : 'nl-BE';
  const names = lang === 'fr' ? ['Camille Coordination', 'Olivia Organisatrice', 'Rita Demandeuse', 'Paul Participant', 'Pia Participante', 'Pierre Participant'] : ['Kees Coördinatie', 'Olaf Organisator', 'Ria Aanvrager', 'Piet Deelnemer', 'Pien Deelnemer', 'Pim Deelnemer'];
  const [coordinator, organiser, requester, ...participants] = names.map((n, i) => user(base + i + 1, n, locale));
  return {
    lang,
    coordinator,
    organiser,
    requester,
    person: user(base + 9, SELF_REQUESTERS[lang].name, locale),
    selfSheet: SELF_SHEET[lang],
    participants,
    coordination: { id: `19:shipped-coordination-${lang}@thread.v2`, conversationType: 'groupChat' },
    caseChat: { id: `19:shipped-case-${lang}@thread.v2`, conversationType: 'groupChat' },
    personal: (u) => ({ id: `a:shipped-personal-${u.id}`, conversationType: 'personal' }),
    words: WORDS[lang],
    earlierOrganisers: lang === 'nl' ? [aad(2)] : [],
    sheet: lang === 'fr' ? FR_SHEET : NL_SHEET,
  };
}
