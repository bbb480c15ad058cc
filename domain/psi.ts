/**
 * The PSI — plan de services et de soins individualisé (seed 001 annex 2 §6): its content, the
 * edits a card can make (a section block, one action row, one actor, the sharing choice), their
 * validation, who may read it and who receives it. Pure: no I/O, the clock is passed in.
 *
 * Decisions:
 * - Every save is a new version holding the whole content (services/psi.ts inserts it); this
 *   module only turns "content + one edit" into the next content, or refuses the edit.
 * - "I share my PSI with" is a flag per actor. Sharing with someone who is not among the actors is
 *   refused ('shareNotActor'), so consent is always given to a named actor.
 * - The PSI card reaches, 1:1, only actors with share=true that are linked to a case participant
 *   known in Teams (aadObjectId). Actors outside Teams get it from the person / référent as today.
 * - Readers: the organiser, the référent(s), the person concerned, and the actors she shares it
 *   with. Other case members and the coordination do not read it (consent, professional secrecy).
 *   The organiser counts as a reader everywhere: a neutral professional who holds the PSI.
 * - The case's group chat shows the full card only when every member of it is a reader; otherwise
 *   a notice that a version exists, with no content (groupPsiView). An unreadable roster counts as
 *   "not every member".
 * - Consent is read from the published version AND the draft: a withdrawal holds as soon as it is
 *   saved, a new consent once published (effectiveConsent).
 * - A next-concertation date must not be before today (Brussels); a periodicity of 3, 6 or 12
 *   months may be given instead (or as well). An action row needs what? and by/with whom?.
 */
import { DateTime } from 'luxon';
import type { PsiActionRow } from './psiDiff';

export const BRUSSELS = 'Europe/Brussels';
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
  | 'shareNotActor';

export type PsiEditResult = { ok: true; content: PsiContent } | { ok: false; code: PsiError };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD' that is a real calendar day, else null. */
export function parseDay(raw: unknown): string | null {
  if (typeof raw !== 'string' || !DATE_RE.test(raw.trim())) return null;
  const d = DateTime.fromISO(raw.trim(), { zone: BRUSSELS });
  return d.isValid ? d.toISODate() : null;
}

export const brusselsToday = (now: Date): string => DateTime.fromJSDate(now).setZone(BRUSSELS).toISODate()!;

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
  if (nextDate && nextDate < brusselsToday(now)) throw new Refused('nextDateInPast');
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
  };
  if (!actor.name) throw new Refused('actorNameRequired');
  if (existing) return { ...content, actors: content.actors.map((a) => (a.id === id ? actor : a)) };
  if (content.actors.length >= MAX_PSI_ACTORS) throw new Refused('tooManyActors');
  return { ...content, actors: [...content.actors, actor] };
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

export interface PsiReader {
  isOrganiser: boolean;
  roles: readonly string[];
  /** The reader's participant keys in this case ("aad:…"). */
  participantKeys: readonly string[];
}

/** Who may read the PSI (see the decisions above). */
export function canReadPsi(reader: PsiReader, content: PsiContent): boolean {
  if (reader.isOrganiser || reader.roles.includes('referent') || reader.roles.includes('personConcerned')) return true;
  return content.actors.some((a) => a.share && a.participantKey !== null && reader.participantKeys.includes(a.participantKey));
}

/** The participant keys the PSI card goes to 1:1: shared actors linked to a participant. */
export function shareTargets(content: PsiContent): string[] {
  return Array.from(new Set(content.actors.filter((a) => a.share && a.participantKey).map((a) => a.participantKey!)));
}

export interface PsiFollowUp {
  /** The next concertation: the date given, else the save date + periodicity; null when neither. */
  nextConcertation: string | null;
  periodicityMonths: Periodicity | null;
  actionsDue: Array<{ actionId: string; dueDate: string; urgentContact: boolean }>;
}

