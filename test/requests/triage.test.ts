// Coordination side of a request: triage card posted proactively, decided by Action.Execute,
// the requester and the organiser told — through the real endpoint, database and a fake connector.
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { STANDARD_ANSWERS, submitStandardRequest } from '../support/sheet';
import { cardProblems, NO_PROBLEMS } from '../support/cards';

const TENANT = '11111111-1111-4111-8111-111111111111';
const COORDINATOR = { id: '29:fictional-coordinator', aadObjectId: 'c0000000-0000-4000-8000-000000000001', name: 'Coralie Coordination' };
const COORDINATOR_2 = { id: '29:fictional-coordinator-2', aadObjectId: 'c0000000-0000-4000-8000-000000000002', name: 'Cas Coördinatie' };
const ORGANISER = { id: '29:fictional-organiser', aadObjectId: 'a0000000-0000-4000-8000-000000000001', name: 'Olivia Organisatrice' };
const OUTSIDER = { id: '29:fictional-outsider', aadObjectId: 'e0000000-0000-4000-8000-000000000001', name: 'Eve Extern' };
const REQUESTER = { id: '29:fictional-requester', aadObjectId: 'b0000000-0000-4000-8000-000000000001', name: 'Alex Test' };
const COORDINATION = { id: '19:fictional-coordination@thread.tacv2', conversationType: 'channel', tenantId: TENANT };
const REQUESTER_CHAT = { id: 'a:fictional-requester-chat', conversationType: 'personal', tenantId: TENANT };

function invoke(verb: string, data: Record<string, unknown>, from: typeof COORDINATOR, serviceUrl: string, replyToId?: string) {
  return teamsMessage(undefined, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    from,
    conversation: COORDINATION,
    serviceUrl,
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    deliveryMode: undefined, // Teams posts invokes normally: the invoke response is the HTTP body
  });
}

