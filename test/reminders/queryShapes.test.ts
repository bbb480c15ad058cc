// The reminder hot paths cost the same on a database holding thousands of scheduled and
// years of sent reminders as on an empty one. Every query the dispatch pass, "mes rappels" and the
// planning / cancelling of one subject send to the reminder collections is recorded (mongoose's
// debug hook) and explained: each must read through an index. On the embedded database only
// top-level plain equalities reach an index, so a new `$in`-only, range-only or status-only query
// makes this test fail. PostgreSQL's planner uses an index only on a big enough table: the
// collections are seeded with a few thousand documents of the real shape first.
import type { Collection, Document } from 'mongodb';
import { ManualClock } from '../../services/clock';
import { CaseReminderPlanner } from '../../services/reminderPlanning';
import { keyOf as plannedKey, PlannedReminder } from '../../services/reminders';
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { explainFind } from '../support/queryPlan';
import { groupChat, ORGANISER, REFERENT, rememberGroup, rememberPersonal } from './support';

const REMINDER_COLLECTIONS = new Set(['reminders', 'reminderClaims', 'reminderOutcomes', 'reminderDispatch']);
const SCHEDULED = 2400;
const SENT = 2400;
const MINUTE = 60_000;
const DAY = 86_400_000;

let fake: FakeConnector;
let running: RunningApp;
const clock = new ManualClock();

interface Recorded {
  collection: string;
  op: string;
  filter: Document;
}

/** The queries sent to the reminder collections while `fn` runs (inserts have no filter and are left out). */
async function recordQueries(fn: () => Promise<unknown>): Promise<Recorded[]> {
  const conn = running.app.models.reminders.db;
  const seen: Recorded[] = [];
  conn.set('debug', (collection: string, op: string, ...args: unknown[]) => {
    if (!REMINDER_COLLECTIONS.has(collection) || /^insert/.test(op)) return;
    const filter = args[0];
    if (filter && typeof filter === 'object' && !Array.isArray(filter)) seen.push({ collection, op, filter: filter as Document });
  });
  try {
    await fn();
  } finally {
    conn.set('debug', false);
  }
  return seen;
}

/** A query's shape: its field names and operators, values left out. */
const shapeOf = (filter: Document): string =>
  JSON.stringify(filter, (k, v) => (k && v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? v : k ? (Array.isArray(v) ? '[…]' : typeof v) : v));

const isScalar = (v: unknown): boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date || (typeof v === 'object' && v !== null && '_bsontype' in v);

/** The part of a filter the embedded database answers in SQL: top-level plain equalities on scalars. */
function pushedDownPart(filter: Document): Document {
  return Object.fromEntries(
    Object.entries(filter).filter(([k, v]) => !k.startsWith('$') && !k.includes('.') && (isScalar(v) || (v && typeof v === 'object' && Object.keys(v).join() === '$eq' && isScalar(v.$eq)))),
  );
}

/** A query costs the same on a full database as on an empty one when one of its SQL equalities matches a handful of rows. */
const MAX_ROWS_READ = 200;

/**
 * The recorded queries that do not read through an index, or whose indexed equalities still
 * match many documents (a status alone), as "collection op shape" lines.
 */
async function unindexed(recorded: Recorded[]): Promise<string[]> {
  const db = running.app.models.reminders.db.db!;
  const bad = new Set<string>();
  if (process.env.PRINT_SHAPES) console.log([...new Set(recorded.map((q) => `${q.collection} ${q.op} ${shapeOf(q.filter)}`))].join('\n'));
  for (const q of recorded) {
    // The dispatch mark is one document read by its _id: a table scan of one row costs the same.
    if (q.collection === 'reminderDispatch' && Object.keys(q.filter).join() === '_id' && typeof q.filter._id === 'string') continue;
    const collection = db.collection(q.collection) as Collection<Document>;
    const plan = await explainFind(collection, q.filter);
    // The most selective of the equalities sent to SQL (PostgreSQL reads through that index).
    const pushed = Object.entries(pushedDownPart(q.filter));
    const rows = pushed.length ? Math.min(...(await Promise.all(pushed.map(([k, v]) => collection.countDocuments({ [k]: v }))))) : await collection.estimatedDocumentCount();
    if (!plan.indexed) bad.add(`${q.collection} ${q.op} ${shapeOf(q.filter)} (no index)`);
    else if (rows > MAX_ROWS_READ) bad.add(`${q.collection} ${q.op} ${shapeOf(q.filter)} (${rows} rows)`);
  }
  return [...bad].sort();
}

const participant = (i: number) => `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const organiser = (i: number) => `f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const trackingId = (i: number) => `CMD-2025-${String(i).padStart(4, '0')}`;

