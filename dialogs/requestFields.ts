// The admissibility sheet as data: one entry per question, in the order of the paper form
// (seed 001, annex 5). The dialog walks this list; the summary card and the validation use it too.
// No botbuilder import: parsing an answer is a pure function, tested as a table.
import type { AdmissibilityAnswers } from '../domain/admissibility';
import { findIdentifiers, IdentifierKind, wordPosition } from '../domain/anonymity';
import { matchCommune, Commune, COMMUNES } from '../domain/communes';
import { identityKeptApart, REQUESTER_ROLES, RequesterRole } from '../models/requesterIdentity';
import { allTranslations, hasKey, Locale, t } from '../locales/i18n';

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

// ——— parsing what the user typed or picked ———

export type ParseResult =
  | { ok: true; patch: Array<[string, unknown]>; notice?: { key: string; params?: Record<string, string> } }
  | { ok: false; error: string; params?: Record<string, string | number> };

export function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[«»"“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const words = (key: string): string[] => allTranslations(key).flatMap((s) => s.split('|')).map(normalise);

export const isSkip = (text: string): boolean => words('request.skipWords').includes(normalise(text));

/**
 * "Bonjour", "Hallo!", "bonjour, je reviens pour ma demande": someone coming back, not an answer.
 * A greeting followed by more text counts only when punctuation sets it apart and little follows,
 * so an answer such as "dag en nacht zorg nodig" is not mistaken for one.
 */
export function isGreeting(text: string): boolean {
  const n = normalise(text);
  const bare = n.replace(/[!?.,;:…]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!bare) return false;
  const greetings = words('request.greetingWords');
  if (greetings.includes(bare)) return true;
  return greetings.some((w) => n.startsWith(w) && /^\s*[!,.;:…]/.test(n.slice(w.length)) && bare.split(' ').length <= w.split(' ').length + 6);
}

/** Display label of a choice (the first alternative in the locale file). */
export const choiceLabel = (locale: Locale, group: string, value: string): string => t(locale, `request.choice.${group}.${value}`).split('|')[0];

function matchChoice(f: FieldDef, raw: string): string | null {
  const n = normalise(raw).replace(/[.)]$/, '');
  const values = f.values ?? [];
  if (/^\d+$/.test(n)) return values[Number(n) - 1] ?? null;
  for (const v of values) {
    if (normalise(v) === n) return v;
    if (words(`request.choice.${f.choices}.${v}`).includes(n)) return v;
  }
  return null;
}

/** The first identifier found: its kind and where it is (word n of m), never its text. */
function anonymityProblem(text: string): { kind: IdentifierKind; word: number; words: number } | null {
  const found = findIdentifiers(text);
  return found.length ? { kind: found[0].kind, ...wordPosition(text, found[0]) } : null;
}

/** "et" / "en" / "and": words that join list items, in the requester's language (all three when unknown). */
function conjunctions(locale?: Locale): string[] {
  const lists = locale ? [t(locale, 'request.listWords')] : allTranslations('request.listWords');
  return lists.flatMap((s) => s.split('|')).map((w) => w.trim()).filter(Boolean);
}

const splitOnWords = (text: string, ws: string[]): string[] =>
  ws.length ? text.split(new RegExp(`\\s+(?:${ws.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\s+`, 'iu')) : [text];

const APPROXIMATE_AGE =
  /^(?:environ|env\.?|a peu pres|ca\.?|circa|ongeveer|ong\.?|rond de|about|around|approx\.?|approximately|±|~|\+\/-|\+-)?\s*(\d{1,4})\s*(?:ans?|jaar|years?|yrs?|y)?(?:\s+(?:environ|oud|old))?$/;

/**
 * Reads what the requester typed (or picked on a card) for one question. `locale` is the
 * requester's language: it decides which word joins list items ("et" is not split in Dutch, "en"
 * not in French, where "infirmière en psychiatrie" is one role).
 */
