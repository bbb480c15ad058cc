// The page's files and the refusals that need no database: traversal, content types, the CSP that
// lets Teams frame the page, and the API's answers when no token can be checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import restify from 'restify';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { registerTab, TabDeps } from '../../bot/tab/routes';
import { createSsoVerifier } from '../../bot/tab/ssoToken';
import { contentSecurityPolicy, fileUnder } from '../../bot/tab/static';
import { newSigner, SSO_TENANT, ssoClaims, ssoToken, startJwksServer, TAB_APP_ID } from '../support/ssoTokens';

const OID = '00000000-0000-4000-8000-000000000601';

async function serve(deps: Partial<TabDeps>, publicDir: string) {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not expected in this test')) });
  registerTab(server, { config: loadConfig({ LOG_LEVEL: 'silent' }), dashboard: unused as never, records: unused as never, members: unused as never, logger: createLogger('silent'), publicDir, ...deps });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the dashboard page files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-public-'));
  const publicDir = path.join(dir, 'public');
  let app: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    fs.mkdirSync(path.join(publicDir, 'strings'), { recursive: true });
    fs.mkdirSync(path.join(publicDir, 'vendor'), { recursive: true });
    fs.writeFileSync(path.join(publicDir, 'vendor', 'teams-js.min.js'), '/* teams-js */ var microsoftTeams;');
    fs.writeFileSync(path.join(publicDir, 'index.html'), '<!doctype html><title>Tableau de bord</title>');
    fs.writeFileSync(path.join(publicDir, 'app.js'), 'console.log(1);');
    fs.writeFileSync(path.join(publicDir, 'app.css'), 'body{}');
    fs.writeFileSync(path.join(publicDir, 'strings', 'fr.json'), '{"title":"Tableau de bord"}');
    fs.writeFileSync(path.join(publicDir, '.env'), 'SECRET=1');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
    app = await serve({}, publicDir);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['/tab', 'text/html', 'Tableau de bord'],
    ['/tab/', 'text/html', 'Tableau de bord'],
    ['/tab?theme=dark&locale=nl-BE', 'text/html', 'Tableau de bord'],
    ['/tab/index.html', 'text/html', 'Tableau de bord'],
    ['/tab/app.js', 'text/javascript', 'console.log'],
    ['/tab/app.css', 'text/css', 'body'],
    ['/tab/strings/fr.json', 'application/json', 'Tableau'],
  ])('GET %s answers %s', async (url, type, text) => {
    const res = await fetch(`${app.url}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com");
    expect(await res.text()).toContain(text);
  });

  it('serves the teams-js bundle from the page folder', async () => {
    const res = await fetch(`${app.url}/tab/vendor/teams-js.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(await res.text()).toMatch(/microsoftTeams|app\.initialize|initialize/);
  });

  it.each(['/tab/../secret.txt', '/tab/%2e%2e/secret.txt', '/tab/..%2fsecret.txt', '/tab/strings/..%2f..%2fsecret.txt', '/tab/%2e%2e%5csecret.txt', '/tab/.env', '/tab/nothing.js', '/tab/app.js%00.html', '/tab/strings'])(
    'GET %s: nothing outside the page folder, no hidden or unknown file',
    async (url) => {
      const res = await fetch(`${app.url}${url}`);
      expect([400, 404]).toContain(res.status);
      const body = await res.text();
      expect(body).not.toContain('outside');
      expect(body).not.toContain('SECRET');
    },
  );

  it('fileUnder keeps to the folder', () => {
    expect(fileUnder('/srv/p', 'a/b.js')).toBe(path.resolve('/srv/p/a/b.js'));
    for (const bad of ['', '../x', 'a/../../x', 'a\\..\\x', '/etc/passwd'.slice(1).replace('etc', '..'), 'x\0.js', '.git/config']) expect(fileUnder('/srv/p', bad)).toBeNull();
  });

  it('the CSP lets Teams and Microsoft 365 hosts frame the page, and the extra origins given', () => {
    const csp = contentSecurityPolicy(['http://127.0.0.1:8080']);
    for (const host of ['https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://*.office.com', 'https://*.cloud.microsoft', 'https://*.microsoft365.com', 'https://outlook.office.com', 'http://127.0.0.1:8080']) expect(csp).toContain(host);
    expect(csp).toContain("script-src 'self'");
  });
});

describe('the dashboard API before any data', () => {
  it('without an app id, every call is 401, and the start-up log says why', async () => {
    const lines: string[] = [];
    const app = await serve({ logger: createLogger('info', { write: (line: string) => lines.push(line) }) }, os.tmpdir());
    expect(lines.join('')).toContain("the dashboard tab's SSO is not configured");
    try {
      const signer = newSigner('k');
      const res = await fetch(`${app.url}/api/tab/me`, { headers: { authorization: `Bearer ${ssoToken(signer, ssoClaims(OID))}` } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthenticated' });
    } finally {
      await app.close();
    }
  });

  it('keys that cannot be fetched: 503 with Retry-After, never 401', async () => {
    const signer = newSigner('k');
    const jwks = await startJwksServer([signer]);
    jwks.setState('down');
    const verifier = createSsoVerifier({ jwksUrl: jwks.url, audiences: [TAB_APP_ID], allowedTenantIds: [SSO_TENANT], homeTenantId: null });
    const app = await serve({ verifier }, os.tmpdir());
    try {
      const res = await fetch(`${app.url}/api/tab/organiser`, { headers: { authorization: `Bearer ${ssoToken(signer, ssoClaims(OID))}` } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(await res.json()).toEqual({ error: 'unavailable' });
    } finally {
      await app.close();
      await jwks.close();
    }
  });
});
