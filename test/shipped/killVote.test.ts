// Issue 10, fault suite: the built bot is SIGKILLed in the middle of poll voting (participants
// voting through adaptiveCard/action invokes, several votes in flight), then started again on the
// same data folder (its embedded database's files). Every vote the bot answered 200 for is counted
// exactly once; each vote in flight at the kill is either already counted once or, when Teams
// redelivers it (same activity id), counted once then; the poll card shows them all.
import fs from 'node:fs';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../models/db';
import { createModels, Models } from '../../models';
import { FakeConnector } from '../support/fakeConnector';
import { PostResult } from '../support/app';
import { createData, invoke, localIn, ORGANISER, postInvoke, userN } from '../polls/support';
import { BuiltBot, makeDataDir, startBuiltBot, waitFor } from './builtBot';

jest.setTimeout(120_000);

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const DB_NAME = 'cmd_concertation';
const group = '19:fictional-killvote-group@thread.v2';
const trackingId = 'CMD-2026-0911';
const people = Array.from({ length: 12 }, (_, i) => userN(i + 1));
const ANSWERED_BEFORE = 6;


const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the built bot killed in the middle of poll voting', () => {
  let connector: FakeConnector;
  let dataDir: string;
  let bot: BuiltBot;
  let conn: Connection | undefined;
  let models: Models;

  const openDb = async (b: BuiltBot) => {
    await conn?.close().catch(() => undefined);
    conn = await connectDatabase(`mongodb://127.0.0.1:${b.dbPort}/`, DB_NAME);
    models = createModels(conn);
  };

  beforeAll(async () => {
    connector = await FakeConnector.start();
    dataDir = makeDataDir();
    bot = await startBuiltBot({}, { dataDir });
    await openDb(bot);
  });
  afterAll(async () => {
    await conn?.close().catch(() => undefined);
    const code = await bot?.stop();
    await connector?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  it('counts every answered vote once, and each vote in flight once after the redelivery', async () => {
    await models.requests.create({
      trackingId, year: 2026, seq: 911, requesterAadObjectId: '00000000-0000-4000-8000-0000000000ff', requesterConversationId: 'a:fictional-requester',
      locale: 'fr', answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted',
      triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
    } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: '', decidedBy: 'coord', decidedByName: 'Coordination Test', decidedAt: new Date() });
    connector.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...people]);
    const created = await postInvoke(bot.url, invoke('poll.create', createData(trackingId, { slots: [localIn(5, 10), localIn(6, 14)], deadline: localIn(3, 18), members: people.map((p) => p.aadObjectId) }), connector.url, group));
    // (else what the bot answered and logged)
    expect(created.body.type === ADAPTIVE ? ADAPTIVE : `${created.body.value} ${JSON.stringify(bot.errors())}`).toBe(ADAPTIVE);
    const poll = (await models.polls.findOne({ trackingId }).lean())!;
    expect(poll.participants).toHaveLength(people.length);

    const vote = (i: number) => invoke('poll.answer', { pollId: poll.pollId, slot_s1: i % 2 ? 'yes' : 'ifNeedBe', slot_s2: i % 3 ? 'no' : 'yes' }, connector.url, group, people[i], { id: `fictional-vote-${i}` });
    const votes = people.map((_, i) => vote(i));
    const savedCard = (r: PostResult) => r.status === 200 && r.body.type === ADAPTIVE && JSON.stringify(r.body).includes('Vos réponses sont enregistrées');

    // Answered before the kill, one after the other.
    for (let i = 0; i < ANSWERED_BEFORE; i++) expect(savedCard(await postInvoke(bot.url, votes[i]))).toBe(true);

    // The rest at once; the bot is killed as soon as it has stored the first of them.
    const answeredLogs = () => bot.logs.filter((l) => l.event === 'poll.answered').length;
    const inFlight = votes.slice(ANSWERED_BEFORE).map((v) => postInvoke(bot.url, v).then((r) => r, () => null));
    await waitFor('the first vote in flight stored', () => (answeredLogs() > ANSWERED_BEFORE ? true : undefined));
    const dbPid = bot.logs.find((l) => l.msg?.startsWith('embedded database (FerretDB'))!.pid as number;
    await bot.kill();
    const results = await Promise.all(inFlight);
    // The embedded database ends with its parent (stdin closed); the restart opens its files again.
    await waitFor('the killed bot\'s database to exit', () => (alive(dbPid) ? undefined : true));

    bot = await startBuiltBot({}, { dataDir });
    await openDb(bot);
    const stored = async (i: number) => models.pollAnswers.countDocuments({ pollId: poll.pollId, requestKey: `fictional-vote-${i}` });
    const unanswered = results.map((r, j) => (r && savedCard(r) ? null : ANSWERED_BEFORE + j)).filter((i): i is number => i !== null);
    const storedBeforeRedelivery: number[] = [];
    for (const i of unanswered) if (await stored(i)) storedBeforeRedelivery.push(i);
    console.log(`votes in flight at the kill: ${results.length}; answered 200 before it died: ${results.length - unanswered.length}; unanswered ${unanswered.length} (already stored: ${storedBeforeRedelivery.length}, not stored: ${unanswered.length - storedBeforeRedelivery.length})`);

    // Every vote answered 200 (before or during the kill) is counted once, without any redelivery.
    for (let i = 0; i < people.length; i++) if (!unanswered.includes(i)) expect(await stored(i)).toBe(1);

    // Teams redelivers each unanswered vote (same activity id): each is answered and counted once.
    const redelivered = await Promise.all(unanswered.map((i) => postInvoke(bot.url, votes[i])));
    for (const r of redelivered) expect(savedCard(r)).toBe(true);
    for (let i = 0; i < people.length; i++) expect(await stored(i)).toBe(1);
    expect(await models.pollAnswers.countDocuments({ pollId: poll.pollId })).toBe(people.length);

    // The card refreshed after the restart shows every vote, as does the shared card in the chat.
    const total = `Réponses : ${people.length} sur ${people.length}`;
    const refreshed = await postInvoke(bot.url, invoke('poll.refresh', { pollId: poll.pollId }, connector.url, group));
    expect(JSON.stringify(refreshed.body)).toContain(total);
    await waitFor('the shared card updated with every vote', () => (connector.requests.some((r) => r.operation === 'update' && r.conversationId === group && JSON.stringify(r.body).includes(total)) ? true : undefined));
    expect(bot.errors()).toEqual([]);
  });
});
