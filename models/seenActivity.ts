// Incoming activities already taken in: Teams redelivers an activity when the bot
// answers slowly. The unique `_id` (a hash of channel, conversation and activity id) decides which
// delivery is processed: FerretDB v1 has no atomic read-modify-write, but an insert under a taken
// `_id` always fails with a duplicate-key error, on every instance sharing the database.
// No TTL index on FerretDB v1: the retention purge job deletes old entries (seenAt).
import { Connection, Model, Schema } from 'mongoose';

export interface SeenActivity {
  _id: string;
  seenAt: Date;
  /** The first delivery's invoke response (JSON), replayed to a redelivered invoke. */
  invokeResponse?: string | null;
  /**
   * Real time of the claim; on a process's own document (`process:<owner>`), of its last sign of
   * life (written every second while it has turns running). A claim left unfinished whose process
   * is silent belongs to a process that died (bot/dedupe.ts). Absent on claims written before it
   * existed: those are never taken over.
   */
  aliveAt?: Date | null;
  /** The process that took the claim (absent on older claims: then the claim's own aliveAt counts). */
  owner?: string | null;
  /** The turn ended (answered, or failed and told the user). */
  done?: boolean;
}

const schema = new Schema<SeenActivity>(
  {
    _id: { type: String, required: true },
    seenAt: { type: Date, required: true, index: true },
    invokeResponse: { type: String, default: null },
    aliveAt: { type: Date, default: null },
    owner: { type: String, default: null },
    done: { type: Boolean, default: false },
  },
  { collection: 'seenActivities', versionKey: false },
);

export function seenActivityModel(conn: Connection): Model<SeenActivity> {
  return (conn.models.SeenActivity as Model<SeenActivity> | undefined) ?? conn.model<SeenActivity>('SeenActivity', schema);
}
