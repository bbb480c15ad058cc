// One document per planned reminder. `key` (unique) is the idempotency key: planning the same
// reminder twice inserts nothing. The status here is the readable state for lists; whether a
// reminder was delivered rests on inserts into reminderClaims / reminderOutcomes (see
// services/reminders.ts), never on an update of this document.
import { Connection, Model, Schema } from 'mongoose';
import { REMINDER_KINDS, ReminderKind } from '../domain/reminderDates';

// 'ambiguous': the send may have reached the recipient but Teams did not confirm it (docs/outbound.md).
export const REMINDER_STATUSES = ['scheduled', 'sent', 'cancelled', 'snoozed', 'failed', 'ambiguous', 'done'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export interface Reminder {
  key: string;
  /** The key of the first reminder of a snooze chain (its own key when not a snooze). */
  rootKey: string;
  kind: ReminderKind;
  /** Case tracking id, poll id, PSI action id… */
  subject: string;
  /** A Teams user (1:1) … */
  recipientAadObjectId: string | null;
  recipientTeamsUserId: string | null;
  /** … or a conversation (group chat / channel). */
  recipientConversationId: string | null;
  /** A conversation where the bot and the user both are, to open a 1:1 chat when there is none yet. */
  viaConversationId: string | null;
  locale: 'fr' | 'nl' | 'en';
  dueAt: Date;
  /**
   * When the dispatch pass looks at the reminder, at three granularities (UTC, see dueBuckets):
   * the pass probes these by equality instead of a range on dueAt, which the embedded database
   * cannot answer from an index. Absent on reminders stored before them (set by the first pass).
   */
  dueMinute?: string;
  dueHour?: string;
  dueDay?: string;
  /** The case a subject belongs to (the subject up to its first "#"): a case's reminders by equality. */
  caseKey?: string;
  /** Free-form data for the card, as JSON (keys may contain "." or "$"). */
  payload: string;
  status: ReminderStatus;
  organiserAadObjectId: string | null;
  attempts: number;
  /** Outcome, HTTP status and error code only: never message text. */
  lastError: string | null;
  /** Delivery details (activity id, conversation) are in reminderOutcomes. */
  sentAt: Date | null;
  late: boolean;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

const schema = new Schema<Reminder>(
  {
    key: { type: String, required: true, unique: true },
    rootKey: { type: String, required: true, index: true },
    kind: { type: String, required: true, enum: REMINDER_KINDS },
    subject: { type: String, required: true, index: true },
    recipientAadObjectId: { type: String, default: null, index: true },
    recipientTeamsUserId: { type: String, default: null },
    recipientConversationId: { type: String, default: null },
    viaConversationId: { type: String, default: null },
    locale: { type: String, required: true, enum: ['fr', 'nl', 'en'] },
    dueAt: { type: Date, required: true, index: true },
    dueMinute: { type: String, index: true },
    dueHour: { type: String, index: true },
    dueDay: { type: String, index: true },
    caseKey: { type: String, index: true },
    payload: { type: String, default: '{}' },
    status: { type: String, required: true, enum: REMINDER_STATUSES, index: true },
    organiserAadObjectId: { type: String, default: null, index: true },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
    late: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'reminders', versionKey: false },
);

export type DueBuckets = Pick<Required<Reminder>, 'dueMinute' | 'dueHour' | 'dueDay'>;

/**
 * The buckets of a reminder due at `dueAt`, planned (or re-planned, snoozed, put back) at `now`.
 * A due time already past goes in the current minute: the pass may have walked past its own
 * minute already, never past the current one. The only place these fields are computed.
 */
export function dueBuckets(dueAt: Date, now: Date): DueBuckets {
  const iso = (dueAt.getTime() > now.getTime() ? dueAt : now).toISOString();
  return { dueMinute: iso.slice(0, 16), dueHour: iso.slice(0, 13), dueDay: iso.slice(0, 10) };
}

export function reminderModel(conn: Connection): Model<Reminder> {
  return (conn.models.Reminder as Model<Reminder> | undefined) ?? conn.model<Reminder>('Reminder', schema);
}

/**
 * Where the dispatch pass got to (one document, `_id` "dispatch"): the minute (UTC
 * "YYYY-MM-DDTHH:mm") up to which every bucket was read. Shared by every instance in the database,
 * so a restart or another instance continues from it; it only ever costs re-reading a bucket.
 */
export interface ReminderDispatchMark {
  _id: string;
  minute: string;
  updatedAt: Date;
  by: string;
}

const markSchema = new Schema<ReminderDispatchMark>(
  {
    _id: { type: String, required: true },
    minute: { type: String, required: true },
    updatedAt: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { collection: 'reminderDispatch', versionKey: false },
);

export function reminderDispatchMarkModel(conn: Connection): Model<ReminderDispatchMark> {
  return (conn.models.ReminderDispatchMark as Model<ReminderDispatchMark> | undefined) ?? conn.model<ReminderDispatchMark>('ReminderDispatchMark', markSchema);
}
