// Issue 10, fault suite: two BUILT bot processes on one database, as a two-instance deployment runs
// them (MONGODB_URI: the test's database server, one database name). Due reminders are sent once
// across both; votes on one poll spread over both are each counted once and the shared card shows
// them all; with the Bot Connector failing a fixed share of sends with 500 and hanging some, each
// reminder is delivered once or marked failed/ambiguous, told to the organiser and listed in
// « mes rappels »: none lost silently, none doubled.
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../models/db';
import { createModels, Models } from '../../models';
import { systemClock } from '../../services/clock';
import { keyOf as plannedKey, PlannedReminder, ReminderService } from '../../services/reminders';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector, RecordedRequest } from '../support/fakeConnector';
import { createData, invoke, localIn, postInvoke, userN } from '../polls/support';
import { keyOf, ORGANISER, toConversation } from '../reminders/support';
import { BuiltBot, startBuiltBot, waitFor } from './builtBot';
import { Conversation, TeamsClient, User } from './teamsClient';

jest.setTimeout(120_000);

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const organiser: User = { ...ORGANISER, locale: 'fr-BE' };
const organiserChat: Conversation = { id: `a:fictional-personal-${ORGANISER.aadObjectId}`, conversationType: 'personal' };
const groupChat = (name: string): Conversation => ({ id: `19:fictional-two-${name}@thread.v2`, conversationType: 'groupChat' });