export function parseAnswer(f: FieldDef, raw: string, d: Draft, locale?: Locale): ParseResult {
  const text = raw.trim();
  if (!text && f.kind === 'multi') {
    // A card submitted with nothing ticked.
    if ((f.minItems ?? 0) === 0) return { ok: true, patch: [[f.id, Object.fromEntries((f.values ?? []).map((v) => [v, false]))]] };
    return { ok: false, error: 'request.error.multiMin', params: { min: f.minItems ?? 1 } };
  }
  if (!text) return { ok: false, error: 'request.error.required' };
  if (isSkip(text)) {
    if (isOptional(f, d) || (f.kind === 'multi' && (f.minItems ?? 0) === 0)) {
      return { ok: true, patch: [[f.id, f.kind === 'multi' ? Object.fromEntries((f.values ?? []).map((v) => [v, false])) : '']] };
    }
    return { ok: false, error: 'request.error.notSkippable' };
  }
  if (f.anonymous) {
    const problem = anonymityProblem(text);
    if (problem) return { ok: false, error: `anonymity.${problem.kind}`, params: { word: problem.word, words: problem.words } };
  }
  switch (f.kind) {
    case 'text':
      if (text.length < (f.minLength ?? 1)) return { ok: false, error: 'request.error.tooShort', params: { min: f.minLength ?? 1 } };
      if (text.length > 2000) return { ok: false, error: 'request.error.tooLong', params: { max: 2000 } };
      return { ok: true, patch: [[f.id, text]] };
    case 'phone': {
      const digits = text.replace(/[\s./()-]/g, '');
      if (!/^\+?\d{8,15}$/.test(digits)) return { ok: false, error: 'request.error.phone' };
      return { ok: true, patch: [[f.id, text]] };
    }
    case 'email':
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(text)) return { ok: false, error: 'request.error.email' };
      return { ok: true, patch: [[f.id, text.toLowerCase()]] };
    case 'age': {
      if (words('request.unknownWords').includes(normalise(text))) return { ok: true, patch: [[f.id, null]] };
      const m = APPROXIMATE_AGE.exec(normalise(text));
      if (!m) return { ok: false, error: 'request.error.age' };
      const n = Number(m[1]);
      if (n >= 1900) return { ok: false, error: 'request.error.ageLooksLikeYear' };
      if (n > 120) return { ok: false, error: 'request.error.age' };
      return { ok: true, patch: [[f.id, n]] };
    }
    case 'choice': {
      const v = matchChoice(f, text);
      if (v === null) return { ok: false, error: 'request.error.choice' };
      return { ok: true, patch: [[f.id, f.asBoolean ? v === 'yes' : v]] };
    }
    case 'multi': {
      // A whole label first (it may contain "et"), then items split on , ; / + and on "et"/"en"/"and".
      const picked = new Set<string>();
      for (const part of text.split(/\s*[,;/+\n]\s*/).filter(Boolean)) {
        const whole = matchChoice(f, part);
        if (whole !== null) {
          picked.add(whole);
          continue;
        }
        for (const item of splitOnWords(part, conjunctions()).filter(Boolean)) {
          const v = matchChoice(f, item);
          if (v === null) return { ok: false, error: 'request.error.multi' };
          picked.add(v);
        }
      }
      if (picked.size < (f.minItems ?? 0)) return { ok: false, error: 'request.error.multiMin', params: { min: f.minItems ?? 0 } };
      return { ok: true, patch: [[f.id, Object.fromEntries((f.values ?? []).map((v) => [v, picked.has(v)]))]] };
    }
    case 'commune': {
      const m = matchCommune(text);
      if (m.status === 'match') return { ok: true, patch: [[f.id, m.commune.id], ['person.outsideRegion', false]] };
      if (m.status === 'ambiguous') {
        return { ok: false, error: 'request.error.communeAmbiguous', params: { candidates: m.candidates.map(communeName).join(' / ') } };
      }
      if (m.status === 'outside') {
        const place = m.place ? `${m.place.nameFr} / ${m.place.nameNl}` : m.postcode ?? text;
        return { ok: true, patch: [[f.id, null], ['person.outsideRegion', true]], notice: { key: 'request.communeOutside', params: { place } } };
      }
      return { ok: false, error: 'request.error.communeUnknown' };
    }
    case 'roles': {
      const roles = text
        .split(/\s*[,;\n]\s*/)
        .flatMap((part) => splitOnWords(part, conjunctions(locale)))
        .map((r) => r.trim().replace(/[.]$/, ''))
        .filter((r) => r.length > 0);
      if (roles.length < (f.minItems ?? 0)) return { ok: false, error: 'request.error.rolesTooFew', params: { min: f.minItems ?? 0 } };
      return { ok: true, patch: [[f.id, roles.map((role) => ({ role }))]] };
    }
  }
}

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
