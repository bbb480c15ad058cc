// The process: load config, start the embedded database when MONGODB_URI is not set, run the app,
// and shut everything down in order on SIGTERM / SIGINT.
import 'dotenv/config';
import path from 'node:path';
import { projectRoot, startEmbeddedDb, EmbeddedDb } from '../tools/embeddedDb';
import { migrateSqliteToPostgres } from '../tools/migrateEmbedded';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedDb | null = null;
  let uri = config.mongodbUri;
  if (!uri) {
    const backend = config.embeddedDbBackend;
    const dataDir = path.resolve(projectRoot(), config.dataDir, backend === 'postgresql' ? 'postgres' : 'ferretdb');
    if (backend === 'postgresql') {
      // Data of an earlier version, kept by FerretDB in SQLite files: moved over once.
      const moved = await migrateSqliteToPostgres(path.resolve(projectRoot(), config.dataDir, 'ferretdb'), dataDir, (msg) => logger.info({ component: 'ferretdb' }, msg));
      if (moved) logger.info({ component: 'ferretdb', ...moved }, 'embedded database moved from SQLite to PostgreSQL');
    }
    embedded = await startEmbeddedDb({
      dataDir,
      backend,
      port: config.embeddedDbPort,
      onLog: (line) => logger.debug({ component: 'ferretdb' }, line),
      // The supervisor restarts a crashed database on the same port and data folder; the driver
      // reconnects by itself. Only process facts are logged (no data).
      onSupervisor: (e) => {
        const log = { component: 'ferretdb', event: `embeddedDb.${e.kind}` };
        if (e.kind === 'exited') logger.error({ ...log, pid: e.pid, code: e.code, signal: e.signal }, 'embedded database exited unexpectedly');
        else if (e.kind === 'restarting') logger.warn({ ...log, attempt: e.attempt, delayMs: e.delayMs }, 'restarting the embedded database');
        else if (e.kind === 'restarted') logger.info({ ...log, attempt: e.attempt, pid: e.pid, downMs: e.downMs }, 'embedded database restarted');
        else logger.error({ ...log, attempt: e.attempt, error: e.error }, 'embedded database restart failed');
      },
    });
    uri = embedded.uri;
    logger.info({ port: embedded.port, pid: embedded.pid, dataDir, backend }, 'embedded database (FerretDB) started');
  } else {
    logger.info('using the database given by MONGODB_URI');
  }

  const app = await createApp({ config, mongodbUri: uri, logger });
  const port = await app.listen();
  logger.info({ port }, `bot listening on http://localhost:${port}/api/messages`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
    } finally {
      await embedded?.stop();
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('fatal:', (err as Error)?.message ?? err);
  process.exit(1);
});
