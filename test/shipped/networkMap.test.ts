// The network map through the built bot (dist/bot/index.js as a child process): the organiser
// describes the actors by card (kind, closeness, relation, support, référent) and publishes; the
// case chat (everyone there a reader) and the consented actors get the PSI card with the map inline
// as a PNG, without the actor the person did not share her PSI with; "carte CMD-…" in French and
// "kaart CMD-…" in Dutch answer with the map card; a member she did not share it with is refused;
// the dashboard tab serves the map as a PNG to readers only. Fictional people only.
import type { Connection } from 'mongoose';
import { PNG } from 'pngjs';
import { PSI_MAP_WIDTHS } from '../../cards/psiMap';
import { connectDatabase } from '../../models/db';
import { createModels, Models } from '../../models';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { JwksServer, newSigner, ssoClaims, ssoToken, startJwksServer, tabSsoEnv } from '../support/ssoTokens';
import { BuiltBot, startBuiltBot } from './builtBot';
import { Card, choicesOf, Conversation, TeamsClient, textOf, User } from './teamsClient';

jest.setTimeout(120_000);

const aad = (n: number) => `00000000-0000-4000-8000-${String(890000 + n).padStart(12, '0')}`;
const person = (n: number, name: string, locale: string): User => ({ id: `29:network-map-${n}`, aadObjectId: aad(n), name, locale });
const organiser = person(1, 'Olivia Organisatrice', 'fr-BE');
const gp = person(2, 'Dr Gaby Généraliste', 'fr-BE');
const physio = person(3, 'Pieter Kinesist', 'nl-BE');
const nurse = person(4, 'Nina Infirmière', 'fr-BE');
const SECRET = 'Zoé Secrète';
const trackingId = 'CMD-2026-0891';
const group: Conversation = { id: '19:network-map@thread.v2', conversationType: 'groupChat' };
const mine = (u: User): Conversation => ({ id: `a:network-map-personal-${u.id}`, conversationType: 'personal' });

/** The PNG pictures a card or activity carries inline, decoded. */
function pictures(x: unknown): PNG[] {
  return [...textOf(x).matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => PNG.sync.read(Buffer.from(m[1], 'base64')));
}

