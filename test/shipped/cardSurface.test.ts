// Issue 11 §4 and issue 10 item 8, against the built bot: the shared cards of a case (agenda, poll,
// case card; and the record and reminder cards next to them) are read only by the case's members
// and by the members of the conversation a card is posted in. A refresh or a click from anyone
// else (their own chat, another group chat) gets a "not for you" notice in their language, no card,
// nothing of the case, and changes nothing. Fictional people only.
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../models/db';
import { createModels, Models } from '../../models';
import { t } from '../../locales/i18n';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { createData, localIn, until } from '../polls/support';
import { BuiltBot, buildOnce, startBuiltBot } from './builtBot';
import { Conversation, InvokeReply, TeamsClient, textOf, User } from './teamsClient';

jest.setTimeout(120_000);

/**
 * Does `act` until `done` holds (at most 5 times). The roster reads behind adding a Teams member
 * and creating a poll give up after a few seconds on a loaded machine (best effort by design).
 */
async function until5(what: string, act: () => Promise<unknown>, done: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 5 && !(await done()); i++) await act();
  if (!(await done())) throw new Error(`not done after 5 tries: ${what}`);
}

const aad = (n: number) => `00000000-0000-4000-8000-${String(830000 + n).padStart(12, '0')}`;
const ORGANISER: User = { id: '29:surface-organiser', aadObjectId: aad(1), name: 'Olivia Organisatrice', locale: 'fr-BE' };
const GP: User = { id: '29:surface-gp', aadObjectId: aad(2), name: 'Dr Gaby Surfacetest', locale: 'fr-BE' };
/** In the case's chat, not a member of the case. */
const CHAT_ONLY: User = { id: '29:surface-chat-only', aadObjectId: aad(3), name: 'Chris Chatmember', locale: 'nl-BE' };
const OUTSIDER_FR: User = { id: '29:surface-outsider-fr', aadObjectId: aad(4), name: 'Eve Extérieure', locale: 'fr-BE' };
const OUTSIDER_NL: User = { id: '29:surface-outsider-nl', aadObjectId: aad(5), name: 'Eef Buitenstaander', locale: 'nl-BE' };
const CHAT: Conversation = { id: '19:surface-case-chat@thread.v2', conversationType: 'groupChat' };
const OTHER_CHAT: Conversation = { id: '19:surface-other-chat@thread.v2', conversationType: 'groupChat' };
const personal = (u: User): Conversation => ({ id: `a:surface-personal-${u.aadObjectId}`, conversationType: 'personal' });
const PERSON = 'Marie Surfaceplantée';
const lang = (u: User) => (u.locale.startsWith('nl') ? 'nl' : 'fr');

