// The admissibility sheet as data: one entry per question, in the order of the paper form, and how
// each reads (seed 001, annex 5). The dialog walks this list; the summary card and the validation use it too.
// No botbuilder import: parsing an answer is a pure function, tested as a table.
import type { AdmissibilityAnswers } from '../domain/admissibility';
import { Commune, COMMUNES } from '../domain/communes';
import { isSector, Sector, SECTORS } from '../domain/sectors';
import { identityKeptApart, REQUESTER_ROLES, RequesterRole } from '../models/requesterIdentity';
import { hasKey, Locale, t } from '../locales/i18n';

export type Draft = Record<string, any>;

export type FieldKind = 'text' | 'choice' | 'multi' | 'age' | 'commune' | 'email' | 'phone' | 'roles';

export interface FieldDef {
  id: string; // dotted path in AdmissibilityAnswers
  kind: FieldKind;
  group: 'requester' | 'person' | 'analysis' | 'checklist';
  /** Choice group in the locale files: request.choice.<choices>.<value>. */
  choices?: string;
  values?: readonly string[];
  /** Free text about the person concerned: the anonymity guard applies. */
  anonymous?: boolean;
  optional?: boolean | ((d: Draft) => boolean);
  when?: (d: Draft) => boolean;
  minLength?: number;
  minItems?: number;
  /** A yes/no choice stored as a boolean. */
  asBoolean?: boolean;
  /** Asked or not depending on who is asking: a main question when asked, not a follow-up. */
  perRole?: boolean;
}

const YES_NO = ['yes', 'no'] as const;

/**
 * Who is asking (seed 000: the person herself, a carer, or a social-health professional). For the
 * person herself and for a carer, name, link and contact are the requester's identity: they are
 * kept apart from the anonymous request (services/requests.ts) and only the role reaches the
 * coordination, since a carer's name and link ("sa fille") would point at the person.
 */
export { identityKeptApart, REQUESTER_ROLES };
export type { RequesterRole };
/** The requester's answers that identify them (and, through them, the person) when not a professional. */
export const IDENTITY_FIELDS: readonly string[] = ['requester.name', 'requester.link', 'requester.phone', 'requester.email', 'requester.otherContact'];

export const requesterRoleOf = (d: Draft): RequesterRole => {
  const role = get(d, 'requester.role');
  return (REQUESTER_ROLES as readonly unknown[]).includes(role) ? (role as RequesterRole) : 'professional';
};

