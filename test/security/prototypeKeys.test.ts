// Issue 10, item 6: names a client chooses (card verbs, submit actions, typed words) are looked up
// in Maps or own properties only: `constructor`, `__proto__`... never reach a handler.
import type { TurnScope } from '../../bot/teamsBot';
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { admittedCase, invoke, postInvoke, TENANT } from '../polls/support';
import { FakeConnector } from '../support/fakeConnector';

const HOSTILE = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'];
const COORDINATOR = { id: '29:fictional-coordinator-proto', aadObjectId: 'c0000000-0000-4000-8000-00000000f001', name: 'Coralie Coordination' };
const conversation = { id: '19:fictional-proto-coordination@thread.v2', conversationType: 'groupChat', tenantId: TENANT };

describe('hostile keys', () => {
  let running: RunningApp;
  let fake: FakeConnector;
  let trackingId: string;

  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId }, { startScheduler: false });
    trackingId = await admittedCase(running);
  });
  afterAll(async () => {
    await running.app.features.polls.settled();
    await running.close();
    await fake.close();
  });

  /** Every business collection's size (not the bookkeeping: state, redelivery ids, where to reach people, the scheduler and the reminder pass's mark): hostile input must change none of them. */
  const counts = async () => {
    const db = running.app.conn.db!;
    const names = (await db.listCollections().toArray()).map((c) => c.name).filter((n) => !['botState', 'seenActivities', 'conversationReferences', 'conversationReferencesByUser', 'members', 'agendaJobs', 'reminderDispatch'].includes(n)).sort();
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await db.collection(n).countDocuments({})] as const)));
  };

  it.each(HOSTILE)('the route table finds nothing for %s', (key) => {
    const routes = running.app.bot.routes;
    expect(routes.verbs.get(key)).toBeUndefined();
    expect(routes.submits.get(key)).toBeUndefined();
    expect(routes.commands.get(key as never)).toBeUndefined();
  });

  it.each(HOSTILE)('the triage feature declares no verb %s (the table reads only its own entries)', async (key) => {
    const triage = running.app.bot.feature(running.app.bot.routes.verbs.get('triage.yes')!.feature)!;
    expect(Object.prototype.hasOwnProperty.call(triage.verbs, key)).toBe(false);
    expect(running.app.bot.routes.verbs.get(key)).toBeUndefined();
  });

  it.each(HOSTILE)('a coordinator card action %s gets "not understood" and changes nothing', async (key) => {
    const before = await counts();
    const res = await postInvoke(running.url, invoke(key, { trackingId, organiser: COORDINATOR.aadObjectId, notes: '' }, fake.url, conversation.id, COORDINATOR));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toMatch(/Je n'ai pas compris/);
    expect(await counts()).toEqual(before);
  });

  it.each(HOSTILE)('a card submit or typed word %s gets "not understood" and changes nothing', async (key) => {
    const before = await counts();
    const submit = await post(running.url, teamsMessage(undefined, { from: COORDINATOR, conversation, serviceUrl: fake.url, value: { action: key, trackingId } }));
    const typed = await post(running.url, teamsMessage(key, { from: COORDINATOR, conversation, serviceUrl: fake.url }));
    for (const res of [submit, typed]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body.activities)).toMatch(/Je n'ai pas compris/);
    }
    expect(await counts()).toEqual(before);
  });
});
