// 1,000 reminders due at once to 50 conversations: zero loss, zero duplicates, and no Teams
// window exceeded by the limiter's grants, with no request arriving before its grant.
import type { SendRateLimiter } from '../../bot/outbound/rateLimiter';
import { keyOf as plannedKey } from '../../services/reminders';
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector, maxInWindow, maxInWindowPerConversation } from '../support/fakeConnector';
import { deliveriesByKey, groupChat, rememberGroup, toConversation } from './support';

const GLOBAL_PER_SECOND = 100;
// Arrival times carry network and event-loop jitter on top of the limiter's grant times, without
// bound on a loaded machine (a window check on arrivals failed under load; see
// test/outbound/connectorIntegration.test.ts). So the windows are checked on the grants, as the
// limiter's own clock saw them, and the arrivals only against the grants: per conversation, the
// k-th arrival never precedes the k-th grant (no send got past the limiter).

/** Grant times of the app's outbound limiter, read from its own clock (performance.now()). */
function recordGrants(limiter: SendRateLimiter): Array<{ at: number; conversationId: string }> {
  const internals = limiter as unknown as { clock: { now(): number } };
  const clock = internals.clock;
  let last = 0;
  internals.clock = { now: () => (last = clock.now()) };
  const grants: Array<{ at: number; conversationId: string }> = [];
  const record = limiter.record.bind(limiter);
  limiter.record = (conversationId: string): void => {
    record(conversationId);
    grants.push({ at: last, conversationId });
  };
  return grants;
}

function byConversation(records: ReadonlyArray<{ at: number; conversationId?: string }>): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const r of records) map.set(r.conversationId ?? '', [...(map.get(r.conversationId ?? '') ?? []), r.at]);
  for (const times of map.values()) times.sort((a, b) => a - b);
  return map;
}

let fake: FakeConnector;
let running: RunningApp;

beforeAll(async () => {
  fake = await FakeConnector.start();
  running = await startTestApp({ OUTBOUND_GLOBAL_PER_SECOND: String(GLOBAL_PER_SECOND) }, { startScheduler: false });
});
afterAll(async () => {
  await running?.close();
  await fake.close();
});

it('fans 1,000 reminders out to 50 conversations exactly once within the Teams limits', async () => {
  const { app } = running;
  for (let c = 0; c < 50; c++) await rememberGroup(app, fake, groupChat(`fan-${c}`));
  const due = new Date(Date.now() - 1000);
  const plans = Array.from({ length: 1000 }, (_, i) => toConversation(groupChat(`fan-${i % 50}`), due, i));
  await expect(app.services.reminders.plan(plans)).resolves.toMatchObject({ existing: [] });
  const grants = recordGrants((app.messenger as unknown as { limiter: SendRateLimiter }).limiter);

  const report = await app.jobs.reminders.drain();
  // On failure, say why each reminder was not delivered (its recorded outcome).
  if (report.failed) console.log('not delivered:', JSON.stringify(await app.models.reminderOutcomes.find({ outcome: { $ne: 'sent' } }).select({ key: 1, outcome: 1, error: 1 }).lean()));
  expect(report).toMatchObject({ sent: 1000, failed: 0 });

  const delivered = fake.delivered();
  expect(delivered).toHaveLength(1000);
  const counts = deliveriesByKey(fake);
  expect(counts.size).toBe(1000);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(new Set(counts.keys())).toEqual(new Set(plans.map(plannedKey)));
  expect(new Set(delivered.map((r) => r.conversationId)).size).toBe(50);
  expect(fake.requests.filter((r) => r.status !== undefined && r.status >= 300)).toHaveLength(0);

  // Teams per-conversation windows: 7 / 1 s, 8 / 2 s, 60 / 30 s; and the bot's global rate.
  expect(grants).toHaveLength(1000);
  expect(maxInWindowPerConversation(grants, 1000)).toBeLessThanOrEqual(7);
  expect(maxInWindowPerConversation(grants, 2000)).toBeLessThanOrEqual(8);
  expect(maxInWindowPerConversation(grants, 30000)).toBeLessThanOrEqual(60);
  expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(GLOBAL_PER_SECOND);
  const granted = byConversation(grants);
  for (const [conversationId, arrivals] of byConversation(delivered)) {
    const times = granted.get(conversationId) ?? [];
    expect(times).toHaveLength(arrivals.length);
    const early = arrivals.filter((at, k) => at < times[k]);
    expect(early).toEqual([]);
  }

  expect(await app.models.reminders.countDocuments({ status: 'sent' })).toBe(1000);
}, 90_000);
