// One document per concertation meeting of a case (seq 1, 2, …; unique per case). Holds the date,
// the place and where the agenda card was posted (to update it in place).
import { Connection, Model, Schema } from 'mongoose';
import type { ConcertationSlot } from '../domain/caseRules';

export interface Concertation extends ConcertationSlot {
  trackingId: string;
  seq: number;
  /** Set once the meeting is recorded as held; a new date then opens the next concertation. */
  held: boolean;
  agendaConversationId: string | null;
  agendaActivityId: string | null;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

const schema = new Schema<Concertation>(
  {
    trackingId: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    start: { type: Date, required: true },
    durationMinutes: { type: Number, required: true },
    place: { type: String, default: '' },
    onlineLink: { type: String, default: null },
    held: { type: Boolean, default: false },
    agendaConversationId: { type: String, default: null },
    agendaActivityId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'concertations', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, seq: 1 }, { unique: true });

export function concertationModel(conn: Connection): Model<Concertation> {
  return (conn.models.Concertation as Model<Concertation> | undefined) ?? conn.model<Concertation>('Concertation', schema);
}
