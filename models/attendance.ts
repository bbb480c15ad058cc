// Attendance answers to a concertation, insert-only: each click is a new document and the latest
// answer of a participant wins, so no answer is ever overwritten by a concurrent one.
import { Connection, Model, Schema } from 'mongoose';

export type AttendanceAnswer = 'yes' | 'no';

export interface Attendance {
  trackingId: string;
  concertationSeq: number;
  aadObjectId: string;
  answer: AttendanceAnswer;
  at: Date;
}

const schema = new Schema<Attendance>(
  {
    trackingId: { type: String, required: true },
    concertationSeq: { type: Number, required: true },
    aadObjectId: { type: String, required: true },
    answer: { type: String, required: true, enum: ['yes', 'no'] },
    at: { type: Date, required: true },
  },
  { collection: 'attendance', versionKey: false },
);
schema.index({ trackingId: 1, concertationSeq: 1, at: 1 });

export function attendanceModel(conn: Connection): Model<Attendance> {
  return (conn.models.Attendance as Model<Attendance> | undefined) ?? conn.model<Attendance>('Attendance', schema);
}
