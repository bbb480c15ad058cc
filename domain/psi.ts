/**
 * The PSI — plan de services et de soins individualisé (seed 001 annex 2 §6): its content, the
 * edits a card can make (a section block, one action row, one actor, the sharing choice), their
 * validation, and what the reminders need from it. Pure: no I/O, the clock is passed in.
 *
 * Decisions:
 * - Edits collect in a draft; each publish is a new version holding the whole content
 *   (services/psi.ts stores both). This module only turns "content + one edit" into the next
 *   content, or refuses the edit.
 * - "I share my PSI with" is a flag per actor. Sharing with someone who is not among the actors is
 *   refused ('shareNotActor'), so consent is always given to a named actor.
 * - Who reads the PSI and who receives its card: domain/psiReaders.ts.
 * - A next-concertation date must not be before today (Brussels); a periodicity of 3, 6 or 12
 *   months may be given instead (or as well). An action row needs what? and by/with whom?.
 * - An actor carries what the network map (ecomap) needs: kind, closeness to the person, the
 *   relation as she describes it, who supports whom, and the référent mark. Each may be left
 *   unsaid (null): versions saved before these existed read that way (readPsiContent). One actor at
 *   most is the référent: marking another moves the mark.
 */
import type { PsiActionRow } from './psiDiff';
import { brusselsDay, inBrussels } from './time';

export const PERIODICITIES = [3, 6, 12] as const;
export type Periodicity = (typeof PERIODICITIES)[number];

export const MAX_PSI_TEXT = 2000;
export const MAX_PSI_FIELD = 500;
export const MAX_PSI_ACTIONS = 30;
export const MAX_PSI_ACTORS = 30;

export interface PsiAction extends PsiActionRow {
  /** Optional due date ('YYYY-MM-DD') for the follow-up reminders. */
  dueDate: string | null;
}

