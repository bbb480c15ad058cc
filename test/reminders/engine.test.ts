// The reminder engine end to end: real database, real bot instances, the fake Bot Connector as
// serviceUrl. Exactly-once across two instances, crash take-over, catch-up after a restart,
// re-planning, retention purge (delivery failures per status code: engine.failures.test.ts).
import { meetingReminderTimes } from '../../domain/reminderDates';
import { MAX_CLAIM_GENERATIONS } from '../../jobs/reminders';
import { ManualClock } from '../../services/clock';
import { keyOf as plannedKey } from '../../services/reminders';
import { RunningApp } from '../support/app';
import { uniqueDbName } from '../support/db';
import { deliveriesByKey, groupChat, keyOf, ORGANISER, personalChat, REFERENT, rememberGroup, rememberPersonal, toConversation, useReminderApps, waitFor } from './support';

const bots = useReminderApps();
const { start } = bots;

const ago = (ms: number) => new Date(Date.now() - ms);

/** Counts the dispatch passes the scheduler runs on an instance (each job run calls drain()). */
function countPasses(running: RunningApp): { started(): number; finishedSince(n: number): number } {
  const dispatcher = running.app.jobs.reminders;
  const drain = dispatcher.drain.bind(dispatcher);
  let started = 0;
  const finished: number[] = []; // the start number of each finished pass
  jest.spyOn(dispatcher, 'drain').mockImplementation(async (max?: number) => {
    const n = ++started;
    try {
      return await drain(max);
    } finally {
      finished.push(n);
    }
  });
  return { started: () => started, finishedSince: (n) => finished.filter((m) => m > n).length };
}

