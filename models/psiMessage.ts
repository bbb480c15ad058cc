// Where a case's PSI card was posted: the case conversation ("conv") or one consented actor's 1:1
// chat ("aad:<id>"), one document per (case, recipient), with the activity id to update it in place.
import { Connection, Model, Schema } from 'mongoose';

export interface PsiMessage {
  trackingId: string;
  /** "conv:<conversationId>" or the participant key "aad:<aadObjectId>". */
  recipientKey: string;
  conversationId: string;
  activityId: string;
  /** Version shown; 0 with revoked=true once the person stopped sharing with this actor. */
  version: number;
  revoked: boolean;
  updatedAt: Date;
}

const schema = new Schema<PsiMessage>(
  {
    trackingId: { type: String, required: true },
    recipientKey: { type: String, required: true },
    conversationId: { type: String, required: true },
    activityId: { type: String, required: true },
    version: { type: Number, required: true },
    revoked: { type: Boolean, default: false },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'psiMessages', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, recipientKey: 1 }, { unique: true });

export function psiMessageModel(conn: Connection): Model<PsiMessage> {
  return (conn.models.PsiMessage as Model<PsiMessage> | undefined) ?? conn.model<PsiMessage>('PsiMessage', schema);
}
