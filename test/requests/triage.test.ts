// Coordination side of a request: triage card posted proactively, decided by Action.Execute,
// the requester and the organiser told — through the real endpoint, database and a fake connector.
import { COORDINATION, COORDINATOR, COORDINATOR_2, ORGANISER, OUTSIDER, personal, REQUESTER, TestBot, useTestBot } from '../support/harness';
import { STANDARD_ANSWERS, submitStandardRequest } from '../support/sheet';
import { cardProblems, NO_PROBLEMS } from '../support/cards';

const REQUESTER_CHAT = { ...personal(REQUESTER), id: 'a:fictional-requester-chat' };

/** The coordination's click on a triage card (`replyToId`: the card's message). */
const decider = (bot: TestBot) => (verb: string, data: Record<string, unknown>, from: typeof COORDINATOR, replyToId?: string) => bot.invoke(verb, data, from, COORDINATION, { replyToId });
/** The requester fills and sends the standard sheet. */
const requestFrom = (bot: TestBot) => () => submitStandardRequest(bot.url, { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: bot.fake.url });

describe('triage by the coordination', () => {
  // A new app (and database, so request numbers start at 0001) for each test.
  const bot = useTestBot({ each: 'app', members: [REQUESTER], coordinators: [COORDINATOR, COORDINATOR_2], organisers: [ORGANISER], startScheduler: true });
  const decide = decider(bot);
  const submitRequest = requestFrom(bot);
  const year = new Date().getFullYear();
  /** The coordination conversation set, then `n` requests submitted (their triage cards posted there). */
  const givenRequests = async (n: number) => {
    await bot.say('définir coordination', COORDINATOR, COORDINATION);
    for (let i = 0; i < n; i++) await submitRequest();
  };
  /** One request, admitted with Olivia as organiser from its card. */
  const givenAdmitted = async () => {
    await givenRequests(1);
    const trackingId = `CMD-${year}-0001`;
    const res = await decide('triage.yes', { trackingId, organiser: ORGANISER.aadObjectId }, COORDINATOR, (await bot.app.services.requests.get(trackingId))!.triageActivityId!);
    if (!JSON.stringify(res.body).includes('Décision : Oui')) throw new Error(`${trackingId} not admitted: ${JSON.stringify(res.body).slice(0, 300)}`);
  };

  const triagePosts = () => bot.fake.requests.filter((r) => r.operation === 'send' && r.conversationId === COORDINATION.id);

  it('refuses "définir coordination" from someone who is not a coordinator', async () => {
    const res = await bot.say('définir coordination', OUTSIDER, COORDINATION);
    expect(res.body.activities?.[0].text).toMatch(/Seule la coordination/);
    expect(await bot.app.services.settings.get('coordinationConversationId')).toBeNull();
  });

  it('keeps a request submitted before any coordination conversation exists, and posts it once one is set', async () => {
    const id = await submitRequest();
    expect(id).toMatch(/^CMD-\d{4}-0001$/);
    expect(triagePosts()).toHaveLength(0);

    const res = await bot.say('définir coordination', COORDINATOR, COORDINATION);
    expect(res.body.activities?.map((a) => a.text).join(' ')).toMatch(/reçoit désormais les demandes.*1 demande/s);
    expect(triagePosts()).toHaveLength(1);
    const card = JSON.stringify(triagePosts()[0].body);
    expect(card).toContain(id);
    expect(card).toContain('Olivia Organisatrice');
    expect(card).toContain('triage.yes');
    // The anonymous sheet never carries the requester's conversation or Teams ids.
    expect(card).not.toContain(REQUESTER.aadObjectId);
    // The requester's sector is stored for the report and shown to the coordination.
    expect((await bot.app.services.requests.get(id))?.answers.requester.sector).toBe('precarity');
    expect(card).toContain('Secteur du demandeur');
  });

  it('posts the triage card as soon as a request is submitted', async () => {
    await givenRequests(1);
    const before = triagePosts().length;
    const id = await submitRequest();
    expect(id).toMatch(/-0002$/);
    expect(triagePosts()).toHaveLength(before + 1);
    expect((await bot.app.services.requests.get(id))?.triageActivityId).toBeTruthy();
  });

  it('refuses a decision from someone who is not a coordinator, with a clear message, and decides nothing', async () => {
    await givenRequests(1);
    const res = await decide('triage.yes', { trackingId: 'CMD-2026-0001', organiser: ORGANISER.aadObjectId }, OUTSIDER);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(JSON.stringify(res.body)).toMatch(/Seule la coordination peut décider/);
    const year = new Date().getFullYear();
    expect(await bot.app.services.requests.getDecision(`CMD-${year}-0001`)).toBeNull();
  });

  it('asks for an organiser before "Oui" and for a reason before "Non", keeping the notes typed', async () => {
    await givenRequests(1);
    const year = new Date().getFullYear();
    const noOrganiser = await decide('triage.yes', { trackingId: `CMD-${year}-0001`, notes: 'à voir vite' }, COORDINATOR);
    const body = JSON.stringify(noOrganiser.body);
    expect(body).toContain('Choisissez un organisateur');
    expect(body).toContain('à voir vite');
    const noReason = await decide('triage.no', { trackingId: `CMD-${year}-0001`, notes: 'vu avec le CPAS' }, COORDINATOR);
    expect(JSON.stringify(noReason.body)).toContain('choisissez une raison du refus');
    expect(JSON.stringify(noReason.body)).toContain('vu avec le CPAS');
    const unknownReason = await decide('triage.no', { trackingId: `CMD-${year}-0001`, refusalReason: 'tooLate' }, COORDINATOR);
    expect(JSON.stringify(unknownReason.body)).toContain('choisissez une raison du refus');
    const otherWithoutNotes = await decide('triage.no', { trackingId: `CMD-${year}-0001`, refusalReason: 'other' }, COORDINATOR);
    expect(JSON.stringify(otherWithoutNotes.body)).toContain('écrivez la raison dans les notes');
    expect(JSON.stringify(otherWithoutNotes.body)).toContain('"value":"other"');
    expect(await bot.app.services.requests.getDecision(`CMD-${year}-0001`)).toBeNull();
  });

  it('refuses with a reason of the list: stored for the report and shown on the decided card', async () => {
    await givenRequests(1);
    const trackingId = `CMD-${year}-0001`;
    const res = await decide('triage.no', { trackingId, refusalReason: 'outsideBrussels', organiser: ORGANISER.aadObjectId }, COORDINATOR);
    expect(JSON.stringify(res.body)).toContain('Décision : Non');
    expect(JSON.stringify(res.body)).toContain('Raison du refus : La personne réside hors de Bruxelles');
    expect(await bot.app.services.requests.getDecision(trackingId)).toMatchObject({ status: 'no', refusalReason: 'outsideBrussels', organiserAadObjectId: null, notes: '' });
  });

  it('reads decisions stored before the refusal reason as having none', async () => {
    await bot.app.models.decisions.collection.insertOne({ trackingId: 'CMD-2025-0007', status: 'no', organiserAadObjectId: null, notes: 'hors critères', decidedBy: 'c', decidedByName: 'Coordination Test', decidedAt: new Date() });
    expect(await bot.app.services.requests.getDecision('CMD-2025-0007')).toMatchObject({ status: 'no', refusalReason: null });
  });

  it('decides "Oui" with an organiser: card updated for everyone, requester and organiser told', async () => {
    await givenRequests(1);
    const year = new Date().getFullYear();
    const trackingId = `CMD-${year}-0001`;
    const request = await bot.app.services.requests.get(trackingId);
    const sendsBefore = bot.fake.requests.length;
    const res = await decide('triage.yes', { trackingId, organiser: ORGANISER.aadObjectId, notes: 'Personne de confiance : une voisine' }, COORDINATOR, request!.triageActivityId!);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('Décision : Oui');
    const after = bot.fake.requests.slice(sendsBefore);
    // Updated in place for everyone in the coordination conversation.
    expect(after.some((r) => r.operation === 'update' && r.activityId === request!.triageActivityId)).toBe(true);
    // The requester is told in their chat.
    expect(after.some((r) => r.operation === 'send' && r.conversationId === REQUESTER_CHAT.id && JSON.stringify(r.body).includes('recevable'))).toBe(true);
    // The organiser gets the anonymous sheet and the notes in a new 1:1 chat.
    const created = after.find((r) => r.operation === 'createConversation');
    expect(created).toBeDefined();
    const toOrganiser = after.filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('Nouvelle concertation à organiser'));
    expect(toOrganiser).toHaveLength(1);
    expect(JSON.stringify(toOrganiser[0].body)).toContain('une voisine');
    // It says what comes next, with the commands to type in the case's group chat.
    const assignment = JSON.stringify(toOrganiser[0].body);
    expect(assignment).toContain('Et maintenant ?');
    expect(assignment).toContain(`lier dossier ${trackingId}`);
    expect(assignment).toContain(`nouveau sondage ${trackingId}`);
    // "Ouvrir le dossier" opens the case card (not the assignment card again).
    const content = (toOrganiser[0].body as { attachments: Array<{ content: { actions: Array<Record<string, unknown>> } }> }).attachments[0].content;
    expect(cardProblems(content)).toEqual(NO_PROBLEMS);
    const open = content.actions.find((a) => a.title === 'Ouvrir le dossier')!;
    expect(open).toMatchObject({ type: 'Action.Execute', verb: 'case.open' });
    const opened = await bot.invoke(open.verb as string, open.data as Record<string, unknown>, ORGANISER, { ...personal(ORGANISER), id: 'a:organiser-chat' });
    expect(opened.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(opened.body)).toContain(`Dossier ${trackingId}`);
    expect(JSON.stringify(opened.body)).not.toContain('Nouvelle concertation à organiser');
    expect(await bot.app.services.requests.get(trackingId)).toMatchObject({ status: 'admitted' });
  });

  it('lets exactly one of two coordinators acting at once win; the other sees the decision', async () => {
    await givenRequests(2);
    const year = new Date().getFullYear();
    const trackingId = `CMD-${year}-0002`;
    const [a, b] = await Promise.all([
      decide('triage.yes', { trackingId, organiser: ORGANISER.aadObjectId }, COORDINATOR),
      decide('triage.no', { trackingId, refusalReason: 'other', notes: 'hors critères' }, COORDINATOR_2),
    ]);
    const decision = await bot.app.services.requests.getDecision(trackingId);
    expect(decision).not.toBeNull();
    const shown = [JSON.stringify(a.body), JSON.stringify(b.body)];
    const expected = decision!.status === 'yes' ? 'Décision : Oui' : 'Décision : Non';
    // Both coordinators see the one decision that won.
    for (const s of shown) expect(s).toContain(expected);
    expect(await bot.app.models.decisions.countDocuments({ trackingId })).toBe(1);
  });

  it("shows each organiser's open cases on the next triage card (admitted and conditional decisions)", async () => {
    await givenAdmitted();
    const open = await bot.app.models.decisions.countDocuments({ organiserAadObjectId: ORGANISER.aadObjectId, status: { $in: ['yes', 'conditional'] } });
    expect(open).toBeGreaterThan(0);
    const before = triagePosts().length;
    await submitRequest();
    expect(JSON.stringify(triagePosts()[before].body)).toContain(`Olivia Organisatrice — FR — ${open} ${open === 1 ? 'dossier' : 'dossiers'} en cours`);
  });

  it('tells the organiser who opens the case the sheet, and refuses others', async () => {
    await givenAdmitted();
    const year = new Date().getFullYear();
    const open = { action: 'openCase', trackingId: `CMD-${year}-0001` };
    const mine = await bot.submit(open, ORGANISER, { ...personal(ORGANISER), id: 'a:organiser-chat' });
    expect(JSON.stringify(mine.body)).toContain('Nouvelle concertation à organiser');
    const other = await bot.submit(open, OUTSIDER, { ...personal(OUTSIDER), id: 'a:outsider-chat' });
    expect(other.body.activities?.[0].text).toMatch(/pas accès/);
  });
});

