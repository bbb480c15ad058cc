// Updating from a version that kept its data in SQLite files: the built bot, started on the same
// data folder, moves everything into PostgreSQL once, and the user's sheet goes on where it was.
import fs from 'node:fs';
import path from 'node:path';
import { FakeConnector } from '../support/fakeConnector';
import { makeDataDir, startBuiltBot } from './builtBot';
import { Conversation, TeamsClient, User } from './teamsClient';

jest.setTimeout(120_000);

const user: User = { id: '29:fictional-upgrade-user', aadObjectId: '00000000-0000-4000-8000-00000000a9b1', name: 'Ilse Test', locale: 'nl-BE' };
const chat: Conversation = { id: 'a:fictional-upgrade-chat', conversationType: 'personal' };

let connector: FakeConnector;
const dataDir = makeDataDir();

beforeAll(async () => {
  connector = await FakeConnector.start();
});
afterAll(async () => {
  await connector?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('moves the SQLite data into PostgreSQL at the first start and the sheet continues', async () => {
  const old = await startBuiltBot({ EMBEDDED_DB_BACKEND: 'sqlite' }, { dataDir });
  const before = new TeamsClient(old.url, connector);
  const say = async (client: TeamsClient, text: string) => {
    const r = await client.say(user, chat, text);
    return [...r.texts, JSON.stringify(r.cards)].join('\n');
  };
  expect(await say(before, 'nieuwe aanvraag')).toMatch(/Wie doet de aanvraag/);
  expect(await say(before, 'zorgverlener')).toMatch(/organisatie/);
  expect(await say(before, 'Fictief OCMW van Test')).toMatch(/In welke sector werkt u/);
  expect(await say(before, 'ouderen')).toMatch(/relatie met de betrokken persoon/);
  expect(await old.stop()).toBe(0);
  expect(fs.readdirSync(path.join(dataDir, 'ferretdb')).some((f) => f.endsWith('.sqlite'))).toBe(true);

  const bot = await startBuiltBot({}, { dataDir });
  try {
    const moved = bot.logs.find((l) => l.msg === 'embedded database moved from SQLite to PostgreSQL');
    expect(moved).toBeDefined();
    expect(moved!.documents as number).toBeGreaterThan(0);
    expect(bot.logs.find((l) => l.msg === 'embedded database (FerretDB) started')?.backend).toBe('postgresql');
    // The SQLite files are kept aside, never deleted; the next start does not move anything again.
    expect(fs.existsSync(path.join(dataDir, 'ferretdb'))).toBe(false);
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('ferretdb-moved-to-postgres-'))).toBe(true);

    // The answers given before the update are there: the sheet asks the question after the fourth.
    const after = new TeamsClient(bot.url, connector);
    expect(await say(after, 'maatschappelijk werker')).toMatch(/telefoon- of gsm-nummer/);
    expect(after.problems).toEqual([]);
    expect(bot.errors()).toEqual([]);
  } finally {
    expect(await bot.stop()).toBe(0);
  }
  const again = await startBuiltBot({}, { dataDir });
  try {
    expect(again.logs.some((l) => l.msg === 'embedded database moved from SQLite to PostgreSQL')).toBe(false);
  } finally {
    expect(await again.stop()).toBe(0);
  }
});