describe('two built bots on one database', () => {
  let connector: FakeConnector;
  let bots: BuiltBot[];
  let clients: TeamsClient[];
  let conn: Connection;
  let models: Models;
  let reminders: ReminderService;
  const dbName = uniqueDbName('twoinst');

  beforeAll(async () => {
    connector = await FakeConnector.start();
    const env = { MONGODB_URI: testMongoUri(), DB_NAME: dbName, REMINDER_DISPATCH_EVERY: '1 second', OUTBOUND_GLOBAL_PER_SECOND: '100' };
    bots = await Promise.all([startBuiltBot(env), startBuiltBot(env)]);
    clients = bots.map((b) => new TeamsClient(b.url, connector));
    conn = await connectDatabase(testMongoUri(), dbName);
    models = createModels(conn);
    // Planned as the bot's planning does, through its service, on the shared database.
    reminders = new ReminderService(models.reminders, models.reminderClaims, models.reminderOutcomes, models.audit, systemClock);
  });
  afterAll(async () => {
    const codes = await Promise.all((bots ?? []).map((b) => b.stop()));
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
    await connector?.close();
    expect(codes).toEqual([0, 0]);
  });

  /** Someone writes in each chat (to either bot): the bots then know the conversations. */
  async function chats(prefix: string, n: number): Promise<Conversation[]> {
    const list = Array.from({ length: n }, (_, i) => groupChat(`${prefix}${i}`));
    await Promise.all(list.map((c, i) => clients[i % 2].say({ ...userN(900 + i), locale: 'fr-BE' }, c, 'aide')));
    return list;
  }

  /** Reminder keys sent per bot, from the bots' own "reminders dispatched" log lines. */
  const sentBy = () => bots.map((b) => b.logs.filter((l) => l.msg === 'reminders dispatched').reduce((n, l) => n + Number(l.sent ?? 0), 0));
  const deliveredKeys = (requests: RecordedRequest[]) => {
    const counts = new Map<string, number>();
    for (const r of requests) {
      const key = keyOf(r);
      if (key && r.status !== undefined && r.status < 300) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };

  it('sends every due reminder exactly once across both instances', async () => {
    const list = await chats('a', 8);
    const plans = Array.from({ length: 40 }, (_, i) => toConversation(list[i % 8].id, new Date(Date.now() - 60_000), 100 + i));
    const keys = plans.map(plannedKey);
    await reminders.plan(plans);

    await waitFor('every reminder sent', async () => ((await models.reminders.countDocuments({ key: { $in: keys }, status: 'sent' })) === keys.length ? true : undefined));
    // A pass that read the reminders before they were marked sent may still be running: wait for
    // two more runs of the shared dispatch job to end before counting.
    const job = () => models.reminders.db.collection('agendaJobs').findOne({ name: 'reminders.dispatch' });
    const since = new Date();
    const seen = new Set<number>();
    await waitFor('two dispatch runs after the last send', async () => {
      const j = await job();
      if (j?.lastFinishedAt && j.lastRunAt && new Date(j.lastRunAt) > since && new Date(j.lastFinishedAt) >= new Date(j.lastRunAt)) seen.add(new Date(j.lastRunAt).getTime());
      return seen.size >= 2 ? true : undefined;
    });
    const counts = deliveredKeys(connector.requests);
    expect(keys.map((k) => counts.get(k) ?? 0)).toEqual(keys.map(() => 1));
    expect(await models.reminderOutcomes.countDocuments({ key: { $in: keys }, outcome: 'sent' })).toBe(keys.length);
    const [a, b] = sentBy();
    console.log(`40 due reminders: instance A sent ${a}, instance B sent ${b}`);
    expect(a + b).toBe(40);
  });

  it('counts every vote once when voters reach either instance at the same time, and the shared card shows them all', async () => {
    const trackingId = 'CMD-2026-0921';
    const voters = Array.from({ length: 16 }, (_, i) => userN(i + 1));
    await models.requests.create({
      trackingId, year: 2026, seq: 921, requesterAadObjectId: '00000000-0000-4000-8000-0000000000ff', requesterConversationId: 'a:fictional-requester',
      locale: 'fr', answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted',
      triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
    } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: '', decidedBy: 'coord', decidedByName: 'Coordination Test', decidedAt: new Date() });
    const group = groupChat('poll').id;
    connector.setMembers([{ ...ORGANISER, email: 'olivia.test@example.org' }, ...voters], group);
    const created = await postInvoke(bots[0].url, invoke('poll.create', createData(trackingId, { slots: [localIn(5, 10), localIn(6, 14)], deadline: localIn(3, 18), members: voters.map((v) => v.aadObjectId) }), connector.url, group, ORGANISER));
    expect(created.body.type).toBe(ADAPTIVE);
    const poll = (await models.polls.findOne({ trackingId }).lean())!;

    const answers = await Promise.all(voters.map((v, i) => postInvoke(bots[i % 2].url, invoke('poll.answer', { pollId: poll.pollId, slot_s1: 'yes', slot_s2: i % 2 ? 'no' : 'ifNeedBe' }, connector.url, group, v))));
    expect(answers.map((r) => r.status === 200 && r.body.type === ADAPTIVE && JSON.stringify(r.body).includes('Vos réponses sont enregistrées'))).toEqual(voters.map(() => true));
    expect(await models.pollAnswers.countDocuments({ pollId: poll.pollId })).toBe(voters.length);
    expect((await models.pollAnswers.distinct('participantKey', { pollId: poll.pollId })).length).toBe(voters.length);

    const total = `Réponses : ${voters.length} sur ${voters.length}`;
    for (const bot of bots) expect(JSON.stringify((await postInvoke(bot.url, invoke('poll.refresh', { pollId: poll.pollId }, connector.url, group, ORGANISER))).body)).toContain(total);
    // Both instances update the one shared card; the last update Teams receives shows every vote.
    const lastUpdate = () => connector.requests.filter((r) => r.operation === 'update' && r.conversationId === group).at(-1);
    await waitFor('the shared card showing every vote', () => (JSON.stringify(lastUpdate()?.body ?? '').includes(total) ? true : undefined), 15_000);
    const updatedBy = bots.map((b) => b.logs.filter((l) => l.event === 'poll.answered').length);
    console.log(`16 votes at once: ${updatedBy[0]} on instance A, ${updatedBy[1]} on instance B`);
  });

  it('with the connector failing and hanging sends, delivers each reminder once or marks it failed/ambiguous, told and listed', async () => {
    const list = await chats('c', 10);
    const plans: PlannedReminder[] = Array.from({ length: 60 }, (_, i) => toConversation(list[i % 10].id, new Date(Date.now() - 60_000), 200 + i));
    const keys = plans.map(plannedKey);
    // A fixed mix by reminder: 3 of 60 hang on their first send (the bot cannot know whether Teams
    // posted them), 6 get one 500 then go through, 2 get 500 on every attempt. A chat's reminders
    // go out one after the other, so the hanging ones are in different chats (15 s each).
    const fault = new Map<string, 'hang' | 'once' | 'always'>();
    keys.forEach((k, i) => {
      if ([3, 24, 45].includes(i)) fault.set(k, 'hang');
      else if (i % 10 === 6) fault.set(k, 'once');
      else if ([7, 38].includes(i)) fault.set(k, 'always');
    });
    const attempts = new Map<string, number>();
    connector.setFaultChooser((r) => {
      const key = r.operation === 'send' ? keyOf(r) : undefined;
      const kind = key && fault.get(key);
      if (!key || !kind) return undefined;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (kind === 'hang') return n === 1 ? { hang: true } : undefined;
      if (kind === 'once') return n === 1 ? { status: 500 } : undefined;
      return { status: 500 };
    });
    // The organiser has talked to the bot (a personal chat to be told in).
    await clients[1].say(organiser, organiserChat, 'mes rappels');
    const before = connector.requests.length;
    const t0 = Date.now();
    await reminders.plan(plans);

    const docs = await waitFor('an outcome for every reminder', async () => {
      const d = await models.reminders.find({ key: { $in: keys } }).lean();
      return d.every((r) => r.status !== 'scheduled') ? d : undefined;
    }, 60_000);
    connector.setFaultChooser();
    const requests = connector.requests.slice(before);
    const delivered = deliveredKeys(requests);
    const status = new Map(docs.map((d) => [d.key, d.status]));
    const byStatus = (s: string) => keys.filter((k) => status.get(k) === s);
    console.log(`60 reminders, 3 hanging, 6 failing once, 2 always failing: ${byStatus('sent').length} sent, ${byStatus('ambiguous').length} ambiguous, ${byStatus('failed').length} failed; sends tried ${requests.filter((r) => r.operation === 'send' && keyOf(r)).length}; every outcome after ${Date.now() - t0} ms`);
    // Zero doubles, zero silent losses: sent ones delivered once, the others not at all (a hung
    // send may have been posted: it is not resent, and is shown as unconfirmed).
    expect(keys.filter((k) => !['sent', 'ambiguous', 'failed'].includes(status.get(k) ?? ''))).toEqual([]);
    expect(byStatus('sent').map((k) => delivered.get(k))).toEqual(byStatus('sent').map(() => 1));
    expect(keys.filter((k) => status.get(k) !== 'sent' && delivered.has(k))).toEqual([]);
    expect(byStatus('ambiguous').sort()).toEqual(keys.filter((k) => fault.get(k) === 'hang').sort());
    expect(byStatus('failed').sort()).toEqual(keys.filter((k) => fault.get(k) === 'always').sort());
    expect(keys.filter((k) => fault.get(k) === 'once').every((k) => status.get(k) === 'sent')).toBe(true);

    // The organiser is told of each, once (one message per dispatch pass names that pass's
    // undelivered reminders), and « mes rappels » lists each as not delivered.
    const undelivered = byStatus('ambiguous').length + byStatus('failed').length;
    const named = () => connector.delivered(organiserChat.id).flatMap((r) => String((r.body as { text?: string }).text ?? '').split('\n\n')).filter((p) => p.startsWith('Un rappel du dossier'));
    await waitFor('the organiser told of each undelivered reminder', () => (named().length >= undelivered ? true : undefined), 15_000);
    expect(named()).toHaveLength(undelivered);
    const listed = JSON.stringify((await clients[0].say(organiser, organiserChat, 'mes rappels')).cards);
    expect((listed.match(/· non confirmé/g) ?? []).length).toBe(byStatus('ambiguous').length);
    expect((listed.match(/· non remis/g) ?? []).length).toBe(byStatus('failed').length);
    expect(clients.flatMap((c) => c.problems)).toEqual([]);
    expect(bots.flatMap((b) => b.errors()).filter((l) => l.msg !== 'outbound send failed' && l.msg !== 'reminder not delivered')).toEqual([]);
  });
});
