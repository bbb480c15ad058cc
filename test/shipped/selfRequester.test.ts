// The person as her own requester, through the built bot over HTTP (issue 11 §2). She fills the
// sheet herself (in French, then another one in Dutch); the coordination triages both. Her name and
// phone must then be in no document the coordination can read, no card or message it was sent, no
// log line; after admission only the assigned organiser sees them ("Voir ses coordonnées"), each
// look audited, and another organiser or a coordinator is refused in their own language.
import { MongoClient } from 'mongodb';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { collectionsOf, sightingsIn } from './privacyScan';
import { BuiltBot, startBuiltBot } from './builtBot';
import { Card, cardsIn, Conversation, TeamsClient, textOf, User } from './teamsClient';

jest.setTimeout(120_000);

const aad = (n: number) => `00000000-0000-4000-8000-${String(760000 + n).padStart(12, '0')}`;
const user = (n: number, name: string, locale: string): User => ({ id: `29:shipped-self-${n}`, aadObjectId: aad(n), name, locale });
const COORDINATOR = user(1, 'Coline Coordination', 'fr-BE');
const ORGANISER = user(2, 'Omar Organisateur', 'fr-BE');
const OTHER_ORGANISER = user(3, 'Olga Organisator', 'nl-BE');
const MIREILLE = user(4, 'Mireille Fictive', 'fr-BE');
const GREET = user(5, 'Greet Fictief', 'nl-BE');
const COORDINATION: Conversation = { id: '19:shipped-self-coordination@thread.v2', conversationType: 'groupChat' };
const mine = (u: User): Conversation => ({ id: `a:shipped-self-personal-${u.id}`, conversationType: 'personal' });

const PHONE_FR = '0470 98 76 54';
const PHONE_NL = '0485 11 22 33';
/** What identifies the two requesters: their names, and their phones as typed and as bare digits. */
const NEEDLES = [MIREILLE.name, GREET.name, 'Mireille', 'Greet', PHONE_FR, PHONE_NL, '0470987654', '0485112233'];

const FR_SHEET = [
  'nouvelle demande', 'moi-même', PHONE_FR, 'passer', 'passer', '68', 'à domicile', 'Forest',
  "Je vis seule, je n'arrive plus à gérer mes médicaments et mes rendez-vous, et personne ne se parle.", 'non', 'français', 'non',
  'somatique, social', 'Diabète mal équilibré, chutes, isolement.', "Mon médecin, l'infirmière et le CPAS ne se concertent pas.",
  'continuité des soins', 'Chacun fait de son côté, sans plan commun.', 'oui', 'oui', 'écrit', 'passer', 'oui', 'passer', 'oui',
  'médecin généraliste, infirmière à domicile, assistante sociale', 'passer',
];
const NL_SHEET = [
  'nieuwe aanvraag', 'de persoon zelf', PHONE_NL, 'overslaan', 'overslaan', '74', 'thuis', 'Schaarbeek',
  'Ik woon alleen, ik val vaak en mijn huisarts en de thuisverpleging spreken niets af.', 'nee', 'Nederlands', 'nee',
  'somatisch en sociaal', 'Valpartijen, ondervoeding en eenzaamheid.', 'De thuiszorg lukt niet zonder afspraken tussen huisarts en thuisverpleging.',
  'zorgcontinuïteit', 'Niemand coördineert de zorg.', 'ja', 'ja', 'mondeling', 'overslaan', 'ja', 'overslaan', 'ja', 'huisarts, thuisverpleegkundige', 'overslaan',
];

/** Which needles occur in a text (case-insensitive). */
const found = (text: string): string[] => NEEDLES.filter((n) => text.toLowerCase().includes(n.toLowerCase()));

