// The HTTP door of the built bot (what users run), authentication on: malformed activities are a
// 400, forged tokens a bare 401, an unreachable key endpoint a 503 and a logged error, the tenant
// allow-list a 403 only for authenticated callers. No request reaches the internet: the signing
// keys come from a local OpenID endpoint (BOT_OPENID_METADATA_URL).
import { post, teamsMessage } from '../support/app';
import { malformedActivities } from '../support/hostile';
import { channelClaims, forgedTokens, newSigner, OpenIdServer, signRs256, startOpenIdServer } from '../support/tokens';
import { BuiltBot, startBuiltBot } from './builtBot';

jest.setTimeout(120_000);

const APP_ID = '44444444-4444-4444-8444-444444444444';
const APP_PASSWORD = 'fictional-shipped-secret';
const TENANT = '11111111-1111-4111-8111-111111111111';
const FOREIGN = '33333333-3333-4333-8333-333333333333';

describe('the built bot at the HTTP door', () => {
  const trusted = newSigner('shipped-trusted');
  const attacker = newSigner('shipped-attacker');
  let openId: OpenIdServer;
  let bot: BuiltBot;
  beforeAll(async () => {
    openId = await startOpenIdServer([trusted], 'down');
    bot = await startBuiltBot({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: APP_PASSWORD,
      MicrosoftAppType: 'MultiTenant',
      BOT_OPENID_METADATA_URL: openId.metadataUrl,
      ALLOWED_TENANT_IDS: TENANT,
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await openId?.close();
  });

  /** The log lines travel through a pipe: wait for the one expected, not for a fixed time. */
  const logged = async (msg: string) => {
    const deadline = Date.now() + 10_000;
    while (!bot.logs.some((l) => l.msg === msg) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20)); // poll interval, not a wait for time to pass
    return bot.logs.filter((l) => l.msg === msg);
  };

  const signed = (message: Record<string, unknown>) => ({ authorization: `Bearer ${signRs256(trusted, channelClaims(APP_ID, message.serviceUrl as string))}` });

  it('key endpoint down: a well-formed token gets 503 without detail, and the error is logged', async () => {
    const message = teamsMessage('aide');
    const res = await post(bot.url, message, signed(message));
    expect(res).toEqual({ status: 503, body: { error: 'temporarily unavailable' } });
    const lines = await logged('cannot check tokens: OpenID metadata or signing keys unreachable');
    expect(lines).toHaveLength(1);
    expect(lines[0].level).toBe(50);
  });

  it('refuses every forged token with a bare 401, before any key fetch for those that cannot be valid', async () => {
    openId.setState('up');
    const hitsBefore = openId.hits();
    const message = teamsMessage('aide');
    const forged = forgedTokens(APP_ID, APP_PASSWORD, message.serviceUrl as string, attacker);
    for (const f of forged.filter((x) => x.local)) {
      const res = await post(bot.url, message, { authorization: `Bearer ${f.token}` });
      expect({ kind: f.kind, ...res }).toEqual({ kind: f.kind, status: 401, body: { error: 'unauthorized' } });
    }
    expect(openId.hits()).toBe(hitsBefore);
    expect(await post(bot.url, message)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    const selfSigned = forged.find((x) => !x.local)!;
    expect(await post(bot.url, message, { authorization: `Bearer ${selfSigned.token}` })).toEqual({ status: 401, body: { error: 'unauthorized' } });
  });

  it('answers a message carrying a token signed with the published key', async () => {
    const message = teamsMessage('aide');
    const res = await post(bot.url, message, signed(message));
    expect(res.status).toBe(200);
    expect(res.body.activities?.length).toBeGreaterThan(0);
  });

  it.each(malformedActivities())('refuses a malformed activity with 400: %s', async (_name, body) => {
    expect((await post(bot.url, body)).status).toBe(400);
  });

  it('checks tenants after authentication: 401 without a token, 403 with one, 403 for mixed tenant ids', async () => {
    const foreign = { conversation: { id: 'a:shipped-foreign', conversationType: 'personal', tenantId: FOREIGN }, channelData: { tenant: { id: FOREIGN } } };
    expect((await post(bot.url, teamsMessage('aide', foreign))).status).toBe(401);
    const message = teamsMessage('aide', foreign);
    expect((await post(bot.url, message, signed(message))).status).toBe(403);
    const mixed = teamsMessage('aide', { conversation: { id: 'a:shipped-mixed', conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: FOREIGN } } });
    expect((await post(bot.url, mixed, signed(mixed))).status).toBe(403);
  });

  it('logged no other error and printed nothing but JSON log lines', () => {
    expect(bot.errors().map((l) => l.msg)).toEqual(['cannot check tokens: OpenID metadata or signing keys unreachable']);
    expect(bot.rawOutput).toEqual([]);
  });
});