describe('the network map in the shipped build', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;
  let conn: Connection;
  let models: Models;
  let jwks: JwksServer;
  const signer = newSigner('network-map-key');
  const dbName = uniqueDbName('networkmap');

  beforeAll(async () => {
    connector = await FakeConnector.start();
    jwks = await startJwksServer([signer]);
    bot = await startBuiltBot(tabSsoEnv(jwks.url, { MONGODB_URI: testMongoUri(), DB_NAME: dbName }));
    conn = await connectDatabase(testMongoUri(), dbName);
    models = createModels(conn);
    client = new TeamsClient(bot.url, connector);
  });
  afterAll(async () => {
    await bot?.stop();
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
    await connector?.close();
    await jwks?.close();
  });

  it('actors described by card, the map in the cards, "carte" / "kaart", the refusals and the tab', async () => {
    // An admitted case (the screening is tested elsewhere) with its participants; the chat holds readers only.
    await models.requests.create({
      trackingId, year: 2026, seq: 891, requesterAadObjectId: aad(9), requesterConversationId: 'a:network-map-requester',
      locale: 'fr', answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted',
      triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
    } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: organiser.aadObjectId, notes: '', decidedBy: 'coord', decidedByName: 'Coordination Test', decidedAt: new Date() });
    const participant = (u: User, role: string, profile: string | null) => ({
      trackingId, key: `aad:${u.aadObjectId}`, role, profile, aadObjectId: u.aadObjectId, teamsUserId: u.id, displayName: u.name, contact: '', relation: '',
      addedBy: organiser.aadObjectId, addedAt: new Date(), removed: false, removedBy: null, removedAt: null,
    });
    await models.caseParticipants.insertMany([participant(organiser, 'organiser', null), participant(gp, 'professional', 'gp'), participant(physio, 'professional', 'physiotherapist'), participant(nurse, 'professional', 'homeNurse')]);
    connector.setMembers([organiser, gp, physio].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), group.id);
    const start = client.mark();
    expect(textOf(await client.say(organiser, group, `lier dossier ${trackingId}`))).toContain(trackingId);

    // The organiser describes the actors, one card form at a time, then publishes.
    let psi: Card = (await client.say(organiser, mine(organiser), `psi ${trackingId}`)).cards[0];
    const step = async (verb: string, inputs: Record<string, unknown> = {}) => {
      const r = await client.click(organiser, mine(organiser), psi, verb, inputs);
      if (!r.card) throw new Error(`${verb}: ${r.message ?? 'no card'}`);
      psi = r.card;
    };
    const actor = (over: Record<string, string>) => ({ actorId: 'new', participantKey: 'none', actorName: '', actorRoles: '', actorContact: '', actorShare: 'false', actorKind: 'unsaid', actorCloseness: 'unsaid', actorRelation: 'unsaid', actorSupport: 'unsaid', actorReferent: 'false', ...over });
    await step('psi.edit');
    await step('psi.saveActor', actor({ participantKey: choicesOf(psi, 'participantKey', gp.name)[0], actorRoles: 'MG', actorShare: 'true', actorKind: 'health', actorCloseness: 'near', actorRelation: 'strong', actorSupport: 'toPerson' }));
    await step('psi.saveActor', actor({ participantKey: choicesOf(psi, 'participantKey', physio.name)[0], actorRoles: 'kiné', actorShare: 'true', actorKind: 'health', actorCloseness: 'far', actorRelation: 'weak', actorSupport: 'both' }));
    await step('psi.saveActor', actor({ actorName: SECRET, actorKind: 'family', actorCloseness: 'close', actorRelation: 'strained', actorSupport: 'none' }));
    await step('psi.saveActor', actor({ actorName: 'Rita Référente', actorKind: 'social', actorReferent: 'true' }));
    expect(textOf(psi)).toContain(`${SECRET} — famille · très proche · relation tendue / en conflit · pas de soutien — PSI non partagé`);
    await step('psi.publish');
    // The organiser's own view: every actor, and the map.
    expect(textOf(psi)).toContain(SECRET);
    expect(pictures(psi).map((p) => p.width)).toEqual([PSI_MAP_WIDTHS[0]]);

    // The chat (all readers) and the two consented actors get the card with the map, without the unshared actor.
    const inChat = await client.waitForProactive((a) => a.conversation?.id === group.id && textOf(a).includes('psi.open'), start, 'the PSI card in the chat');
    const toGp = await client.waitForProactive((a) => a.recipient?.id === gp.id && textOf(a).includes(physio.name), start, "the GP's 1:1 card");
    const toPhysio = await client.waitForProactive((a) => a.recipient?.id === physio.id && textOf(a).includes(gp.name), start, "the physio's 1:1 card");
    for (const posted of [inChat, toGp, toPhysio]) {
      expect(textOf(posted)).toContain(gp.name);
      // Neither the unshared actor nor the référent the person does not share her PSI with.
      expect(textOf(posted)).not.toContain(SECRET);
      expect(textOf(posted)).not.toContain('Rita Référente');
      expect(pictures(posted).map((p) => p.width)).toEqual([PSI_MAP_WIDTHS[0]]);
    }
    expect(textOf(connector.requests.filter((r) => r.seq > start).map((r) => r.body))).not.toMatch(/https?:\/\/[^"]*\.png/);

    // "carte" in French for the organiser, "kaart" in Dutch for the physio; the nurse is refused.
    const fr = await client.say(organiser, mine(organiser), `carte ${trackingId}`);
    expect(textOf(fr.cards)).toContain(`Carte réseau — dossier ${trackingId}`);
    expect(pictures(fr.cards).map((p) => p.width)).toEqual([900]);
    const nl = await client.say(physio, mine(physio), `kaart ${trackingId}`);
    expect(textOf(nl.cards)).toContain(`Netwerkkaart — dossier ${trackingId}`);
    expect(textOf(nl.cards)).toContain('Zorgplan versie 1');
    expect(pictures(nl.cards)).toHaveLength(1);
    const gpRead = await client.say(gp, mine(gp), `psi ${trackingId}`);
    expect(textOf(gpRead.cards)).toContain(physio.name);
    expect(textOf(gpRead.cards)).not.toMatch(new RegExp(`${SECRET}|Rita Référente`));
    const refused = await client.say(nurse, mine(nurse), `carte ${trackingId}`);
    expect(refused.cards).toEqual([]);
    expect(refused.texts.join(' ')).toContain("n'a pas choisi de partager");
    const seen = await models.psiAccess.find({ trackingId, channel: 'map' }).lean();
    expect(seen.map((e) => e.aadObjectId).sort()).toEqual([organiser.aadObjectId, physio.aadObjectId].sort());

    // The tab: the map as a PNG, for readers only, never cached.
    const tabMap = (who: User, theme: string) => fetch(`${bot.url}/api/tab/cases/${trackingId}/map?theme=${theme}`, { headers: { authorization: `Bearer ${ssoToken(signer, ssoClaims(who.aadObjectId))}` } });
    for (const [who, theme] of [[organiser, 'dark'], [gp, 'light']] as const) {
      const res = await tabMap(who, theme);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(PNG.sync.read(Buffer.from(await res.arrayBuffer())).width).toBe(900);
    }
    expect((await tabMap(nurse, 'light')).status).toBe(403);
    expect((await fetch(`${bot.url}/api/tab/cases/${trackingId}/map`)).status).toBe(401);

    expect(client.problems).toEqual([]);
    expect(client.proactiveProblems()).toEqual([]);
    expect(bot.errors()).toEqual([]);
  });
});
