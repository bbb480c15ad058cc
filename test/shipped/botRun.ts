// Starting and stopping the built bot with what the shipped tests talk to it through: the fake
// connector, a Teams client, and the database the test reads back.
import type { Connection } from 'mongoose';
import { createModels, Models } from '../../models';
import { connectDatabase } from '../../models/db';
import { freePort } from '../../tools/embeddedDb';
import { testMongoUri } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { BuiltBot, startBuiltBot } from './builtBot';
import { TeamsClient } from './teamsClient';

export interface EmbeddedBotRun {
  bot: BuiltBot;
  connector: FakeConnector;
  client: TeamsClient;
  /** The embedded database of the child, for reading it back after the run. */
  dbUri: string;
}

/** The built bot on its own embedded database (on a free port), reached through a fresh fake connector. */
export async function startOnEmbeddedDb(env: Record<string, string>): Promise<EmbeddedBotRun> {
  const connector = await FakeConnector.start();
  try {
    const dbPort = await freePort();
    const bot = await startBuiltBot({ ...env, EMBEDDED_DB_PORT: String(dbPort) });
    return { bot, connector, client: new TeamsClient(bot.url, connector), dbUri: `mongodb://127.0.0.1:${dbPort}/` };
  } catch (err) {
    await connector.close();
    throw err;
  }
}

/** Stops the bot, then the connector; resolves to the bot's exit code (undefined when it never started). */
export async function stopEmbeddedRun(run: EmbeddedBotRun | undefined): Promise<number | null | undefined> {
  const code = await run?.bot.stop();
  await run?.connector.close();
  return code;
}

/** The test database server's database the child writes to, opened by the test to read what was stored. */
export async function openTestDatabase(dbName: string): Promise<{ conn: Connection; models: Models }> {
  const conn = await connectDatabase(testMongoUri(), dbName);
  return { conn, models: createModels(conn) };
}

/** Stops the bot, drops and closes the test's database, closes the connector (each only if it started). */
export async function stopWithTestDatabase(parts: { bot?: BuiltBot; conn?: Connection; connector?: FakeConnector }): Promise<void> {
  await parts.bot?.stop();
  await parts.conn?.dropDatabase().catch(() => undefined);
  await parts.conn?.close();
  await parts.connector?.close();
}
