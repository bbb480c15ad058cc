// The dispatch pass reads due buckets from a mark shared by every instance (services/reminders.ts
// dueBatch) instead of a range on dueAt. What must hold whatever the mark does: a reminder due
// during a stop of several hours goes out once when passes resume; one planned with a due time
// already behind the mark goes out; two instances still send each reminder once; a claim held by
// a sender that died is taken over at its lease end although the mark moved on long before;
// reminders stored before the buckets existed go out once.
import { ManualClock } from '../../services/clock';
import { keyOf as plannedKey } from '../../services/reminders';
import { uniqueDbName } from '../support/db';
import { deliveriesByKey, groupChat, keyOf, rememberGroup, toConversation, useReminderApps } from './support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const bots = useReminderApps();

const start = (clock: ManualClock, env: Record<string, string> = {}, dbName?: string) => bots.start(env, { clock, dbName });

const at = (clock: ManualClock, ms: number) => new Date(clock.now().getTime() + ms);

it('a reminder due during a stop of several hours goes out once when passes resume, late', async () => {
  const clock = new ManualClock();
  const { app } = await start(clock);
  await rememberGroup(app, bots.fake, groupChat('stop'));
  const inTheStop = toConversation(groupChat('stop'), at(clock, 2 * HOUR + 7 * MINUTE), 1);
  const afterTheStop = toConversation(groupChat('stop'), at(clock, 9 * HOUR), 2);
  await app.services.reminders.plan([inTheStop, afterTheStop]);
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 }); // the mark is now

  clock.advance(6 * HOUR + 41 * MINUTE); // no pass meanwhile
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
  expect([...deliveriesByKey(bots.fake)]).toEqual([[plannedKey(inTheStop), 1]]);
  expect(JSON.stringify(bots.fake.delivered()[0].body)).toMatch(/Ce rappel arrive en retard/);
  expect(await app.services.reminders.get(plannedKey(inTheStop))).toMatchObject({ status: 'sent', late: true });

  clock.advance(3 * HOUR);
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
  expect(deliveriesByKey(bots.fake).get(plannedKey(afterTheStop))).toBe(1);
});

it('a reminder planned with a due time already behind the mark goes out at the next pass', async () => {
  const clock = new ManualClock();
  const { app } = await start(clock);
  await rememberGroup(app, bots.fake, groupChat('past'));
  await app.jobs.reminders.drain();
  clock.advance(3 * HOUR);
  await app.jobs.reminders.drain(); // the mark is three hours on
  const overdue = toConversation(groupChat('past'), at(clock, -150 * MINUTE), 1);
  await app.services.reminders.plan([overdue]);
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
  expect(deliveriesByKey(bots.fake).get(plannedKey(overdue))).toBe(1);
});

it('a cancelled reminder planned again after the mark moved past it goes out', async () => {
  const clock = new ManualClock();
  const { app } = await start(clock);
  await rememberGroup(app, bots.fake, groupChat('again'));
  const plan = toConversation(groupChat('again'), at(clock, 10 * MINUTE), 1);
  await app.services.reminders.plan([plan]);
  await app.services.reminders.cancelSubject(plan.subject);
  clock.advance(HOUR);
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
  await app.services.reminders.plan([plan]); // the meeting moved back: same key, planned again
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
  expect(deliveriesByKey(bots.fake).get(plannedKey(plan))).toBe(1);
});

it('two instances resuming after a stop send each reminder due during it once', async () => {
  const clock = new ManualClock();
  const dbName = uniqueDbName('remmark2');
  const a = await start(clock, {}, dbName);
  const b = await start(clock, {}, dbName);
  for (let c = 0; c < 6; c++) await rememberGroup(a.app, bots.fake, groupChat(`two-${c}`));
  await a.app.jobs.reminders.drain();
  const plans = Array.from({ length: 36 }, (_, i) => toConversation(groupChat(`two-${i % 6}`), at(clock, (10 + i * 7) * MINUTE), i));
  await a.app.services.reminders.plan(plans);

  clock.advance(5 * HOUR);
  const [ra, rb] = await Promise.all([a.app.jobs.reminders.drain(), b.app.jobs.reminders.drain()]);
  expect(ra.sent + rb.sent).toBe(36);
  const counts = deliveriesByKey(bots.fake);
  expect(counts.size).toBe(36);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  await expect(Promise.all([a.app.jobs.reminders.drain(), b.app.jobs.reminders.drain()])).resolves.toMatchObject([{ sent: 0 }, { sent: 0 }]);
  expect(bots.fake.delivered()).toHaveLength(36);
});

it('a claim left by a sender that died is taken over at its lease end, long after the mark moved on', async () => {
  const clock = new ManualClock();
  const dbName = uniqueDbName('remmarkcrash');
  const env = { REMINDER_CLAIM_LEASE_SECONDS: String(20 * 60) };
  const dead = await start(clock, env, dbName);
  const survivor = await start(clock, env, dbName);
  await rememberGroup(survivor.app, bots.fake, groupChat('lease'));
  const plan = toConversation(groupChat('lease'), at(clock, -MINUTE), 1);
  await survivor.app.services.reminders.plan([plan]);
  await expect(dead.app.services.reminders.delivery.claim(plannedKey(plan))).resolves.toMatchObject({ claimed: true }); // then dies

  // A pass a minute for 19 minutes: the claim holds, the mark moves on.
  for (let m = 0; m < 19; m++) {
    await expect(survivor.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
    clock.advance(MINUTE);
  }
  expect(bots.fake.delivered()).toHaveLength(0);
  clock.advance(2 * MINUTE);
  await expect(survivor.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
  await expect(survivor.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
  expect(bots.fake.delivered().map(keyOf)).toEqual([plannedKey(plan)]);
  expect(await survivor.app.services.reminders.delivery.outcomeOf(plannedKey(plan))).toMatchObject({ outcome: 'sent', generation: 1 });
});

it('reminders stored before the due buckets existed go out once (the first pass on the database buckets them)', async () => {
  const clock = new ManualClock();
  const { app } = await start(clock);
  await rememberGroup(app, bots.fake, groupChat('legacy'));
  const overdue = toConversation(groupChat('legacy'), at(clock, -5 * HOUR), 1);
  const later = toConversation(groupChat('legacy'), at(clock, 2 * HOUR), 2);
  await app.services.reminders.plan([overdue, later]);
  await app.models.reminders.collection.updateMany({}, { $unset: { dueMinute: '', dueHour: '', dueDay: '', caseKey: '' } });
  clock.advance(HOUR); // stored long before this version's first pass

  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
  expect(await app.models.reminders.findOne({ key: plannedKey(later) }).lean()).toMatchObject({ caseKey: 'CMD-2026-0002', dueMinute: later.dueAt.toISOString().slice(0, 16) });
  clock.advance(2 * HOUR);
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
  expect([...deliveriesByKey(bots.fake).values()]).toEqual([1, 1]);
});
