// Which Teams conversation belongs to which case: the unique conversationId makes sure one group
// chat or channel is never linked to two cases, even when two organisers link at the same time.
import { Connection, Model, Schema } from 'mongoose';

export interface CaseLink {
  conversationId: string;
  trackingId: string;
  linkedBy: string;
  linkedAt: Date;
}

const schema = new Schema<CaseLink>(
  {
    conversationId: { type: String, required: true, unique: true },
    trackingId: { type: String, required: true, index: true },
    linkedBy: { type: String, required: true },
    linkedAt: { type: Date, required: true },
  },
  { collection: 'caseLinks', versionKey: false },
);

export function caseLinkModel(conn: Connection): Model<CaseLink> {
  return (conn.models.CaseLink as Model<CaseLink> | undefined) ?? conn.model<CaseLink>('CaseLink', schema);
}
