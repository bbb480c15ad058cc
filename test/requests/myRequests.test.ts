// The requester follows their requests: "mes demandes" / "mijn aanvragen" lists them with their
// status, and they are told 1:1 when the concertation date is fixed — tracking id and date only.
import type { RequestFeature } from '../../bot/features/requests';
import { cardProblems, NO_PROBLEMS } from '../support/cards';
import { COORDINATION, COORDINATOR, Conversation, ORGANISER, personal, Persona, REQUESTER, useTestBot } from '../support/harness';
import { submitStandardRequest } from '../support/sheet';

const OTHER = { id: '29:fictional-other-requester', aadObjectId: 'b0000000-0000-4000-8000-000000000012', name: 'Sam Test' };
const REQUESTER_CHAT = { ...personal(REQUESTER), id: 'a:fictional-requester-chat' };
const OTHER_CHAT = { ...personal(OTHER), id: 'a:fictional-other-chat' };

describe('"mes demandes" and the requester told of the date', () => {
  const bot = useTestBot({ each: 'app', members: [REQUESTER], organisers: [ORGANISER], startScheduler: true });
  let feature: RequestFeature;
  let first: string;
  let second: string;

  const ask = async (text: string, from: Persona = REQUESTER, conversation: Conversation = REQUESTER_CHAT, locale = 'fr-BE') => (await bot.say(text, from, conversation, locale)).body.activities ?? [];
  /** The requester has sent `n` requests (the first one, then the second). */
  const givenRequests = async (n: number) => {
    const submit = () => submitStandardRequest(bot.url, { from: REQUESTER, conversation: REQUESTER_CHAT, serviceUrl: bot.fake.url });
    first = await submit();
    if (n > 1) second = await submit();
  };

  beforeEach(async () => {
    await bot.say('définir coordination', COORDINATOR, COORDINATION);
    feature = bot.app.bot.feature('requests') as RequestFeature;
  });

  it('tells someone with no request how to start one', async () => {
    const replies = await ask('mes demandes', OTHER, OTHER_CHAT);
    expect(replies[0].text).toContain('aucune demande');
  });

  it('lists the requester\'s requests with their status, without anything from the sheet', async () => {
    await givenRequests(2);
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
    await givenRequests(2);
    const request = await bot.app.services.requests.get(first);
    await bot.invoke('triage.yes', { trackingId: first, organiser: ORGANISER.aadObjectId }, COORDINATOR, COORDINATION, { replyToId: request!.triageActivityId! });
    const text = JSON.stringify((await ask('mes demandes'))[0].attachments[0].content);
    expect(text).toContain('Recevable : la concertation est en préparation');
    expect(text).toContain("En attente d'examen");
  });

  it('tells the requester 1:1 when the date is fixed (once per date), and lists it', async () => {
    await givenRequests(1);
    const start = new Date('2027-01-14T09:30:00Z');
    const before = bot.fake.requests.length;
    await feature.notifyRequesterDateFixed(first, start);
    await feature.notifyRequesterDateFixed(first, start); // the same date heard twice: told once
    const told = bot.fake.requests.slice(before).filter((r) => r.operation === 'send' && r.conversationId === REQUESTER_CHAT.id);
    expect(told).toHaveLength(1);
    const text = JSON.stringify(told[0].body);
    expect(text).toContain(first);
    expect(text).toContain('est fixée');
    expect(text).toContain('10:30'); // Brussels time
    for (const fromSheet of ['CPAS fictif', 'Saint-Gilles', 'Madame', 'Olivia']) expect(text).not.toContain(fromSheet);
    expect(JSON.stringify((await ask('mes demandes'))[0].attachments[0].content)).toContain('Concertation prévue le');
    // A new date is told again.
    await feature.notifyRequesterDateFixed(first, new Date('2027-01-21T09:30:00Z'));
    expect(bot.fake.requests.slice(before).filter((r) => r.operation === 'send' && r.conversationId === REQUESTER_CHAT.id)).toHaveLength(2);
  });

  it('answers in Dutch to "mijn aanvragen", and only in the 1:1 chat', async () => {
    await givenRequests(1);
    const [reply] = await ask('mijn aanvragen', REQUESTER, REQUESTER_CHAT, 'nl-BE');
    expect(JSON.stringify(reply.attachments[0].content)).toContain('Uw overlegaanvragen');
    const [group] = await ask('mes demandes', REQUESTER, COORDINATION);
    expect(group.text).toContain('conversation privée');
  });
});
