// Teams SSO tokens (Entra ID access tokens for the dashboard tab) signed by locally generated keys,
// a local JSON Web Key Set server standing for the identity platform's, and the forged kinds the
// tab must refuse. Nothing here reaches the internet: the bot is pointed at the local server with
// TAB_SSO_JWKS_URL. Also for the page's browser tests: start a JWKS server, start the built bot
// with tabSsoEnv(...), and send `Authorization: Bearer ${ssoToken(signer, ssoClaims(...))}`.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { newSigner, Signer, signRs256 } from './tokens';

export { newSigner, signRs256 };
export type { Signer };

/** The tenant of the tests (the same as the shipped Teams client's). */
export const SSO_TENANT = '11111111-1111-4111-8111-111111111111';
export const FOREIGN_TENANT = '22222222-2222-4222-8222-222222222222';
/** The tab's app registration in tests. */
export const TAB_APP_ID = '33333333-3333-4333-8333-333333333333';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The claims of a v2.0 SSO token for `oid` in `tid`, valid for an hour. */
export function ssoClaims(oid: string, over: Record<string, unknown> = {}, tid = SSO_TENANT, aud = TAB_APP_ID): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: `https://login.microsoftonline.com/${tid}/v2.0`, aud, tid, oid, name: 'Fictional Person', ver: '2.0', iat: now - 60, nbf: now - 60, exp: now + 3600, ...over };
}

export const ssoToken = (signer: Signer, claims: Record<string, unknown>): string => signRs256(signer, claims);
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Environment for the built bot: the tab's SSO against the local key server, the test tenant allowed. */
export function tabSsoEnv(jwksUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { TAB_SSO_APP_ID: TAB_APP_ID, TAB_SSO_JWKS_URL: jwksUrl, ALLOWED_TENANT_IDS: SSO_TENANT, ...extra };
}

/** Every kind of forged or unacceptable token, for a person who is otherwise allowed. */
export function forgedSsoTokens(signer: Signer, oid: string): Array<{ kind: string; token: string }> {
  const claims = ssoClaims(oid);
  const now = Math.floor(Date.now() / 1000);
  const stranger = newSigner('attacker-key');
  const hs256 = (() => {
    const head = b64({ alg: 'HS256', typ: 'JWT', kid: signer.kid });
    const body = b64(claims);
    return `${head}.${body}.${createHmac('sha256', JSON.stringify(signer.jwk)).update(`${head}.${body}`).digest('base64url')}`;
  })();
  return [
    { kind: 'garbage', token: 'not-a-token' },
    { kind: 'garbage in three parts', token: `%%%.${b64(claims)}.sig` },
    { kind: 'alg none', token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.` },
    { kind: 'alg none with a signature part', token: `${b64({ alg: 'none', kid: signer.kid })}.${b64(claims)}.AAAA` },
    { kind: 'HS256 keyed with the public key', token: hs256 },
    { kind: 'RS256 header, signature of other content', token: `${signRs256(signer, claims).split('.').slice(0, 2).join('.')}.${signRs256(signer, { ...claims, oid: 'x' }).split('.')[2]}` },
    { kind: 'expired', token: signRs256(signer, { ...claims, exp: now - 3600, nbf: now - 7200 }) },
    { kind: 'no expiry', token: signRs256(signer, { ...claims, exp: undefined }) },
    { kind: 'not yet valid', token: signRs256(signer, { ...claims, nbf: now + 3600 }) },
    { kind: 'another audience', token: signRs256(signer, { ...claims, aud: '99999999-9999-4999-8999-999999999999' }) },
    { kind: 'the Graph audience', token: signRs256(signer, { ...claims, aud: '00000003-0000-0000-c000-000000000000' }) },
    { kind: 'another issuer', token: signRs256(signer, { ...claims, iss: 'https://attacker.example.org/v2.0' }) },
    { kind: 'issuer of another tenant than tid', token: signRs256(signer, { ...claims, iss: `https://login.microsoftonline.com/${FOREIGN_TENANT}/v2.0` }) },
    { kind: 'tenant not allowed', token: signRs256(signer, ssoClaims(oid, {}, FOREIGN_TENANT)) },
    { kind: 'no tenant', token: signRs256(signer, { ...claims, tid: undefined }) },
    { kind: 'unknown key', token: signRs256(stranger, claims) },
    { kind: 'unknown key under a known kid', token: signRs256({ ...stranger, kid: signer.kid }, claims) },
    { kind: 'no oid', token: signRs256(signer, { ...claims, oid: undefined }) },
    { kind: 'oid not an object id', token: signRs256(signer, { ...claims, oid: 'admin' }) },
  ];
}

export interface JwksServer {
  url: string;
  hits: () => number;
  /** 'down' answers 500 to every request. */
  setState: (state: 'up' | 'down') => void;
  close: () => Promise<void>;
}

export async function startJwksServer(signers: Signer[]): Promise<JwksServer> {
  let hits = 0;
  let state: 'up' | 'down' = 'up';
  const server = http.createServer((req, res) => {
    hits++;
    if (state === 'down' || req.url !== '/keys') {
      res.statusCode = state === 'down' ? 500 : 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: signers.map((s) => ({ ...s.jwk, alg: 'RS256' })) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`,
    hits: () => hits,
    setState: (s) => {
      state = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * For a test file of the tab's API: a key set served for the whole file and the bot settings that
 * point to it. `env` is filled before the file's tests start (pass it to useTestBot).
 */
export function useTabSsoKeys(keyName: string): { signer: Signer; env: Record<string, string> } {
  const signer = newSigner(keyName);
  const env: Record<string, string> = {};
  let jwks: JwksServer | undefined;
  beforeAll(async () => {
    jwks = await startJwksServer([signer]);
    Object.assign(env, tabSsoEnv(jwks.url));
  });
  afterAll(() => jwks?.close());
  return { signer, env };
}
