// Availability polls: creation, answers, organiser changes, closing and the final choice.
// No botbuilder here. Correctness rests on inserts under unique indexes (see models/poll.ts and
// models/pollAnswer.ts), never on read-modify-write of a shared document.
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { PollAnswer, PollAnswerRecord, rankSlots, suggest } from '../domain/pollRanking';
import { MAX_SLOTS, parseLocalDateTime, PollValidationError, Slot, slotToUtc, validatePollDraft } from '../domain/pollSlots';
import { isDuplicateKey } from '../models/db';
import { OpenPollDoc, openPollModel, PlaceKind, PollDoc, PollParticipantDoc, PollPerson, PollSlotDoc, PollState, PollStatus } from '../models/poll';
import type { PollAnswerDoc, PollNoticeDoc, SlotAnswer } from '../models/pollAnswer';
import type { Clock } from './clock';
import { EventBus } from './events';
import { PollAnswerStore } from './pollAnswers';
import { concertationOf, pollInvitation } from './pollConcertation';
import { PollStore } from './pollStore';

export interface NewPollInput {
  trackingId: string;
  conversationId: string | null;
  organiser: PollPerson;
  locale: string;
  slots: Array<{ start: string; durationMinutes: number }>;
  place: { kind: PlaceKind; details: string };
  deadline: string;
  participants: Array<Omit<PollParticipantDoc, 'key'>>;
}

/** The domain's validation errors, plus what only a whole poll can lack. */
export type PollInputError = Omit<PollValidationError, 'code'> & { code: PollValidationError['code'] | 'noParticipants' };

export type PollError =
  | { code: 'validation'; errors: PollInputError[] }
  | { code: 'unknownPoll' | 'notOpen' | 'deadlinePassed' | 'notParticipant' | 'incomplete' | 'unknownSlot' | 'lastSlot' | 'notDecided' | 'conflict' };

export type Result<T> = { ok: true; value: T } | { ok: false; error: PollError };

export interface ConcertationFixed {
  trackingId: string;
  pollId: string;
  start: Date;
  end: Date;
  slot: { start: string; durationMinutes: number };
  place: { kind: PlaceKind; details: string };
  sequence: number;
  cancelled: boolean;
}

/**
 * A stored change of a poll (its revision's `change`, or 'answered' with the participant's key).
 */
export interface PollChange {
  poll: PollDoc;
  change: string;
  by: string;
  participantKey?: string;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: PollError): Result<T> => ({ ok: false, error });

export const participantKeyOf = (aadObjectId: string) => `u:${aadObjectId}`;

function toSlot(s: PollSlotDoc): Slot {
  return { id: s.id, start: s.start, durationMinutes: s.durationMinutes, removed: s.removed };
}

export class PollService {
  private readonly store: PollStore;
  private readonly answerSets: PollAnswerStore;

  constructor(
    polls: Model<PollDoc>,
    answers: Model<PollAnswerDoc>,
    private readonly notices: Model<PollNoticeDoc>,
    private readonly clock: Clock,
    private readonly events: EventBus = new EventBus(),
    openPolls: Model<OpenPollDoc> = openPollModel(polls.db),
  ) {
    this.store = new PollStore(polls, openPolls);
    this.answerSets = new PollAnswerStore(answers);
  }

  private async changed(e: PollChange): Promise<void> {
    await this.events.emit('poll.changed', e);
  }

