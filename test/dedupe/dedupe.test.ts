// Issue 10, item 1: an activity Teams delivers twice (same id) is processed once, on every
// instance sharing the database; activities without an id still pass; old claims are purged.
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { STANDARD_ANSWERS } from '../support/sheet';
import { FakeConnector } from '../support/fakeConnector';
import { ManualClock } from '../../services/clock';
import { purgeOnce } from '../../jobs/purge';
import { ActivityDedupe, SEEN_ACTIVITY_RETENTION_MS, seenKey } from '../../bot/dedupe';
import { createLogger } from '../../bot/logger';
import { admittedCase, createData, invoke, localIn, ORGANISER, postInvoke, userN } from '../polls/support';

const TENANT = '11111111-1111-4111-8111-111111111111';
const texts = (res: { body: { activities?: Array<Record<string, any>> } }) => (res.body.activities ?? []).map((a) => `${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`).join('\n');

describe('redelivered activities', () => {
  let running: RunningApp;
  let second: RunningApp;
  let fake: FakeConnector;
  const clock = new ManualClock();

  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp({}, { clock, startScheduler: false });
    // A second instance on the same database: the claim is shared.
    second = await startTestApp({}, { dbName: running.dbName, startScheduler: false });
  });
  afterAll(async () => {
    await running.app.features.polls.settled();
    await second.close();
    await running.close();
    await fake.close();
  });

  const requester = (n: number) => ({
    from: { id: `29:fictional-dedupe-${n}`, aadObjectId: `00000000-0000-4000-8000-0000000d0${String(n).padStart(3, '0')}`, name: 'Alex Test' },
    conversation: { id: `a:fictional-dedupe-${n}`, conversationType: 'personal', tenantId: TENANT },
    serviceUrl: fake.url,
  });
  const say = (who: ReturnType<typeof requester>, a: string | Record<string, unknown>, over: Record<string, unknown> = {}) =>
    teamsMessage(typeof a === 'string' ? a : undefined, { ...who, ...(typeof a === 'string' ? {} : { value: a }), ...over });

  it('answers a sheet question once when the same answer arrives twice (also on another instance)', async () => {
    const who = requester(1);
    for (const a of STANDARD_ANSWERS.slice(0, 2)) await post(running.url, say(who, a));
    const answer = say(who, 'CPAS fictif de Test');
    const first = await post(running.url, answer);
    expect(texts(first)).toMatch(/Dans quel secteur/);
    const again = await post(running.url, answer);
    expect(again.status).toBe(200);
    expect(again.body.activities ?? []).toHaveLength(0);
    const elsewhere = await post(second.url, answer);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.activities ?? []).toHaveLength(0);
    // The sheet still waits for the question after the one answered.
    const next = await post(running.url, say(who, 'précarité'));
    expect(texts(next)).toMatch(/lien avec la personne concernée/);
  });

  it('takes a card submit once when it is delivered twice', async () => {
    const who = requester(2);
    // Up to the living-place card (the e-mail question comes too: the fake directory has no e-mail).
    for (const a of [...STANDARD_ANSWERS.slice(0, 7), 'passer', '72']) await post(running.url, say(who, a));
    const submit = say(who, { requestField: 'person.livingPlace', answer: 'home' });
    expect(texts(await post(running.url, submit))).toMatch(/Dans quelle commune/);
    const [a, b] = await Promise.all([post(running.url, submit), post(second.url, submit)]);
    expect([a.body.activities ?? [], b.body.activities ?? []]).toEqual([[], []]);
    expect(texts(await post(running.url, say(who, 'Saint-Gilles')))).toMatch(/Décrivez la situation/);
  });

  it('keys on the conversation: the same activity id in another conversation is processed', async () => {
    const shared = { id: 'fictional-shared-activity-id' };
    const one = await post(running.url, say(requester(3), 'aide', shared));
    const other = await post(running.url, say(requester(4), 'aide', shared));
    expect(one.body.activities?.length).toBeGreaterThan(0);
    expect(other.body.activities?.length).toBeGreaterThan(0);
  });

  it('lets activities without an id through, every time', async () => {
    const who = requester(5);
    for (let n = 0; n < 2; n++) {
      const res = await post(running.url, say(who, 'aide', { id: undefined }));
      expect(res.body.activities?.length).toBeGreaterThan(0);
    }
  });

  it('counts an invoke delivered twice once and gives both deliveries the same 200 answer', async () => {
    const group = 'a:fictional-dedupe-group';
    const members = [1, 2].map(userN);
    fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members]);
    const trackingId = await admittedCase(running);
    const data = createData(trackingId, { slots: [localIn(5, 10), localIn(6, 14)], deadline: localIn(3, 18), members: members.map((m) => m.aadObjectId) });
    const created = await postInvoke(running.url, invoke('poll.create', data, fake.url, group));
    expect(created.status).toBe(200);
    const [{ pollId }] = await running.app.services.polls.forTrackingId(trackingId);

    const answer = invoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'no', comment: '' }, fake.url, group, members[0], { id: 'fictional-dedupe-invoke-1' });
    // Concurrent deliveries, on two instances: whichever loses the claim waits for the first's answer.
    const [a, b] = await Promise.all([postInvoke(running.url, answer), postInvoke(second.url, answer)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(JSON.stringify(a.body)).toContain('Vos réponses sont enregistrées');
    expect(b.body).toEqual(a.body);
    // A late redelivery is answered the same way, from the stored response, and does nothing else.
    await running.app.features.polls.settled();
    await second.app.features.polls.settled();
    const before = fake.requests.length;
    const late = await postInvoke(second.url, answer);
    expect(late).toEqual(a);
    await second.app.features.polls.settled();
    expect(fake.requests.slice(before)).toEqual([]);
    expect(await running.app.models.pollAnswers.countDocuments({ pollId })).toBe(1);
  });

  it('forgets claims after the retention period (retention purge job)', async () => {
    const seen = running.app.models.seenActivities;
    const key = seenKey('msteams', 'a:fictional-dedupe-purge', 'fictional-old-activity');
    await seen.create({ _id: key, seenAt: clock.now() });
    const deps = {
      drafts: running.app.services.drafts,
      reminders: running.app.services.reminders,
      seenActivities: new ActivityDedupe(seen, createLogger('silent'), { defaultLocale: 'fr' }),
      seenRetentionMs: SEEN_ACTIVITY_RETENTION_MS,
      now: () => clock.now(),
      logger: { info: () => undefined } as never,
      reminderRetentionDays: 30,
    };
    await purgeOnce(deps);
    expect(await seen.countDocuments({ _id: key })).toBe(1);
    clock.advance(SEEN_ACTIVITY_RETENTION_MS + 60_000);
    await purgeOnce(deps);
    expect(await seen.countDocuments({ _id: key })).toBe(0);
  });
});