function seedPlans(): PlannedReminder[] {
  const now = clock.now().getTime();
  return Array.from({ length: SCHEDULED }, (_, i) => {
    const c = i % 600;
    return {
      kind: 'meeting',
      subject: `${trackingId(c)}#meeting-1`,
      // Spread over the next three months, on whole minutes like the planners' times.
      dueAt: new Date(Math.floor((now + DAY + ((i * 37) % 90) * DAY + (i % 600) * MINUTE) / MINUTE) * MINUTE),
      recipient: { aadObjectId: participant(i % 400) },
      locale: 'fr',
      payload: { trackingId: trackingId(c), date: new Date(now + 100 * DAY).toISOString() },
      organiserAadObjectId: organiser(c % 60),
    };
  });
}

beforeAll(async () => {
  fake = await FakeConnector.start();
  running = await startTestApp({ OUTBOUND_GLOBAL_PER_SECOND: '200' }, { startScheduler: false, clock });
  const { app } = running;
  await app.services.reminders.plan(seedPlans());
  // Years of sent reminders, with their claims and outcomes: clones of the planned ones, in the past.
  const planned = await app.models.reminders.find({}).limit(SENT).lean();
  const sentAt = (i: number) => new Date(clock.now().getTime() - (1 + (i % 900)) * DAY);
  const sent = planned.map((r, i) => {
    const { _id, ...rest } = r;
    void _id;
    const { dueMinute, dueHour, dueDay, ...waitingNoMore } = rest; // due buckets exist only while a reminder waits
    void [dueMinute, dueHour, dueDay];
    return { ...waitingNoMore, key: `${r.key}:past${i}`, rootKey: `${r.key}:past${i}`, dueAt: sentAt(i), status: 'sent' as const, sentAt: sentAt(i), attempts: 1 };
  });
  await app.models.reminders.collection.insertMany(sent);
  await app.models.reminderClaims.collection.insertMany(sent.map((r) => ({ key: r.key, generation: 0, instanceId: 'seed', claimedAt: r.dueAt, leaseUntil: r.dueAt })));
  await app.models.reminderOutcomes.collection.insertMany(
    sent.map((r, i) => ({ key: r.key, generation: 0, outcome: 'sent', error: null, activityId: `act-${i}`, conversationId: `a:conv-${i % 400}`, late: false, at: r.dueAt })),
  );
  await rememberGroup(app, fake, groupChat('shapes'));
  await rememberPersonal(app, fake, REFERENT);
  // The first pass on a database puts reminders stored without due buckets into the current
  // minute (one read of every scheduled reminder, once): later passes are what is measured.
  await app.jobs.reminders.drain();
}, 180_000);

afterAll(async () => {
  await running?.close();
  await fake?.close();
});

const toGroup = (n: number, dueAt: Date): PlannedReminder => ({
  kind: 'meeting',
  subject: `CMD-2026-${String(n).padStart(4, '0')}#meeting-1`,
  dueAt,
  recipient: { conversationId: groupChat('shapes') },
  locale: 'fr',
  payload: { trackingId: `CMD-2026-${String(n).padStart(4, '0')}`, date: dueAt.toISOString() },
  organiserAadObjectId: ORGANISER.aadObjectId,
});

it('the dispatch pass reads and writes through indexes only (claims, held claims, outcomes, statuses, the mark)', async () => {
  const { app } = running;
  const past = new Date(clock.now().getTime() - 30 * MINUTE);
  const plans = [1, 2, 3, 4, 5].map((n) => toGroup(n, past));
  await app.services.reminders.plan(plans);
  // Another sender holds one of them (its lease runs): the pass must put it aside for later.
  await expect(app.services.reminders.delivery.claim(plannedKey(plans[4]))).resolves.toMatchObject({ claimed: true });
  clock.advance(2 * MINUTE);

  const recorded = await recordQueries(() => app.jobs.reminders.drain());
  expect(fake.delivered(groupChat('shapes'))).toHaveLength(4);
  const ops = new Set(recorded.map((q) => `${q.collection}.${q.op}`));
  // The pass did walk buckets, update statuses, look at a held claim and move the mark.
  expect([...ops]).toEqual(expect.arrayContaining(['reminders.find', 'reminders.updateOne', 'reminderClaims.findOne', 'reminderOutcomes.findOne', 'reminderDispatch.findOne', 'reminderDispatch.updateOne']));
  await expect(unindexed(recorded)).resolves.toEqual([]);
}, 120_000);

