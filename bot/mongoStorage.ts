// botbuilder Storage on the MongoDB driver, safe on FerretDB v1 where updates and findAndModify are
// not atomic under concurrency. Each write INSERTS a new version with _id "<key hash>:<version>", so
// two writers racing from the same eTag collide on _id and exactly one wins; the loser gets an eTag
// conflict instead of silently overwriting. Keys are hashed (Teams conversation ids are long and
// contain characters that MongoDB ids and field names should not carry).
//
// Every lookup is by _id: FerretDB v1 (SQLite) pushes _id lookups down to its index but scans the
// collection for other filters, and its updates are slow. So the latest version is found from a
// hint — this process's memory of the last version it saw, else a "head" document (_id = key hash)
// refreshed every few versions — by checking that the next version does not exist yet and walking
// forward when it does. Version documents never change, so a cached JSON for (key, version) is exact.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Storage, StoreItems } from 'botbuilder';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '../models/db';

interface VersionDoc {
  _id: string; // `${k}:${v}` for a version, `${k}` for the head
  k: string; // sha256 of the storage key
  v: number; // version 1, 2, 3…: the eTag
  key: string; // the original key, for diagnostics
  json: string | null; // the item as JSON (field names like "$schema" or "a.b" stay legal); null: deleted
  at: Date;
}

const MAX_WRITE_RETRIES = 20;
/** The head document is refreshed every this many versions (a cold reader walks at most that far). */
const HEAD_EVERY = 10;
const MAX_HINTS = 20000;

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: eTag conflict for key "${key}"`);
    this.name = 'ETagConflictError';
  }
}


export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const versionId = (k: string, v: number) => `${k}:${v}`;

export class MongoStorage implements Storage {
  private readonly collection: Collection<VersionDoc>;
  private readonly hints = new LRUCache<string, { v: number; json: string | null }>({ max: MAX_HINTS });

  constructor(db: Db, collectionName = 'botState') {
    this.collection = db.collection<VersionDoc>(collectionName);
  }

  /** Nothing to build: every lookup is by _id. Kept so callers can await readiness uniformly. */
  async ensureIndexes(): Promise<void> {}

  /** The latest version of a key (null: never written), from the head hint walking forward. */
  private async latest(k: string): Promise<{ v: number; json: string | null }> {
    let hint = this.hints.get(k);
    if (!hint) {
      const head = await this.collection.findOne({ _id: k });
      hint = { v: head?.v ?? 0, json: head?.json ?? null };
    }
    let { v, json } = hint;
    for (;;) {
      const next = await this.collection.findOne({ _id: versionId(k, v + 1) });
      if (!next) break;
      v = next.v;
      json = next.json;
    }
    this.remember(k, v, json);
    return { v, json };
  }

  private remember(k: string, v: number, json: string | null): void {
    this.hints.set(k, { v, json });
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('Storage.read(): keys must be an array');
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const { v, json } = await this.latest(hashKey(key));
        if (json !== null) items[key] = { ...(JSON.parse(json) as Record<string, unknown>), eTag: String(v) };
      }),
    );
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
    const expected = item && typeof item.eTag === 'string' && item.eTag !== '*' ? Number(item.eTag) : null;
    const json = item ? serialise(item) : null;
    for (let attempt = 0; attempt < MAX_WRITE_RETRIES; attempt++) {
      const current = await this.latest(k);
      // Like MemoryStorage: a stale eTag on an existing, non-deleted item is a conflict.
      if (expected !== null && current.json !== null && current.v !== expected) throw new ETagConflictError(key);
      const v = current.v + 1;
      try {
        await this.collection.insertOne({ _id: versionId(k, v), k, v, key, json, at: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        if (expected !== null) throw new ETagConflictError(key); // someone wrote from the same version
        continue; // last-writer-wins write: re-read and try the next version
      }
      if (item) item.eTag = String(v); // BotState keeps this object: the next save in the turn must match
      this.remember(k, v, json);
      if (v === 1 || v % HEAD_EVERY === 0) void this.moveHead(k, key, v, json).catch(() => undefined);
      return;
    }
    throw new ETagConflictError(key);
  }

  /** Best effort: a late or lost head update only costs a cold reader a few more lookups. */
  private async moveHead(k: string, key: string, v: number, json: string | null): Promise<void> {
    const head: VersionDoc = { _id: k, k, v, key, json, at: new Date() };
    try {
      await this.collection.replaceOne({ _id: k, v: { $lt: v } }, head, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // a newer head is already there
    }
  }

  /**
   * Retention: removes versions older than `before` that are not the latest of their key. A writer
   * holding an eTag older than that could otherwise slip in, hence a cut-off of days, not seconds.
   */
  async purgeOldVersions(before: Date): Promise<number> {
    const heads = new Map<string, number>();
    for await (const h of this.collection.find({ _id: { $not: /:/ } as never }, { projection: { _id: 1, v: 1 } })) heads.set(h._id, h.v);
    let removed = 0;
    for (const k of heads.keys()) {
      // Point the head at the true latest first: readers walk forward from it, never backward.
      const { v, json } = await this.latest(k);
      const sample = await this.collection.findOne({ _id: versionId(k, v) });
      await this.moveHead(k, sample?.key ?? '', v, json);
      const res = await this.collection.deleteMany({ k, v: { $lt: v }, at: { $lt: before }, _id: { $ne: k } });
      removed += res.deletedCount ?? 0;
    }
    return removed;
  }
}

function serialise(item: Record<string, unknown>): string {
  const { eTag: _ignored, ...rest } = item;
  return JSON.stringify(rest);
}
