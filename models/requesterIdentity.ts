// Who asked, when the requester is the person herself or one of her carers: name, link and contact
// would identify the person, so they are kept here, apart from the anonymous request, keyed by the
// request's tracking id (_id, the only indexed lookup on FerretDB v1). Nothing of the coordination
// reads this collection; it is shown only to the organiser assigned after admission, each time
// with an audit entry (RequestService.revealIdentity).
import { Connection, Model, Schema } from 'mongoose';

/** Seed 000: "la personne elle-même, un aidant, un professionnel social-santé". */
export const REQUESTER_ROLES = ['professional', 'carer', 'self'] as const;
export type RequesterRole = (typeof REQUESTER_ROLES)[number];

/** Whether the requester's identity stays out of the anonymous request (everyone but a professional). */
export const identityKeptApart = (role: RequesterRole): boolean => role !== 'professional';

export interface RequesterIdentity {
  _id: string; // tracking id of the request
  role: RequesterRole;
  name: string;
  /** A carer's link with the person ("sa fille"); empty for the person herself. */
  link: string;
  phone: string;
  email: string;
  otherContact: string;
  createdAt: Date;
}

const schema = new Schema<RequesterIdentity>(
  {
    _id: { type: String, required: true },
    role: { type: String, required: true, enum: REQUESTER_ROLES },
    name: { type: String, default: '' },
    link: { type: String, default: '' },
    phone: { type: String, default: '' },
    email: { type: String, default: '' },
    otherContact: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { collection: 'requesterIdentities', versionKey: false, minimize: false },
);

export function requesterIdentityModel(conn: Connection): Model<RequesterIdentity> {
  return (conn.models.RequesterIdentity as Model<RequesterIdentity> | undefined) ?? conn.model<RequesterIdentity>('RequesterIdentity', schema);
}
