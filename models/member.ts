// People the bot knows by role: coordinators (Brusano) and organisers (the OCCM pool).
// Requesters and référents need no record here: a requester is whoever starts a request.
import { Connection, Model, Schema } from 'mongoose';
import { Sector, SECTORS } from '../domain/sectors';

export type Role = 'coordinator' | 'organiser';
export type PoolLanguage = 'fr' | 'nl' | 'en';

export interface Member {
  aadObjectId: string;
  teamsUserId: string | null; // "29:…", needed to open a 1:1 chat
  displayName: string;
  roles: Role[];
  languages: PoolLanguage[];
  /**
   * The language proactive messages use: the pool's first language when the member is added, then
   * the one they last wrote to the bot in (or chose with "taal nl"). Null until either is known.
   */
  preferredLocale: PoolLanguage | null;
  /** Free-text specialities ("soins palliatifs, aide à domicile"). */
  sectors: string[];
  /** The organiser's sector, as the activity report counts the pool; null for members stored before and coordinators. */
  sector: Sector | null;
  active: boolean;
  updatedAt: Date;
  updatedBy: string;
}

const schema = new Schema<Member>(
  {
    aadObjectId: { type: String, required: true, unique: true },
    teamsUserId: { type: String, default: null },
    displayName: { type: String, required: true },
    roles: { type: [String], enum: ['coordinator', 'organiser'], default: [] },
    languages: { type: [String], enum: ['fr', 'nl', 'en'], default: [] },
    preferredLocale: { type: String, enum: ['fr', 'nl', 'en', null], default: null },
    sectors: { type: [String], default: [] },
    sector: { type: String, enum: [...SECTORS, null], default: null },
    active: { type: Boolean, default: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'members', versionKey: false },
);
// The organiser pool is looked up by role at every triage: an equality on an indexed field.
schema.index({ roles: 1 });

export function memberModel(conn: Connection): Model<Member> {
  return (conn.models.Member as Model<Member> | undefined) ?? conn.model<Member>('Member', schema);
}
