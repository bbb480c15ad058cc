// Issue 11 §3 and §4 (right to know), against the built bot (dist/bot/index.js as a child process):
// a case whose group chat holds members the person did not share her PSI with. The chat gets only a
// notice that a new version exists — none of the PSI's text reaches it, in any activity the fake
// Bot Connector received — the consented GP gets the full card 1:1 (a 1:1 chat the bot creates),
// the nurse and the carer get "not shared", withdrawing the GP's consent turns the GP's card into
// "no longer shared" in place, and the organiser's access log lists who received or read which
// version and when, in the reader's language and Brussels time. In French and in Dutch.
import type { Connection } from 'mongoose';
import { DateTime } from 'luxon';
import { connectDatabase } from '../../models/db';
import { createModels, Models } from '../../models';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { BuiltBot, startBuiltBot } from './builtBot';
import { Card, choicesOf, Conversation, TeamsClient, TENANT, textOf, User } from './teamsClient';

jest.setTimeout(120_000);

type Lang = 'fr' | 'nl';
const aad = (n: number) => `00000000-0000-4000-8000-${String(880000 + n).padStart(12, '0')}`;
const person = (n: number, name: string, locale: string): User => ({ id: `29:psi-consent-${n}`, aadObjectId: aad(n), name, locale });

// Fictional people and texts; the planted texts must never reach the group chat.
const CASES: Record<Lang, { trackingId: string; seq: number; words: Record<string, string>; planted: Record<string, string>; expect: Record<string, string> }> = {
  fr: {
    trackingId: 'CMD-2026-0881',
    seq: 881,
    words: { link: 'lier dossier', psi: 'psi', access: 'psi accès' },
    planted: {
      needs: 'Retrouver des lunettes adaptées (planté FR)',
      limits: 'Jamais de visite avant dix heures (planté FR)',
      what: "Accompagner chez l'opticien (planté FR)",
      how: 'Prise de rendez-vous par la voisine (planté FR)',
    },
    expect: {
      notice: "n'est pas affiché dans cette conversation",
      notShared: "n'a pas choisi de partager",
      revoked: 'ne partage plus son PSI',
      notAllowed: 'pas le droit',
      direct: 'a reçu la version 1 en conversation privée',
      opened: 'a ouvert la version 1 depuis une carte',
      withdrawn: 'PSI plus partagé',
      groupNotice: 'avis de la version 1, sans contenu',
      conversation: 'Conversation du dossier',
      title: 'Qui a lu ou reçu le PSI',
    },
  },
  nl: {
    trackingId: 'CMD-2026-0882',
    seq: 882,
    words: { link: 'dossier koppelen', psi: 'zorgplan', access: 'zorgplan toegang' },
    planted: {
      needs: 'Een aangepaste bril vinden (geplant NL)',
      limits: 'Nooit bezoek voor tien uur (geplant NL)',
      what: 'Begeleiden naar de opticien (geplant NL)',
      how: 'Afspraak via de buurvrouw (geplant NL)',
    },
    expect: {
      notice: 'wordt in dit gesprek niet getoond',
      notShared: 'niet voor gekozen',
      revoked: 'deelt haar zorgplan niet langer',
      notAllowed: 'U mag dit niet doen',
      direct: 'ontving versie 1 in een persoonlijk gesprek',
      opened: 'opende versie 1 vanaf een kaart',
      withdrawn: 'zorgplan niet meer gedeeld',
      groupNotice: 'bericht over versie 1, zonder inhoud',
      conversation: 'Gesprek van het dossier',
      title: 'Wie het zorgplan las of ontving',
    },
  },
};

