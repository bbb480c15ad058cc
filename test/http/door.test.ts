// The HTTP door: malformed activities, forged tokens, an unreachable key endpoint, tenant checks.
import { INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import { createAdapter, precheckToken } from '../../bot/adapter';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { malformedActivities } from '../support/hostile';
import { freePort } from '../../tools/embeddedDb';
import { channelClaims, forgedTokens, newSigner, OpenIdServer, signRs256, startOpenIdServer } from '../support/tokens';

const APP_ID = '22222222-2222-4222-8222-222222222222';
const APP_PASSWORD = 'fictional-secret';
const TENANT = '11111111-1111-4111-8111-111111111111';
const FOREIGN = '33333333-3333-4333-8333-333333333333';
const AUTH_ENV = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppType: 'MultiTenant' };

describe('the door refuses malformed activities with 400 (no 5xx, no turn)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => running.close());

  it.each(malformedActivities())('%s', async (_name, body) => {
    const conversationId = (body as { conversation?: { id?: unknown } }).conversation?.id;
    const res = await post(running.url, body);
    expect(res.status).toBe(400);
    expect(res.body.activities).toBeUndefined();
    if (typeof conversationId === 'string') expect(await running.app.references.get(conversationId)).toBeNull();
  });

  it('still answers a well-formed Action.Execute invoke and a message with null optional fields', async () => {
    const ok = await post(running.url, { ...teamsMessage('aide'), locale: null, replyToId: null });
    expect(ok.status).toBe(200);
    const invoke = await post(running.url, { ...teamsMessage(undefined), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'no.such.verb', data: {} }, trigger: 'manual' } });
    expect(invoke.status).toBe(200);
  });

  it('refuses conflicting tenant ids with 403 even without an allow-list', async () => {
    const conversation = { id: 'a:fictional-tenant-conflict', conversationType: 'personal', tenantId: TENANT };
    const res = await post(running.url, teamsMessage('aide', { conversation, channelData: { tenant: { id: FOREIGN } } }));
    expect(res.status).toBe(403);
    expect(await running.app.references.get(conversation.id)).toBeNull();
  });
});

describe('token pre-check (no network)', () => {
  const signer = newSigner('k1');
  it.each(forgedTokens(APP_ID, APP_PASSWORD, 'https://smba.example.org/', signer).filter((f) => f.local))('refuses "$kind"', ({ token }) => {
    expect(precheckToken(`Bearer ${token}`, APP_ID, Math.floor(Date.now() / 1000))).not.toBeNull();
  });
  it('lets a well-formed token through to the signature check', () => {
    expect(precheckToken(`Bearer ${signRs256(signer, channelClaims(APP_ID, 'https://smba.example.org/'))}`, APP_ID, Math.floor(Date.now() / 1000))).toBeNull();
    expect(precheckToken('', APP_ID, 0)).toBe('missing');
    expect(precheckToken('Basic abc', APP_ID, 0)).toBe('missing');
  });
});