export const FIELDS: readonly FieldDef[] = [
  { id: 'requester.role', kind: 'choice', group: 'requester', choices: 'requesterRole', values: REQUESTER_ROLES },
  { id: 'requester.name', kind: 'text', group: 'requester', minLength: 2 },
  // Only a professional has an organisation to name; the person herself has no link to give.
  { id: 'requester.organisation', kind: 'text', group: 'requester', minLength: 2, perRole: true, when: (d) => requesterRoleOf(d) === 'professional' },
  // The activity report counts requests per sector of the professional who asks (seed 001).
  { id: 'requester.sector', kind: 'choice', group: 'requester', choices: 'sector', values: SECTORS, perRole: true, when: (d) => requesterRoleOf(d) === 'professional' },
  { id: 'requester.link', kind: 'text', group: 'requester', anonymous: true, minLength: 2, perRole: true, when: (d) => requesterRoleOf(d) !== 'self' },
  { id: 'requester.phone', kind: 'phone', group: 'requester', optional: true },
  { id: 'requester.email', kind: 'email', group: 'requester', optional: (d) => Boolean(get(d, 'requester.phone')) },
  { id: 'requester.otherContact', kind: 'text', group: 'requester', optional: true },
  { id: 'person.age', kind: 'age', group: 'person' },
  { id: 'person.livingPlace', kind: 'choice', group: 'person', choices: 'livingPlace', values: ['home', 'street', 'shelter', 'institution', 'other'] },
  { id: 'person.livingPlaceOther', kind: 'text', group: 'person', anonymous: true, minLength: 2, when: (d) => get(d, 'person.livingPlace') === 'other' },
  { id: 'person.communeId', kind: 'commune', group: 'person' },
  { id: 'person.situation', kind: 'text', group: 'person', anonymous: true, minLength: 20 },
  { id: 'person.previousConcertations', kind: 'choice', group: 'person', choices: 'yesNoUnknown', values: ['yes', 'no', 'unknown'] },
  { id: 'person.previousConcertationsNotes', kind: 'text', group: 'person', anonymous: true, optional: true, when: (d) => get(d, 'person.previousConcertations') === 'yes' },
  { id: 'person.language', kind: 'choice', group: 'person', choices: 'language', values: ['fr', 'nl', 'en', 'other'] },
  { id: 'person.languageOther', kind: 'text', group: 'person', anonymous: true, minLength: 2, when: (d) => get(d, 'person.language') === 'other' },
  { id: 'person.interpreterNeeded', kind: 'choice', group: 'person', choices: 'yesNo', values: YES_NO, asBoolean: true },
  { id: 'analysis.impacts', kind: 'multi', group: 'analysis', choices: 'impacts', values: ['somatic', 'psychological', 'social'], minItems: 1 },
  { id: 'analysis.impactExplanation', kind: 'text', group: 'analysis', anonymous: true, minLength: 10 },
  { id: 'analysis.networkNeedExplanation', kind: 'text', group: 'analysis', anonymous: true, minLength: 10 },
  { id: 'analysis.networkProblem', kind: 'multi', group: 'analysis', choices: 'networkProblem', values: ['continuityOfCare', 'disconnect'], minItems: 0 },
  {
    id: 'analysis.networkProblemExplanation',
    kind: 'text',
    group: 'analysis',
    anonymous: true,
    minLength: 10,
    when: (d) => Object.values((get(d, 'analysis.networkProblem') as Record<string, boolean>) ?? {}).some(Boolean),
  },
  { id: 'checklist.targetPopulation', kind: 'choice', group: 'checklist', choices: 'yesNo', values: YES_NO },
  { id: 'checklist.livesInBrusselsRegion', kind: 'choice', group: 'checklist', choices: 'yesNo', values: YES_NO },
  { id: 'checklist.consent', kind: 'choice', group: 'checklist', choices: 'consent', values: ['written', 'oral', 'toBuild', 'refused'] },
  { id: 'checklist.consentNotes', kind: 'text', group: 'checklist', anonymous: true, optional: true },
  { id: 'checklist.available', kind: 'choice', group: 'checklist', choices: 'available', values: ['yes', 'toDiscuss', 'no'] },
  { id: 'checklist.availableNotes', kind: 'text', group: 'checklist', anonymous: true, optional: true },
  { id: 'checklist.network', kind: 'choice', group: 'checklist', choices: 'network', values: ['yes', 'no', 'toInvestigate'] },
  { id: 'checklist.professionals', kind: 'roles', group: 'checklist', anonymous: true, minItems: 2, when: (d) => get(d, 'checklist.network') === 'yes' },
  { id: 'checklist.networkNotes', kind: 'text', group: 'checklist', anonymous: true, optional: true },
];

export const fieldById = (id: string): FieldDef | undefined => FIELDS.find((f) => f.id === id);

/** The question as this requester reads it: "votre lien avec la personne" differs for a carer. */
export function promptOf(locale: Locale, f: FieldDef, d: Draft): string {
  const byRole = `request.field.${f.id}.prompt.${requesterRoleOf(d)}`;
  return t(locale, hasKey(byRole, locale) ? byRole : `request.field.${f.id}.prompt`);
}

export function get(d: Draft, path: string): unknown {
  return path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), d);
}

export function set(d: Draft, path: string, value: unknown): Draft {
  const keys = path.split('.');
  const copy: Draft = structuredClone(d);
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k] = typeof o[k] === 'object' && o[k] !== null ? o[k] : {};
  o[keys[keys.length - 1]] = value;
  return copy;
}

export const isAsked = (f: FieldDef, d: Draft): boolean => !f.when || f.when(d);
export const isOptional = (f: FieldDef, d: Draft): boolean => (typeof f.optional === 'function' ? f.optional(d) : Boolean(f.optional));
export const isAnswered = (f: FieldDef, d: Draft): boolean => get(d, f.id) !== undefined;

/** The next question to ask, or null when the sheet is complete. */
export function nextField(d: Draft): FieldDef | null {
  return FIELDS.find((f) => isAsked(f, d) && !isAnswered(f, d)) ?? null;
}

/** Questions that apply to this draft, for "question n of N" and the summary. */
export const askedFields = (d: Draft): FieldDef[] => FIELDS.filter((f) => isAsked(f, d));

/** Drops answers to questions that no longer apply (e.g. "other language" after choosing French). */
export function pruneDraft(d: Draft): Draft {
  let out = d;
  for (const f of FIELDS) if (!isAsked(f, out) && get(out, f.id) !== undefined) out = set(out, f.id, undefined);
  return JSON.parse(JSON.stringify(out)) as Draft;
}

/** Display label of a choice (the first alternative in the locale file). */
export const choiceLabel = (locale: Locale, group: string, value: string): string => t(locale, `request.choice.${group}.${value}`).split('|')[0];

