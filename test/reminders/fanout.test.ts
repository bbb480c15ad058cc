// 1,000 reminders due at once to 50 conversations: zero loss, zero duplicates, and no Teams
// window exceeded, measured from the fake connector's arrival timestamps.
import { keyOf as plannedKey } from '../../services/reminders';
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector, maxInWindow, maxInWindowPerConversation } from '../support/fakeConnector';
import { deliveriesByKey, groupChat, rememberGroup, toConversation } from './support';

const GLOBAL_PER_SECOND = 100;
// Arrival times carry network and event-loop jitter on top of the limiter's grant times
// (see test/outbound/connectorIntegration.test.ts): windows are checked a little shorter, and
// the global rate over 5 s (a broken limiter would send the 1,000 in one burst).
const JITTER_MS = 150;

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

  const report = await app.jobs.reminders.drain();
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
  expect(maxInWindowPerConversation(delivered, 1000 - JITTER_MS)).toBeLessThanOrEqual(7);
  expect(maxInWindowPerConversation(delivered, 2000 - JITTER_MS)).toBeLessThanOrEqual(8);
  expect(maxInWindowPerConversation(delivered, 30000 - JITTER_MS)).toBeLessThanOrEqual(60);
  expect(maxInWindow(delivered, 5000 - JITTER_MS)).toBeLessThanOrEqual(5 * GLOBAL_PER_SECOND);

  expect(await app.models.reminders.countDocuments({ status: 'sent' })).toBe(1000);
}, 90_000);
