// Composition root: wires database, storage, state, features, scheduler and HTTP server.
// Used by bot/index.ts (the process) and by tests (several instances on one database).
import { ConversationState, UserState } from 'botbuilder';
import type { Connection } from 'mongoose';
import { createScheduler, Scheduler } from '../jobs/scheduler';
import { connectDatabase, nativeDb, pingDatabase } from '../models/db';
import { createModels, initModels, Models } from '../models';
import { Clock, systemClock } from '../services/clock';
import { DraftStore } from '../services/drafts';
import { MemberService } from '../services/members';
import { RequestService } from '../services/requests';
import { SettingsService } from '../services/settings';
import { PoolFeature } from './features/pool';
import { RequestFeature } from './features/requests';
import { SendRateLimiter } from './outbound/rateLimiter';
import { ProactiveMessenger, ProactiveOptions } from './proactive';
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
  models: Models;
  services: { drafts: DraftStore; requests: RequestService; members: MemberService; settings: SettingsService };
  messenger: ProactiveMessenger;
  clock: Clock;
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
  clock?: Clock;
  proactive?: ProactiveOptions;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const conn = await connectDatabase(options.mongodbUri, config.dbName);
  const db = nativeDb(conn);

  const storage = new MongoStorage(db);
  await storage.ensureIndexes();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const models = createModels(conn);
  await initModels(models);
  const clock = options.clock ?? systemClock;
  const references = new ConversationReferences(models.conversationReferences);
  const services = {
    drafts: new DraftStore(models.drafts, clock, config.draftExpiryDays),
    requests: new RequestService(models.requests, models.decisions, models.audit, clock),
    members: new MemberService(models.members, models.audit, clock, config.bootstrapCoordinatorIds),
    settings: new SettingsService(models.settings, clock),
  };
  await services.members.bootstrap();

  const scheduler = createScheduler(db, { processEvery: config.schedulerProcessEvery });
  const adapter = createAdapter(config, logger);
  const messenger = new ProactiveMessenger(adapter, config.microsoftAppId, references, new SendRateLimiter(), logger, options.proactive);

  const features = [
    new RequestFeature({
      ...services,
      references,
      messenger,
      clock,
      draftExpiryDays: config.draftExpiryDays,
      defaultLocale: config.defaultLocale,
      logger,
    }),
    new PoolFeature({ members: services.members, requests: services.requests }),
  ];
  const bot = new ConcertationBot({
    conversationState,
    userState,
    references,
    logger,
    defaultLocale: config.defaultLocale,
    features,
  });
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
    models,
    services,
    messenger,
    clock,
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
