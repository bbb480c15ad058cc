// CMD-<year>-<seq>: unique and sequential per year, also when many requests are submitted at once.
import { evaluateEligibility } from '../../domain/eligibility';
import { createModels, initModels } from '../../models';
import { connectDatabase } from '../../models/db';
import { ManualClock } from '../../services/clock';
import { RequestService } from '../../services/requests';
import { testMongoUri, uniqueDbName } from '../support/db';
import { validAnswers } from '../support/answers';

/** A fresh database with the models' indexes, dropped afterwards. */
async function withModels(run: (m: ReturnType<typeof createModels>, conn: Awaited<ReturnType<typeof connectDatabase>>) => Promise<void>): Promise<void> {
  const conn = await connectDatabase(testMongoUri(), uniqueDbName('track'));
  try {
    const m = createModels(conn);
    await initModels(m);
    await run(m, conn);
  } finally {
    await conn.db?.dropDatabase();
    await conn.close();
  }
}

describe('tracking id allocation on the real database', () => {
  it('gives 25 concurrent submits 25 distinct, gap-free ids, from two service instances', async () => {
    const dbName = uniqueDbName('track');
    const [c1, c2] = await Promise.all([connectDatabase(testMongoUri(), dbName), connectDatabase(testMongoUri(), dbName)]);
    try {
      const m1 = createModels(c1);
      const m2 = createModels(c2);
      await initModels(m1);
      const clock = new ManualClock();
      const s1 = new RequestService(m1.requests, m1.decisions, m1.audit, clock);
      const s2 = new RequestService(m2.requests, m2.decisions, m2.audit, clock);
      const answers = validAnswers();
      expect(evaluateEligibility(answers).suggestion).toBe('likely');
      const submitted = await Promise.all(
        Array.from({ length: 25 }, (_, i) => (i % 2 ? s1 : s2).submit(answers, { aadObjectId: `req-${i}`, conversationId: `a:conv-${i}`, locale: 'fr' })),
      );
      const ids = submitted.map((r) => r.trackingId).sort();
      const year = clock.now().getFullYear();
      expect(new Set(ids).size).toBe(25);
      expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `CMD-${year}-${String(i + 1).padStart(4, '0')}`));
      expect(await m1.requests.countDocuments()).toBe(25);
    } finally {
      await c1.db?.dropDatabase();
      await Promise.all([c1.close(), c2.close()]);
    }
  });

  it("a process started later continues from the year's pointer, without reading the year's requests; a lagging pointer costs retries, not duplicates", () =>
    withModels(async (m, conn) => {
      const clock = new ManualClock();
      const submit = (s: RequestService) => s.submit(validAnswers(), { aadObjectId: 'r', conversationId: 'a:c', locale: 'fr' });
      const first = new RequestService(m.requests, m.decisions, m.audit, clock);
      for (let i = 0; i < 3; i++) await submit(first);
      const reads = jest.spyOn(m.requests, 'findOne');
      try {
        expect((await submit(new RequestService(m.requests, m.decisions, m.audit, clock))).trackingId).toMatch(/-0004$/);
        expect(reads.mock.calls.filter(([filter]) => filter && 'year' in filter)).toEqual([]);
      } finally {
        reads.mockRestore();
      }
      await conn.db!.collection('requestSequences').updateOne({}, { $set: { seq: 1 } });
      expect((await submit(new RequestService(m.requests, m.decisions, m.audit, clock))).trackingId).toMatch(/-0005$/);
      expect(await m.requests.countDocuments()).toBe(5);
    }));

  it('starts again at 0001 in a new year', () =>
    withModels(async (m) => {
      const clock = new ManualClock();
      const s = new RequestService(m.requests, m.decisions, m.audit, clock);
      const first = await s.submit(validAnswers(), { aadObjectId: 'r', conversationId: 'a:c', locale: 'fr' });
      clock.advance(366 * 86400000);
      const next = await s.submit(validAnswers(), { aadObjectId: 'r', conversationId: 'a:c', locale: 'fr' });
      expect(first.trackingId).toMatch(/-0001$/);
      expect(next.trackingId).toBe(`CMD-${first.year + 1}-0001`);
    }));
});