export const communeName = (c: Commune): string => (c.nameFr === c.nameNl ? c.nameFr : `${c.nameFr} / ${c.nameNl}`);
export const communeChoices = (): Array<{ title: string; value: string }> =>
  [...COMMUNES].sort((a, b) => a.nameFr.localeCompare(b.nameFr, 'fr')).map((c) => ({ title: `${communeName(c)} (${c.postcodes.join(', ')})`, value: c.id }));

/** How an answer reads in the summary. */
export function displayValue(f: FieldDef, d: Draft, locale: Locale): string {
  const v = get(d, f.id);
  const none = t(locale, 'request.value.none');
  if (v === undefined || v === '' || v === null) {
    if (f.kind === 'age' && v === null) return t(locale, 'request.value.unknown');
    if (f.kind === 'commune' && get(d, 'person.outsideRegion')) return t(locale, 'request.value.outsideRegion');
    return none;
  }
  switch (f.kind) {
    case 'choice':
      return typeof v === 'boolean' ? choiceLabel(locale, 'yesNo', v ? 'yes' : 'no') : choiceLabel(locale, f.choices!, String(v));
    case 'multi': {
      const on = Object.entries(v as Record<string, boolean>).filter(([, b]) => b).map(([k]) => choiceLabel(locale, f.choices!, k));
      return on.length ? on.join(', ') : none;
    }
    case 'commune': {
      const c = COMMUNES.find((x) => x.id === v);
      return c ? communeName(c) : String(v);
    }
    case 'roles':
      return (v as Array<{ role: string }>).map((r) => r.role).join(', ');
    case 'age':
      return t(locale, 'request.value.age', { age: String(v) });
    default:
      return String(v);
  }
}

/** A complete draft as the sheet's typed answers; questions not asked get neutral defaults. */
export function toAnswers(d: Draft): AdmissibilityAnswers {
  const s = (p: string) => (typeof get(d, p) === 'string' ? (get(d, p) as string) : '');
  const flags = (p: string, keys: string[]) => Object.fromEntries(keys.map((k) => [k, Boolean((get(d, p) as Record<string, boolean> | undefined)?.[k])]));
  return {
    requestDate: s('requestDate'),
    requester: {
      name: s('requester.name'),
      organisation: s('requester.organisation'),
      ...(isSector(get(d, 'requester.sector')) ? { sector: get(d, 'requester.sector') as Sector } : {}),
      link: s('requester.link'),
      phone: s('requester.phone'),
      email: s('requester.email'),
      otherContact: s('requester.otherContact'),
    },
    person: {
      age: typeof get(d, 'person.age') === 'number' ? (get(d, 'person.age') as number) : null,
      livingPlace: s('person.livingPlace') as AdmissibilityAnswers['person']['livingPlace'],
      livingPlaceOther: s('person.livingPlaceOther'),
      communeId: (get(d, 'person.communeId') as string | null) ?? null,
      outsideRegion: Boolean(get(d, 'person.outsideRegion')),
      situation: s('person.situation'),
      previousConcertations: (s('person.previousConcertations') || 'unknown') as AdmissibilityAnswers['person']['previousConcertations'],
      previousConcertationsNotes: s('person.previousConcertationsNotes'),
      language: s('person.language') as AdmissibilityAnswers['person']['language'],
      languageOther: s('person.languageOther'),
      interpreterNeeded: Boolean(get(d, 'person.interpreterNeeded')),
    },
    analysis: {
      impacts: flags('analysis.impacts', ['somatic', 'psychological', 'social']) as AdmissibilityAnswers['analysis']['impacts'],
      impactExplanation: s('analysis.impactExplanation'),
      networkNeedExplanation: s('analysis.networkNeedExplanation'),
      networkProblem: flags('analysis.networkProblem', ['continuityOfCare', 'disconnect']) as AdmissibilityAnswers['analysis']['networkProblem'],
      networkProblemExplanation: s('analysis.networkProblemExplanation'),
    },
    checklist: {
      targetPopulation: s('checklist.targetPopulation') as AdmissibilityAnswers['checklist']['targetPopulation'],
      livesInBrusselsRegion: s('checklist.livesInBrusselsRegion') as AdmissibilityAnswers['checklist']['livesInBrusselsRegion'],
      consent: s('checklist.consent') as AdmissibilityAnswers['checklist']['consent'],
      consentNotes: s('checklist.consentNotes'),
      available: s('checklist.available') as AdmissibilityAnswers['checklist']['available'],
      availableNotes: s('checklist.availableNotes'),
      network: s('checklist.network') as AdmissibilityAnswers['checklist']['network'],
      professionals: ((get(d, 'checklist.professionals') as Array<{ role: string }> | undefined) ?? []).map((p) => ({ role: p.role })),
      networkNotes: s('checklist.networkNotes'),
    },
  };
}