/** The kinds of actors, as the map groups them in sectors. */
export const ACTOR_KINDS = ['family', 'friend', 'health', 'social', 'mentalHealth', 'otherProfessional', 'institution'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
/** Closeness to the person: the map's rings, inner to outer. */
export const CLOSENESS = ['close', 'near', 'far'] as const;
export type Closeness = (typeof CLOSENESS)[number];
/** The relation as the person describes it: the map's line styles. */
export const RELATIONS = ['strong', 'weak', 'strained'] as const;
export type Relation = (typeof RELATIONS)[number];
/** Who supports whom: the actor the person, the person the actor, both, or neither. */
export const SUPPORTS = ['toPerson', 'fromPerson', 'both', 'none'] as const;
export type Support = (typeof SUPPORTS)[number];

export interface PsiActor {
  id: string;
  name: string;
  /** Services and/or roles. */
  roles: string;
  /** E-mail, phone. */
  contact: string;
  /** "I share my PSI with": the person's consent for this actor. */
  share: boolean;
  /** The case participant this actor is ("aad:…" / "ext:…"), to reach them in Teams; null for others. */
  participantKey: string | null;
  kind: ActorKind | null;
  closeness: Closeness | null;
  relation: Relation | null;
  support: Support | null;
  /** The référent of the PSI (at most one actor). */
  referent: boolean;
}

export interface PsiContent {
  needs: string;
  objectives: string;
  projects: string;
  avoid: string;
  referent: { name: string; phone: string; address: string; place: string };
  actors: PsiActor[];
  actions: PsiAction[];
  limits: string;
  note: { text: string; date: string | null };
  next: { date: string | null; periodicityMonths: Periodicity | null };
}

export const emptyPsi = (): PsiContent => ({
  needs: '',
  objectives: '',
  projects: '',
  avoid: '',
  referent: { name: '', phone: '', address: '', place: '' },
  actors: [],
  actions: [],
  limits: '',
  note: { text: '', date: null },
  next: { date: null, periodicityMonths: null },
});

/** An actor's map attributes when none is said. */
export const NO_ECOMAP: Pick<PsiActor, 'kind' | 'closeness' | 'relation' | 'support' | 'referent'> = { kind: null, closeness: null, relation: null, support: null, referent: false };

/** A stored content (JSON) as this version of the code reads it: fields added since default to "not said". */
export function readPsiContent(json: string): PsiContent {
  const raw = JSON.parse(json) as Partial<PsiContent>;
  const content = { ...emptyPsi(), ...raw };
  return {
    ...content,
    actors: (raw.actors ?? []).map((a) => ({ ...NO_ECOMAP, ...a })),
  };
}

export interface SectionsInput {
  needs?: unknown;
  objectives?: unknown;
  projects?: unknown;
  avoid?: unknown;
  limits?: unknown;
  noteText?: unknown;
  noteDate?: unknown;
  referentName?: unknown;
  referentPhone?: unknown;
  referentAddress?: unknown;
  referentPlace?: unknown;
  nextDate?: unknown;
  periodicity?: unknown;
}

export interface ActionInput {
  /** Empty: a new row; else the id of the row it replaces. */
  id?: unknown;
  what?: unknown;
  how?: unknown;
  byWhom?: unknown;
  priorityWhen?: unknown;
  dueDate?: unknown;
  urgentContact?: unknown;
}

export interface ActorInput {
  id?: unknown;
  name?: unknown;
  roles?: unknown;
  contact?: unknown;
  share?: unknown;
  participantKey?: unknown;
  kind?: unknown;
  closeness?: unknown;
  relation?: unknown;
  support?: unknown;
  referent?: unknown;
}

export type PsiEdit =
  | { kind: 'sections'; input: SectionsInput }
  | { kind: 'saveAction'; input: ActionInput; newId: string }
  | { kind: 'removeAction'; id: string }
  | { kind: 'saveActor'; input: ActorInput; newId: string }
  | { kind: 'removeActor'; id: string }
  | { kind: 'share'; actorIds: string[] };

export type PsiError =
  | 'textTooLong'
  | 'invalidNextDate'
  | 'nextDateInPast'
  | 'invalidPeriodicity'
  | 'invalidNoteDate'
  | 'actionWhatRequired'
  | 'actionOwnerRequired'
  | 'invalidDueDate'
  | 'tooManyActions'
  | 'unknownAction'
  | 'actorNameRequired'
  | 'tooManyActors'
  | 'unknownActor'
  | 'unknownParticipant'
  | 'actorAlreadyListed'
  | 'invalidActorAttribute'
  | 'shareNotActor';

export type PsiEditResult = { ok: true; content: PsiContent } | { ok: false; code: PsiError };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD' that is a real calendar day, else null. */
export function parseDay(raw: unknown): string | null {
  if (typeof raw !== 'string' || !DATE_RE.test(raw.trim())) return null;
  const d = inBrussels(raw.trim());
  return d.isValid ? d.toISODate() : null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : typeof v === 'number' ? String(v) : '');
const flag = (v: unknown): boolean => v === true || v === 'true' || v === 'yes' || v === 'on';

class Refused extends Error {
  constructor(readonly code: PsiError) {
    super(code);
  }
}

function field(v: unknown, max = MAX_PSI_FIELD): string {
  const s = text(v);
  if (s.length > max) throw new Refused('textTooLong');
  return s;
}

function optionalDay(v: unknown, code: PsiError): string | null {
  const s = text(v);
  if (!s) return null;
  const d = parseDay(s);
  if (!d) throw new Refused(code);
  return d;
}

function applySections(content: PsiContent, input: SectionsInput, now: Date): PsiContent {
  const nextDate = optionalDay(input.nextDate, 'invalidNextDate');
  if (nextDate && nextDate < brusselsDay(now)) throw new Refused('nextDateInPast');
  const p = text(input.periodicity);
  let periodicityMonths: Periodicity | null = null;
  if (p) {
    const n = Number(p);
    if (!(PERIODICITIES as readonly number[]).includes(n)) throw new Refused('invalidPeriodicity');
    periodicityMonths = n as Periodicity;
  }
  return {
    ...content,
    needs: field(input.needs, MAX_PSI_TEXT),
    objectives: field(input.objectives, MAX_PSI_TEXT),
    projects: field(input.projects, MAX_PSI_TEXT),
    avoid: field(input.avoid, MAX_PSI_TEXT),
    limits: field(input.limits, MAX_PSI_TEXT),
    note: { text: field(input.noteText, MAX_PSI_TEXT), date: optionalDay(input.noteDate, 'invalidNoteDate') },
    referent: { name: field(input.referentName), phone: field(input.referentPhone), address: field(input.referentAddress), place: field(input.referentPlace) },
    next: { date: nextDate, periodicityMonths },
  };
}

function applySaveAction(content: PsiContent, input: ActionInput, newId: string): PsiContent {
  const id = text(input.id);
  if (id && !content.actions.some((a) => a.id === id)) throw new Refused('unknownAction');
  const row: PsiAction = {
    id: id || newId,
    what: field(input.what),
    how: field(input.how, MAX_PSI_TEXT),
    byWhom: field(input.byWhom),
    priorityWhen: field(input.priorityWhen),
    dueDate: optionalDay(input.dueDate, 'invalidDueDate'),
    urgentContact: flag(input.urgentContact),
  };
  if (!row.what) throw new Refused('actionWhatRequired');
  if (!row.byWhom) throw new Refused('actionOwnerRequired');
  if (id) return { ...content, actions: content.actions.map((a) => (a.id === id ? row : a)) };
  if (content.actions.length >= MAX_PSI_ACTIONS) throw new Refused('tooManyActions');
  return { ...content, actions: [...content.actions, row] };
}

/** One of `values`, or null when nothing was chosen; anything else is refused. */
function oneOf<T extends string>(values: readonly T[], v: unknown): T | null {
  const s = text(v);
  if (!s) return null;
  if (!(values as readonly string[]).includes(s)) throw new Refused('invalidActorAttribute');
  return s as T;
}

function applySaveActor(content: PsiContent, input: ActorInput, newId: string, participantKeys: ReadonlySet<string>): PsiContent {
  const id = text(input.id);
  const existing = id ? content.actors.find((a) => a.id === id) : undefined;
  if (id && !existing) throw new Refused('unknownActor');
  const participantKey = text(input.participantKey) || null;
  if (participantKey && !participantKeys.has(participantKey)) throw new Refused('unknownParticipant');
  if (participantKey && content.actors.some((a) => a.participantKey === participantKey && a.id !== id)) throw new Refused('actorAlreadyListed');
  const actor: PsiActor = {
    id: id || newId,
    name: field(input.name, 120),
    roles: field(input.roles),
    contact: field(input.contact),
    share: flag(input.share),
    participantKey,
    kind: oneOf(ACTOR_KINDS, input.kind),
    closeness: oneOf(CLOSENESS, input.closeness),
    relation: oneOf(RELATIONS, input.relation),
    support: oneOf(SUPPORTS, input.support),
    referent: flag(input.referent),
  };
  if (!actor.name) throw new Refused('actorNameRequired');
  const others = actor.referent ? content.actors.map((a) => (a.referent ? { ...a, referent: false } : a)) : content.actors;
  if (existing) return { ...content, actors: others.map((a) => (a.id === id ? actor : a)) };
  if (content.actors.length >= MAX_PSI_ACTORS) throw new Refused('tooManyActors');
  return { ...content, actors: [...others, actor] };
}

/** Applies one edit. `participantKeys` are the case's current participants (an actor may be linked to one). */
export function applyPsiEdit(content: PsiContent, edit: PsiEdit, ctx: { now: Date; participantKeys: ReadonlySet<string> }): PsiEditResult {
  try {
    switch (edit.kind) {
      case 'sections':
        return { ok: true, content: applySections(content, edit.input, ctx.now) };
      case 'saveAction':
        return { ok: true, content: applySaveAction(content, edit.input, edit.newId) };
      case 'removeAction':
        if (!content.actions.some((a) => a.id === edit.id)) throw new Refused('unknownAction');
        return { ok: true, content: { ...content, actions: content.actions.filter((a) => a.id !== edit.id) } };
      case 'saveActor':
        return { ok: true, content: applySaveActor(content, edit.input, edit.newId, ctx.participantKeys) };
      case 'removeActor':
        if (!content.actors.some((a) => a.id === edit.id)) throw new Refused('unknownActor');
        return { ok: true, content: { ...content, actors: content.actors.filter((a) => a.id !== edit.id) } };
      case 'share': {
        const ids = new Set(edit.actorIds.map((s) => s.trim()).filter(Boolean));
        for (const id of ids) if (!content.actors.some((a) => a.id === id)) throw new Refused('shareNotActor');
        return { ok: true, content: { ...content, actors: content.actors.map((a) => ({ ...a, share: ids.has(a.id) })) } };
      }
      default:
        throw new Refused('unknownAction');
    }
  } catch (err) {
    if (err instanceof Refused) return { ok: false, code: err.code };
    throw err;
  }
}

/** Rows as domain/psiDiff.ts compares them: a change of due date shows as a change of "priority — when". */
export const diffRows = (actions: PsiAction[]): PsiActionRow[] =>
  actions.map(({ dueDate, ...row }) => ({ ...row, priorityWhen: [row.priorityWhen, dueDate].filter(Boolean).join(' — ') }));

export interface PsiFollowUp {
  /** The next concertation: the date given, else the save date + periodicity; null when neither. */
  nextConcertation: string | null;
  periodicityMonths: Periodicity | null;
  actionsDue: Array<{ actionId: string; dueDate: string; urgentContact: boolean }>;
}

/** What the reminders need from a saved version (follow-up of the référent, actions due). */
export function psiFollowUp(content: PsiContent, savedAt: Date): PsiFollowUp {
  const fromPeriodicity = content.next.periodicityMonths
    ? inBrussels(savedAt).plus({ months: content.next.periodicityMonths }).toISODate()
    : null;
  return {
    nextConcertation: content.next.date ?? fromPeriodicity,
    periodicityMonths: content.next.periodicityMonths,
    actionsDue: content.actions.filter((a) => a.dueDate).map((a) => ({ actionId: a.id, dueDate: a.dueDate!, urgentContact: a.urgentContact })),
  };
}
