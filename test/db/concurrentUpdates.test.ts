// FerretDB v1 holds a PostgreSQL connection for the query that finds a document while it takes a
// second one to update it: with a pool smaller than twice the updates in flight, they all wait
// forever. The embedded database's pool is sized for it (tools/ferretdb/postgres.go); this runs
// more updates at once than FerretDB's default pool (50) and more than one bot process's own pool.
import { MongoClient } from 'mongodb';
import { testMongoUri, uniqueDbName } from '../support/db';

it('300 updates and 300 upserts at once all complete (no pool deadlock)', async () => {
  const client = new MongoClient(testMongoUri(), { maxPoolSize: 300 });
  await client.connect();
  const db = client.db(uniqueDbName('conc'));
  try {
    const col = db.collection<{ _id: string; n: number }>('docs');
    await col.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `d${i}`, n: 0 })));
    const updated = await Promise.all(Array.from({ length: 300 }, (_, i) => col.updateOne({ _id: `d${i}` }, { $inc: { n: 1 } })));
    expect(updated.filter((r) => r.modifiedCount === 1)).toHaveLength(300);
    const upserted = await Promise.all(Array.from({ length: 300 }, (_, i) => col.updateOne({ _id: `u${i}` }, { $set: { n: i } }, { upsert: true })));
    expect(upserted.filter((r) => r.upsertedCount === 1)).toHaveLength(300);
    expect(await col.countDocuments({})).toBe(600);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}, 120_000);
