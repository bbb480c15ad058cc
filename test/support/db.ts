// Each test file gets its own database on the shared test server, dropped at the end.
import { randomUUID } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';

export function testMongoUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global setup starts the database)');
  return uri;
}

export function uniqueDbName(prefix = 't'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

export async function connectTestDb(prefix?: string): Promise<{ client: MongoClient; db: Db; close: () => Promise<void> }> {
  const client = new MongoClient(testMongoUri());
  await client.connect();
  const db = client.db(uniqueDbName(prefix));
  return {
    client,
    db,
    close: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}