describe('the person as her own requester, through the built bot', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;
  let mongo: MongoClient;
  const dbName = uniqueDbName('self');
  /** Everything the bot answered the coordinator and the other organiser directly (HTTP replies). */
  const shownToOthers: unknown[] = [];
  const requests: Record<'fr' | 'nl', string> = { fr: '', nl: '' };
  const assignments: Card[] = [];

  beforeAll(async () => {
    connector = await FakeConnector.start();
    bot = await startBuiltBot({ MONGODB_URI: testMongoUri(), DB_NAME: dbName, BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId });
    client = new TeamsClient(bot.url, connector);
    mongo = await MongoClient.connect(testMongoUri(), { serverSelectionTimeoutMS: 5000 });
    // Rosters as in Teams: the staff in the staff's conversations, each requester alone in her 1:1 chat.
    const member = (u: User) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name });
    connector.setMembers([COORDINATOR, ORGANISER, OTHER_ORGANISER].map(member));
    for (const u of [MIREILLE, GREET]) connector.setMembers([member(u)], mine(u).id);
  });
  afterAll(async () => {
    await mongo?.close();
    const code = await bot?.stop();
    await connector?.close();
    expect(code).toBe(0);
  });

  const asCoordinator = async <T>(p: Promise<T>): Promise<T> => {
    const r = await p;
    shownToOthers.push(r);
    return r;
  };

  it('the coordination is set up with two organisers', async () => {
    await asCoordinator(client.say(COORDINATOR, COORDINATION, 'définir coordination'));
    let pool = (await asCoordinator(client.say(COORDINATOR, mine(COORDINATOR), 'organisateurs'))).cards[0];
    for (const [o, languages] of [[ORGANISER, 'fr,nl'], [OTHER_ORGANISER, 'nl']] as const) {
      const saved = await asCoordinator(client.click(COORDINATOR, mine(COORDINATOR), pool, 'pool.save', { person: `${o.aadObjectId}|${o.id}|${o.name}`, role: 'organiser', languages, sector: 'precarity' }));
      pool = saved.card!;
      expect(textOf(pool)).toContain(o.name);
    }
  });

  it.each([
    ['fr', MIREILLE, FR_SHEET, 'envoyer'],
    ['nl', GREET, NL_SHEET, 'versturen'],
  ] as const)('she fills the sheet herself (%s); the coordination triages it without learning who she is', async (lang, person, sheet, send) => {
    const mark = client.mark();
    let last = await client.say(person, mine(person), sheet[0]);
    expect(textOf(last)).toMatch(lang === 'fr' ? /Qui fait la demande/ : /Wie doet de aanvraag/);
    for (const answer of sheet.slice(1)) last = await client.say(person, mine(person), answer);
    // She sees her own answers before sending: her name (from Teams) and her phone.
    expect(found(textOf(last.cards))).toEqual(expect.arrayContaining([person.name, lang === 'fr' ? PHONE_FR : PHONE_NL]));
    last = await client.say(person, mine(person), send);
    const trackingId = /CMD-\d{4}-\d{4,}/.exec(last.texts.join(' '))?.[0];
    if (!trackingId) throw new Error(`no tracking id: ${textOf(last).slice(0, 400)}`);
    requests[lang] = trackingId;

    const posted = await client.waitForProactive((a) => a.conversation?.id === COORDINATION.id && textOf(a).includes(trackingId) && textOf(a).includes('triage.yes'), mark, 'the triage card');
    const triage = cardsIn([posted])[0];
    // The role is on the card (in the coordination's language), and where the contact went; not who.
    expect(textOf(triage)).toContain('La personne elle-même');
    expect(textOf(triage)).toContain('Gardées à part');
    expect(found(textOf(triage))).toEqual([]);

    const organiserMark = client.mark();
    const decided = await asCoordinator(client.click(COORDINATOR, COORDINATION, triage, 'triage.yes', { organiser: ORGANISER.aadObjectId, notes: '' }));
    expect(textOf(decided.card)).toContain(ORGANISER.name);
    const assignment = await client.waitForProactive((a) => textOf(a).includes(trackingId) && textOf(a).includes('requester.contact'), organiserMark, 'the assignment card');
    // Sent to the organiser without the contact: it is shown on demand only.
    expect(found(textOf(assignment))).toEqual([]);
    assignments.push(cardsIn([assignment])[0]);
  });

  it('the assigned organiser sees her name and phone on demand, each look audited', async () => {
    for (const [i, person, phone] of [[0, MIREILLE, PHONE_FR], [1, GREET, PHONE_NL]] as const) {
      const shown = await client.click(ORGANISER, mine(ORGANISER), assignments[i], 'requester.contact');
      expect(textOf(shown.card)).toContain(person.name);
      expect(textOf(shown.card)).toContain(phone);
    }
    const looks = await mongo.db(dbName).collection('auditTrail').find({ action: 'requester.identityRevealed' }).toArray();
    expect(looks.map((l) => [l.actor, l.subject]).sort()).toEqual([[ORGANISER.aadObjectId, requests.fr], [ORGANISER.aadObjectId, requests.nl]].sort());
  });

  it('another organiser and a coordinator are refused, in their language', async () => {
    const other = await client.click(OTHER_ORGANISER, mine(OTHER_ORGANISER), assignments[1], 'requester.contact');
    shownToOthers.push(other);
    expect(other.message).toContain('Alleen de organisator');
    const coordinator = await asCoordinator(client.click(COORDINATOR, mine(COORDINATOR), assignments[0], 'requester.contact'));
    expect(coordinator.message).toContain("Seul l'organisateur");
    // The coordinator may open the organiser's copy of the request: still without who asked.
    const copy = await asCoordinator(client.submit(COORDINATOR, mine(COORDINATOR), { action: 'openCase', trackingId: requests.fr }));
    expect(textOf(copy.cards)).toContain('requester.contact');
    expect(found(textOf(shownToOthers))).toEqual([]);
    expect(await mongo.db(dbName).collection('auditTrail').countDocuments({ action: 'requester.identityRevealed' })).toBe(2);
  });

  it('her name and phone are in no document the coordination can read, nothing it was sent, no log line', async () => {
    const db = mongo.db(dbName);
    const sightings = new Map<string, string[]>();
    for (const w of sightingsIn(await collectionsOf(db), NEEDLES)) sightings.set(w.collection, [...new Set([...(sightings.get(w.collection) ?? []), w.needle])]);
    // Her identity is kept apart (positive control: the scan does see it there). The bot's own
    // plumbing, which no view reads and the retention job purges, may also hold it: the dialog
    // state of her own 1:1 chat (her Teams name, prefilled), her 1:1 chat's address, and the
    // cached answer to the organiser's "Voir ses coordonnées" (redelivery answers the same).
    expect(sightings.get('requesterIdentities')).toEqual(expect.arrayContaining([MIREILLE.name, GREET.name, PHONE_FR, PHONE_NL]));
    const PLUMBING = ['requesterIdentities', 'botState', 'seenActivities', 'conversationReferences', 'conversationReferencesByUser'];
    expect([...sightings.keys()].filter((c) => !PLUMBING.includes(c))).toEqual([]);
    for (const c of ['requests', 'requestDecisions', 'cases', 'caseParticipants', 'exportFiles', 'concertationRecords', 'auditTrail', 'members']) expect(sightings.get(c)).toBeUndefined();

    // What the bot sent through the connector: nothing with her name or phone went anywhere but
    // her own 1:1 chat (the coordination conversation included).
    const elsewhere = connector.requests.filter((r) => r.conversationId !== mine(MIREILLE).id && r.conversationId !== mine(GREET).id);
    expect(elsewhere.some((r) => r.conversationId === COORDINATION.id)).toBe(true);
    expect(found(JSON.stringify(elsewhere.map((r) => r.body ?? null)))).toEqual([]);

    expect(found(JSON.stringify(bot.logs))).toEqual([]);
    expect(found(bot.rawOutput.join('\n'))).toEqual([]);
    expect(bot.errors().map((l) => l.msg)).toEqual([]);
    expect(client.problems).toEqual([]);
  });
});