describe('the PSI reaches only those the person shares it with (built bot)', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;
  let conn: Connection;
  let models: Models;
  const dbName = uniqueDbName('psiconsent');

  beforeAll(async () => {
    connector = await FakeConnector.start();
    // The test database server, so the test can seed the admitted case and read the access log.
    bot = await startBuiltBot({ MONGODB_URI: testMongoUri(), DB_NAME: dbName });
    conn = await connectDatabase(testMongoUri(), dbName);
    models = createModels(conn);
    client = new TeamsClient(bot.url, connector);
  });
  afterAll(async () => {
    await bot?.stop();
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
    await connector?.close();
  });

  it.each(['fr', 'nl'] as const)('partly consented group chat, in %s', async (lang) => {
    const { trackingId, seq, words, planted, expect: says } = CASES[lang];
    const locale = lang === 'fr' ? 'fr-BE' : 'nl-BE';
    const base = lang === 'fr' ? 0 : 10;
    const organiser = person(base + 1, lang === 'fr' ? 'Olivia Organisatrice' : 'Olaf Organisator', locale);
    const gp = person(base + 2, lang === 'fr' ? 'Dr Gaby Généraliste' : 'Dr Geert Huisarts', locale);
    const nurse = person(base + 3, lang === 'fr' ? 'Nina Infirmière' : 'Nele Verpleegster', locale);
    const carer = person(base + 4, lang === 'fr' ? 'Valérie Voisine' : 'Vera Buurvrouw', locale);
    const group: Conversation = { id: `19:psi-consent-${lang}@thread.v2`, conversationType: 'groupChat' };
    const mine = (u: User): Conversation => ({ id: `a:psi-consent-personal-${u.id}`, conversationType: 'personal' });

    // An admitted case (the screening is tested elsewhere) with its participants.
    await models.requests.create({
      trackingId, year: 2026, seq, requesterAadObjectId: aad(base + 9), requesterConversationId: 'a:psi-consent-requester',
      locale: lang, answers: { person: { language: lang } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted',
      triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
    } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: organiser.aadObjectId, notes: '', decidedBy: 'coord', decidedByName: 'Coordination Test', decidedAt: new Date() });
    const participant = (u: User, role: string, profile: string | null) => ({
      trackingId, key: `aad:${u.aadObjectId}`, role, profile, aadObjectId: u.aadObjectId, teamsUserId: u.id, displayName: u.name, contact: '', relation: role === 'carer' ? 'voisine' : '',
      addedBy: organiser.aadObjectId, addedAt: new Date(), removed: false, removedBy: null, removedAt: null,
    });
    await models.caseParticipants.insertMany([participant(organiser, 'organiser', null), participant(gp, 'professional', 'gp'), participant(nurse, 'professional', 'homeNurse'), participant(carer, 'carer', null)]);
    connector.setMembers([organiser, gp, nurse, carer].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), group.id);
    const start = client.mark();
    const groupReplies: unknown[] = [];
    const inGroup = async (u: User, text: string) => {
      const r = await client.say(u, group, text);
      groupReplies.push(r.activities);
      return r;
    };
    expect(textOf(await inGroup(organiser, `${words.link} ${trackingId}`))).toContain(trackingId);

    // The organiser writes the PSI 1:1: sections, one action, the GP (shared) and the nurse (not).
    let psi: Card = (await client.say(organiser, mine(organiser), `${words.psi} ${trackingId}`)).cards[0];
    const step = async (verb: string, inputs: Record<string, unknown> = {}) => {
      const r = await client.click(organiser, mine(organiser), psi, verb, inputs);
      if (!r.card) throw new Error(`${verb}: ${r.message ?? 'no card'}`);
      psi = r.card;
    };
    await step('psi.edit');
    await step('psi.saveSections', { needs: planted.needs, objectives: '', projects: '', avoid: '', limits: planted.limits, referentName: '', referentPhone: '', referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: '', periodicity: 'none' });
    await step('psi.saveAction', { rowId: '', what: planted.what, how: planted.how, byWhom: gp.name, priorityWhen: '', dueDate: '', urgentContact: 'false' });
    await step('psi.saveActor', { actorId: '', participantKey: choicesOf(psi, 'participantKey', gp.name)[0], actorName: '', actorRoles: 'MG', actorContact: '', actorShare: 'true' });
    await step('psi.saveActor', { actorId: '', participantKey: choicesOf(psi, 'participantKey', nurse.name)[0], actorName: '', actorRoles: 'soins', actorContact: '', actorShare: 'false' });
    await step('psi.publish');
    expect(textOf(psi)).toContain(planted.needs);

    // The chat gets the notice; the GP gets the full card in a 1:1 chat the bot creates.
    const notice = await client.waitForProactive((a) => a.conversation?.id === group.id && textOf(a).includes('psi.open'), start, 'the notice in the chat');
    expect(textOf(notice.attachments)).toContain(says.notice);
    const toGp = await client.waitForProactive((a) => a.recipient?.id === gp.id && textOf(a).includes(planted.needs), start, "the GP's 1:1 card");
    const created = connector.requests.filter((r) => r.seq > start && r.operation === 'createConversation');
    expect(created.map((r) => (r.body as { members: Array<{ id: string }> }).members.map((m) => m.id))).toEqual([[gp.id]]);
    const gpChat: Conversation = { id: toGp.conversation.id, conversationType: 'personal' };
    expect(gpChat.id).not.toBe(group.id);
    // Nobody else got a 1:1 card.
    expect(client.proactive(start).filter((a) => a.conversation?.id !== group.id && a.recipient?.id !== gp.id)).toEqual([]);

    // Reads: the GP opens the card (1:1 and from the chat's notice); the nurse and the carer get nothing.
    expect(textOf((await client.click(gp, gpChat, toGp.attachments[0].content, 'psi.open')).card)).toContain(planted.what);
    expect(textOf((await client.click(gp, group, notice.attachments[0].content, 'psi.open')).card)).toContain(planted.limits);
    const nurseClick = await client.click(nurse, group, notice.attachments[0].content, 'psi.open');
    expect(nurseClick.card).toBeUndefined();
    expect(nurseClick.message).toContain(says.notShared);
    expect((await client.say(nurse, mine(nurse), `${words.psi} ${trackingId}`)).texts.join(' ')).toContain(says.notShared);
    expect((await inGroup(carer, words.psi)).texts.join(' ')).toContain(says.notShared);
    // Even a reader typing "psi" in the chat gets the notice there: the reply is read by everyone.
    const gpTyped = await inGroup(gp, words.psi);
    expect(textOf(gpTyped.cards)).toContain('psi.open');
    for (const text of Object.values(planted)) expect(textOf(gpTyped)).not.toContain(text);

    // The person withdraws her consent for the GP: at once (before the next version is published),
    // the GP's card becomes "no longer shared", in place, and the GP reads nothing any more.
    const beforeWithdrawal = client.mark();
    psi = (await client.say(organiser, mine(organiser), `${words.psi} ${trackingId}`)).cards[0];
    await step('psi.edit');
    await step('psi.share', { shareWith: '' });
    await client.waitForProactive((a) => a.conversation?.id === gpChat.id && textOf(a).includes(says.revoked), beforeWithdrawal, "the GP's card withdrawn");
    expect((await client.execute(gp, gpChat, 'psi.open', { trackingId })).message).toContain(says.notShared);
    await step('psi.publish');
    const gpMessage = await models.psiMessages.findOne({ trackingId, recipientKey: `aad:${gp.aadObjectId}` }).lean();
    expect(gpMessage).toMatchObject({ conversationId: gpChat.id, revoked: true });
    expect(connector.requests.filter((r) => r.seq > beforeWithdrawal && r.conversationId === gpChat.id).map((r) => [r.operation, r.activityId])).toEqual([['update', gpMessage!.activityId]]);
    expect(connector.requests.filter((r) => r.conversationId === gpChat.id && r.operation === 'send')).toHaveLength(1);
    const withdrawnCard = client.proactive(beforeWithdrawal, gpChat.id);
    for (const text of Object.values(planted)) expect(textOf(withdrawnCard)).not.toContain(text);
    expect((await client.say(gp, gpChat, `${words.psi} ${trackingId}`)).texts.join(' ')).toContain(says.notShared);
    expect((await client.execute(gp, gpChat, 'psi.open', { trackingId })).message).toContain(says.notShared);

    // The organiser's access log, 1:1, in the reader's language and Brussels time.
    const log = await client.say(organiser, mine(organiser), `${words.access} ${trackingId}`);
    const shown = textOf(log.cards);
    const today = DateTime.now().setZone('Europe/Brussels').setLocale(locale).toLocaleString(DateTime.DATE_SHORT);
    for (const line of [says.title, `— ${gp.name}`, says.direct, says.opened, says.withdrawn, says.groupNotice, says.conversation, today]) expect(shown).toContain(line);
    for (const text of Object.values(planted)) expect(shown).not.toContain(text);
    const stored = await models.psiAccess.find({ trackingId }).lean();
    expect(stored.filter((e) => e.aadObjectId === gp.aadObjectId).map((e) => `${e.kind}:${e.channel}:${e.version}`).sort()).toEqual(['delivered:directCard:1', 'delivered:revokedCard:1', 'read:open:1', 'read:open:1'].sort());
    expect(stored.some((e) => e.aadObjectId === nurse.aadObjectId || e.aadObjectId === carer.aadObjectId)).toBe(false);
    expect((await client.say(nurse, mine(nurse), `${words.access} ${trackingId}`)).texts.join(' ')).toContain(says.notAllowed);
    expect(textOf((await inGroup(organiser, `${words.access} ${trackingId}`)).cards)).toBe('[]');

    // Nothing of the PSI reached the group chat, in any activity the connector received or any reply there.
    const toGroup = connector.requests.filter((r) => r.seq > start && r.conversationId === group.id);
    expect(toGroup.length).toBeGreaterThan(0);
    for (const text of Object.values(planted)) {
      expect(toGroup.filter((r) => textOf(r.body).includes(text))).toEqual([]);
      expect(textOf(groupReplies)).not.toContain(text);
    }
    expect(client.problems).toEqual([]);
    expect(client.proactiveProblems()).toEqual([]);
    expect(bot.errors()).toEqual([]);
  });

  it('a chat where everyone may read it gets the full card; a member joining whom the person did not share it with makes it give way to the notice, in place', async () => {
    const trackingId = 'CMD-2026-0883';
    const organiser = person(21, 'Odile Organisatrice', 'fr-BE');
    const gp = person(22, 'Dr Gilles Généraliste', 'fr-BE');
    const newcomer = person(23, 'Noah Nouveau', 'fr-BE');
    const group: Conversation = { id: '19:psi-consent-join@thread.v2', conversationType: 'groupChat' };
    const mine = (u: User): Conversation => ({ id: `a:psi-consent-personal-${u.id}`, conversationType: 'personal' });
    const planted = 'Reprendre la marche au parc (planté, chat complet)';
    await models.requests.create({
      trackingId, year: 2026, seq: 883, requesterAadObjectId: aad(29), requesterConversationId: 'a:psi-consent-requester-3',
      locale: 'fr', answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted',
      triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
    } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: organiser.aadObjectId, notes: '', decidedBy: 'coord', decidedByName: 'Coordination Test', decidedAt: new Date() });
    const participant = (u: User, role: string, profile: string | null) => ({
      trackingId, key: `aad:${u.aadObjectId}`, role, profile, aadObjectId: u.aadObjectId, teamsUserId: u.id, displayName: u.name, contact: '', relation: '',
      addedBy: organiser.aadObjectId, addedAt: new Date(), removed: false, removedBy: null, removedAt: null,
    });
    await models.caseParticipants.insertMany([participant(organiser, 'organiser', null), participant(gp, 'professional', 'gp'), participant(newcomer, 'professional', 'physiotherapist')]);
    const roster = (users: User[]) => connector.setMembers(users.map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), group.id);
    roster([organiser, gp]);
    const start = client.mark();
    await client.say(organiser, group, `lier dossier ${trackingId}`);
    let psi: Card = (await client.say(organiser, mine(organiser), `psi ${trackingId}`)).cards[0];
    const step = async (verb: string, inputs: Record<string, unknown> = {}) => {
      psi = (await client.click(organiser, mine(organiser), psi, verb, inputs)).card ?? psi;
    };
    await step('psi.edit');
    await step('psi.saveAction', { rowId: '', what: planted, how: '', byWhom: gp.name, priorityWhen: '', dueDate: '', urgentContact: 'false' });
    await step('psi.saveActor', { actorId: '', participantKey: choicesOf(psi, 'participantKey', gp.name)[0], actorName: '', actorRoles: 'MG', actorContact: '', actorShare: 'true' });
    await step('psi.publish');
    const full = await client.waitForProactive((a) => a.conversation?.id === group.id && textOf(a).includes(planted), start, 'the full card in the chat');
    expect(textOf(full.attachments)).toContain('psi.open');

    // Teams tells the bot a member joined the chat (conversationUpdate); the roster now has them.
    roster([organiser, gp, newcomer]);
    const joined = client.mark();
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'conversationUpdate', id: `psi-consent-join-${Date.now()}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl: connector.url,
        from: { id: organiser.id, aadObjectId: organiser.aadObjectId, name: organiser.name }, recipient: { id: '28:shipped-bot', name: 'CMD bot' },
        conversation: { ...group, isGroup: true, tenantId: TENANT }, channelData: { tenant: { id: TENANT }, eventType: 'membersAdded' },
        membersAdded: [{ id: newcomer.id, aadObjectId: newcomer.aadObjectId }],
      }),
    });
    expect(res.status).toBeLessThan(300);
    const notice = await client.waitForProactive((a) => a.conversation?.id === group.id && textOf(a).includes("n'est pas affiché dans cette conversation"), joined, 'the notice replacing the full card');
    expect(textOf(notice.attachments)).not.toContain(planted);
    const groupMessage = await models.psiMessages.findOne({ trackingId, recipientKey: `conv:${group.id}` }).lean();
    expect(groupMessage).toMatchObject({ view: 'notice', version: 1 });
    expect(connector.requests.filter((r) => r.seq > joined && r.conversationId === group.id && (r.operation === 'send' || r.operation === 'update')).map((r) => [r.operation, r.activityId])).toEqual([['update', groupMessage!.activityId]]);
    const log = (await models.psiAccess.find({ trackingId }).lean()).map((e) => `${e.channel}:${e.aadObjectId === null ? 'chat' : e.aadObjectId === gp.aadObjectId ? 'gp' : e.aadObjectId === organiser.aadObjectId ? 'organiser' : 'other'}`);
    expect(log).toEqual(expect.arrayContaining(['groupCard:organiser', 'groupCard:gp', 'directCard:gp', 'groupNotice:chat']));
    expect(log).not.toContain('groupCard:other');
    expect(bot.errors()).toEqual([]);
  });
});
