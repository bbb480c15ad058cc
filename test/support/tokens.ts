// Bot Framework-like tokens signed by a local OpenID endpoint, and the forged kinds an attacker
// tries. Nothing here reaches the internet: the bot is pointed at the local endpoint with
// BOT_OPENID_METADATA_URL.
import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export interface Signer {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function newSigner(kid: string): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, kty: 'RSA', use: 'sig' } };
}

export function signRs256(signer: Signer, payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = b64({ alg: 'RS256', typ: 'JWT', kid: signer.kid, ...header });
  const body = b64(payload);
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), signer.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/** The claims of a Bot Framework channel token for this bot, valid for an hour. */
export function channelClaims(appId: string, serviceUrl: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, ...over };
}

/** Every kind of forged token the bot must refuse with a bare 401; `local` ones need no key fetch. */
export function forgedTokens(appId: string, appPassword: string, serviceUrl: string, attacker: Signer): Array<{ kind: string; token: string; local: boolean }> {
  const claims = channelClaims(appId, serviceUrl);
  const now = Math.floor(Date.now() / 1000);
  const hs256 = (() => {
    const head = b64({ alg: 'HS256', typ: 'JWT', kid: attacker.kid });
    const body = b64(claims);
    return `${head}.${body}.${createHmac('sha256', appPassword).update(`${head}.${body}`).digest('base64url')}`;
  })();
  return [
    { kind: 'not a JWT', token: 'not-a-token', local: true },
    { kind: 'two parts', token: `${b64({ alg: 'RS256', kid: 'k' })}.${b64(claims)}`, local: true },
    { kind: 'garbage header', token: `%%%.${b64(claims)}.sig`, local: true },
    { kind: 'alg none', token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, local: true },
    { kind: 'alg none with a signature part', token: `${b64({ alg: 'none', kid: attacker.kid })}.${b64(claims)}.AAAA`, local: true },
    { kind: 'HS256 with the app password', token: hs256, local: true },
    { kind: 'expired', token: signRs256(attacker, { ...claims, exp: now - 3600, nbf: now - 7200 }), local: true },
    { kind: 'no expiry', token: signRs256(attacker, { ...claims, exp: undefined }), local: true },
    { kind: 'not yet valid', token: signRs256(attacker, { ...claims, nbf: now + 3600 }), local: true },
    { kind: 'another audience', token: signRs256(attacker, { ...claims, aud: '99999999-9999-4999-8999-999999999999' }), local: true },
    { kind: 'unknown issuer', token: signRs256(attacker, { ...claims, iss: 'https://attacker.example.org' }), local: true },
    { kind: 'no key id', token: signRs256(attacker, claims, { kid: undefined }), local: true },
    { kind: 'self-signed (unknown key)', token: signRs256(attacker, claims), local: false },
  ];
}

export interface OpenIdServer {
  metadataUrl: string;
  /** How many requests reached the metadata or keys endpoints. */
  hits: () => number;
  /** 'up' serves the keys; 'down' answers 500 to everything. */
  setState: (state: 'up' | 'down') => void;
  close: () => Promise<void>;
}

export async function startOpenIdServer(signers: Signer[], state: 'up' | 'down' = 'up'): Promise<OpenIdServer> {
  let hits = 0;
  let current = state;
  const server = http.createServer((req, res) => {
    hits++;
    if (current === 'down') {
      res.statusCode = 500;
      res.end();
      return;
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: signers.map((s) => ({ ...s.jwk, endorsements: ['msteams'] })) }));
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    metadataUrl: `http://127.0.0.1:${port}/openid`,
    hits: () => hits,
    setState: (s) => {
      current = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
