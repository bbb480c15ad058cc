// Where the bot can write to later (proactive messages): one document per Teams conversation,
// refreshed on install and on messages, removed when Teams says the bot was removed.
// Keyed by `_id` = the conversation id, and a second collection keyed by `_id` = the Teams user's
// AAD object id points at their 1:1 conversation: FerretDB v1 (SQLite) answers only `{_id: …}`
// filters from its index and reads the whole collection for any other, so the per-turn write and
// the proactive lookups stay O(1) however many conversations the bot has seen.
import { Connection, Model, Schema } from 'mongoose';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface StoredConversationReference {
  /** The conversation id (also in `conversationId`, the field older documents were found by). */
  _id: string;
  conversationId: string;
  kind: ConversationKind;
  tenantId: string | null;
  /** For personal (1:1) conversations: the Teams user (AAD object id) on the other side. */
  userAadObjectId: string | null;
  serviceUrl: string;
  channelId: string;
  /** The botbuilder ConversationReference without the last activity id, as JSON (ids with dots or "$" stay legal). */
  referenceJson: string;
  locale: string | null;
  stale: boolean;
  staleReason: string | null;
  updatedAt: Date;
}

/** A Teams user's 1:1 conversation with the bot (the latest one seen). */
export interface PersonalConversation {
  /** The user's AAD object id. */
  _id: string;
  conversationId: string;
  updatedAt: Date;
}

const schema = new Schema<StoredConversationReference>(
  {
    _id: { type: String, required: true },
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

const personalSchema = new Schema<PersonalConversation>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'conversationReferencesByUser', versionKey: false },
);

export function conversationReferenceModel(conn: Connection) {
  return (conn.models.ConversationReference as Model<StoredConversationReference> | undefined) ?? conn.model<StoredConversationReference>('ConversationReference', schema);
}
export type ConversationReferenceModel = ReturnType<typeof conversationReferenceModel>;

export function personalConversationModel(conn: Connection) {
  return (conn.models.PersonalConversation as Model<PersonalConversation> | undefined) ?? conn.model<PersonalConversation>('PersonalConversation', personalSchema);
}
export type PersonalConversationModel = ReturnType<typeof personalConversationModel>;
