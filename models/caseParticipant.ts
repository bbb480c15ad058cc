// One document per participant of a case (Teams user or named person outside Teams).
// key = "aad:<aadObjectId>" or "ext:<uuid>", unique per case, so adding the same Teams user twice collides.
import { Connection, Model, Schema } from 'mongoose';
import { PARTICIPANT_ROLES, PROFESSIONAL_PROFILES, ParticipantRole, ProfessionalProfile } from '../domain/caseRules';

export interface CaseParticipant {
  trackingId: string;
  key: string;
  role: ParticipantRole;
  profile: ProfessionalProfile | null;
  aadObjectId: string | null;
  teamsUserId: string | null;
  displayName: string;
  /** Phone / e-mail / organisation, free text (personal data: never logged). */
  contact: string;
  /** Link with the person for carers and relatives ("daughter", "neighbour"). */
  relation: string;
  addedBy: string;
  addedAt: Date;
  removed: boolean;
  removedBy: string | null;
  removedAt: Date | null;
}

const schema = new Schema<CaseParticipant>(
  {
    trackingId: { type: String, required: true, index: true },
    key: { type: String, required: true },
    role: { type: String, required: true, enum: PARTICIPANT_ROLES },
    profile: { type: String, default: null, enum: [...PROFESSIONAL_PROFILES, null] },
    aadObjectId: { type: String, default: null, index: true },
    teamsUserId: { type: String, default: null },
    displayName: { type: String, required: true },
    contact: { type: String, default: '' },
    relation: { type: String, default: '' },
    addedBy: { type: String, required: true },
    addedAt: { type: Date, required: true },
    removed: { type: Boolean, default: false },
    removedBy: { type: String, default: null },
    removedAt: { type: Date, default: null },
  },
  { collection: 'caseParticipants', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, key: 1 }, { unique: true });

export function caseParticipantModel(conn: Connection): Model<CaseParticipant> {
  return (conn.models.CaseParticipant as Model<CaseParticipant> | undefined) ?? conn.model<CaseParticipant>('CaseParticipant', schema);
}
