// A case: one per admitted request (the tracking id is the case id). Participants, status events,
// concertations and their answers live in their own collections (insert-only where it matters),
// so correctness never rests on a read-modify-write of this document (FerretDB v1).
import { Connection, Model, Schema } from 'mongoose';

export type ConsentType = 'written' | 'oral' | 'toBuild' | 'other';
export const CONSENT_TYPES: readonly ConsentType[] = ['written', 'oral', 'toBuild', 'other'];

export interface Case {
  trackingId: string; // CMD-2026-0042: the anonymised id, also the case id
  organiserAadObjectId: string;
  consentType: ConsentType;
  consentNote: string;
  /** The Teams group chat or channel linked by "lier dossier"; null until linked. */
  conversationId: string | null;
  /** Language of the case conversation (the one who linked it), for the cards posted there. */
  locale: string;
  /** Meeting reminder offsets in days chosen by the organiser (domain/reminderOffsets.ts); absent = default J-7, J-1. */
  reminderOffsetsDays?: number[] | null;
  /** When the retention job removed the case's personal data (domain/retention.ts); null before. */
  purgedAt?: Date | null;
  createdAt: Date;
  createdBy: string;
}

const schema = new Schema<Case>(
  {
    trackingId: { type: String, required: true, unique: true },
    organiserAadObjectId: { type: String, required: true, index: true },
    consentType: { type: String, required: true, enum: CONSENT_TYPES },
    consentNote: { type: String, default: '' },
    conversationId: { type: String, default: null, index: true },
    locale: { type: String, default: 'fr' },
    reminderOffsetsDays: { type: [Number], default: undefined },
    purgedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'cases', versionKey: false, minimize: false },
);

export function caseModel(conn: Connection): Model<Case> {
  return (conn.models.Case as Model<Case> | undefined) ?? conn.model<Case>('Case', schema);
}
