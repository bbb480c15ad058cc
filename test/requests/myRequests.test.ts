// The requester follows their requests: "mes demandes" / "mijn aanvragen" lists them with their
// status, and they are told 1:1 when the concertation date is fixed — tracking id and date only.
import type { RequestFeature } from '../../bot/features/requests';
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { cardProblems, NO_PROBLEMS } from '../support/cards';
import { FakeConnector } from '../support/fakeConnector';
import { submitStandardRequest } from '../support/sheet';

const TENANT = '11111111-1111-4111-8111-111111111111';
const COORDINATOR = { id: '29:fictional-coordinator', aadObjectId: 'c0000000-0000-4000-8000-000000000011', name: 'Coralie Coordination' };
const ORGANISER = { id: '29:fictional-organiser', aadObjectId: 'a0000000-0000-4000-8000-000000000011', name: 'Olivia Organisatrice' };
const REQUESTER = { id: '29:fictional-requester', aadObjectId: 'b0000000-0000-4000-8000-000000000011', name: 'Alex Test' };
const OTHER = { id: '29:fictional-other-requester', aadObjectId: 'b0000000-0000-4000-8000-000000000012', name: 'Sam Test' };
const COORDINATION = { id: '19:fictional-coordination@thread.tacv2', conversationType: 'channel', tenantId: TENANT };
const REQUESTER_CHAT = { id: 'a:fictional-requester-chat', conversationType: 'personal', tenantId: TENANT };
const OTHER_CHAT = { id: 'a:fictional-other-chat', conversationType: 'personal', tenantId: TENANT };

describe('"mes demandes" and the requester told of the date', () => {
  let fake: FakeConnector;
  let running: RunningApp;
  let feature: RequestFeature;
  let first: string;
  let second: string;

  const ask = async (text: string, from = REQUESTER, conversation: { id: string; conversationType: string; tenantId?: string } = REQUESTER_CHAT, locale = 'fr-BE') =>
    (await post(running.url, teamsMessage(text, { from, conversation, serviceUrl: fake.url, locale }))).body.activities ?? [];

  beforeAll(async () => {
    fake = await FakeConnector.start();
    fake.setMembers([{ ...REQUESTER, email: 'alex.test@example.org' }]);
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId });
    await running.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', COORDINATOR.aadObjectId, { languages: ['fr'] });
    await post(running.url, teamsMessage('définir coordination', { from: COORDINATOR, conversation: COORDINATION, serviceUrl: fake.url }));
    feature = running.app.bot.feature('requests') as RequestFeature;
    first = await submitStandardRequest(running.url, { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: fake.url });
    second = await submitStandardRequest(running.url, { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: fake.url });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  it('tells someone with no request how to start one', async () => {
    const replies = await ask('mes demandes', OTHER, OTHER_CHAT);
    expect(replies[0].text).toContain('aucune demande');
  });

  it('lists the requester\'s requests with their status, without anything from the sheet', async () => {
    const [reply] = await ask('mes demandes');
    const content = reply.attachments[0].content;
    expect(cardProblems(content)).toEqual(NO_PROBLEMS);
    const text = JSON.stringify(content);
    expect(text).toContain(first);
    expect(text).toContain(second);
    expect(text).toContain("En attente d'examen par la coordination");
    for (const fromSheet of ['CPAS fictif', 'Saint-Gilles', 'Madame vit seule', '72']) expect(text).not.toContain(fromSheet);
  });

  it('shows the decision once the coordination has decided', async () => {
    const request = await running.app.services.requests.get(first);
    await post(
      running.url,
      teamsMessage(undefined, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        from: COORDINATOR,
        conversation: COORDINATION,
        serviceUrl: fake.url,
        replyToId: request!.triageActivityId!,
        value: { action: { type: 'Action.Execute', verb: 'triage.yes', data: { trackingId: first, organiser: ORGANISER.aadObjectId } }, trigger: 'manual' },
        deliveryMode: undefined,
      }),
    );
    const text = JSON.stringify((await ask('mes demandes'))[0].attachments[0].content);
    expect(text).toContain('Recevable : la concertation est en préparation');
    expect(text).toContain("En attente d'examen");
  });

  it('tells the requester 1:1 when the date is fixed (once per date), and lists it', async () => {
    const start = new Date('2027-01-14T09:30:00Z');
    const before = fake.requests.length;
    await feature.notifyRequesterDateFixed(first, start);
    await feature.notifyRequesterDateFixed(first, start); // the same date heard twice: told once
    const told = fake.requests.slice(before).filter((r) => r.operation === 'send' && r.conversationId === REQUESTER_CHAT.id);
    expect(told).toHaveLength(1);
    const text = JSON.stringify(told[0].body);
    expect(text).toContain(first);
    expect(text).toContain('est fixée');
    expect(text).toContain('10:30'); // Brussels time
    for (const fromSheet of ['CPAS fictif', 'Saint-Gilles', 'Madame', 'Olivia']) expect(text).not.toContain(fromSheet);
    expect(JSON.stringify((await ask('mes demandes'))[0].attachments[0].content)).toContain('Concertation prévue le');
    // A new date is told again.
    await feature.notifyRequesterDateFixed(first, new Date('2027-01-21T09:30:00Z'));
    expect(fake.requests.slice(before).filter((r) => r.operation === 'send' && r.conversationId === REQUESTER_CHAT.id)).toHaveLength(2);
  });

  it('answers in Dutch to "mijn aanvragen", and only in the 1:1 chat', async () => {
    const [reply] = await ask('mijn aanvragen', REQUESTER, REQUESTER_CHAT, 'nl-BE');
    expect(JSON.stringify(reply.attachments[0].content)).toContain('Uw overlegaanvragen');
    const [group] = await ask('mes demandes', REQUESTER, COORDINATION);
    expect(group.text).toContain('conversation privée');
  });
});
