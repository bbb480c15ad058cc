import { connectTestDb } from '../support/db';

describe('embedded database', () => {
  it('stores and reads documents and enforces unique indexes', async () => {
    const { db, close } = await connectTestDb();
    try {
      const c = db.collection('probe');
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertOne({ k: 'a', v: 1 });
      await expect(c.insertOne({ k: 'a', v: 2 })).rejects.toMatchObject({ code: 11000 });
      expect(await c.findOne({ k: 'a' })).toMatchObject({ v: 1 });
    } finally {
      await close();
    }
  });
});
