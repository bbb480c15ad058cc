// The shipped build, driven as Teams would drive it: `npm run build`, the compiled entry point as a
// child process on its own embedded database, a fake Bot Connector as every activity's serviceUrl.
// The whole story plays in French, then in Dutch, with other people: coordination set-up and pool,
// the anonymous sheet, triage, the case in its group chat, the availability poll, the agenda, the
// PSI, the concertation record, the export, reminders. Every typed command, card verb and submit
// action the bot declares must be exercised here in both languages, and none may answer with a
// generic error, a 5xx, or an error line in the bot's log.
import { COMMAND_NAMES } from '../../bot/commands';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { BuiltBot, startBuiltBot } from './builtBot';
import { playStory, people, STORY_COORDINATORS } from './story';
import { TeamsClient } from './teamsClient';

jest.setTimeout(300_000);

/** Every route the composed bot declares: commands, verbs, submit actions. */
async function declaredRoutes(): Promise<string[]> {
  const config = loadConfig({ DB_NAME: uniqueDbName('routes'), LOG_LEVEL: 'silent' });
  const app = await createApp({ config, mongodbUri: testMongoUri(), logger: createLogger('silent'), startScheduler: false });
  try {
    const r = app.bot.routes;
    return [...[...r.commands.keys()].map((k) => `command:${k}`), ...[...r.verbs.keys()].map((k) => `verb:${k}`), ...[...r.submits.keys()].map((k) => `submit:${k}`)];
  } finally {
    await app.close();
  }
}

describe('the shipped build (dist/bot/index.js), the whole story over HTTP', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;

  beforeAll(async () => {
    connector = await FakeConnector.start();
    bot = await startBuiltBot({ BOOTSTRAP_COORDINATOR_IDS: STORY_COORDINATORS.join(',') });
    client = new TeamsClient(bot.url, connector);
  });

  afterAll(async () => {
    const code = await bot?.stop();
    await connector?.close();
    // A clean stop on SIGTERM is part of what ships.
    expect(code).toBe(0);
  });

  it('every typed command has an owner', async () => {
    const routes = await declaredRoutes();
    const unowned = COMMAND_NAMES.filter((c) => !routes.includes(`command:${c}`));
    expect(unowned).toEqual([]);
  });

  it.each(['fr', 'nl'] as const)('plays the whole story in %s through the built bot', async (lang) => {
    await playStory(client, people(lang));
    expect(client.problems).toEqual([]);
    expect(client.proactiveProblems()).toEqual([]);
    expect(bot.errors().map((l) => `${l.msg} ${JSON.stringify(l.err ?? l.event ?? '')}`)).toEqual([]);
    expect(bot.rawOutput).toEqual([]);
  });

  it('exercised every command, verb and submit action the bot declares, in French and in Dutch', async () => {
    const routes = await declaredRoutes();
    const missing = routes.flatMap((r) => (['fr', 'nl'] as const).map((l) => `${r}:${l}`)).filter((r) => !client.exercised.has(r));
    expect(missing).toEqual([]);
  });
});