  async create(input: NewPollInput, by: string): Promise<Result<PollDoc>> {
    const now = this.clock.now();
    const slots: PollSlotDoc[] = input.slots.map((s, i) => ({ id: `s${i + 1}`, start: s.start, durationMinutes: s.durationMinutes, removed: false, addedAt: now, removedAt: null }));
    const errors: PollInputError[] = validatePollDraft(
      {
        slots: slots.map(toSlot),
        deadline: input.deadline,
        participants: input.participants.map((p) => ({ id: p.aadObjectId ?? undefined, name: p.name, required: p.required, external: p.external })),
      },
      now,
    );
    if (!input.participants.length) errors.push({ code: 'noParticipants' });
    if (errors.length) return fail({ code: 'validation', errors });
    const deadline = parseLocalDateTime(input.deadline);
    if (!deadline.ok) return fail({ code: 'validation', errors: [{ code: 'invalidDate', params: { field: 'deadline' } }] });
    let externals = 0;
    const poll: PollDoc = {
      pollId: randomUUID(),
      rev: 1,
      trackingId: input.trackingId,
      conversationId: input.conversationId,
      activityId: null,
      personalCards: [],
      organiser: input.organiser,
      locale: input.locale,
      slots,
      place: { kind: input.place.kind, details: input.place.details.slice(0, 500) },
      deadline: input.deadline,
      deadlineUtc: deadline.utc,
      participants: input.participants.map((p) => ({ ...p, key: p.aadObjectId ? participantKeyOf(p.aadObjectId) : `x:${++externals}` })),
      status: 'open',
      finalSlotId: null,
      icsSequence: -1,
      createdAt: now,
      at: now,
      by,
      change: 'created',
    };
    await this.store.insert(poll, null);
    await this.changed({ poll, change: 'created', by });
    return ok(poll);
  }

  /** The poll's current revision (the caller's own copy), or null. */
  get(pollId: string): Promise<PollDoc | null> {
    return this.store.get(pollId);
  }

  /** Current polls of a case, newest first. */
  forTrackingId(trackingId: string): Promise<PollDoc[]> {
    return this.store.forTrackingId(trackingId);
  }

