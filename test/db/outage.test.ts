// A bot instance on its own embedded database, which then dies (no supervisor here): every turn
// gets the "temporarily unavailable" reply at once, in the user's language, and /healthz is 503.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { isDatabaseKnownDown } from '../../models/db';
import { t } from '../../locales/i18n';
import { EmbeddedDb, startEmbeddedDb } from '../../tools/embeddedDb';
import { post, teamsMessage } from '../support/app';

jest.setTimeout(60_000);

async function portOutsideEphemeralRange(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

describe('a turn while the database is down', () => {
  let db: EmbeddedDb;
  let app: App;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bot-outage-'));
    // A port below the range the system hands out for port 0: once the database is killed, no
    // other test's server (two run at once) can be given its port and answer the bot in its place.
    db = await startEmbeddedDb({ dataDir, supervise: false, port: await portOutsideEphemeralRange() });
    app = await createApp({ config: loadConfig({ DB_NAME: 'outage', LOG_LEVEL: 'silent' }), mongodbUri: db.uri, logger: createLogger('silent'), startScheduler: false });
    url = `http://127.0.0.1:${await app.listen(0)}`;
    expect((await post(url, teamsMessage('aide'))).status).toBe(200);
    process.kill(db.pid, 'SIGKILL');
    // Once the bot's driver sees it down (its monitor: up to a heartbeat, 1 s). /healthz can say 503
    // earlier (its own ping fails at once); a turn in that gap, or already in progress when the
    // database dies, waits for server selection before the same reply.
    while (!isDatabaseKnownDown(app.conn)) await new Promise((r) => setTimeout(r, 20));
  });

  afterAll(async () => {
    await app.http.drain(1000);
    await app.conn.close(true).catch(() => undefined);
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['fr-BE', 'fr'],
    ['nl-BE', 'nl'],
    ['en-US', 'en'],
  ] as const)('a message in %s is answered at once', async (activityLocale, locale) => {
    const started = Date.now();
    const res = await post(url, teamsMessage('nouvelle demande', { locale: activityLocale }));
    expect(res.status).toBe(200);
    expect(res.body.activities?.map((a) => a.text)).toEqual([t(locale, 'error.databaseUnavailable')]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a card action gets the notice as its message, not an error status', async () => {
    const res = await post(url, { ...teamsMessage(undefined), deliveryMode: undefined, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'poll.refresh', data: {} }, trigger: 'manual' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: t('fr', 'error.databaseUnavailable') });
  });

  it('/healthz is 503', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ db: 'down' });
  });
});