describe('authentication on, keys served by a local OpenID endpoint', () => {
  const trusted = newSigner('trusted-key');
  const attacker = newSigner('attacker-key');
  let openId: OpenIdServer;
  let running: RunningApp;
  beforeAll(async () => {
    openId = await startOpenIdServer([trusted]);
    running = await startTestApp({ ...AUTH_ENV, BOT_OPENID_METADATA_URL: openId.metadataUrl, ALLOWED_TENANT_IDS: TENANT });
  });
  afterAll(async () => {
    await running.close();
    await openId.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses every forged token with a bare 401; the ones that cannot be valid cost no key fetch', async () => {
    const message = teamsMessage('aide');
    for (const forged of forgedTokens(APP_ID, APP_PASSWORD, message.serviceUrl as string, attacker).filter((f) => f.local)) {
      const res = await post(running.url, message, bearer(forged.token));
      expect({ kind: forged.kind, status: res.status, body: res.body }).toEqual({ kind: forged.kind, status: 401, body: { error: 'unauthorized' } });
    }
    expect(openId.hits()).toBe(0);
    const unsigned = await post(running.url, message);
    expect(unsigned).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(openId.hits()).toBe(0);
  });

  it('accepts a token signed with the published key, and refuses one signed by another key', async () => {
    const conversation = { id: 'a:fictional-authenticated', conversationType: 'personal', tenantId: TENANT };
    const message = teamsMessage('aide', { conversation });
    const ok = await post(running.url, message, bearer(signRs256(trusted, channelClaims(APP_ID, message.serviceUrl as string))));
    expect(ok.status).toBe(200);
    expect(ok.body.activities?.length).toBeGreaterThan(0);
    const selfSigned = forgedTokens(APP_ID, APP_PASSWORD, message.serviceUrl as string, attacker).find((f) => !f.local)!;
    const refused = await post(running.url, teamsMessage('aide'), bearer(selfSigned.token));
    expect(refused).toEqual({ status: 401, body: { error: 'unauthorized' } });
  });

  it('checks the tenant only after authentication (401, not 403, for a foreign tenant without a token)', async () => {
    const foreign = { conversation: { id: 'a:fictional-foreign', conversationType: 'personal', tenantId: FOREIGN }, channelData: { tenant: { id: FOREIGN } } };
    expect((await post(running.url, teamsMessage('aide', foreign))).status).toBe(401);
    const message = teamsMessage('aide', foreign);
    const token = signRs256(trusted, channelClaims(APP_ID, message.serviceUrl as string));
    expect((await post(running.url, message, bearer(token))).status).toBe(403);
  });

  it.each([
    ['conversation allowed, channelData foreign', TENANT, FOREIGN],
    ['conversation foreign, channelData allowed', FOREIGN, TENANT],
  ])('refuses mixed tenant ids (%s) with 403', async (_name, conversationTenant, channelTenant) => {
    const conversation = { id: `a:fictional-mixed-${conversationTenant.slice(0, 4)}`, conversationType: 'personal', tenantId: conversationTenant };
    const message = teamsMessage('aide', { conversation, channelData: { tenant: { id: channelTenant } } });
    const res = await post(running.url, message, bearer(signRs256(trusted, channelClaims(APP_ID, message.serviceUrl as string))));
    expect(res.status).toBe(403);
    expect(await running.app.references.get(conversation.id)).toBeNull();
  });
});

describe('authentication on, key endpoint unreachable', () => {
  let running: RunningApp;
  let openId: OpenIdServer;
  const signer = newSigner('published-later');
  beforeAll(async () => {
    openId = await startOpenIdServer([signer], 'down');
    running = await startTestApp({ ...AUTH_ENV, BOT_OPENID_METADATA_URL: openId.metadataUrl });
  });
  afterAll(async () => {
    await running.close();
    await openId.close();
  });

  it('answers 503 without internal detail when the keys cannot be fetched, then recovers', async () => {
    const message = teamsMessage('aide');
    const token = signRs256(signer, channelClaims(APP_ID, message.serviceUrl as string));
    const res = await post(running.url, message, { authorization: `Bearer ${token}` });
    expect(res).toEqual({ status: 503, body: { error: 'temporarily unavailable' } });
    expect(openId.hits()).toBeGreaterThan(0);
    // Forged tokens are still a 401, endpoint or not.
    expect((await post(running.url, message, { authorization: 'Bearer x.y.z' })).status).toBe(401);
    // Nothing is cached from the failure: once the endpoint answers, the same token is accepted.
    openId.setState('up');
    expect((await post(running.url, message, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('answers 503 when nothing listens at the metadata address', async () => {
    const closedPort = await freePort();
    const app = await startTestApp({ ...AUTH_ENV, BOT_OPENID_METADATA_URL: `http://127.0.0.1:${closedPort}/openid` });
    try {
      const message = teamsMessage('aide');
      const res = await post(app.url, message, { authorization: `Bearer ${signRs256(newSigner('k'), channelClaims(APP_ID, message.serviceUrl as string))}` });
      expect(res).toEqual({ status: 503, body: { error: 'temporarily unavailable' } });
      expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
    } finally {
      await app.close();
    }
  });
});

describe('a turn that fails anyway', () => {
  it('answers a card action with the generic error in its invoke response (200), not a 501', async () => {
    const adapter = createAdapter(loadConfig({ LOG_LEVEL: 'silent' }), createLogger('silent'));
    const activity = { ...teamsMessage(undefined, { locale: 'nl-BE' }), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'x', data: {} } } };
    const context = new TurnContext(adapter, activity as never);
    await adapter.onTurnError(context, new Error('unexpected'));
    const response = context.turnState.get(INVOKE_RESPONSE_KEY) as { value: { status: number; body: { value: string } } };
    expect(response.value.status).toBe(200);
    expect(response.value.body.value).toMatch(/er ging aan mijn kant iets mis/);
    expect(response.value.body.value).not.toMatch(/unexpected/);
  });
});
