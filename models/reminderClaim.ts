// Delivery claims: inserted BEFORE a reminder is sent. The unique (key, generation) index lets
// exactly one bot instance win a generation; the others see a duplicate-key error and do not send.
// A claim whose lease ran out without an outcome (the sender crashed) may be taken over as
// generation + 1. Also used for one-shot card actions (key "<reminder key>#<action>").
import { Connection, Model, Schema } from 'mongoose';

export interface ReminderClaim {
  key: string;
  generation: number;
  instanceId: string;
  claimedAt: Date;
  leaseUntil: Date;
}

const schema = new Schema<ReminderClaim>(
  {
    key: { type: String, required: true },
    generation: { type: Number, required: true },
    instanceId: { type: String, required: true },
    claimedAt: { type: Date, required: true, index: true },
    leaseUntil: { type: Date, required: true },
  },
  { collection: 'reminderClaims', versionKey: false },
);
schema.index({ key: 1, generation: 1 }, { unique: true });

export function reminderClaimModel(conn: Connection): Model<ReminderClaim> {
  return (conn.models.ReminderClaim as Model<ReminderClaim> | undefined) ?? conn.model<ReminderClaim>('ReminderClaim', schema);
}
