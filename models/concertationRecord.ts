// The concertation record (seed 001 annex 10), one document per revision: (case, concertation
// date, revision) is unique, a correction inserts the next revision and the export reads the
// latest one. Free text is checked not to identify the person (domain/concertationRecord.ts).
import { Connection, Model, Schema } from 'mongoose';
import type { ConcertationRecordData } from '../domain/concertationRecord';

export interface ConcertationRecord {
  trackingId: string;
  /** The concertation day (Brussels), 'YYYY-MM-DD': one record per case and day. */
  date: string;
  revision: number;
  organiserAadObjectId: string;
  /** The validated fields as JSON (free text may hold "." or "$"). */
  dataJson: string;
  savedBy: string;
  savedAt: Date;
}

const schema = new Schema<ConcertationRecord>(
  {
    trackingId: { type: String, required: true },
    date: { type: String, required: true, index: true },
    revision: { type: Number, required: true },
    organiserAadObjectId: { type: String, required: true },
    dataJson: { type: String, required: true },
    savedBy: { type: String, required: true },
    savedAt: { type: Date, required: true },
  },
  { collection: 'concertationRecords', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, date: 1, revision: 1 }, { unique: true });

export function concertationRecordModel(conn: Connection): Model<ConcertationRecord> {
  return (conn.models.ConcertationRecord as Model<ConcertationRecord> | undefined) ?? conn.model<ConcertationRecord>('ConcertationRecord', schema);
}

export type { ConcertationRecordData };
