// Starts the real embedded database (FerretDB on PostgreSQL, or on SQLite with
// EMBEDDED_DB_BACKEND=sqlite) once for the whole test run, on a free port with a temporary data
// folder. MONGODB_URI set → that server is used instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDb } from '../../tools/embeddedDb';

export default async function globalSetup(): Promise<void> {
  // Names this run for test/shipped/builtBot.ts: the sources are compiled once for all its files.
  process.env.SHIPPED_BUILD_RUN = `${process.pid}-${Date.now()}`;
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bot-test-db-'));
  const backend = process.env.EMBEDDED_DB_BACKEND === 'sqlite' ? 'sqlite' : 'postgresql';
  const db = await startEmbeddedDb({ dataDir, backend });
  process.env.TEST_MONGODB_URI = db.uri;
  (globalThis as Record<string, unknown>).__EMBEDDED_DB__ = { db, dataDir };
}
