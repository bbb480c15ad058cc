// Coordinators manage the organiser pool by card; nobody else can. The card's buttons are
// Action.Execute: each click answers with the updated card, which replaces the clicked one.
import { cardsOf } from '../support/app';
import { COORDINATOR, group, useTestBot } from '../support/harness';

const COLLEAGUE = { id: '29:fictional-colleague', aadObjectId: 'a1000000-0000-4000-8000-000000000001', name: 'Noor Organisator' };
const TEAM_CHAT = group('team-chat');

describe('organiser pool management', () => {
  // A new app per test: each test states who is in the pool when it starts.
  const bot = useTestBot({ each: 'app', members: [COORDINATOR, COLLEAGUE] });
  const say = (from: typeof COORDINATOR, text: string) => bot.say(text, from, TEAM_CHAT);
  const click = (from: typeof COORDINATOR, verb: string, data: Record<string, unknown>) => bot.invoke(verb, data, from, TEAM_CHAT);
  const person = `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|${COLLEAGUE.name}`;
  /** The colleague added to the pool as an organiser (Dutch and French) by the coordinator. */
  const givenColleagueOrganiser = () => click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: 'nl,fr', sector: 'mentalHealth', sectors: 'soins palliatifs; aide à domicile' });
  const cardText = (res: { body: Record<string, any> }) => JSON.stringify(res.body.value);
  /** Anything the bot posted or updated in the chat outside the invoke responses. */
  const chatTraffic = () => bot.fake.requests.filter((r) => r.conversationId === TEAM_CHAT.id && ['send', 'reply', 'update'].includes(r.operation ?? '')).length;

  it('refuses the pool to someone who is not a coordinator', async () => {
    const res = await say(COLLEAGUE, 'organisateurs');
    expect(res.body.activities?.[0].text).toMatch(/Seule la coordination/);
    expect(cardsOf(res.body.activities)).toHaveLength(0);
    const submit = await click(COLLEAGUE, 'pool.save', { person: `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|x`, role: 'coordinator' });
    expect(submit.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(cardText(submit)).toMatch(/Seule la coordination/);
    expect(await bot.app.services.members.isCoordinator(COLLEAGUE.aadObjectId)).toBe(false);
  });

  it('offers the members of the conversation and adds an organiser with languages', async () => {
    const shown = await say(COORDINATOR, 'organisateurs');
    const card = JSON.stringify(cardsOf(shown.body.activities)[0]);
    expect(card).toContain('Noor Organisator');

    const noLanguage = await click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: '' });
    expect(cardText(noLanguage)).toContain('au moins une langue');
    expect(await bot.app.services.members.get(COLLEAGUE.aadObjectId)).toBeNull();

    const saved = await click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: 'nl,fr', sector: 'mentalHealth', sectors: 'soins palliatifs; aide à domicile' });
    expect(cardText(saved)).toContain('enregistré');
    expect(cardText(saved)).toContain('secteur : santé mentale');
    expect(await bot.app.services.members.get(COLLEAGUE.aadObjectId)).toMatchObject({ roles: ['organiser'], languages: ['nl', 'fr'], sector: 'mentalHealth', sectors: ['soins palliatifs', 'aide à domicile'], active: true, teamsUserId: COLLEAGUE.id });
    expect((await bot.app.services.members.organisers({ language: 'nl' })).map((m) => m.aadObjectId)).toEqual([COLLEAGUE.aadObjectId]);
  });

  it('requires a sector of the list for an organiser; a refused form comes back as it was filled', async () => {
    const none = await click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: 'nl,fr', sectors: 'soins palliatifs' });
    expect(cardText(none)).toContain('Un organisateur doit avoir un secteur');
    const form = JSON.stringify(none.body.value.body.filter((e: { id?: string }) => e.id));
    for (const kept of [person, 'nl,fr', 'soins palliatifs']) expect(form).toContain(kept);
    const unknown = await click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: 'fr', sector: 'cardiology' });
    expect(cardText(unknown)).toContain("Ce secteur n'est pas dans la liste");
    expect(await bot.app.services.members.get(COLLEAGUE.aadObjectId)).toBeNull();
    // A coordinator needs none.
    await click(COORDINATOR, 'pool.save', { person, role: 'coordinator' });
    expect(await bot.app.services.members.get(COLLEAGUE.aadObjectId)).toMatchObject({ roles: ['coordinator'], sector: null });
  });

  it("changes an organiser's sector when the same person is saved again, and shows it in words", async () => {
    await givenColleagueOrganiser();
    const saved = await click(COORDINATOR, 'pool.save', { person, role: 'organiser', languages: 'nl', sector: 'hospital' });
    expect(cardText(saved)).toContain('secteur : hôpital');
    expect(await bot.app.services.members.get(COLLEAGUE.aadObjectId)).toMatchObject({ sector: 'hospital', languages: ['nl'] });
    const dutch = await bot.invoke('pool.toggle', { aadObjectId: 'nobody' }, COORDINATOR, TEAM_CHAT, { locale: 'nl-BE' });
    expect(cardText(dutch)).toContain('sector: ziekenhuis');
  });

  it('reads a member stored before the sector existed as having none', async () => {
    await bot.app.models.members.collection.insertOne({ aadObjectId: 'a1000000-0000-4000-8000-0000000000aa', displayName: 'Old Organiser', roles: ['organiser'], languages: ['fr'], sectors: [], active: true, updatedAt: new Date(), updatedBy: 'config' });
    expect(await bot.app.services.members.get('a1000000-0000-4000-8000-0000000000aa')).toMatchObject({ sector: null });
    const shown = await say(COORDINATOR, 'organisateurs');
    expect(JSON.stringify(cardsOf(shown.body.activities)[0])).toContain('Old Organiser');
  });

  it('deactivates and reactivates an organiser; an inactive one is not offered', async () => {
    await givenColleagueOrganiser();
    await click(COORDINATOR, 'pool.toggle', { aadObjectId: COLLEAGUE.aadObjectId });
    expect(await bot.app.services.members.organisers()).toHaveLength(0);
    await click(COORDINATOR, 'pool.toggle', { aadObjectId: COLLEAGUE.aadObjectId });
    expect(await bot.app.services.members.organisers()).toHaveLength(1);
  });

  it('lets a coordinator name another coordinator, who can then manage the pool', async () => {
    await givenColleagueOrganiser();
    await click(COORDINATOR, 'pool.save', { person: `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|${COLLEAGUE.name}`, role: 'coordinator' });
    expect(await bot.app.services.members.isCoordinator(COLLEAGUE.aadObjectId)).toBe(true);
    expect((await bot.app.services.members.get(COLLEAGUE.aadObjectId))?.roles.sort()).toEqual(['coordinator', 'organiser']);
    const res = await say(COLLEAGUE, 'organisateurs');
    expect(cardsOf(res.body.activities)).toHaveLength(1);
  });

  it('save and toggle update the card in place: the click answers with the new card, nothing is posted', async () => {
    await givenColleagueOrganiser();
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
    const saved = await click(COORDINATOR, 'pool.save', { person: `${COLLEAGUE.aadObjectId}|${COLLEAGUE.id}|${COLLEAGUE.name}`, role: 'organiser', languages: 'nl', sector: 'mentalHealth' });
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
    // Added, deactivated, reactivated, then named coordinator.
    await givenColleagueOrganiser();
    for (let i = 0; i < 2; i++) await click(COORDINATOR, 'pool.toggle', { aadObjectId: COLLEAGUE.aadObjectId });
    await click(COORDINATOR, 'pool.save', { person, role: 'coordinator' });
    expect(await bot.app.models.audit.countDocuments({ action: 'member.updated', subject: COLLEAGUE.aadObjectId })).toBeGreaterThanOrEqual(4);
  });
});