describe('triage while the organiser pool is empty', () => {
  const bot = useTestBot({ each: 'app', members: [REQUESTER], startScheduler: true });
  const decide = decider(bot);
  beforeEach(() => bot.say('définir coordination', COORDINATOR, COORDINATION));

  it('tells the coordination to add organisers instead of posting a card with nobody to pick; the requester hears nothing of it', async () => {
    const sendsBefore = bot.fake.requests.length;
    for (const a of STANDARD_ANSWERS.slice(0, -1)) await (typeof a === 'string' ? bot.say(a, REQUESTER, REQUESTER_CHAT) : bot.submit(a, REQUESTER, REQUESTER_CHAT));
    const sent = await bot.say('envoyer', REQUESTER, REQUESTER_CHAT);
    const replies = (sent.body.activities ?? []).map((a: { text?: string }) => a.text ?? '');
    const id = /CMD-\d{4}-\d{4}/.exec(replies.join(' '))![0];
    const posted = bot.fake.requests.slice(sendsBefore).filter((r) => r.operation === 'send' && r.conversationId === COORDINATION.id);
    expect(posted).toHaveLength(1);
    const content = (posted[0].body as { attachments: Array<{ content: object }> }).attachments[0].content;
    expect(cardProblems(content)).toEqual(NO_PROBLEMS);
    const text = JSON.stringify(content);
    expect(text).toContain(id);
    expect(text).toContain('« organisateurs »');
    expect(text).toContain('triage.show');
    expect(text).not.toContain('Input.ChoiceSet');
    // Still waiting for triage: nothing decided, no triage card recorded.
    expect(await bot.app.services.requests.get(id)).toMatchObject({ status: 'submitted', triageActivityId: null });
    // The requester only got their confirmation (no word about the coordination's set-up).
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('enregistrée sous le numéro');
    expect(bot.fake.requests.slice(sendsBefore).filter((r) => r.operation === 'send' && r.conversationId === REQUESTER_CHAT.id)).toHaveLength(0);
  });

  it('"Afficher la demande" says the pool is still empty, then shows the triage card once an organiser is added', async () => {
    await requestFrom(bot)();
    const [request] = await bot.app.services.requests.untriaged();
    const notice = { activityId: 'fictional-notice-activity' }; // Teams gives the clicked card's message id as replyToId
    const still = await decide('triage.show', { trackingId: request.trackingId }, COORDINATOR, notice.activityId);
    expect(JSON.stringify(still.body)).toContain('toujours vide');
    expect(cardProblems((still.body as { value: object }).value)).toEqual(NO_PROBLEMS);
    // A decision that needs an organiser is refused with the same advice, on a valid card.
    const yes = await decide('triage.yes', { trackingId: request.trackingId }, COORDINATOR, notice.activityId);
    expect(JSON.stringify(yes.body)).toContain('pool des organisateurs est vide');
    expect(cardProblems((yes.body as { value: object }).value)).toEqual(NO_PROBLEMS);

    await bot.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', COORDINATOR.aadObjectId, { languages: ['fr'] });
    const shown = await decide('triage.show', { trackingId: request.trackingId }, COORDINATOR, notice.activityId);
    const card = (shown.body as { value: object }).value;
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(card)).toContain('Olivia Organisatrice');
    expect(JSON.stringify(card)).toContain('triage.yes');
    expect((await bot.app.services.requests.get(request.trackingId))?.triageActivityId).toBe(notice.activityId);
    expect(bot.fake.requests.some((r) => r.operation === 'update' && r.activityId === notice.activityId)).toBe(true);
  });
});
