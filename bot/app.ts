// Composition root: wires database, storage, state, features, scheduler and HTTP server.
// Used by bot/index.ts (the process) and by tests (several instances on one database).
import { ConversationState, UserState } from 'botbuilder';
import type { Connection } from 'mongoose';
import { createScheduler, Scheduler } from '../jobs/scheduler';
import { connectDatabase, nativeDb, pingDatabase } from '../models/db';
import { conversationReferenceModel } from '../models/conversationReference';
import { createAdapter } from './adapter';
import type { AppConfig } from './config';
import { ConversationReferences } from './conversationReferences';
import type { Logger } from './logger';
import { MongoStorage } from './mongoStorage';
import { BotServer, createServer } from './server';
import { ConcertationBot } from './teamsBot';

export interface App {
  config: AppConfig;
  conn: Connection;
  bot: ConcertationBot;
  storage: MongoStorage;
  scheduler: Scheduler;
  http: BotServer;
  references: ConversationReferences;
  /** Starts listening; resolves with the bound port. */
  listen(port?: number): Promise<number>;
  /** Graceful stop: refuse new requests, finish in-flight turns, stop jobs, close the database. */
  close(): Promise<void>;
}

export interface AppOptions {
  config: AppConfig;
  mongodbUri: string;
  logger: Logger;
  startScheduler?: boolean;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const conn = await connectDatabase(options.mongodbUri, config.dbName);
  const db = nativeDb(conn);

  const storage = new MongoStorage(db);
  await storage.ensureIndexes();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const refModel = conversationReferenceModel(conn);
  await refModel.init();
  const references = new ConversationReferences(refModel);

  const scheduler = createScheduler(db, { processEvery: config.schedulerProcessEvery });

  const bot = new ConcertationBot({
    conversationState,
    userState,
    references,
    logger,
    defaultLocale: config.defaultLocale,
    features: [],
  });
  const adapter = createAdapter(config, logger);
  const http = createServer({
    config,
    adapter,
    bot,
    logger,
    health: async () => ({
      db: (await pingDatabase(conn)) ? 'up' : 'down',
      scheduler: scheduler.isRunning() ? 'running' : 'stopped',
    }),
  });

  if (options.startScheduler !== false) await scheduler.start();

  let closed = false;
  return {
    config,
    conn,
    bot,
    storage,
    scheduler,
    http,
    references,
    listen: (port = config.port) =>
      new Promise((resolve, reject) => {
        http.server.once('error', reject);
        http.server.listen(port, '0.0.0.0', () => resolve(http.server.address().port));
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await http.drain(config.shutdownTimeoutMs);
      await scheduler.stop().catch((err) => logger.warn({ err: (err as Error).message }, 'scheduler stop failed'));
      await conn.close();
    },
  };
}