describe('triage by the coordination', () => {
  let fake: FakeConnector;
  let running: RunningApp;

  beforeAll(async () => {
    fake = await FakeConnector.start();
    fake.setMembers([{ ...REQUESTER, email: 'alex.test@example.org' }]);
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: `${COORDINATOR.aadObjectId},${COORDINATOR_2.aadObjectId}` });
    await running.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', COORDINATOR.aadObjectId, { languages: ['fr'] });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  const triagePosts = () => fake.requests.filter((r) => r.operation === 'send' && r.conversationId === COORDINATION.id);

  it('refuses "définir coordination" from someone who is not a coordinator', async () => {
    const res = await post(running.url, teamsMessage('définir coordination', { from: OUTSIDER, conversation: COORDINATION, serviceUrl: fake.url }));
    expect(res.body.activities?.[0].text).toMatch(/Seule la coordination/);
    expect(await running.app.services.settings.get('coordinationConversationId')).toBeNull();
  });

  it('keeps a request submitted before any coordination conversation exists, and posts it once one is set', async () => {
    const id = await submitStandardRequest(running.url, { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: fake.url });
    expect(id).toMatch(/^CMD-\d{4}-0001$/);
    expect(triagePosts()).toHaveLength(0);

    const res = await post(running.url, teamsMessage('définir coordination', { from: COORDINATOR, conversation: COORDINATION, serviceUrl: fake.url }));
    expect(res.body.activities?.map((a) => a.text).join(' ')).toMatch(/reçoit désormais les demandes.*1 demande/s);
    expect(triagePosts()).toHaveLength(1);
    const card = JSON.stringify(triagePosts()[0].body);
    expect(card).toContain(id);
    expect(card).toContain('Olivia Organisatrice');
    expect(card).toContain('triage.yes');
    // The anonymous sheet never carries the requester's conversation or Teams ids.
    expect(card).not.toContain(REQUESTER.aadObjectId);
  });

  it('posts the triage card as soon as a request is submitted', async () => {
    const before = triagePosts().length;
    const id = await submitStandardRequest(running.url, { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: fake.url });
    expect(id).toMatch(/-0002$/);
    expect(triagePosts()).toHaveLength(before + 1);
    expect((await running.app.services.requests.get(id))?.triageActivityId).toBeTruthy();
  });

  it('refuses a decision from someone who is not a coordinator, with a clear message, and decides nothing', async () => {
    const res = await post(running.url, invoke('triage.yes', { trackingId: 'CMD-2026-0001', organiser: ORGANISER.aadObjectId }, OUTSIDER, fake.url));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(JSON.stringify(res.body)).toMatch(/Seule la coordination peut décider/);
    const year = new Date().getFullYear();
    expect(await running.app.services.requests.getDecision(`CMD-${year}-0001`)).toBeNull();
  });

  it('asks for an organiser before "Oui" and for a reason before "Non", keeping the notes typed', async () => {
    const year = new Date().getFullYear();
    const noOrganiser = await post(running.url, invoke('triage.yes', { trackingId: `CMD-${year}-0001`, notes: 'à voir vite' }, COORDINATOR, fake.url));
    const body = JSON.stringify(noOrganiser.body);
    expect(body).toContain('Choisissez un organisateur');
    expect(body).toContain('à voir vite');
    const noReason = await post(running.url, invoke('triage.no', { trackingId: `CMD-${year}-0001` }, COORDINATOR, fake.url));
    expect(JSON.stringify(noReason.body)).toContain('raison du refus');
    expect(await running.app.services.requests.getDecision(`CMD-${year}-0001`)).toBeNull();
  });

  it('decides "Oui" with an organiser: card updated for everyone, requester and organiser told', async () => {
    const year = new Date().getFullYear();
    const trackingId = `CMD-${year}-0001`;
    const request = await running.app.services.requests.get(trackingId);
    const sendsBefore = fake.requests.length;
    const res = await post(running.url, invoke('triage.yes', { trackingId, organiser: ORGANISER.aadObjectId, notes: 'Personne de confiance : une voisine' }, COORDINATOR, fake.url, request!.triageActivityId!));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('Décision : Oui');
    const after = fake.requests.slice(sendsBefore);
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
    const opened = await post(
      running.url,
      teamsMessage(undefined, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        from: ORGANISER,
        conversation: { id: 'a:organiser-chat', conversationType: 'personal', tenantId: TENANT },
        serviceUrl: fake.url,
        value: { action: { type: 'Action.Execute', verb: open.verb, data: open.data }, trigger: 'manual' },
        deliveryMode: undefined,
      }),
    );
    expect(opened.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(opened.body)).toContain(`Dossier ${trackingId}`);
    expect(JSON.stringify(opened.body)).not.toContain('Nouvelle concertation à organiser');
    expect(await running.app.services.requests.get(trackingId)).toMatchObject({ status: 'admitted' });
  });

  it('lets exactly one of two coordinators acting at once win; the other sees the decision', async () => {
    const year = new Date().getFullYear();
    const trackingId = `CMD-${year}-0002`;
    const [a, b] = await Promise.all([
      post(running.url, invoke('triage.yes', { trackingId, organiser: ORGANISER.aadObjectId }, COORDINATOR, fake.url)),
      post(running.url, invoke('triage.no', { trackingId, notes: 'hors critères' }, COORDINATOR_2, fake.url)),
    ]);
    const decision = await running.app.services.requests.getDecision(trackingId);
    expect(decision).not.toBeNull();
    const shown = [JSON.stringify(a.body), JSON.stringify(b.body)];
    const expected = decision!.status === 'yes' ? 'Décision : Oui' : 'Décision : Non';
    // Both coordinators see the one decision that won.
    for (const s of shown) expect(s).toContain(expected);
    expect(await running.app.models.decisions.countDocuments({ trackingId })).toBe(1);
  });

  it("shows each organiser's open cases on the next triage card (admitted and conditional decisions)", async () => {
    const open = await running.app.models.decisions.countDocuments({ organiserAadObjectId: ORGANISER.aadObjectId, status: { $in: ['yes', 'conditional'] } });
    expect(open).toBeGreaterThan(0);
    const before = triagePosts().length;
    await submitStandardRequest(running.url, { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: fake.url });
    expect(JSON.stringify(triagePosts()[before].body)).toContain(`Olivia Organisatrice — FR — ${open} dossier(s) en cours`);
  });

  it('tells the organiser who opens the case the sheet, and refuses others', async () => {
    const year = new Date().getFullYear();
    const open = { action: 'openCase', trackingId: `CMD-${year}-0001` };
    const mine = await post(running.url, teamsMessage(undefined, { from: ORGANISER, conversation: { id: 'a:organiser-chat', conversationType: 'personal' }, serviceUrl: fake.url, value: open }));
    expect(JSON.stringify(mine.body)).toContain('Nouvelle concertation à organiser');
    const other = await post(running.url, teamsMessage(undefined, { from: OUTSIDER, conversation: { id: 'a:outsider-chat', conversationType: 'personal' }, serviceUrl: fake.url, value: open }));
    expect(other.body.activities?.[0].text).toMatch(/pas accès/);
  });
});