describe('shared cards answer only the conversation\'s and the case\'s members', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;
  let conn: Connection;
  let models: Models;
  const dbName = uniqueDbName('surface');
  const trackingId = 'CMD-2026-0831';
  let pollId = '';
  let reminderKey = '';

  // Compiling is slow on a loaded machine: its own time budget, apart from starting and seeding.
  beforeAll(() => buildOnce(), 300_000);
  beforeAll(async () => {
    connector = await FakeConnector.start();
    connector.setMembers([ORGANISER, GP, CHAT_ONLY].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: `${u.id.slice(3)}@example.org` })));
    bot = await startBuiltBot({ MONGODB_URI: testMongoUri(), DB_NAME: dbName });
    client = new TeamsClient(bot.url, connector);
    conn = await connectDatabase(testMongoUri(), dbName);
    models = createModels(conn);

    await models.requests.create({ trackingId, year: 2026, seq: 831, requesterAadObjectId: aad(9), requesterConversationId: 'a:surface-requester', locale: 'fr', answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'admitted', triageConversationId: null, triageActivityId: null, submittedAt: new Date() } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: '', decidedBy: aad(8), decidedByName: 'Coordination Test', decidedAt: new Date() });
    // The case as an organiser builds it in Teams: its chat, a person and a GP, a date (the agenda
    // card goes to the chat, reminders are planned), and a poll posted to the chat.
    await client.say(ORGANISER, CHAT, `lier dossier ${trackingId}`);
    const org = (verb: string, data: Record<string, unknown>) => client.execute(ORGANISER, personal(ORGANISER), verb, { trackingId, ...data });
    await org('case.addParticipant', { pRole: 'personConcerned', pName: PERSON, pContact: '0470 00 00 31' });
    await until5('the GP as referent', () => org('case.addParticipant', { pRole: 'referent', pProfile: 'gp', pTeamsUser: GP.aadObjectId }), () => models.caseParticipants.findOne({ trackingId, aadObjectId: GP.aadObjectId }).lean());
    const day = localIn(10, 10);
    await org('case.schedule', { sDate: day.date, sTime: day.time, sDuration: '105', sPlace: 'Domicile', sLink: '' });
    const create = createData(trackingId, { slots: [localIn(11, 10), localIn(12, 14)], deadline: localIn(9, 18), members: [GP.aadObjectId] });
    await until5('the poll', () => client.execute(ORGANISER, CHAT, 'poll.create', create), () => models.polls.findOne({ trackingId, 'participants.aadObjectId': GP.aadObjectId }).lean());
    pollId = (await models.polls.findOne({ trackingId, 'participants.aadObjectId': GP.aadObjectId }).lean())!.pollId;
    reminderKey = (await until(() => models.reminders.findOne({ subject: { $regex: `^${trackingId}#` }, recipientAadObjectId: GP.aadObjectId }).lean(), 'a meeting reminder for the GP'))!.key;
  });
  afterAll(async () => {
    await bot?.stop();
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
    await connector?.close();
  });

  /** What a refusal must look like: a notice in the reader's language, no card, nothing of the case. */
  function refused(reply: InvokeReply, user: User, key: string): void {
    expect(reply.status).toBe(200);
    expect(reply.card).toBeUndefined();
    expect(reply.message).toBe(t(lang(user), key));
    for (const secret of [PERSON, GP.name, pollId]) expect(textOf(reply)).not.toContain(secret);
  }

  const outsiders: Array<[string, User, Conversation]> = [
    ['from their own chat (FR)', OUTSIDER_FR, personal(OUTSIDER_FR)],
    ['from their own chat (NL)', OUTSIDER_NL, personal(OUTSIDER_NL)],
    ['from another group chat (FR)', OUTSIDER_FR, OTHER_CHAT],
  ];

  it.each(outsiders)('the agenda: a refresh or a click from an outsider %s gets nothing and changes nothing', async (_w, user, where) => {
    const attendance = await models.attendance.countDocuments({ trackingId });
    refused(await client.execute(user, where, 'agenda.refresh', { trackingId }), user, 'cases.error.notAllowed');
    refused(await client.execute(user, where, 'agenda.attend', { trackingId, seq: 1, answer: 'yes' }), user, 'cases.error.notAllowed');
    refused(await client.execute(user, where, 'agenda.addPoint', { trackingId, newPoint: 'Point étranger' }), user, 'cases.error.notAllowed');
    expect(await models.attendance.countDocuments({ trackingId })).toBe(attendance);
    expect(await models.agendaPoints.countDocuments({ trackingId })).toBe(0);
  });

  it.each(outsiders)('the poll: a refresh or a vote from an outsider %s gets nothing and changes nothing', async (_w, user, where) => {
    refused(await client.execute(user, where, 'poll.refresh', { pollId }), user, 'poll.error.notParticipant');
    refused(await client.execute(user, where, 'poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'yes', comment: '' }), user, 'poll.error.notParticipant');
    refused(await client.execute(user, where, 'poll.close', { pollId }), user, 'poll.error.notAllowed');
    expect(await models.pollAnswers.countDocuments({ pollId })).toBe(0);
  });

  it.each(outsiders)('the case card, its record and its reminders: an outsider %s gets nothing', async (_w, user, where) => {
    refused(await client.execute(user, where, 'case.open', { trackingId }), user, 'cases.error.notAllowed');
    refused(await client.execute(user, where, 'record.open', { trackingId }), user, 'cases.error.notAllowed');
    refused(await client.execute(user, where, 'reminder.done', { key: reminderKey }), user, 'reminder.error.notAllowed');
    expect((await models.reminders.findOne({ key: reminderKey }).lean())!.status).toBe('scheduled');
  });

  it('a member of the case\'s chat reads the agenda and the poll there (already in view), not the case card, and nothing from elsewhere', async () => {
    expect(textOf((await client.execute(CHAT_ONLY, CHAT, 'agenda.refresh', { trackingId })).card)).toContain(PERSON);
    expect(textOf((await client.execute(CHAT_ONLY, CHAT, 'poll.refresh', { pollId })).card)).toContain(trackingId);
    refused(await client.execute(CHAT_ONLY, CHAT, 'case.open', { trackingId }), CHAT_ONLY, 'cases.error.notAllowed');
    refused(await client.execute(CHAT_ONLY, personal(CHAT_ONLY), 'agenda.refresh', { trackingId }), CHAT_ONLY, 'cases.error.notAllowed');
    refused(await client.execute(CHAT_ONLY, personal(CHAT_ONLY), 'poll.refresh', { pollId }), CHAT_ONLY, 'poll.error.notParticipant');
  });

  it('the case\'s members read every card, wherever they are', async () => {
    const gpHere = personal(GP);
    expect(textOf((await client.execute(GP, gpHere, 'agenda.refresh', { trackingId })).card)).toContain(PERSON);
    expect(textOf((await client.execute(GP, gpHere, 'poll.refresh', { pollId })).card)).toContain(trackingId);
    expect(textOf((await client.execute(GP, gpHere, 'case.open', { trackingId })).card)).toContain(PERSON);
    expect(textOf((await client.execute(ORGANISER, personal(ORGANISER), 'record.open', { trackingId })).card)).toContain(trackingId);
    expect(client.problems).toEqual([]);
    expect(bot.errors()).toEqual([]);
  });
});