  /**
   * Inserts the next revision computed by `change` from the current one; a concurrent change
   * makes the insert hit the unique (pollId, rev) index, and the change is recomputed.
   */
  private async mutate(pollId: string, by: string, event: string, change: (current: PollDoc) => Result<PollDoc>): Promise<Result<PollDoc>> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.get(pollId);
      if (!current) return fail({ code: 'unknownPoll' });
      const next = change(structuredClone(current));
      if (!next.ok) return next;
      const doc: PollDoc = { ...next.value, pollId, rev: current.rev + 1, at: this.clock.now(), by, change: event };
      if (!(await this.store.insert(doc, current))) continue;
      await this.changed({ poll: doc, change: event, by });
      return ok(doc);
    }
    return fail({ code: 'conflict' });
  }

  recordMessage(pollId: string, conversationId: string, activityId: string): Promise<Result<PollDoc>> {
    return this.mutate(pollId, 'bot', 'cardPosted', (p) => ok({ ...p, conversationId, activityId }));
  }

  recordPersonalCards(pollId: string, cards: PollDoc['personalCards']): Promise<Result<PollDoc>> {
    return this.mutate(pollId, 'bot', 'cardsPosted', (p) => ok({ ...p, personalCards: [...p.personalCards, ...cards] }));
  }

  /** Latest answer set of every participant. */
  latestAnswers(pollId: string): Promise<Map<string, PollAnswerDoc>> {
    return this.answerSets.latest(pollId);
  }

  async state(pollId: string): Promise<PollState | null> {
    const poll = await this.get(pollId);
    if (!poll) return null;
    return this.stateOf(poll);
  }

  async stateOf(poll: PollDoc): Promise<PollState> {
    const all = await this.latestAnswers(poll.pollId);
    const keys = new Set(poll.participants.map((p) => p.key));
    const answers = new Map([...all].filter(([k]) => keys.has(k)));
    const records: PollAnswerRecord[] = [];
    for (const a of answers.values()) for (const s of a.answers) records.push({ participantKey: a.participantKey, slotId: s.slotId, answer: s.answer });
    const ranking = rankSlots(
      poll.slots.map(toSlot),
      poll.participants.map((p) => ({ key: p.key, required: p.required })),
      records,
    );
    return { poll, answers, ranking, suggestion: suggest(ranking), pending: poll.participants.filter((p) => !answers.has(p.key)) };
  }

  /** Whether answers are still accepted now (open and before the deadline). */
  acceptsAnswers(poll: PollDoc): PollError | null {
    if (poll.status !== 'open') return { code: 'notOpen' };
    if (this.clock.now().getTime() >= new Date(poll.deadlineUtc).getTime()) return { code: 'deadlinePassed' };
    return null;
  }

  /**
   * Stores a participant's answers to every active slot as a new version. A retried delivery
   * (same requestKey) is stored once: { duplicate: true }.
   */
  async answer(
    input: { pollId: string; participantKey: string; answers: Record<string, PollAnswer>; comment: string; by: string; requestKey: string },
    /** The poll as just read by the caller (saves a read); re-read when absent. */
    current?: PollDoc,
  ): Promise<Result<{ duplicate: boolean; poll: PollDoc }>> {
    const poll = current?.pollId === input.pollId ? current : await this.get(input.pollId);
    if (!poll) return fail({ code: 'unknownPoll' });
    const closed = this.acceptsAnswers(poll);
    if (closed) return fail(closed);
    if (!poll.participants.some((p) => p.key === input.participantKey)) return fail({ code: 'notParticipant' });
    const active = poll.slots.filter((s) => !s.removed);
    if (active.some((s) => !input.answers[s.id])) return fail({ code: 'incomplete' });
    const list: SlotAnswer[] = active.map((s) => ({ slotId: s.id, answer: input.answers[s.id] }));
    const stored = await this.answerSets.add({ pollId: input.pollId, participantKey: input.participantKey, answers: list, comment: input.comment.slice(0, 500), by: input.by, requestKey: input.requestKey, at: this.clock.now() });
    if (stored === 'conflict') return fail({ code: 'conflict' });
    if (stored === 'duplicate') return ok({ duplicate: true, poll });
    await this.changed({ poll, change: 'answered', by: input.by, participantKey: input.participantKey });
    return ok({ duplicate: false, poll });
  }

  async extendDeadline(pollId: string, deadline: string, by: string): Promise<Result<PollDoc>> {
    const now = this.clock.now();
    return this.mutate(pollId, by, 'deadlineExtended', (p) => {
      if (p.status === 'decided' || p.status === 'cancelled') return fail({ code: 'notOpen' });
      const future = p.slots.filter((s) => !s.removed && slotToUtc(toSlot(s)).startUtc > now).map(toSlot);
      const errors = validatePollDraft({ slots: future, deadline, participants: [] }, now).filter((e) => !e.slotId && e.code !== 'tooFewSlots');
      const parsed = parseLocalDateTime(deadline);
      if (!parsed.ok && !errors.length) errors.push({ code: 'invalidDate', params: { field: 'deadline', value: deadline, reason: parsed.reason } });
      if (errors.length || !parsed.ok) return fail({ code: 'validation', errors });
      // A poll closed by its deadline opens again when the deadline moves.
      return ok({ ...p, deadline, deadlineUtc: parsed.utc, status: 'open' as PollStatus });
    });
  }

  async addSlot(pollId: string, slot: { start: string; durationMinutes: number }, by: string): Promise<Result<PollDoc>> {
    const now = this.clock.now();
    return this.mutate(pollId, by, 'slotAdded', (p) => {
      if (p.status !== 'open' && p.status !== 'closed') return fail({ code: 'notOpen' });
      const id = `s${p.slots.length + 1}`;
      const added: Slot = { id, start: slot.start, durationMinutes: slot.durationMinutes };
      const others = p.slots.filter((s) => !s.removed).map(toSlot);
      const errors = validatePollDraft({ slots: [...others, added], deadline: null, participants: [] }, now).filter(
        (e) => e.slotId === id || e.code === 'tooManySlots',
      );
      if (others.length + 1 > MAX_SLOTS && !errors.some((e) => e.code === 'tooManySlots')) errors.push({ code: 'tooManySlots', params: { max: MAX_SLOTS } });
      const start = parseLocalDateTime(slot.start);
      if (start.ok && start.utc.getTime() < new Date(p.deadlineUtc).getTime()) errors.push({ code: 'deadlineAfterFirstSlot', slotId: id, params: { deadline: p.deadline } });
      if (errors.length) return fail({ code: 'validation', errors });
      return ok({ ...p, slots: [...p.slots, { id, start: slot.start, durationMinutes: slot.durationMinutes, removed: false, addedAt: now, removedAt: null }] });
    });
  }

  /** The slot stays in the poll's history (removed: true) and so do its answers. */
  async removeSlot(pollId: string, slotId: string, by: string): Promise<Result<PollDoc>> {
    const now = this.clock.now();
    return this.mutate(pollId, by, 'slotRemoved', (p) => {
      if (p.status !== 'open' && p.status !== 'closed') return fail({ code: 'notOpen' });
      const slot = p.slots.find((s) => s.id === slotId && !s.removed);
      if (!slot) return fail({ code: 'unknownSlot' });
      if (p.slots.filter((s) => !s.removed).length <= 1) return fail({ code: 'lastSlot' });
      return ok({ ...p, slots: p.slots.map((s) => (s.id === slotId ? { ...s, removed: true, removedAt: now } : s)) });
    });
  }

  close(pollId: string, by: string): Promise<Result<PollDoc>> {
    return this.mutate(pollId, by, 'closed', (p) => (p.status === 'open' ? ok({ ...p, status: 'closed' as PollStatus }) : fail({ code: 'notOpen' })));
  }

  /** Final slot: a first choice gets SEQUENCE 0, every change one more. */
  choose(pollId: string, slotId: string, by: string): Promise<Result<PollDoc>> {
    return this.decide(by, this.mutate(pollId, by, 'decided', (p) => {
      if (p.status === 'cancelled') return fail({ code: 'notOpen' });
      if (!p.slots.some((s) => s.id === slotId && !s.removed)) return fail({ code: 'unknownSlot' });
      if (p.status === 'decided' && p.finalSlotId === slotId) return ok(p);
      return ok({ ...p, status: 'decided' as PollStatus, finalSlotId: slotId, icsSequence: p.icsSequence + 1 });
    }));
  }

  /** Cancels a decided concertation (CANCEL invitation with the next SEQUENCE). */
  cancel(pollId: string, by: string): Promise<Result<PollDoc>> {
    return this.decide(by, this.mutate(pollId, by, 'cancelled', (p) => {
      if (p.status !== 'decided') return fail({ code: 'notDecided' });
      return ok({ ...p, status: 'cancelled' as PollStatus, icsSequence: p.icsSequence + 1 });
    }));
  }

  /** A stored choice (or cancellation) tells the case what it fixed. */
  private async decide(by: string, stored: Promise<Result<PollDoc>>): Promise<Result<PollDoc>> {
    const result = await stored;
    const fixed = result.ok ? concertationOf(result.value) : null;
    if (fixed) await this.events.emit('poll.concertationFixed', { fixed, by });
    return result;
  }

  /**
   * Closes every open poll whose deadline has passed; returns those this call closed. The
   * candidates come from the list of open polls (openPolls); the close itself re-checks the
   * current revision.
   */
  async closeDue(): Promise<PollDoc[]> {
    const now = this.clock.now();
    const closed: PollDoc[] = [];
    for (const listedPoll of await this.store.due(now)) {
      const pollId = listedPoll._id;
      const result = await this.mutate(pollId, 'scheduler', 'autoClosed', (p) =>
        p.status === 'open' && new Date(p.deadlineUtc).getTime() <= now.getTime() ? ok({ ...p, status: 'closed' as PollStatus }) : fail({ code: 'notOpen' }),
      );
      if (result.ok) closed.push(result.value);
      await this.store.relist(listedPoll, result.ok ? result.value : await this.get(pollId));
    }
    return closed;
  }

  /** "Do this once": true for the first caller only (insert under a unique index). */
  async claimOnce(pollId: string, kind: string, key = ''): Promise<boolean> {
    try {
      await this.notices.create({ pollId, kind, key, at: this.clock.now() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * The invitation (.ics) of the decided poll, texts given by the caller in the reader's language;
   * null before a choice or without the organiser's e-mail.
   */
  invitation(poll: PollDoc, text: { summary: string; location: string; description: string }): string | null {
    return pollInvitation(poll, text, this.clock.now());
  }
}