/** What the reminders need from a saved version (follow-up of the référent, actions due). */
export function psiFollowUp(content: PsiContent, savedAt: Date): PsiFollowUp {
  const fromPeriodicity = content.next.periodicityMonths
    ? DateTime.fromJSDate(savedAt).setZone(BRUSSELS).plus({ months: content.next.periodicityMonths }).toISODate()
    : null;
  return {
    nextConcertation: content.next.date ?? fromPeriodicity,
    periodicityMonths: content.next.periodicityMonths,
    actionsDue: content.actions.filter((a) => a.dueDate).map((a) => ({ actionId: a.id, dueDate: a.dueDate!, urgentContact: a.urgentContact })),
  };
}

/** The case's people as the distribution needs them (current participants, not removed). */
export interface PsiAudience {
  organiserAadObjectId: string | null;
  participants: ReadonlyArray<{ key: string; aadObjectId: string | null; role: string }>;
}

/** Whether this Teams user may read the PSI (canReadPsi, from the case's people). */
export function isPsiReader(aadObjectId: string, content: PsiContent, audience: PsiAudience): boolean {
  const mine = audience.participants.filter((p) => p.aadObjectId === aadObjectId);
  return canReadPsi({ isOrganiser: audience.organiserAadObjectId === aadObjectId, roles: mine.map((p) => p.role), participantKeys: mine.map((p) => p.key) }, content);
}

/**
 * What the case conversation may show of the PSI, given its members (aadObjectIds as the Teams
 * roster gives them; null for a member without one). The full card only when every member is a
 * reader (the organiser holds the PSI, the référent and the person read it, the others only by
 * consent). An unknown roster (null) or an empty one cannot prove that: the notice, no content.
 */
export function groupPsiView(content: PsiContent, audience: PsiAudience, roster: ReadonlyArray<string | null> | null): 'full' | 'notice' {
  if (!roster || roster.length === 0) return 'notice';
  return roster.every((aad) => aad !== null && isPsiReader(aad, content, audience)) ? 'full' : 'notice';
}

export interface PsiDistribution {
  /** The case conversation: the full card, the notice that a new version exists, or nothing (no conversation). */
  group: 'full' | 'notice' | 'none';
  /** Participant keys that get the full card 1:1: the consented actors reachable in Teams. */
  direct: string[];
  /** Participant keys whose 1:1 card must become "no longer shared" (they had one, consent is gone). */
  revoke: string[];
}

/**
 * Who gets what when a version is published or consent changes. `delivered` are the participant
 * keys holding a live (not revoked) 1:1 card. The 1:1 card goes to every consented actor linked to
 * a Teams participant, whether or not the group shows the full card (they may not be in the chat,
 * and the chat may change); actors outside Teams get it from the person or the référent.
 */
export function psiDistribution(
  content: PsiContent,
  audience: PsiAudience,
  chat: { hasConversation: boolean; roster: ReadonlyArray<string | null> | null },
  delivered: readonly string[],
): PsiDistribution {
  const inTeams = new Set(audience.participants.filter((p) => p.aadObjectId).map((p) => p.key));
  const direct = shareTargets(content).filter((k) => inTeams.has(k));
  const keep = new Set(direct);
  return {
    group: chat.hasConversation ? groupPsiView(content, audience, chat.roster) : 'none',
    direct,
    revoke: [...new Set(delivered)].filter((k) => !keep.has(k)),
  };
}

/**
 * Consent as it holds now, for reading and distributing: an actor counts as shared with only when
 * the published version says so and the unpublished draft (if any) still does, for the same
 * participant. A withdrawal saved in a draft takes effect at once; a new consent only once
 * published, with the content it goes with.
 */
export function effectiveConsent(published: PsiContent, draft: PsiContent | null): PsiContent {
  if (!draft) return published;
  const stillShared = new Set(draft.actors.filter((a) => a.share).map((a) => `${a.id}\u0000${a.participantKey ?? ''}`));
  return { ...published, actors: published.actors.map((a) => ({ ...a, share: a.share && stillShared.has(`${a.id}\u0000${a.participantKey ?? ''}`) })) };
}
