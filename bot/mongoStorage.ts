// botbuilder Storage on the MongoDB driver, safe on FerretDB v1 where updates and findAndModify are
// not atomic under concurrency. Each write INSERTS a new version {k, v} under a unique index, so two
// writers racing from the same eTag collide on the index and exactly one wins; the loser gets an
// eTag conflict instead of silently overwriting. Keys are hashed (Teams conversation ids are long
// and contain characters that MongoDB field names and ids should not carry).
import { createHash } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Collection, Db } from 'mongodb';

interface VersionDoc {
  _id: string; // `${k}:${v}`
  k: string; // sha256 of the storage key
  v: number; // version, 1, 2, 3…: the eTag
  key: string; // the original key, for diagnostics
  json: string | null; // the item as JSON (field names like "$schema" or "a.b" stay legal); null: deleted
  at: Date;
}

/** Old versions kept behind the latest; a racing writer would need this many writes to slip through. */
const KEEP_VERSIONS = 20;
const MAX_WRITE_RETRIES = 20;

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: eTag conflict for key "${key}"`);
    this.name = 'ETagConflictError';
  }
}

export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number })?.code === 11000;

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class MongoStorage implements Storage {
  private readonly collection: Collection<VersionDoc>;
  private indexes: Promise<unknown> | null = null;

  constructor(db: Db, collectionName = 'botState') {
    this.collection = db.collection<VersionDoc>(collectionName);
  }

  ensureIndexes(): Promise<unknown> {
    this.indexes ??= this.collection.createIndex({ k: 1, v: -1 }, { unique: true, name: 'key_version' });
    return this.indexes;
  }

  private async latest(hashes: string[]): Promise<Map<string, VersionDoc>> {
    await this.ensureIndexes();
    const found = new Map<string, VersionDoc>();
    if (!hashes.length) return found;
    const docs = await this.collection.find({ k: { $in: hashes } }).sort({ k: 1, v: -1 }).toArray();
    for (const d of docs) if (!found.has(d.k)) found.set(d.k, d);
    return found;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('Storage.read(): keys must be an array');
    const byHash = await this.latest(keys.map(hashKey));
    const items: StoreItems = {};
    for (const key of keys) {
      const doc = byHash.get(hashKey(key));
      if (doc?.json) items[key] = { ...(JSON.parse(doc.json) as Record<string, unknown>), eTag: String(doc.v) };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new Error('Storage.write(): changes must be an object');
    await Promise.all(Object.entries(changes).map(([key, item]) => this.writeOne(key, item)));
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.writeOne(key, null)));
  }

  private async writeOne(key: string, item: Record<string, unknown> | null): Promise<void> {
    const k = hashKey(key);
    const expected = item && typeof item.eTag === 'string' && item.eTag !== '*' ? item.eTag : null;
    for (let attempt = 0; attempt < MAX_WRITE_RETRIES; attempt++) {
      const current = (await this.latest([k])).get(k);
      const currentV = current?.v ?? 0;
      // Like MemoryStorage: a stale eTag on an existing, non-deleted item is a conflict.
      if (expected !== null && current?.json && String(currentV) !== expected) throw new ETagConflictError(key);
      const v = currentV + 1;
      const json = item ? serialise(item) : null;
      try {
        await this.collection.insertOne({ _id: `${k}:${v}`, k, v, key, json, at: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        if (expected !== null) throw new ETagConflictError(key); // someone wrote from the same version
        continue; // last-writer-wins write: re-read and try the next version
      }
      if (item) item.eTag = String(v); // BotState keeps this object: the next save in the turn must match
      void this.prune(k, v);
      return;
    }
    throw new ETagConflictError(key);
  }

  private async prune(k: string, v: number): Promise<void> {
    if (v % 10 !== 0) return; // prune in batches
    await this.collection.deleteMany({ k, v: { $lt: v - KEEP_VERSIONS } }).catch(() => undefined);
  }
}

function serialise(item: Record<string, unknown>): string {
  const { eTag: _ignored, ...rest } = item;
  return JSON.stringify(rest);
}
