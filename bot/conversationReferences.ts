// Keeps the stored conversation references in step with what Teams tells the bot. Every lookup and
// write is by `_id` (conversation id, or the user's AAD object id for their 1:1 conversation):
// FerretDB v1 reads the whole collection for any other filter, and this runs on every turn.
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../models/db';
import {
  ConversationKind,
  ConversationReferenceModel,
  personalConversationModel,
  PersonalConversationModel,
  StoredConversationReference,
} from '../models/conversationReference';

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

/**
 * An unchanged reference is rewritten at most this often by one process. Another instance may
 * have marked it stale meanwhile: install and membership events always write (Teams sends one when
 * the bot comes back), and a message refreshes it after this long at most.
 */
const REFRESH_MS = 10 * 60 * 1000;
const MAX_CACHED = 20000;

/**
 * Reserved `_id`s in the per-user pointer collection (AAD object ids are GUIDs, never these): the
 * conversation of a recent turn, for a process that has not seen one yet (anyReference), and the
 * mark that documents of the earlier shape are converted (so a start does not read them all).
 */
const LIVE_POINTER = '~live';
const MIGRATED_MARK = '~migrated';

type Parsed = Partial<ConversationReference>;

export class ConversationReferences {
  /** conversationId → a digest of what this process last wrote and when, to skip identical rewrites. */
  private readonly written = new LRUCache<string, { json: string; at: number }>({ max: MAX_CACHED });
  private readonly byUser: PersonalConversationModel;
  /** A live reference seen by this process: what creating a new 1:1 chat needs (serviceUrl, bot, tenant). */
  private lastLive: { conversationId: string; reference: Parsed } | null = null;
  /** When this process last pointed LIVE_POINTER at a conversation it heard from. */
  private livePointedAt = 0;
  private migrated: Promise<void> | null = null;

  constructor(private readonly model: ConversationReferenceModel) {
    this.byUser = personalConversationModel(model.db);
  }

  /**
   * Upsert on incoming activities. The reference is stored without the activity id (proactive
   * sends post new messages, never replies to the last one), so two turns of one conversation
   * give the same document and the second is skipped; in group chats and channels the speaker
   * and their locale do not count either.
   */
  async remember(activity: Partial<Activity>): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId || !activity.serviceUrl) return;
    await this.ready();
    const { activityId: _last, ...reference } = TurnContext.getConversationReference(activity);
    const kind = conversationKind(activity);
    const doc: StoredConversationReference = {
      _id: conversationId,
      conversationId,
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
    this.lastLive = { conversationId, reference };
    const json = comparable(doc);
    const last = this.written.get(conversationId);
    const event = activity.type === 'conversationUpdate' || activity.type === 'installationUpdate';
    if (!event && last && last.json === json && Date.now() - last.at < REFRESH_MS) return;
    await putById(this.model, doc);
    if (doc.userAadObjectId) await putById(this.byUser, { _id: doc.userAadObjectId, conversationId, updatedAt: doc.updatedAt });
    if (Date.now() - this.livePointedAt > REFRESH_MS) {
      this.livePointedAt = Date.now();
      await putById(this.byUser, { _id: LIVE_POINTER, conversationId, updatedAt: doc.updatedAt });
    }
    this.written.set(conversationId, { json, at: Date.now() });
  }

  async forget(conversationId: string): Promise<void> {
    await this.ready();
    this.written.delete(conversationId);
    if (this.lastLive?.conversationId === conversationId) this.lastLive = null;
    await this.model.deleteOne({ _id: conversationId });
  }

  async markStale(conversationId: string, reason: string): Promise<void> {
    await this.ready();
    this.written.delete(conversationId); // the next message from there must clear the flag
    if (this.lastLive?.conversationId === conversationId) this.lastLive = null;
    await this.model.updateOne({ _id: conversationId }, { $set: { stale: true, staleReason: reason, updatedAt: new Date() } });
  }

  async get(conversationId: string): Promise<Parsed | null> {
    await this.ready();
    const doc = await this.model.findOne({ _id: conversationId }).lean();
    return doc ? (JSON.parse(doc.referenceJson) as Parsed) : null;
  }

  /** The 1:1 conversation with a Teams user (the latest seen), unless it is known to be stale. */
  async personalFor(aadObjectId: string): Promise<Parsed | null> {
    await this.ready();
    const pointer = await this.byUser.findOne({ _id: aadObjectId }).lean();
    if (!pointer) return null;
    const doc = await this.model.findOne({ _id: pointer.conversationId }).lean();
    if (!doc || doc.stale || doc.kind !== 'personal' || doc.userAadObjectId !== aadObjectId) return null;
    return JSON.parse(doc.referenceJson) as Parsed;
  }

  /** Any live reference: its serviceUrl, bot and tenant are what creating a new 1:1 chat needs. */
  async anyReference(): Promise<Parsed | null> {
    if (this.lastLive) return this.lastLive.reference;
    await this.ready();
    // Only a process that has not seen a turn yet gets here (a proactive send after a restart): the
    // conversation some process heard from lately, by `_id`; a scan only when that one went stale.
    const pointer = await this.byUser.findOne({ _id: LIVE_POINTER }).lean();
    const pointed = pointer ? await this.model.findOne({ _id: pointer.conversationId }).lean() : null;
    const doc = pointed && !pointed.stale ? pointed : await this.model.findOne({ stale: false }).sort({ updatedAt: -1 }).lean();
    return doc ? (JSON.parse(doc.referenceJson) as Parsed) : null;
  }

  /** Resolves once documents of the earlier shape are converted (once per process; retried after a failure). */
  ready(): Promise<void> {
    this.migrated ??= migrate(this.model, this.byUser).catch((err: unknown) => {
      this.migrated = null;
      throw err;
    });
    return this.migrated;
  }
}

