// The final outcome of a reminder's delivery: one document per reminder key (unique). The first
// outcome inserted wins; it is what the reminder's status is derived from and what stops any
// later claim. Error details are an outcome name, HTTP status and code only. 'ambiguous': the
// send may have been posted (timed out or cut after the request left); never resent, shown instead.
import { Connection, Model, Schema } from 'mongoose';

export type DeliveryOutcome = 'sent' | 'stale' | 'failed' | 'ambiguous';

export interface ReminderOutcome {
  key: string;
  generation: number;
  outcome: DeliveryOutcome;
  error: string | null;
  activityId: string | null;
  conversationId: string | null;
  late: boolean;
  at: Date;
}

const schema = new Schema<ReminderOutcome>(
  {
    key: { type: String, required: true, unique: true },
    generation: { type: Number, required: true },
    outcome: { type: String, required: true, enum: ['sent', 'stale', 'failed', 'ambiguous'] },
    error: { type: String, default: null },
    activityId: { type: String, default: null },
    conversationId: { type: String, default: null },
    late: { type: Boolean, default: false },
    at: { type: Date, required: true, index: true },
  },
  { collection: 'reminderOutcomes', versionKey: false },
);

export function reminderOutcomeModel(conn: Connection): Model<ReminderOutcome> {
  return (conn.models.ReminderOutcome as Model<ReminderOutcome> | undefined) ?? conn.model<ReminderOutcome>('ReminderOutcome', schema);
}
