// Where the bot can write to later (proactive messages): one document per Teams conversation,
// refreshed on install and on every message, removed when Teams says the bot was removed.
import { Connection, Model, Schema } from 'mongoose';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface StoredConversationReference {
  conversationId: string;
  kind: ConversationKind;
  tenantId: string | null;
  /** For personal (1:1) conversations: the Teams user (AAD object id) on the other side. */
  userAadObjectId: string | null;
  serviceUrl: string;
  channelId: string;
  /** The botbuilder ConversationReference, as JSON (ids with dots or "$" stay legal). */
  referenceJson: string;
  locale: string | null;
  stale: boolean;
  staleReason: string | null;
  updatedAt: Date;
}

const schema = new Schema<StoredConversationReference>(
  {
    conversationId: { type: String, required: true, unique: true },
    kind: { type: String, required: true, enum: ['personal', 'groupChat', 'channel'] },
    tenantId: { type: String, default: null },
    userAadObjectId: { type: String, default: null, index: true },
    serviceUrl: { type: String, required: true },
    channelId: { type: String, required: true },
    referenceJson: { type: String, required: true },
    locale: { type: String, default: null },
    stale: { type: Boolean, default: false },
    staleReason: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'conversationReferences', versionKey: false },
);

export function conversationReferenceModel(conn: Connection) {
  return (conn.models.ConversationReference as Model<StoredConversationReference> | undefined) ?? conn.model<StoredConversationReference>('ConversationReference', schema);
}
export type ConversationReferenceModel = ReturnType<typeof conversationReferenceModel>;
