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
import { EmbeddedBotRun, startOnEmbeddedDb, stopEmbeddedRun } from './botRun';
import { dumpDatabase, sightingsIn } from './privacyScan';
import { CARER_NAME, playStory, people, PSI_WORDS, REFUSED_IDENTIFIERS, SELF_REQUESTERS, STORY_COORDINATORS } from './story';

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
  let run: EmbeddedBotRun;

  beforeAll(async () => {
    run = await startOnEmbeddedDb({ BOOTSTRAP_COORDINATOR_IDS: STORY_COORDINATORS.join(','), DB_NAME: 'story' });
  });

  afterAll(async () => {
    const code = await stopEmbeddedRun(run);
    // A clean stop on SIGTERM is part of what ships.
    expect(code).toBe(0);
  });

  it('every typed command has an owner', async () => {
    const routes = await declaredRoutes();
    const unowned = COMMAND_NAMES.filter((c) => !routes.includes(`command:${c}`));
    expect(unowned).toEqual([]);
  });

  it.each(['fr', 'nl'] as const)('plays the whole story in %s through the built bot', async (lang) => {
    await playStory(run.client, people(lang));
    expect(run.client.problems).toEqual([]);
    expect(run.client.proactiveProblems()).toEqual([]);
    expect(run.bot.errors().map((l) => `${l.msg} ${JSON.stringify(l.err ?? l.event ?? '')}`)).toEqual([]);
    expect(run.bot.rawOutput).toEqual([]);
  });

  it('exercised every command, verb and submit action the bot declares, in French and in Dutch', async () => {
    const routes = await declaredRoutes();
    const missing = routes.flatMap((r) => (['fr', 'nl'] as const).map((l) => `${r}:${l}`)).filter((r) => !run.client.exercised.has(r));
    expect(missing).toEqual([]);
  });

  it('after the whole story, personal data is only where the case needs it, and never in a log', async () => {
    // Where each planted string may be. The invoke responses kept for redelivery (seenActivities,
    // purged after two days) hold the cards the person's network was shown.
    const allowed: Record<string, string[]> = {
      ...Object.fromEntries(REFUSED_IDENTIFIERS.map((id) => [id, []])),
      [PSI_WORDS]: ['psiVersions.contentJson', 'psiDrafts.contentJson', 'seenActivities.invokeResponse'],
      // The person who asked herself: her phone only where her organiser reads it; her Teams name
      // also in her own 1:1 conversation (its reference, and its sheet state while she fills it).
      ...Object.fromEntries(Object.values(SELF_REQUESTERS).map((p) => [p.phone, ['requesterIdentities.phone', 'seenActivities.invokeResponse']])),
      ...Object.fromEntries(Object.values(SELF_REQUESTERS).map((p) => [p.name, ['requesterIdentities.name', 'seenActivities.invokeResponse', 'conversationReferences.referenceJson', 'botState.json']])),
      [CARER_NAME]: ['caseParticipants.displayName', 'polls.participants[].name', 'psiVersions.contentJson', 'psiDrafts.contentJson', 'seenActivities.invokeResponse'],
    };
    const docs = await dumpDatabase(run.dbUri, 'story');
    const misplaced = sightingsIn(docs, Object.keys(allowed))
      .filter((w) => !allowed[w.needle].includes(`${w.collection}.${w.path}`))
      .map((w) => `${w.needle} in ${w.collection}.${w.path}`);
    expect(misplaced).toEqual([]);
    // The scan sees what it looks for: the PSI is in the database.
    expect(sightingsIn(docs, [PSI_WORDS]).length).toBeGreaterThan(0);
    const logText = (JSON.stringify(run.bot.logs) + run.bot.rawOutput.join('\n')).toLowerCase();
    expect(Object.keys(allowed).filter((n) => logText.includes(n.toLowerCase()))).toEqual([]);
  });
});
