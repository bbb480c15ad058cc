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

export function reminderModel(conn: Connection): Model<Reminder> {
  return (conn.models.Reminder as Model<Reminder> | undefined) ?? conn.model<Reminder>('Reminder', schema);
}