describe('exactly once', () => {
  it('two instances dispatching the same due reminders at the same moment deliver each exactly once', async () => {
    const dbName = uniqueDbName('rem2');
    const a = await start({}, { dbName });
    const b = await start({}, { dbName });
    for (let c = 0; c < 8; c++) await rememberGroup(a.app, bots.fake, groupChat(c));
    const plans = Array.from({ length: 40 }, (_, i) => toConversation(groupChat(i % 8), ago(60_000), i));
    await a.app.services.reminders.plan(plans);

    const [ra, rb] = await Promise.all([a.app.jobs.reminders.drain(), b.app.jobs.reminders.drain()]);
    expect(ra.sent + rb.sent).toBe(40);

    const counts = deliveriesByKey(bots.fake);
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(bots.fake.delivered()).toHaveLength(40);
    // A third pass finds nothing left to send.
    await expect(a.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0, claimed: 0 });
    const docs = await a.app.models.reminders.find({}).lean();
    expect(docs.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
    const outcomes = await a.app.models.reminderOutcomes.find({}).lean();
    expect(outcomes).toHaveLength(40);
    expect(outcomes.every((o) => o.outcome === 'sent' && o.activityId)).toBe(true);
  });

  it('two instances each with their own scheduler (agenda) deliver each reminder exactly once', async () => {
    const dbName = uniqueDbName('rem2s');
    const env = { REMINDER_DISPATCH_EVERY: '300 ms' };
    const a = await start(env, { dbName, startScheduler: true });
    const b = await start(env, { dbName, startScheduler: true });
    for (let c = 0; c < 5; c++) await rememberGroup(a.app, bots.fake, groupChat(`s${c}`));
    await b.app.services.reminders.plan(Array.from({ length: 25 }, (_, i) => toConversation(groupChat(`s${i % 5}`), ago(1000), i)));

    const passes = [a, b].map(countPasses);
    await waitFor(() => deliveriesByKey(bots.fake).size === 25);
    // Both schedulers run two more whole passes begun after the last delivery (a pass shares the
    // one in progress, hence two): a duplicate would be sent within one of them, whatever the load.
    const after = passes.map((p) => p.started());
    await waitFor(() => passes.every((p, i) => p.finishedSince(after[i]) >= 2), 30_000);
    const counts = deliveriesByKey(bots.fake);
    expect(counts.size).toBe(25);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('a claim left by a crashed instance is taken over after its lease, never lost and not sent twice', async () => {
    const clock = new ManualClock();
    const dbName = uniqueDbName('remcrash');
    const crashed = await start({ REMINDER_CLAIM_LEASE_SECONDS: '60' }, { dbName, clock });
    const survivor = await start({ REMINDER_CLAIM_LEASE_SECONDS: '60' }, { dbName, clock });
    await rememberGroup(survivor.app, bots.fake, groupChat('crash'));
    const plan = toConversation(groupChat('crash'), ago(1000), 1);
    await survivor.app.services.reminders.plan([plan]);
    const key = plannedKey(plan);

    // The first instance claims, then dies before sending.
    await expect(crashed.app.services.reminders.delivery.claim(key)).resolves.toEqual({ claimed: true, generation: 0 });
    await expect(survivor.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
    expect(bots.fake.delivered()).toHaveLength(0);

    clock.advance(61_000);
    await expect(survivor.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
    await expect(survivor.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
    expect(bots.fake.delivered()).toHaveLength(1);
    expect(await survivor.app.services.reminders.delivery.outcomeOf(key)).toMatchObject({ outcome: 'sent', generation: 1 });
    expect(await survivor.app.services.reminders.get(key)).toMatchObject({ status: 'sent', attempts: 2 });
    // The crashed instance cannot claim it again.
    await expect(crashed.app.services.reminders.delivery.claim(key)).resolves.toEqual({ claimed: false, reason: 'done' });
  });

  it('a reminder whose senders keep dying is given up as ambiguous after 3 claims: shown, organiser told, not sent', async () => {
    const clock = new ManualClock();
    const { app } = await start({ REMINDER_CLAIM_LEASE_SECONDS: '60' }, { clock });
    await app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', 'test', { languages: ['fr'] });
    await rememberPersonal(app, bots.fake, ORGANISER);
    await rememberGroup(app, bots.fake, groupChat('dying'));
    const plan = toConversation(groupChat('dying'), ago(1000), 3);
    await app.services.reminders.plan([plan]);
    const key = plannedKey(plan);
    for (let generation = 0; generation < MAX_CLAIM_GENERATIONS; generation++) {
      await expect(app.services.reminders.delivery.claim(key)).resolves.toEqual({ claimed: true, generation }); // then dies
      clock.advance(61_000);
    }
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0, ambiguous: 1 });
    expect(bots.fake.delivered(groupChat('dying'))).toHaveLength(0);
    expect(await app.services.reminders.get(key)).toMatchObject({ status: 'ambiguous' });
    expect((await app.services.reminders.lists.listFor(ORGANISER.aadObjectId, true)).map((r) => r.key)).toContain(key);
    expect(bots.fake.delivered(personalChat(ORGANISER))).toHaveLength(1);
    expect(JSON.stringify(bots.fake.delivered(personalChat(ORGANISER))[0].body)).toMatch(/n'est peut-être pas arrivé/);
  });

  it('planning the same reminder twice is a no-op', async () => {
    const { app } = await start();
    const plan = toConversation(groupChat('p'), new Date(Date.now() + 86_400_000), 7);
    await expect(app.services.reminders.plan([plan])).resolves.toEqual({ inserted: [plannedKey(plan)], existing: [] });
    await expect(app.services.reminders.plan([plan, plan])).resolves.toEqual({ inserted: [], existing: [plannedKey(plan), plannedKey(plan)] });
    expect(await app.models.reminders.countDocuments({})).toBe(1);
  });

  it('refuses a reminder without a recipient, and plans nothing of that batch', async () => {
    const { app } = await start();
    const good = toConversation(groupChat('x'), new Date(), 1);
    const bad = { ...toConversation(groupChat('x'), new Date(), 2), recipient: {} };
    await expect(app.services.reminders.plan([good, bad])).rejects.toThrow(/recipient/);
    expect(await app.models.reminders.countDocuments({})).toBe(0);
  });
});

describe('catch-up after a restart', () => {
  it('reminders due while the bot was stopped are sent on start and say they are late', async () => {
    const dbName = uniqueDbName('remrestart');
    const first = await start({}, { dbName });
    await rememberGroup(first.app, bots.fake, groupChat('r'));
    const overdue = toConversation(groupChat('r'), ago(3 * 3600_000), 1);
    const justDue = toConversation(groupChat('r'), ago(60_000), 2);
    const future = toConversation(groupChat('r'), new Date(Date.now() + 3600_000), 3);
    await first.app.services.reminders.plan([overdue, justDue, future]);
    await first.close();

    const second = await start({ REMINDER_DISPATCH_EVERY: '1 minute' }, { dbName, startScheduler: true });
    // agenda runs an "every" job at once on start: no wait for the first interval.
    await waitFor(() => bots.fake.delivered().length === 2);
    const byKey = new Map(bots.fake.delivered().map((r) => [keyOf(r), JSON.stringify(r.body)]));
    expect(byKey.get(plannedKey(overdue))).toMatch(/Ce rappel arrive en retard/);
    expect(byKey.get(plannedKey(justDue))).not.toMatch(/en retard/);
    expect(byKey.has(plannedKey(future))).toBe(false);
    // The status follows the outcome after the pass: wait for it, not for the delivery.
    await waitFor(async () => (await second.app.services.reminders.get(plannedKey(overdue)))?.status === 'sent');
    expect(await second.app.services.reminders.get(plannedKey(overdue))).toMatchObject({ status: 'sent', late: true });
    expect(await second.app.services.reminders.get(plannedKey(future))).toMatchObject({ status: 'scheduled' });
  });
});

describe('re-planning when the subject changes', () => {
  it('a meeting moved: old reminders cancelled, new ones sent at the new time, none doubled', async () => {
    const clock = new ManualClock();
    const { app } = await start({}, { clock });
    await rememberPersonal(app, bots.fake, REFERENT);
    const subject = 'CMD-2026-0042';
    const planFor = (meeting: Date) =>
      meetingReminderTimes(meeting, clock.now()).map((dueAt) => ({
        kind: 'meeting' as const,
        subject,
        dueAt,
        recipient: { aadObjectId: REFERENT.aadObjectId, teamsUserId: REFERENT.id },
        locale: 'fr' as const,
        payload: { trackingId: subject, date: meeting.toISOString() },
        organiserAadObjectId: ORGANISER.aadObjectId,
      }));
    const day = 86_400_000;
    const first = new Date(clock.now().getTime() + 10 * day);
    const moved = new Date(clock.now().getTime() + 20 * day);

    const expectedKeys = new Set(planFor(moved).map(plannedKey));
    await app.services.reminders.replanSubject(subject, planFor(first));
    expect(await app.services.reminders.lists.upcomingFor(REFERENT.aadObjectId)).toHaveLength(2);
    const replanned = await app.services.reminders.replanSubject(subject, planFor(moved));
    expect(replanned).toMatchObject({ cancelled: 2 });
    expect(replanned.inserted).toHaveLength(2);
    // Re-planning the same meeting again changes nothing.
    await expect(app.services.reminders.replanSubject(subject, planFor(moved))).resolves.toMatchObject({ cancelled: 0, inserted: [] });

    clock.advance(10 * day); // past both old reminders
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
    clock.advance(4 * day); // past the new J-7
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
    clock.advance(6 * day); // past the new J-1
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });

    const delivered = bots.fake.delivered(personalChat(REFERENT));
    expect(delivered).toHaveLength(2);
    expect(new Set(delivered.map(keyOf))).toEqual(expectedKeys);
    const statuses = (await app.models.reminders.find({ subject }).lean()).map((r) => r.status).sort();
    expect(statuses).toEqual(['cancelled', 'cancelled', 'sent', 'sent']);
  });

  it('a cancelled subject sends nothing', async () => {
    const { app } = await start();
    await rememberGroup(app, bots.fake, groupChat('c'));
    await app.services.reminders.plan([toConversation(groupChat('c'), ago(1000), 5), toConversation(groupChat('c'), ago(2000), 5)]);
    await expect(app.services.reminders.cancelSubject('CMD-2026-0005')).resolves.toBe(2);
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
    expect(bots.fake.delivered()).toHaveLength(0);
  });
});

describe('retention purge', () => {
  it('removes old delivered / cancelled reminders with their claims and outcomes, keeps planned ones', async () => {
    const clock = new ManualClock();
    const { app } = await start({ REMINDER_RETENTION_DAYS: '30' }, { clock });
    await rememberGroup(app, bots.fake, groupChat('purge'));
    const sent = toConversation(groupChat('purge'), ago(1000), 1);
    const cancelled = toConversation(groupChat('purge'), new Date(Date.now() + 86_400_000), 2);
    const later = toConversation(groupChat('purge'), new Date(Date.now() + 90 * 86_400_000), 3);
    await app.services.reminders.plan([sent, cancelled, later]);
    await app.jobs.reminders.drain();
    await app.services.reminders.cancelSubject(cancelled.subject);

    const { purgeOnce } = await import('../../jobs/purge');
    for (let n = 0; n < 5; n++) await app.storage.write({ 'purge-test-state': { n } });
    const deps = { drafts: app.services.drafts, reminders: app.services.reminders, botState: app.storage, now: () => clock.now(), logger: { info: () => undefined } as never, reminderRetentionDays: 30 };
    await expect(purgeOnce(deps)).resolves.toEqual({ drafts: 0, reminders: 0, stateVersions: 0 });
    clock.advance(31 * 86_400_000);
    await expect(purgeOnce(deps)).resolves.toMatchObject({ drafts: 0, reminders: 2 });
    // Old bot-state versions go; the latest of each key stays readable.
    expect(await app.models.reminders.db.collection('botState').countDocuments({ key: 'purge-test-state', _id: { $regex: ':' } as never })).toBe(1);
    expect((await app.storage.read(['purge-test-state']))['purge-test-state']).toMatchObject({ n: 4 });
    expect((await app.models.reminders.find({}).lean()).map((r) => r.key)).toEqual([plannedKey(later)]);
    expect(await app.models.reminderOutcomes.countDocuments({})).toBe(0);
    expect(await app.models.reminderClaims.countDocuments({})).toBe(0);
  });
});
