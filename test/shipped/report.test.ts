// The activity report through the built bot (dist/bot/index.js as a child process): a year of
// activity stored as the bot stores it, then "rapport 2026-01-01 2026-12-31" typed by a
// coordinator in her 1:1 chat. The card gives the year's figures, its chart is a PNG that decodes,
// the XLSX downloads over HTTP from the link of the card with its sheets, and no name is in any
// of it. "verslag" gives the same in Dutch; an organiser is refused.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { MongoClient } from 'mongodb';
import { PNG } from 'pngjs';
import { CHART_WIDTH } from '../../cards/pictures/reportChart';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { COORDINATOR, NAMES, ORGANISER, seedReportYear } from '../support/reportDocs';
import { BuiltBot, startBuiltBot } from './builtBot';
import { actionsOf, Card, Conversation, TeamsClient, textOf, User } from './teamsClient';

jest.setTimeout(180_000);

const coordinator = (locale: string): User => ({ id: '29:shipped-report-coordinator', aadObjectId: COORDINATOR, name: 'Coralie Coordination', locale });
const ORGANISER_USER: User = { id: '29:shipped-report-organiser', aadObjectId: ORGANISER, name: 'Olivia Organisatrice', locale: 'fr-BE' };
const mine = (u: User): Conversation => ({ id: `a:shipped-report-personal-${u.id}`, conversationType: 'personal' });

/** Every fact of a card: title → value. */
function factsOf(card: Card): Record<string, string> {
  const facts: Record<string, string> = {};
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, any>;
    if (o.type === 'FactSet') for (const f of o.facts) facts[f.title] = f.value;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return facts;
}

function imageOf(card: Card): string {
  let url = '';
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, any>;
    if (o.type === 'Image') url = o.url;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return url;
}

describe('the activity report through the built bot', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;
  let mongo: MongoClient;
  const dbName = uniqueDbName('report');

  beforeAll(async () => {
    connector = await FakeConnector.start();
    // The seeded year's reminders are older than the default retention (90 days): the bot's purge
    // would erase them while the test runs.
    bot = await startBuiltBot({ MONGODB_URI: testMongoUri(), DB_NAME: dbName, REMINDER_RETENTION_DAYS: '3650' });
    client = new TeamsClient(bot.url, connector);
    mongo = await MongoClient.connect(testMongoUri(), { serverSelectionTimeoutMS: 5000 });
    // The coordinator is a stored member with the coordinator role, like the organisers.
    await seedReportYear(mongo.db(dbName));
  });
  afterAll(async () => {
    await mongo?.db(dbName).dropDatabase().catch(() => undefined);
    await mongo?.close();
    const code = await bot?.stop();
    await connector?.close();
    expect(code).toBe(0);
  });

  /** The report card for that command, its XLSX downloaded from the card's link (as Teams opens it). */
  async function report(user: User, text: string): Promise<{ card: Card; workbook: ExcelJS.Workbook; xml: string }> {
    const reply = await client.say(user, mine(user), text);
    expect(reply.cards).toHaveLength(1);
    const card = reply.cards[0];
    const link = actionsOf(card).find((a) => a.type === 'Action.OpenUrl')?.url as string;
    expect(link).toMatch(/\/exports\/[A-Za-z0-9_-]{20,64}\.xlsx$/);
    const res = await fetch(`${bot.url}${new URL(link).pathname}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const body = Buffer.from(await res.arrayBuffer());
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as never);
    const zip = await JSZip.loadAsync(body);
    const xml = (await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join('\n');
    return { card, workbook, xml };
  }

  it('gives a coordinator the year in French: figures, chart, XLSX, and no name', async () => {
    const { card, workbook, xml } = await report(coordinator('fr-BE'), 'rapport 2026-01-01 2026-12-31');
    const facts = factsOf(card);
    expect(facts).toMatchObject({
      'Organisateurs de concertation dans le pool': '3',
      "Demandes d'inclusion": '4',
      'Inclusions acceptées': '1',
      'Inclusions refusées': '2 (hors de Bruxelles 1, autre raison 1)',
      'Demandes en attente de décision': '1',
      'Concertations réalisées': '2',
      'Durée moyenne de préparation': '2 h 30',
      'Durée moyenne de la concertation': '1 h 30',
      'Concertations nécessitant un interprète': '1',
      "Nombre moyen d'intervenants": '6',
      'Délai médian demande → décision (jours)': '3',
      'Délai médian décision → première concertation (jours)': '16',
      'Rappels envoyés': '2',
      'Rappels envoyés en retard': '1',
      'Rappels non remis': '1',
    });
    const uri = imageOf(card);
    expect(uri).toMatch(/^data:image\/png;base64,/);
    const png = PNG.sync.read(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64'));
    expect(png.width).toBe(CHART_WIDTH);
    expect(new Set(Array.from({ length: png.width * png.height }, (_, i) => png.data.readUInt32BE(i * 4))).size).toBeGreaterThan(4);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Chiffres', 'Demandes', 'Concertations']);
    expect(workbook.worksheets[1].getColumn(1).values.slice(2)).toEqual(['CMD-2026-0001', 'CMD-2026-0002', 'CMD-2026-0003', 'CMD-2026-0004']);
    for (const name of NAMES) {
      expect(xml).not.toContain(name);
      expect(textOf(card)).not.toContain(name);
    }
    expect(client.problems).toEqual([]);
  });

  it('speaks Dutch to a coordinator who writes "verslag", and refuses an organiser', async () => {
    const { card, workbook } = await report(coordinator('nl-BE'), 'verslag 2026-01-01 2026-12-31');
    expect(factsOf(card)).toMatchObject({ 'Aanvragen tot inclusie': '4', 'Gehouden overleggen': '2', 'Gemiddelde voorbereidingstijd': '2 u 30' });
    expect(textOf(card)).toContain('Activiteitenverslag');
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Cijfers', 'Aanvragen', 'Overleggen']);
    const refused = await client.say(ORGANISER_USER, mine(ORGANISER_USER), 'rapport 2026-01-01 2026-12-31');
    expect(refused.cards).toEqual([]);
    expect(refused.texts.join(' ')).toContain('réservé à la coordination');
    expect(client.problems).toEqual([]);
  });
});
