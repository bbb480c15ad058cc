// Status history of a case, insert-only: seq 0 is the creation, each change inserts seq n+1.
// The unique (trackingId, seq) index makes two concurrent changes from the same state collide,
// so the loser re-validates against the new state instead of overwriting it.
import { Connection, Model, Schema } from 'mongoose';
import type { CaseStatus } from '../domain/caseStatus';

export interface CaseStatusEvent {
  trackingId: string;
  seq: number;
  from: CaseStatus | null;
  to: CaseStatus;
  by: string; // AAD object id or "system"
  at: Date;
  /** StopReason as JSON (free text inside), null when none. */
  reasonJson: string | null;
  note: string;
}

const schema = new Schema<CaseStatusEvent>(
  {
    trackingId: { type: String, required: true },
    seq: { type: Number, required: true },
    from: { type: String, default: null },
    to: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    reasonJson: { type: String, default: null },
    note: { type: String, default: '' },
  },
  { collection: 'caseStatusEvents', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, seq: 1 }, { unique: true });

export function caseStatusEventModel(conn: Connection): Model<CaseStatusEvent> {
  return (conn.models.CaseStatusEvent as Model<CaseStatusEvent> | undefined) ?? conn.model<CaseStatusEvent>('CaseStatusEvent', schema);
}