it('a catch-up after hours without a pass walks day, hour and minute buckets through indexes', async () => {
  const { app } = running;
  await app.jobs.reminders.drain();
  clock.advance(27 * 3_600_000 + 17 * MINUTE);
  const recorded = await recordQueries(() => app.jobs.reminders.drain());
  const probes = recorded.filter((q) => q.collection === 'reminders' && ('dueMinute' in q.filter || 'dueHour' in q.filter || 'dueDay' in q.filter));
  // One probe per day, hour or minute bucket, not one per minute of the 27 hours.
  expect(probes.length).toBeLessThan(160);
  expect(probes.some((q) => 'dueHour' in q.filter)).toBe(true);
  await expect(unindexed(recorded)).resolves.toEqual([]);
}, 120_000);

it('"mes rappels" (recipient, organiser) reads through indexes only', async () => {
  const { app } = running;
  const recorded = await recordQueries(async () => {
    await app.services.reminders.lists.listFor(organiser(7), true);
    await app.services.reminders.lists.listFor(participant(12), false);
    await app.services.reminders.lists.upcomingFor(participant(12));
    await app.services.reminders.lists.upcomingForOrganiser(organiser(7));
  });
  expect((await app.services.reminders.lists.listFor(organiser(7), true)).length).toBeGreaterThan(0);
  expect(recorded.length).toBeGreaterThanOrEqual(4);
  await expect(unindexed(recorded)).resolves.toEqual([]);
}, 120_000);

it("the dashboard tab's reminders (a person's, as recipient or organiser, from a week ago on) read through indexes only", async () => {
  const { app } = running;
  const weekAgo = new Date(clock.now().getTime() - 7 * DAY);
  const recorded = await recordQueries(async () => {
    await app.services.reminders.lists.recentFor(organiser(7), weekAgo);
    await app.services.reminders.lists.recentFor(participant(12), weekAgo);
  });
  expect((await app.services.reminders.lists.recentFor(organiser(7), weekAgo)).length).toBeGreaterThan(0);
  expect(recorded.length).toBeGreaterThanOrEqual(4);
  await expect(unindexed(recorded)).resolves.toEqual([]);
}, 120_000);

it('planning, re-planning, snoozing and cancelling for one subject read and write through indexes only', async () => {
  const { app } = running;
  const planner = new CaseReminderPlanner({
    cases: app.services.cases,
    reminders: app.services.reminders,
    reminderModel: app.models.reminders,
    localeOf: async () => null,
    clock: app.clock,
    defaultLocale: 'fr',
  });
  const subject = `${trackingId(3)}#meeting-1`;
  const future = (d: number) => new Date(Math.floor((clock.now().getTime() + d * DAY) / MINUTE) * MINUTE);
  const plan = (d: number, who: string): PlannedReminder => ({
    kind: 'meeting',
    subject,
    dueAt: future(d),
    recipient: { aadObjectId: who },
    locale: 'fr',
    payload: { trackingId: trackingId(3), date: future(20).toISOString() },
    organiserAadObjectId: organiser(3),
  });
  const recorded = await recordQueries(async () => {
    const first = [plan(5, participant(1)), plan(5, participant(2))];
    await app.services.reminders.replanSubject(subject, first);
    await app.services.reminders.replanSubject(subject, [plan(6, participant(1)), plan(6, participant(2))]);
    // Back to the first date: the cancelled ones are planned again.
    await app.services.reminders.replanSubject(subject, first);
    await app.services.reminders.snooze(plannedKey(first[0]), future(7), REFERENT.aadObjectId);
    await app.services.reminders.markDone(plannedKey(first[0]), REFERENT.aadObjectId);
    await app.services.reminders.cancelForRecipient(subject, participant(2));
    await app.services.reminders.cancel(plannedKey(first[1]), ORGANISER.aadObjectId);
    await planner.cancelCase(trackingId(4), 'test');
  });
  expect(await app.services.reminders.get(plannedKey(plan(5, participant(2))))).toMatchObject({ status: 'cancelled' });
  expect(await planner.openSubjects(trackingId(4))).toEqual([]);
  await expect(unindexed(recorded)).resolves.toEqual([]);
}, 120_000);

it('tells the old shapes apart: a status-only range, a $in on keys and an $or read the whole collection', async () => {
  const { app } = running;
  const keys = (await app.models.reminders.find({ status: 'scheduled', dueMinute: { $exists: true } }).limit(3).lean()).map((r) => r.key);
  const old: Recorded[] = [
    { collection: 'reminders', op: 'find', filter: { status: 'scheduled', dueAt: { $lte: clock.now() } } },
    { collection: 'reminderOutcomes', op: 'find', filter: { key: { $in: keys } } },
    { collection: 'reminders', op: 'find', filter: { $or: [{ recipientAadObjectId: participant(1), status: { $in: ['scheduled'] } }, { organiserAadObjectId: organiser(1), status: { $in: ['failed', 'ambiguous'] } }] } },
  ];
  await expect(unindexed(old)).resolves.toHaveLength(3);
}, 60_000);
