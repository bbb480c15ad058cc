import { createSsoVerifier, SsoOptions } from '../../bot/tab/ssoToken';
import { loadConfig } from '../../bot/config';
import { ssoOptionsFrom } from '../../bot/tab/ssoToken';
import { FOREIGN_TENANT, forgedSsoTokens, JwksServer, newSigner, Signer, SSO_TENANT, ssoClaims, ssoToken, startJwksServer, TAB_APP_ID } from '../support/ssoTokens';

const OID = '00000000-0000-4000-8000-000000000501';

describe('the dashboard tab accepts only genuine Teams SSO tokens', () => {
  let signer: Signer;
  let jwks: JwksServer;
  let options: SsoOptions;

  beforeAll(async () => {
    signer = newSigner('tab-key-1');
    jwks = await startJwksServer([signer]);
    options = { jwksUrl: jwks.url, audiences: [TAB_APP_ID, `api://tab.example.org/${TAB_APP_ID}`], allowedTenantIds: [SSO_TENANT], homeTenantId: null };
  });
  afterAll(() => jwks.close());

  it('accepts a v2.0 token and a v1.0 token (sts.windows.net) for either audience', async () => {
    const verifier = createSsoVerifier(options);
    const v2 = await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID))}`);
    expect(v2).toEqual({ ok: true, identity: { oid: OID, tid: SSO_TENANT, name: 'Fictional Person' } });
    const v1 = await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID, { iss: `https://sts.windows.net/${SSO_TENANT}/`, aud: `api://tab.example.org/${TAB_APP_ID}`, ver: '1.0' }))}`);
    expect(v1.ok).toBe(true);
  });

  it('tolerates a small clock difference, not an expired token', async () => {
    const verifier = createSsoVerifier(options);
    const now = Math.floor(Date.now() / 1000);
    expect((await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID, { exp: now - 20 }))}`)).ok).toBe(true);
    expect(await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID, { exp: now - 300 }))}`)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['not a bearer', 'Basic abc'],
    ['bearer without token', 'Bearer '],
  ])('refuses a call without a token (%s)', async (_n, header) => {
    expect(await createSsoVerifier(options).verify(header)).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses every forged token', async () => {
    const verifier = createSsoVerifier(options);
    const results = [];
    for (const f of forgedSsoTokens(signer, OID)) results.push([f.kind, (await verifier.verify(`Bearer ${f.token}`)).ok]);
    expect(results.filter(([, ok]) => ok)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(15);
  });

  it.each([
    ['expired', 'expired'],
    ['not yet valid', 'notYetValid'],
    ['another audience', 'audience'],
    ['another issuer', 'issuer'],
    ['issuer of another tenant than tid', 'issuer'],
    ['tenant not allowed', 'tenant'],
    ['unknown key', 'unknownKey'],
    ['unknown key under a known kid', 'signature'],
    ['no oid', 'claims'],
    ['alg none', 'malformed'],
    ['alg none with a signature part', 'algorithm'],
    ['HS256 keyed with the public key', 'algorithm'],
    ['garbage', 'malformed'],
  ])('says why, for the log: %s → %s', async (kind, reason) => {
    const forged = forgedSsoTokens(signer, OID).find((f) => f.kind === kind)!;
    expect(await createSsoVerifier(options).verify(`Bearer ${forged.token}`)).toEqual({ ok: false, reason });
  });

  it('a single-tenant app accepts its own tenant only', async () => {
    const verifier = createSsoVerifier({ ...options, allowedTenantIds: [], homeTenantId: SSO_TENANT });
    expect((await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID))}`)).ok).toBe(true);
    expect(await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID, {}, FOREIGN_TENANT))}`)).toEqual({ ok: false, reason: 'tenant' });
  });

  it('without an app id, every token is refused', async () => {
    const verifier = createSsoVerifier({ ...options, audiences: [] });
    expect(verifier.configured).toBe(false);
    expect(await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID))}`)).toEqual({ ok: false, reason: 'notConfigured' });
  });

  it('keys that cannot be fetched make the call unavailable, not unauthenticated', async () => {
    const down = await startJwksServer([signer]);
    down.setState('down');
    try {
      const verifier = createSsoVerifier({ ...options, jwksUrl: down.url });
      expect(await verifier.verify(`Bearer ${ssoToken(signer, ssoClaims(OID))}`)).toEqual({ ok: false, reason: 'unavailable' });
      expect(down.hits()).toBeGreaterThan(0);
    } finally {
      await down.close();
    }
    const closed = createSsoVerifier({ ...options, jwksUrl: down.url });
    expect(await closed.verify(`Bearer ${ssoToken(signer, ssoClaims(OID))}`)).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('configuration: the audiences come from the app id and the public host; the tenant rules from the bot', () => {
    const c = loadConfig({ TAB_SSO_APP_ID: TAB_APP_ID, PUBLIC_BASE_URL: 'https://bot.example.org', ALLOWED_TENANT_IDS: SSO_TENANT });
    expect(ssoOptionsFrom(c)).toEqual({ jwksUrl: 'https://login.microsoftonline.com/common/discovery/v2.0/keys', audiences: [TAB_APP_ID, `api://bot.example.org/${TAB_APP_ID}`, `api://bot.example.org/botid-${TAB_APP_ID}`], allowedTenantIds: [SSO_TENANT], homeTenantId: null });
    expect(ssoOptionsFrom(loadConfig({})).audiences).toEqual([]);
    expect(ssoOptionsFrom(loadConfig({ TAB_SSO_APP_ID: TAB_APP_ID, TAB_SSO_AUDIENCES: 'api://x/y' })).audiences).toEqual(['api://x/y']);
    expect(() => loadConfig({ TAB_SSO_APP_ID: 'nope' })).toThrow(/TAB_SSO_APP_ID/);
    expect(() => loadConfig({ TAB_SSO_JWKS_URL: 'file:///etc/keys' })).toThrow(/TAB_SSO_JWKS_URL/);
    expect(loadConfig({ TAB_FRAME_ANCESTORS: 'http://127.0.0.1:8080, https://host.example.org' }).tabFrameAncestors).toEqual(['http://127.0.0.1:8080', 'https://host.example.org']);
    expect(() => loadConfig({ TAB_FRAME_ANCESTORS: "'unsafe-inline' javascript:" })).toThrow(/TAB_FRAME_ANCESTORS/);
  });
});