/**
 * Writes `doc` under its `_id`. An insert first: on FerretDB v1 it costs the same however large the
 * collection, while an update (or upsert) first looks the document up, which takes longer as the
 * collection grows. The duplicate key of a known document then makes it an update.
 */
async function putById<T extends { _id: string }>(model: Model<T>, doc: T): Promise<void> {
  try {
    await model.collection.insertOne(doc as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const { _id, ...rest } = doc;
    await model.updateOne({ _id } as never, { $set: rest } as never);
  }
}

/** What decides whether a reference changed: not the last activity, nor (in groups) who spoke. */
function comparable(doc: StoredConversationReference): string {
  const { updatedAt: _at, referenceJson, locale, ...rest } = doc;
  const { user, locale: referenceLocale, ...reference } = JSON.parse(referenceJson) as Parsed;
  const json = JSON.stringify(doc.kind === 'personal' ? { ...rest, reference, user, locale, referenceLocale } : { ...rest, reference });
  return createHash('sha256').update(json).digest('base64'); // 44 bytes per cached conversation, not ~1 kB
}

/**
 * Documents written before references were keyed by conversation id had a generated ObjectId `_id`
 * and were found by `conversationId`. Each is re-inserted under its conversation id (without its
 * last activity id) and its user's 1:1 pointer is set; the old document is deleted first, since
 * `conversationId` is unique. Several instances may run this at once: a duplicate key means another
 * one (or a newer remember()) already wrote that conversation, which wins.
 */
async function migrate(model: ConversationReferenceModel, byUser: PersonalConversationModel): Promise<void> {
  // `$type` is no equality: finding old documents reads the whole collection, so once per database.
  if (await byUser.exists({ _id: MIGRATED_MARK })) return;
  const old = (await model.collection.find({ _id: { $type: 'objectId' } as never }).toArray()) as unknown as Array<Omit<StoredConversationReference, '_id'> & { _id: Types.ObjectId }>;
  old.sort((a, b) => new Date(a.updatedAt).getTime() - new Date(b.updatedAt).getTime());
  for (const { _id: oldId, ...doc } of old) {
    if (typeof doc.conversationId !== 'string' || !doc.conversationId) continue;
    let referenceJson = doc.referenceJson;
    try {
      const { activityId: _last, ...reference } = JSON.parse(referenceJson) as Parsed;
      referenceJson = JSON.stringify(reference);
    } catch {
      // kept as it was: get() never met an unreadable one either
    }
    await model.collection.deleteOne({ _id: oldId } as never);
    try {
      await model.collection.insertOne({ ...doc, referenceJson, _id: doc.conversationId } as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    if (doc.kind === 'personal' && doc.userAadObjectId && !doc.stale) {
      await byUser.updateOne({ _id: doc.userAadObjectId }, { $set: { conversationId: doc.conversationId, updatedAt: new Date(doc.updatedAt) } }, { upsert: true });
    }
  }
  await putById(byUser, { _id: MIGRATED_MARK, conversationId: '', updatedAt: new Date() });
}
