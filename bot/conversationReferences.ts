// Keeps the stored conversation references in step with what Teams tells the bot.
import { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { isDuplicateKeyError } from '../models/db';
import type { ConversationKind, ConversationReferenceModel, StoredConversationReference } from '../models/conversationReference';

export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

export function tenantOf(activity: Partial<Activity>): string | null {
  const data = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId || data?.tenant?.id || null;
}

/** Unchanged references are rewritten at most this often (every turn would cost a slow update). */
const REFRESH_MS = 60 * 60 * 1000;
const MAX_CACHED = 20000;

export class ConversationReferences {
  /** conversationId → what was last written and when, to skip identical rewrites. */
  private readonly written = new Map<string, { json: string; at: number }>();

  constructor(private readonly model: ConversationReferenceModel) {}

  /** Upsert on incoming activities; a lost race on the unique index is retried as an update. */
  async remember(activity: Partial<Activity>): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId || !activity.serviceUrl) return;
    const reference = TurnContext.getConversationReference(activity);
    const kind = conversationKind(activity);
    const doc: Omit<StoredConversationReference, 'conversationId'> = {
      kind,
      tenantId: tenantOf(activity),
      userAadObjectId: kind === 'personal' ? activity.from?.aadObjectId ?? null : null,
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId ?? 'msteams',
      referenceJson: JSON.stringify(reference),
      locale: activity.locale ?? null,
      stale: false,
      staleReason: null,
      updatedAt: new Date(),
    };
    const { updatedAt: _at, ...comparable } = doc;
    const json = JSON.stringify(comparable);
    const last = this.written.get(conversationId);
    if (last && last.json === json && Date.now() - last.at < REFRESH_MS) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.model.updateOne({ conversationId }, { $set: doc }, { upsert: true });
        this.written.delete(conversationId);
        this.written.set(conversationId, { json, at: Date.now() });
        if (this.written.size > MAX_CACHED) this.written.delete(this.written.keys().next().value as string);
        return;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
  }

  async forget(conversationId: string): Promise<void> {
    this.written.delete(conversationId);
    await this.model.deleteOne({ conversationId });
  }

  async markStale(conversationId: string, reason: string): Promise<void> {
    this.written.delete(conversationId); // the next message from there must clear the flag
    await this.model.updateOne({ conversationId }, { $set: { stale: true, staleReason: reason, updatedAt: new Date() } });
  }

  async get(conversationId: string): Promise<Partial<ConversationReference> | null> {
    const doc = await this.model.findOne({ conversationId }).lean();
    return doc ? (JSON.parse(doc.referenceJson) as Partial<ConversationReference>) : null;
  }

  /** The 1:1 conversation with a Teams user, if the bot has one that is not known to be stale. */
  async personalFor(aadObjectId: string): Promise<Partial<ConversationReference> | null> {
    const doc = await this.model.findOne({ userAadObjectId: aadObjectId, kind: 'personal', stale: false }).sort({ updatedAt: -1 }).lean();
    return doc ? (JSON.parse(doc.referenceJson) as Partial<ConversationReference>) : null;
  }

  /** Any live reference: its serviceUrl, bot and tenant are what creating a new 1:1 chat needs. */
  async anyReference(): Promise<Partial<ConversationReference> | null> {
    const doc = await this.model.findOne({ stale: false }).sort({ updatedAt: -1 }).lean();
    return doc ? (JSON.parse(doc.referenceJson) as Partial<ConversationReference>) : null;
  }
}
