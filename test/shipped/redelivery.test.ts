// Against the built bot (dist/bot/index.js as a child process): Teams redelivers an
// activity (same id) when the bot is slow. A sheet answer delivered twice is taken once; a card
// action (invoke) delivered twice, even at the same time, is counted once and both deliveries get a
// 200 invoke response.
import type { Connection } from 'mongoose';
import type { Models } from '../../models';
import { testMongoUri, uniqueDbName } from '../support/db';
import { post, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { createData, invoke, localIn, ORGANISER, postInvoke, TENANT, userN } from '../polls/support';
import { BuiltBot, startBuiltBot } from './builtBot';
import { openTestDatabase, stopWithTestDatabase } from './botRun';

jest.setTimeout(120_000);

describe('the built bot processes a redelivered activity once', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let conn: Connection;
  let models: Models;
  const dbName = uniqueDbName('redelivery');

  beforeAll(async () => {
    connector = await FakeConnector.start();
    // The test database server (not the child's embedded one), so the test can read what was stored.
    bot = await startBuiltBot({ MONGODB_URI: testMongoUri(), DB_NAME: dbName });
    ({ conn, models } = await openTestDatabase(dbName));
  });
  afterAll(() => stopWithTestDatabase({ bot, conn, connector }));

  // The replies' text and their cards' (a choice question comes as a card).
  const texts = (res: { body: { activities?: Array<Record<string, any>> } }) => (res.body.activities ?? []).map((a) => [a.text ?? '', JSON.stringify(a.attachments ?? [])].join(' ')).join('\n');

  it('takes a sheet answer delivered twice once: the next question is still asked', async () => {
    const who = {
      from: { id: '29:fictional-redelivery', aadObjectId: '00000000-0000-4000-8000-0000000e0001', name: 'Alex Test' },
      conversation: { id: 'a:fictional-redelivery', conversationType: 'personal', tenantId: TENANT },
      serviceUrl: connector.url,
    };
    await post(bot.url, teamsMessage('nouvelle demande', who));
    await post(bot.url, teamsMessage('professionnel', who));
    const answer = teamsMessage('CPAS fictif de Test', who);
    expect(texts(await post(bot.url, answer))).toMatch(/Dans quel secteur/);
    const again = await post(bot.url, answer);
    expect(again.status).toBe(200);
    expect(again.body.activities ?? []).toEqual([]);
    expect(texts(await post(bot.url, teamsMessage('précarité', who)))).toMatch(/lien avec la personne concernée/);
  });

  it('counts a card action delivered twice at once a single time', async () => {
    const trackingId = 'CMD-2026-0901';
    await models.requests.create({
      trackingId, year: 2026, seq: 901, requesterAadObjectId: '00000000-0000-4000-8000-0000000000ff', requesterConversationId: 'a:fictional-requester',
      locale: 'fr', answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted',
      triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
    } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: '', decidedBy: 'coord', decidedByName: 'Coordination Test', decidedAt: new Date() });
    const members = [1, 2].map(userN);
    connector.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members]);
    const group = '19:fictional-redelivery-group@thread.v2';
    const create = invoke('poll.create', createData(trackingId, { slots: [localIn(5, 10), localIn(6, 14)], deadline: localIn(3, 18), members: members.map((m) => m.aadObjectId) }), connector.url, group, ORGANISER, { id: 'fictional-redelivered-create' });

    const [a, b] = await Promise.all([postInvoke(bot.url, create), postInvoke(bot.url, create)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect(await models.polls.distinct('pollId', { trackingId })).toHaveLength(1);
    const posted = () => connector.delivered(group);
    expect(posted()).toHaveLength(1);
    // A late third delivery: the same answer again, nothing posted again.
    expect(await postInvoke(bot.url, create)).toEqual(a);
    expect(posted()).toHaveLength(1);
    expect(bot.errors()).toEqual([]);
  });
});
