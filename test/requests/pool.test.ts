// Coordinators manage the organiser pool by card; nobody else can. The card's buttons are
// Action.Execute: each click answers with the updated card, which replaces the clicked one.
import { cardsOf, post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';

const COORDINATOR = { id: '29:fictional-coord', aadObjectId: 'c1000000-0000-4000-8000-000000000001', name: 'Coralie Coordination' };
const COLLEAGUE = { id: '29:fictional-colleague', aadObjectId: 'a1000000-0000-4000-8000-000000000001', name: 'Noor Organisator' };
const TEAM_CHAT = { id: '19:fictional-team-chat@thread.v2', conversationType: 'groupChat' };

describe('organiser pool management', () => {
  let fake: FakeConnector;
  let running: RunningApp;
  beforeAll(async () => {
    fake = await FakeConnector.start();
    fake.setMembers([COORDINATOR, COLLEAGUE]);
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  const say = (from: typeof COORDINATOR, text?: string) => post(running.url, teamsMessage(text, { from, conversation: TEAM_CHAT, serviceUrl: fake.url }));
  const click = (from: typeof COORDINATOR, verb: string, data: Record<string, unknown>) =>
    post(running.url, teamsMessage(undefined, { type: 'invoke', name: 'adaptiveCard/action', from, conversation: TEAM_CHAT, serviceUrl: fake.url, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, deliveryMode: undefined }));
  const cardText = (res: { body: Record<string, any> }) => JSON.stringify(res.body.value);
  /** Anything the bot posted or updated in the chat outside the invoke responses. */
  const chatTraffic = () => fake.requests.filter((r) => r.conversationId === TEAM_CHAT.id && ['send', 'reply', 'update'].includes(r.operation ?? '')).length;

  it('refuses the pool to someone who is not a coordinator', async () => {
    const res = await say(COLLEAGUE, 'organisateurs');
    expect(res.body.activities?.[0].text).toMatch(/Seule la coordination/);
    expect(cardsOf(res.body.activities)).toHaveLength(0);
    const submit = await click(COLLEAGUE, 'pool.save', { person: `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|x`, role: 'coordinator' });
    expect(submit.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(cardText(submit)).toMatch(/Seule la coordination/);
    expect(await running.app.services.members.isCoordinator(COLLEAGUE.aadObjectId)).toBe(false);
  });

  it('offers the members of the conversation and adds an organiser with languages', async () => {
    const shown = await say(COORDINATOR, 'organisateurs');
    const card = JSON.stringify(cardsOf(shown.body.activities)[0]);
    expect(card).toContain('Noor Organisator');
    const person = `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|${COLLEAGUE.name}`;

    const noLanguage = await click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: '' });
    expect(cardText(noLanguage)).toContain('au moins une langue');
    expect(await running.app.services.members.get(COLLEAGUE.aadObjectId)).toBeNull();

    const saved = await click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: 'nl,fr', sectors: 'santé mentale; aide à domicile' });
    expect(cardText(saved)).toContain('enregistré');
    expect(await running.app.services.members.get(COLLEAGUE.aadObjectId)).toMatchObject({ roles: ['organiser'], languages: ['nl', 'fr'], sectors: ['santé mentale', 'aide à domicile'], active: true, teamsUserId: COLLEAGUE.id });
    expect((await running.app.services.members.organisers({ language: 'nl' })).map((m) => m.aadObjectId)).toEqual([COLLEAGUE.aadObjectId]);
  });

  it('deactivates and reactivates an organiser; an inactive one is not offered', async () => {
    await click(COORDINATOR, 'pool.toggle', { aadObjectId: COLLEAGUE.aadObjectId });
    expect(await running.app.services.members.organisers()).toHaveLength(0);
    await click(COORDINATOR, 'pool.toggle', { aadObjectId: COLLEAGUE.aadObjectId });
    expect(await running.app.services.members.organisers()).toHaveLength(1);
  });

  it('lets a coordinator name another coordinator, who can then manage the pool', async () => {
    await click(COORDINATOR, 'pool.save', { person: `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|${COLLEAGUE.name}`, role: 'coordinator' });
    expect(await running.app.services.members.isCoordinator(COLLEAGUE.aadObjectId)).toBe(true);
    expect((await running.app.services.members.get(COLLEAGUE.aadObjectId))?.roles.sort()).toEqual(['coordinator', 'organiser']);
    const res = await say(COLLEAGUE, 'organisateurs');
    expect(cardsOf(res.body.activities)).toHaveLength(1);
  });

  it('save and toggle update the card in place: the click answers with the new card, nothing is posted', async () => {
    const shown = await say(COORDINATOR, 'organisateurs');
    const card = cardsOf(shown.body.activities)[0];
    const actions = JSON.stringify(card);
    expect(actions).not.toContain('Action.Submit');
    expect(actions).toContain('"verb":"pool.save"');
    expect(actions).toContain('"verb":"pool.toggle"');
    const before = chatTraffic();
    const off = await click(COORDINATOR, 'pool.toggle', { aadObjectId: COLLEAGUE.aadObjectId });
    expect(off.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(off)).toContain('Noor Organisator est désactivé·e');
    expect(cardText(off)).toContain('Noor Organisator (inactif)');
    const on = await click(COORDINATOR, 'pool.toggle', { aadObjectId: COLLEAGUE.aadObjectId });
    expect(cardText(on)).toContain('de nouveau actif');
    const saved = await click(COORDINATOR, 'pool.save', { person: `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|${COLLEAGUE.name}`, role: 'organiser', languages: 'nl' });
    expect(saved.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(saved)).toContain('langues : NL');
    expect(chatTraffic()).toBe(before);
  });

  it('refuses to deactivate oneself, in the card', async () => {
    const res = await click(COORDINATOR, 'pool.toggle', { aadObjectId: COORDINATOR.aadObjectId });
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(res)).toMatch(/désactiver vous-même/);
  });

  it('writes every role change to the audit trail', async () => {
    expect(await running.app.models.audit.countDocuments({ action: 'member.updated', subject: COLLEAGUE.aadObjectId })).toBeGreaterThanOrEqual(4);
  });
});
