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
  /**
   * In the case conversation: 'full' (the PSI card) or 'notice' (a version exists, no content), so a
   * member joining later can make a full card give way to the notice. Null for 1:1 cards (and for
   * cards posted before the notice existed: those were full cards).
   */
  view?: 'full' | 'notice' | null;
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
    view: { type: String, default: null, enum: ['full', 'notice', null] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'psiMessages', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, recipientKey: 1 }, { unique: true });

export function psiMessageModel(conn: Connection): Model<PsiMessage> {
  return (conn.models.PsiMessage as Model<PsiMessage> | undefined) ?? conn.model<PsiMessage>('PsiMessage', schema);
}
