// Agenda points (ordre du jour) of one concertation: one document per point, removal is a flag,
// so two organisers' tabs adding points at once both keep theirs.
import { Connection, Model, Schema } from 'mongoose';

export interface AgendaPoint {
  trackingId: string;
  concertationSeq: number;
  pointId: string;
  text: string;
  addedBy: string;
  addedAt: Date;
  removed: boolean;
  removedBy: string | null;
}

const schema = new Schema<AgendaPoint>(
  {
    trackingId: { type: String, required: true },
    concertationSeq: { type: Number, required: true },
    pointId: { type: String, required: true, unique: true },
    text: { type: String, required: true },
    addedBy: { type: String, required: true },
    addedAt: { type: Date, required: true },
    removed: { type: Boolean, default: false },
    removedBy: { type: String, default: null },
  },
  { collection: 'agendaPoints', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, concertationSeq: 1 });

export function agendaPointModel(conn: Connection): Model<AgendaPoint> {
  return (conn.models.AgendaPoint as Model<AgendaPoint> | undefined) ?? conn.model<AgendaPoint>('AgendaPoint', schema);
}
