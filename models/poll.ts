// Availability polls. A poll is stored as a chain of REVISIONS: every change (creation,
// card posted, slot added/removed, deadline extended, closed, decided) inserts the next revision
// under a unique (pollId, rev) index, so two concurrent changes cannot both win (FerretDB v1
// updates are not atomic) and the full history — removed slots included — is kept.
// The current state of a poll is its highest revision.
import { Connection, Model, Schema } from 'mongoose';
import type { RankedSlot, Suggestion } from '../domain/pollRanking';
import type { PollAnswerDoc } from './pollAnswer';

export type PlaceKind = 'home' | 'room' | 'online' | 'hybrid';
export const PLACE_KINDS: readonly PlaceKind[] = ['home', 'room', 'online', 'hybrid'];
export type PollStatus = 'open' | 'closed' | 'decided' | 'cancelled';

export interface PollSlotDoc {
  /** Never reused: s1, s2, … in order of creation. */
  id: string;
  /** Brussels wall-clock time, "2026-03-30T10:00". */
  start: string;
  durationMinutes: number;
  removed: boolean;
  addedAt: Date;
  removedAt: Date | null;
}

export interface PollParticipantDoc {
  /** "u:<aadObjectId>" for Teams users, "x:<n>" for named people outside Teams. */
  key: string;
  aadObjectId: string | null;
  teamsUserId: string | null;
  name: string;
  email: string | null;
  required: boolean;
  /** Outside Teams: the organiser answers for them. */
  external: boolean;
}

export interface PollPerson {
  aadObjectId: string;
  teamsUserId: string | null;
  name: string;
  email: string | null;
}

/** Where the card was posted 1:1 when the poll has no group conversation. */
export interface PollPersonalCard {
  participantKey: string;
  conversationId: string;
  activityId: string;
}

export interface PollDoc {
  pollId: string;
  rev: number;
  trackingId: string;
  /** Group chat / channel where the poll was created; null when created in a 1:1 chat. */
  conversationId: string | null;
  /** The posted poll card in conversationId. */
  activityId: string | null;
  personalCards: PollPersonalCard[];
  organiser: PollPerson;
  /** Language of the shared card (the organiser's at creation). */
  locale: string;
  slots: PollSlotDoc[];
  place: { kind: PlaceKind; details: string };
  /** Brussels wall-clock time, same format as slots. */
  deadline: string;
  deadlineUtc: Date;
  participants: PollParticipantDoc[];
  status: PollStatus;
  finalSlotId: string | null;
  /** SEQUENCE of the last invitation sent (-1: none yet). */
  icsSequence: number;
  createdAt: Date;
  /** This revision: when, by whom (AAD id or "scheduler"), and what changed (event name). */
  at: Date;
  by: string;
  change: string;
}

/** A poll as its cards show it: the current revision with its answers, ranking and who is still to answer. */
export interface PollState {
  poll: PollDoc;
  /** Latest answer set per participant key (participants still in the poll only). */
  answers: Map<string, PollAnswerDoc>;
  ranking: RankedSlot[];
  suggestion: Suggestion | null;
  /** Participants without any answer yet. */
  pending: PollParticipantDoc[];
}

const slotSchema = new Schema<PollSlotDoc>(
  {
    id: { type: String, required: true },
    start: { type: String, required: true },
    durationMinutes: { type: Number, required: true },
    removed: { type: Boolean, default: false },
    addedAt: { type: Date, required: true },
    removedAt: { type: Date, default: null },
  },
  { _id: false },
);

const participantSchema = new Schema<PollParticipantDoc>(
  {
    key: { type: String, required: true },
    aadObjectId: { type: String, default: null },
    teamsUserId: { type: String, default: null },
    name: { type: String, required: true },
    email: { type: String, default: null },
    required: { type: Boolean, default: false },
    external: { type: Boolean, default: false },
  },
  { _id: false },
);

const personSchema = new Schema<PollPerson>(
  {
    aadObjectId: { type: String, required: true },
    teamsUserId: { type: String, default: null },
    name: { type: String, required: true },
    email: { type: String, default: null },
  },
  { _id: false },
);

const schema = new Schema<PollDoc>(
  {
    pollId: { type: String, required: true },
    rev: { type: Number, required: true },
    trackingId: { type: String, required: true, index: true },
    conversationId: { type: String, default: null },
    activityId: { type: String, default: null },
    personalCards: {
      type: [new Schema<PollPersonalCard>({ participantKey: String, conversationId: String, activityId: String }, { _id: false })],
      default: [],
    },
    organiser: { type: personSchema, required: true },
    locale: { type: String, default: 'fr' },
    slots: { type: [slotSchema], default: [] },
    place: {
      type: new Schema({ kind: { type: String, enum: PLACE_KINDS, required: true }, details: { type: String, default: '' } }, { _id: false }),
      required: true,
    },
    deadline: { type: String, required: true },
    deadlineUtc: { type: Date, required: true },
    participants: { type: [participantSchema], default: [] },
    status: { type: String, required: true, enum: ['open', 'closed', 'decided', 'cancelled'] },
    finalSlotId: { type: String, default: null },
    icsSequence: { type: Number, default: -1 },
    createdAt: { type: Date, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
    change: { type: String, required: true },
  },
  { collection: 'polls', versionKey: false, minimize: false },
);
schema.index({ pollId: 1, rev: 1 }, { unique: true });
schema.index({ status: 1, deadlineUtc: 1 });

export function pollModel(conn: Connection): Model<PollDoc> {
  return (conn.models.Poll as Model<PollDoc> | undefined) ?? conn.model<PollDoc>('Poll', schema);
}

/**
 * The polls that may still close by themselves at their deadline: one document per open poll
 * (`_id` = pollId), written before the revision that opens it and removed by the deadline sweep
 * once the poll is no longer open. Revisions are never updated, so every poll's first revision
 * stays "open" forever: the sweep reads this short list instead of every poll ever made.
 */
export interface OpenPollDoc {
  _id: string;
  deadlineUtc: Date;
}

const openPollSchema = new Schema<OpenPollDoc>(
  {
    _id: { type: String, required: true },
    deadlineUtc: { type: Date, required: true },
  },
  { collection: 'openPolls', versionKey: false },
);

export function openPollModel(conn: Connection): Model<OpenPollDoc> {
  return (conn.models.OpenPoll as Model<OpenPollDoc> | undefined) ?? conn.model<OpenPollDoc>('OpenPoll', openPollSchema);
}
