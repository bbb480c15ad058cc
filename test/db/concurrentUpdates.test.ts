// FerretDB v1 holds a PostgreSQL connection for the query that finds a document while it takes a
// second one to update it: with a pool smaller than twice the updates in flight, they can all wait
// forever. The embedded database's pool is sized for it (tools/ferretdb/postgres.go). This runs
// rounds of 400 inserts then 400 updates at once through 100 client connections (the driver's
// default): on FerretDB's default pool of 50 a round hangs within three.
import { MongoClient } from 'mongodb';
import { testMongoUri, uniqueDbName } from '../support/db';

it('rounds of 400 concurrent inserts and updates by an indexed field all complete (no pool deadlock)', async () => {
  const client = new MongoClient(testMongoUri(), { maxPoolSize: 100 });
  await client.connect();
  const db = client.db(uniqueDbName('conc'));
  try {
    const col = db.collection<{ k: string; v: string }>('docs');
    await col.createIndex({ k: 1 }, { unique: true });
    for (const round of [1, 2, 3, 4]) {
      const keys = Array.from({ length: 400 }, (_, i) => `${round}-${i}`);
      await Promise.all(keys.map((k) => col.insertOne({ k, v: 'x'.repeat(300) })));
      const updated = await Promise.all(keys.map((k) => col.updateOne({ k }, { $set: { v: 'y' } })));
      expect(updated.filter((r) => r.modifiedCount === 1)).toHaveLength(400);
    }
    expect(await col.countDocuments({ v: 'y' })).toBe(1600);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}, 150_000);
