import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { BASE } from '../../locales/resources';
import { freePort, startEmbeddedDb, SupervisorEvent } from '../../tools/embeddedDb';
import { connectTestDb, testMongoUri } from '../support/db';

jest.setTimeout(60_000);

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bot-embedded-'));

describe('embedded database', () => {
  it('stores and reads documents and enforces unique indexes', async () => {
    const { db, close } = await connectTestDb();
    try {
      const c = db.collection('probe');
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertOne({ k: 'a', v: 1 });
      await expect(c.insertOne({ k: 'a', v: 2 })).rejects.toMatchObject({ code: 11000 });
      expect(await c.findOne({ k: 'a' })).toMatchObject({ v: 1 });
    } finally {
      await close();
    }
  });

  it('refuses a port another database already answers on, instead of using that database', async () => {
    const busyPort = Number(new URL(testMongoUri()).port);
    const dataDir = tmpDir();
    try {
      await expect(startEmbeddedDb({ dataDir, port: busyPort })).rejects.toThrow(new RegExp(`port ${busyPort} is already in use`));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a port any other process listens on', async () => {
    const other = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', () => resolve()));
    const dataDir = tmpDir();
    try {
      await expect(startEmbeddedDb({ dataDir, port })).rejects.toThrow(/already in use by another process/);
    } finally {
      await new Promise((r) => other.close(r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('restarts a killed database on the same port and data folder, with backoff, and the data is still there', async () => {
    const dataDir = tmpDir();
    const events: SupervisorEvent[] = [];
    let restarted!: () => void;
    const back = new Promise<void>((resolve) => (restarted = resolve));
    const db = await startEmbeddedDb({
      dataDir,
      restartDelayMs: { first: 100, max: 1000 },
      onSupervisor: (e) => {
        events.push(e);
        if (e.kind === 'restarted') restarted();
      },
    });
    const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 10_000, heartbeatFrequencyMS: 500 });
    try {
      await client.connect();
      await client.db('probe').collection('c').insertOne({ k: 'kept' });
      const firstPid = db.pid;
      process.kill(firstPid, 'SIGKILL');
      await back;
      expect(db.pid).not.toBe(firstPid);
      expect(db.restarts).toBe(1);
      expect(events.map((e) => e.kind)).toEqual(['exited', 'restarting', 'restarted']);
      expect(events[1]).toMatchObject({ attempt: 1, delayMs: 100 });
      // The same client reconnects by itself once the server is back.
      expect(await client.db('probe').collection('c').findOne({ k: 'kept' })).toMatchObject({ k: 'kept' });
    } finally {
      await client.close();
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('does not restart a database stopped on purpose', async () => {
    const dataDir = tmpDir();
    const events: SupervisorEvent[] = [];
    const db = await startEmbeddedDb({ dataDir, restartDelayMs: { first: 10, max: 10 }, onSupervisor: (e) => events.push(e) });
    await db.stop();
    expect(events).toEqual([]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('the "database temporarily unavailable" reply', () => {
  it.each(['fr', 'nl', 'en'] as const)('exists in %s', (locale) => {
    // In the base file itself, not borrowed from the French fallback.
    const text = (BASE[locale] as Record<string, string>)['error.databaseUnavailable'];
    expect(typeof text).toBe('string');
    if (locale !== 'fr') expect(text).not.toBe((BASE.fr as Record<string, string>)['error.databaseUnavailable']);
  });
});