describe('triage while the organiser pool is empty', () => {
  let fake: FakeConnector;
  let running: RunningApp;

  beforeAll(async () => {
    fake = await FakeConnector.start();
    fake.setMembers([{ ...REQUESTER, email: 'alex.test@example.org' }]);
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId });
    await post(running.url, teamsMessage('définir coordination', { from: COORDINATOR, conversation: COORDINATION, serviceUrl: fake.url }));
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  it('tells the coordination to add organisers instead of posting a card with nobody to pick; the requester hears nothing of it', async () => {
    const sendsBefore = fake.requests.length;
    const who = { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: fake.url };
    for (const a of STANDARD_ANSWERS.slice(0, -1)) await post(running.url, teamsMessage(typeof a === 'string' ? a : undefined, { ...who, ...(typeof a === 'string' ? {} : { value: a }) }));
    const sent = await post(running.url, teamsMessage('envoyer', who));
    const replies = (sent.body.activities ?? []).map((a: { text?: string }) => a.text ?? '');
    const id = /CMD-\d{4}-\d{4}/.exec(replies.join(' '))![0];
    const posted = fake.requests.slice(sendsBefore).filter((r) => r.operation === 'send' && r.conversationId === COORDINATION.id);
    expect(posted).toHaveLength(1);
    const content = (posted[0].body as { attachments: Array<{ content: object }> }).attachments[0].content;
    expect(cardProblems(content)).toEqual(NO_PROBLEMS);
    const text = JSON.stringify(content);
    expect(text).toContain(id);
    expect(text).toContain('« organisateurs »');
    expect(text).toContain('triage.show');
    expect(text).not.toContain('Input.ChoiceSet');
    // Still waiting for triage: nothing decided, no triage card recorded.
    expect(await running.app.services.requests.get(id)).toMatchObject({ status: 'submitted', triageActivityId: null });
    // The requester only got their confirmation (no word about the coordination's set-up).
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('enregistrée sous le numéro');
    expect(fake.requests.slice(sendsBefore).filter((r) => r.operation === 'send' && r.conversationId === REQUESTER_CHAT.id)).toHaveLength(0);
  });

  it('"Afficher la demande" says the pool is still empty, then shows the triage card once an organiser is added', async () => {
    const [request] = await running.app.services.requests.untriaged();
    const notice = { activityId: 'fictional-notice-activity' }; // Teams gives the clicked card's message id as replyToId
    const still = await post(running.url, invoke('triage.show', { trackingId: request.trackingId }, COORDINATOR, fake.url, notice.activityId));
    expect(JSON.stringify(still.body)).toContain('toujours vide');
    expect(cardProblems((still.body as { value: object }).value)).toEqual(NO_PROBLEMS);
    // A decision that needs an organiser is refused with the same advice, on a valid card.
    const yes = await post(running.url, invoke('triage.yes', { trackingId: request.trackingId }, COORDINATOR, fake.url, notice.activityId));
    expect(JSON.stringify(yes.body)).toContain('pool des organisateurs est vide');
    expect(cardProblems((yes.body as { value: object }).value)).toEqual(NO_PROBLEMS);

    await running.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', COORDINATOR.aadObjectId, { languages: ['fr'] });
    const shown = await post(running.url, invoke('triage.show', { trackingId: request.trackingId }, COORDINATOR, fake.url, notice.activityId));
    const card = (shown.body as { value: object }).value;
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(card)).toContain('Olivia Organisatrice');
    expect(JSON.stringify(card)).toContain('triage.yes');
    expect((await running.app.services.requests.get(request.trackingId))?.triageActivityId).toBe(notice.activityId);
    expect(fake.requests.some((r) => r.operation === 'update' && r.activityId === notice.activityId)).toBe(true);
  });
});
