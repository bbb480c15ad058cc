import { MongoStorage, ETagConflictError } from '../../bot/mongoStorage';
import { connectTestDb } from '../support/db';

describe('MongoStorage on the real database', () => {
  let ctx: Awaited<ReturnType<typeof connectTestDb>>;
  let storage: MongoStorage;
  beforeAll(async () => {
    ctx = await connectTestDb('storage');
    storage = new MongoStorage(ctx.db);
  });
  afterAll(async () => ctx.close());

  it('round-trips items whose keys are Teams conversation ids and whose fields contain "$" and "."', async () => {
    const key = 'msteams/conversations/19:abc-def@thread.tacv2;messageid=1700000000000/';
    await storage.write({ [key]: { $schema: 'x', 'a.b': { c: 1 }, list: [1, 2] } });
    const read = await storage.read([key, 'missing']);
    expect(read[key]).toMatchObject({ $schema: 'x', 'a.b': { c: 1 }, list: [1, 2] });
    expect(typeof read[key].eTag).toBe('string');
    expect(read.missing).toBeUndefined();
  });

  it('stores no raw key as a document key and no plain key in _id (keys are hashed)', async () => {
    const key = 'weird key with spaces . and $dollar';
    await storage.write({ [key]: { n: 1 } });
    // The head document is written in the background: wait until it is there, however long it takes.
    let docs = await ctx.db.collection('botState').find({ key }).toArray();
    while (docs.length < 2) {
      await new Promise((r) => setImmediate(r));
      docs = await ctx.db.collection('botState').find({ key }).toArray();
    }
    expect(docs.map((d) => d._id).sort()).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}:1$/)]);
  });

  it('rejects a write with a stale eTag instead of losing the newer value', async () => {
    await storage.write({ doc: { n: 0 } });
    const first = (await storage.read(['doc'])).doc;
    await storage.write({ doc: { ...first, n: 1 } }); // eTag matches: accepted
    await expect(storage.write({ doc: { ...first, n: 2 } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['doc'])).doc.n).toBe(1);
  });

  it('lets exactly one of many concurrent writers with the same eTag win', async () => {
    await storage.write({ race: { n: 0 } });
    const base = (await storage.read(['race'])).race;
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => storage.write({ race: { ...base, n: i + 1 } })));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ETagConflictError);
    const winnerIndex = results.findIndex((r) => r.status === 'fulfilled');
    expect((await storage.read(['race'])).race.n).toBe(winnerIndex + 1);
  });

  it('applies every concurrent "*" (last-writer-wins) write as its own version', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => storage.write({ lww: { n: i, eTag: '*' } })));
    const versions = await ctx.db.collection('botState').countDocuments({ key: 'lww', v: { $gte: 1 }, _id: { $regex: ':' } as never });
    expect(versions).toBe(10);
    expect((await storage.read(['lww'])).lww.eTag).toBe('10');
  });

  it('updates the eTag of the written object, so a second save in the same turn is accepted', async () => {
    const item: Record<string, unknown> = { n: 1 };
    await storage.write({ twice: item });
    item.n = 2;
    await storage.write({ twice: item });
    expect((await storage.read(['twice'])).twice.n).toBe(2);
  });

  it('deletes', async () => {
    await storage.write({ gone: { n: 1 } });
    await storage.delete(['gone']);
    expect((await storage.read(['gone'])).gone).toBeUndefined();
    await storage.write({ gone: { n: 2 } });
    expect((await storage.read(['gone'])).gone.n).toBe(2);
  });

  it('purges old versions but keeps reading the latest', async () => {
    for (let i = 0; i < 15; i++) await storage.write({ many: { n: i } });
    const removed = await storage.purgeOldVersions(new Date(Date.now() + 1000));
    expect(removed).toBeGreaterThanOrEqual(14);
    expect(await ctx.db.collection('botState').countDocuments({ key: 'many', _id: { $regex: ':' } as never })).toBe(1);
    expect((await storage.read(['many'])).many).toMatchObject({ n: 14, eTag: '15' });
    await storage.write({ many: { n: 15, eTag: '15' } });
    expect((await storage.read(['many'])).many.n).toBe(15);
  });

  it('reads the latest version even when the head hint lags behind', async () => {
    await storage.write({ lag: { n: 1 } });
    await storage.write({ lag: { n: 2 } });
    // The head document is written in the background (at version 1, then every few versions): wait for it.
    const findHead = () => ctx.db.collection('botState').findOne({ key: 'lag', _id: { $not: /:/ } as never });
    let head = await findHead();
    while (!head) {
      await new Promise((r) => setImmediate(r));
      head = await findHead();
    }
    await ctx.db.collection('botState').updateOne({ _id: head!._id }, { $set: { v: 1, json: JSON.stringify({ n: 1 }) } });
    const cold = new MongoStorage(ctx.db); // another instance: no memory of the versions written here
    expect((await cold.read(['lag'])).lag).toMatchObject({ n: 2, eTag: '2' });
    await expect(cold.write({ lag: { n: 3, eTag: '1' } })).rejects.toBeInstanceOf(ETagConflictError);
    // And this instance sees what the other one writes.
    await cold.write({ lag: { n: 3, eTag: '2' } });
    expect((await storage.read(['lag'])).lag).toMatchObject({ n: 3, eTag: '3' });
  });
});
