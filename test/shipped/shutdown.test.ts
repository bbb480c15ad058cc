// SIGTERM on the built bot (issue 10, item 9): while in-flight turns finish, new requests get a
// 503 (not a refused connection), and the process exits as soon as they are done instead of
// waiting SHUTDOWN_TIMEOUT_MS.
import { FakeConnector } from '../support/fakeConnector';
import { startBuiltBot, waitFor } from './builtBot';

jest.setTimeout(120_000);

const TENANT = '11111111-1111-4111-8111-111111111111';
let seq = 0;
const message = (serviceUrl: string, text: string) => ({
  type: 'message',
  id: `shutdown-${Date.now()}-${++seq}`,
  timestamp: new Date().toISOString(),
  channelId: 'msteams',
  serviceUrl,
  from: { id: '29:fictional-shutdown-user', aadObjectId: '00000000-0000-4000-8000-0000000005d1', name: 'Sam Test' },
  recipient: { id: '28:shipped-bot', name: 'CMD bot' },
  conversation: { id: 'a:fictional-shutdown-chat', conversationType: 'personal', tenantId: TENANT },
  channelData: { tenant: { id: TENANT } },
  locale: 'fr-BE',
  text,
});
const postTo = (url: string, body: unknown) =>
  fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(body) });


describe('the built bot on SIGTERM', () => {
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await FakeConnector.start();
  });
  afterAll(async () => {
    await connector?.close();
  });

  it('answers new requests with 503 while a turn is in flight, then exits as soon as it is done', async () => {
    const bot = await startBuiltBot({ SHUTDOWN_TIMEOUT_MS: '30000' });
    // The reply of this turn hangs at the connector: the turn stays in flight.
    connector.failNext(1, { hang: true }, { operations: ['reply', 'send'] });
    const inFlight = postTo(bot.url, message(connector.url, 'aide'));
    await waitFor('the turn to reach the connector', () => (connector.requests.some((r) => r.fault === 'hang') ? true : undefined));

    const stopped = bot.stop();
    await waitFor('the bot to start draining', () => (bot.logs.some((l) => l.msg === 'shutting down') ? true : undefined));
    const during = await postTo(bot.url, message(connector.url, 'aide'));
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(503);

    // The connector answers at last (it drops the hung request): the turn ends, the process follows.
    const releasedAt = Date.now();
    connector.reset();
    expect((await inFlight).status).toBeLessThan(500);
    const code = await stopped;
    const exitMs = Date.now() - releasedAt;
    console.log(`exited ${exitMs} ms after the last turn ended (SHUTDOWN_TIMEOUT_MS 30000)`);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(5000);
  });

  it('exits at once when nothing is in flight', async () => {
    const bot = await startBuiltBot({ SHUTDOWN_TIMEOUT_MS: '30000' });
    expect((await postTo(bot.url, { ...message(connector.url, 'aide'), deliveryMode: 'expectReplies' })).status).toBe(200);
    const asked = Date.now();
    expect(await bot.stop()).toBe(0);
    const exitMs = Date.now() - asked;
    console.log(`idle bot exited ${exitMs} ms after SIGTERM`);
    expect(exitMs).toBeLessThan(5000);
  });
});
