// The built bot when its embedded database dies (issue 10, item 3): the supervisor restarts
// FerretDB, mongoose reconnects by itself, users get a clear "temporarily unavailable" reply at
// once while it is down, /healthz says 503 then 200, and a sheet started before continues with
// its answers. The recovery times are printed.
import net from 'node:net';
import { t } from '../../locales/i18n';
import { FakeConnector } from '../support/fakeConnector';
import { BuiltBot, startBuiltBot, waitFor } from './builtBot';
import { Conversation, TeamsClient, User } from './teamsClient';

jest.setTimeout(120_000);

const user: User = { id: '29:fictional-recovery-user', aadObjectId: '00000000-0000-4000-8000-00000000d0b1', name: 'Dana Test', locale: 'fr-BE' };
const chat: Conversation = { id: 'a:fictional-recovery-chat', conversationType: 'personal' };
const UNAVAILABLE = t('fr', 'error.databaseUnavailable');


describe('the built bot when its embedded database is killed', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;
  const healthz = () => fetch(`${bot.url}/healthz`).then((r) => r.status, () => 0);
  /** The FerretDB child's pid, from the bot's log (the start line, then each restart). */
  const dbPid = (): number => {
    const line = [...bot.logs].reverse().find((l) => typeof l.pid === 'number' && (l.msg?.startsWith('embedded database (FerretDB') || l.event === 'embeddedDb.restarted'));
    if (!line) throw new Error('the bot did not log the embedded database pid');
    return line.pid as number;
  };
  const dbPort = (): number => {
    const line = bot.logs.find((l) => l.msg?.startsWith('embedded database (FerretDB'));
    return line!.port as number;
  };
  const say = async (text: string) => {
    const r = await client.say(user, chat, text);
    return [...r.texts, JSON.stringify(r.cards)].join('\n');
  };

  beforeAll(async () => {
    connector = await FakeConnector.start();
    bot = await startBuiltBot();
    client = new TeamsClient(bot.url, connector);
  });

  afterAll(async () => {
    const code = await bot?.stop();
    await connector?.close();
    expect(code).toBe(0);
  });

  it('restarts the database by itself and the sheet goes on', async () => {
    expect(await say('nouvelle demande')).toMatch(/Qui fait la demande/);
    expect(await say('professionnel')).toMatch(/organisation/);
    expect(await say('CPAS fictif de Test')).toMatch(/Dans quel secteur/);
    expect(await say('précarité')).toMatch(/lien avec la personne concernée/);

    const killedAt = Date.now();
    process.kill(dbPid(), 'SIGKILL');
    await waitFor('/healthz 200 after the restart', async () => ((await healthz()) === 200 && bot.logs.some((l) => l.event === 'embeddedDb.restarted') ? true : undefined));
    const recoveryMs = Date.now() - killedAt;
    console.log(`embedded database killed → /healthz 200 again in ${recoveryMs} ms`);
    expect(recoveryMs).toBeLessThan(15_000);

    // The answer given before the kill is kept: the sheet asks the next question.
    expect(await say('assistante sociale')).toMatch(/téléphone/);
    expect(client.problems).toEqual([]);
  });

  it('while the database stays down, answers at once with "temporarily unavailable", /healthz is 503, then recovers', async () => {
    // Something else holds the port for a while, so the supervisor's restarts fail and back off.
    const port = dbPort();
    const squatter = net.createServer((socket) => socket.destroy());
    const killedAt = Date.now();
    process.kill(dbPid(), 'SIGKILL');
    // The killed process frees the port a moment later; the supervisor waits 500 ms before its first try.
    await waitFor('the port to be free', () =>
      new Promise<true | undefined>((resolve) => {
        squatter.once('error', () => resolve(undefined));
        squatter.listen(port, '127.0.0.1', () => resolve(true));
      }),
    2000);
    try {
      await waitFor('/healthz 503', async () => ((await healthz()) === 503 ? true : undefined));
      const asked = Date.now();
      const reply = await say('02 123 45 67');
      const replyMs = Date.now() - asked;
      console.log(`reply while the database is down: ${replyMs} ms`);
      expect(reply).toContain(UNAVAILABLE);
      expect(replyMs).toBeLessThan(1500);
      expect(client.problems).toEqual([]);
      await waitFor('a failed restart (port held)', async () => (bot.logs.some((l) => l.event === 'embeddedDb.restartFailed') ? true : undefined));
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    const freedAt = Date.now();
    await waitFor('/healthz 200 after the port is free', async () => ((await healthz()) === 200 ? true : undefined));
    console.log(`database down ${Date.now() - killedAt} ms in all; back ${Date.now() - freedAt} ms after its port was free`);

    // Earlier answers were kept; the one sent during the outage was not taken, so it is given again.
    expect(await say('02 123 45 67')).toMatch(/Question 7 sur 27/);
    expect(client.problems).toEqual([]);
    // Each restart is logged without personal data.
    const supervisor = bot.logs.filter((l) => typeof l.event === 'string' && (l.event as string).startsWith('embeddedDb.'));
    expect(supervisor.map((l) => l.event)).toEqual(expect.arrayContaining(['embeddedDb.exited', 'embeddedDb.restarting', 'embeddedDb.restarted']));
    expect(JSON.stringify(supervisor)).not.toMatch(/Dana|02 123/);
    // No error logged beyond the database's own exits and failed restarts (no turn crashed).
    const others = bot.errors().filter((l) => !(typeof l.event === 'string' && (l.event as string).startsWith('embeddedDb.')));
    expect(others.map((l) => `${l.msg} ${JSON.stringify(l.err ?? l.event ?? '')}`)).toEqual([]);
  });
});
