// Reminder delivery failures end to end, per status code of the fake Bot Connector: retried,
// failed, ambiguous or stale, and what the organiser is told.
import { keyOf as plannedKey } from '../../services/reminders';
import { deliveriesByKey, groupChat, ORGANISER, personalChat, rememberGroup, rememberPersonal, toConversation, useReminderApps } from './support';

const bots = useReminderApps();
const { start } = bots;

const ago = (ms: number) => new Date(Date.now() - ms);

describe('delivery failures, per status code', () => {
  async function setup() {
    const running = await start();
    const { app } = running;
    await app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', 'test', { languages: ['nl'] });
    await rememberPersonal(app, bots.fake, ORGANISER, 'nl-BE');
    const conversation = groupChat(`f-${Math.random().toString(36).slice(2, 8)}`);
    await rememberGroup(app, bots.fake, conversation);
    const plan = toConversation(conversation, ago(1000), 9);
    await app.services.reminders.plan([plan]);
    return { app, conversation, key: plannedKey(plan) };
  }
  const organiserMessages = () => bots.fake.delivered(personalChat(ORGANISER));

  it('429 with Retry-After is retried after the delay and delivered once', async () => {
    const { app, conversation, key } = await setup();
    bots.fake.failNext(1, { status: 429, retryAfter: '1' }, { conversationId: conversation });
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1, failed: 0 });
    const attempts = bots.fake.requests.filter((r) => r.conversationId === conversation);
    expect(attempts.map((r) => r.status)).toEqual([429, 201]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1000);
    expect(await app.services.reminders.get(key)).toMatchObject({ status: 'sent' });
    expect(organiserMessages()).toHaveLength(0);
  });

  it('503 is retried and delivered once', async () => {
    const { app, conversation, key } = await setup();
    bots.fake.failNext(2, { status: 503 }, { conversationId: conversation });
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1 });
    expect(bots.fake.requests.filter((r) => r.conversationId === conversation).map((r) => r.status)).toEqual([503, 503, 201]);
    expect(bots.fake.delivered(conversation)).toHaveLength(1);
    expect(await app.services.reminders.get(key)).toMatchObject({ status: 'sent' });
  });

  it('403 (bot removed): reference stale, reminder failed and visible, organiser told 1:1 in their language, once', async () => {
    const { app, conversation, key } = await setup();
    bots.fake.failNext(1, { status: 403, code: 'ConversationNotFound' }, { conversationId: conversation });
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0, failed: 1 });
    expect(bots.fake.requests.filter((r) => r.conversationId === conversation)).toHaveLength(1);
    const reminder = await app.services.reminders.get(key);
    expect(reminder).toMatchObject({ status: 'failed' });
    expect(reminder?.lastError).toMatch(/stale.*403/);
    expect(await app.models.conversationReferences.findOne({ conversationId: conversation }).lean()).toMatchObject({ stale: true });
    expect(organiserMessages()).toHaveLength(1);
    expect(JSON.stringify(organiserMessages()[0].body)).toMatch(/kon niet aan de ontvanger bezorgd worden.*bot verwijderd of geblokkeerd/);
    // Visible in the organiser's list of their cases' reminders; never retried or re-announced.
    expect((await app.services.reminders.lists.upcomingForOrganiser(ORGANISER.aadObjectId)).map((r) => r.key)).toContain(key);
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ claimed: 0 });
    expect(organiserMessages()).toHaveLength(1);
  });

  it('one 500 from the connector: retried, the reminder is delivered once (it used to be marked failed)', async () => {
    const { app, conversation, key } = await setup();
    bots.fake.failNext(1, { status: 500 }, { conversationId: conversation });
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1, failed: 0 });
    expect(bots.fake.requests.filter((r) => r.conversationId === conversation).map((r) => r.status)).toEqual([500, 201]);
    expect(deliveriesByKey(bots.fake).get(key)).toBe(1);
    expect(await app.services.reminders.get(key)).toMatchObject({ status: 'sent', lastError: null });
    expect(organiserMessages()).toHaveLength(0);
  });

  it('a send that timed out after leaving: ambiguous, not resent, shown in the organiser\'s list, organiser told once', async () => {
    const { app, conversation, key } = await setup();
    bots.fake.failNext(1, { hang: true }, { conversationId: conversation }); // the test app gives up an attempt after 10 s
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0, failed: 1, ambiguous: 1 });
    expect(bots.fake.requests.filter((r) => r.conversationId === conversation)).toHaveLength(1);
    expect(await app.services.reminders.delivery.outcomeOf(key)).toMatchObject({ outcome: 'ambiguous' });
    const reminder = await app.services.reminders.get(key);
    expect(reminder).toMatchObject({ status: 'ambiguous' });
    expect(reminder?.lastError).toMatch(/ambiguous.*ETIMEDOUT/);
    expect(organiserMessages()).toHaveLength(1);
    expect(JSON.stringify(organiserMessages()[0].body)).toMatch(/misschien niet bij de ontvanger aangekomen/);
    expect((await app.services.reminders.lists.listFor(ORGANISER.aadObjectId, true)).map((r) => r.key)).toContain(key);
    // Still shown to the case's organiser who no longer has the organiser role.
    expect((await app.services.reminders.lists.listFor(ORGANISER.aadObjectId, false)).map((r) => r.key)).toContain(key);
    // Never resent nor re-announced by later passes.
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ claimed: 0 });
    expect(bots.fake.requests.filter((r) => r.conversationId === conversation)).toHaveLength(1);
    expect(organiserMessages()).toHaveLength(1);
  }, 30_000);

  it('503 until the retries run out: failed, recorded, organiser told', async () => {
    const { app, conversation, key } = await setup();
    bots.fake.failNext(3, { status: 503 }, { conversationId: conversation }); // the test app tries 3 times
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ failed: 1 });
    expect(await app.services.reminders.delivery.outcomeOf(key)).toMatchObject({ outcome: 'failed' });
    expect((await app.services.reminders.get(key))?.lastError).toMatch(/failed.*503/);
    expect(organiserMessages()).toHaveLength(1);
    expect(JSON.stringify(organiserMessages()[0].body)).toMatch(/verzending mislukt/);
  });

  it('a Teams user with no conversation and no Teams id: failed (no reference), organiser told', async () => {
    const { app } = await setup();
    const plan = { ...toConversation('unused', ago(1000), 11), recipient: { aadObjectId: 'f0000000-0000-4000-8000-0000000000f1' } };
    await app.services.reminders.plan([plan]);
    await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 1, failed: 1 });
    expect((await app.services.reminders.get(plannedKey(plan)))?.lastError).toMatch(/noReference/);
    expect(JSON.stringify(organiserMessages()[0].body)).toMatch(/geen Teams-gesprek met deze persoon/);
  });

  it('opens a 1:1 chat with a Teams user the bot has not talked to yet, through a shared conversation', async () => {
    const { app, conversation } = await setup();
    const plan = { ...toConversation('unused', ago(1000), 12), recipient: { aadObjectId: 'f0000000-0000-4000-8000-0000000000f2', teamsUserId: '29:fictional-new', viaConversationId: conversation } };
    await app.services.reminders.plan([plan]);
    await app.jobs.reminders.drain();
    expect(bots.fake.requests.filter((r) => r.operation === 'createConversation')).toHaveLength(1);
    expect(await app.services.reminders.get(plannedKey(plan))).toMatchObject({ status: 'sent' });
    const outcome = await app.services.reminders.delivery.outcomeOf(plannedKey(plan));
    expect(bots.fake.delivered(outcome!.conversationId!)).toHaveLength(1);
  });
});
