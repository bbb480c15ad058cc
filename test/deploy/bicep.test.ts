// The Azure templates (deploy/*.bicep), checked without Azure. No Bicep compiler can be installed
// from the package registries this project reaches (deploy/README.md, "Checking the templates"), so
// these checks read the files: balanced brackets and strings, resource types on the API versions
// listed below, modules called with the parameters they declare, the parameters file, secrets only
// as secure parameters and Key Vault references, and the web app's settings against what
// bot/config.ts reads. They do not type-check expressions or validate properties against Azure's
// schemas: that is what `bicep build` (run below when a `bicep` executable is on PATH) adds.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../shipped/builtBot';
import { BicepFile, bracketProblems, modules, objectAfter, params, readBicep, resources, topLevelKeys } from './bicepText';
import { execForm, last, parseDockerfile, stage } from './dockerfile';

interface SyntaxNode {
  type: string;
  isMissing: boolean | (() => boolean);
  startPosition: { row: number };
  children: SyntaxNode[];
}
interface TreeSitter {
  init(): Promise<void>;
  Language: { load(file: string): Promise<unknown> };
  new (): { setLanguage(language: unknown): void; parse(text: string): { rootNode: SyntaxNode } };
}

const DEPLOY = path.join(ROOT, 'deploy');
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.bicep(param)?$/.test(e.name) ? [path.join(dir, e.name)] : []));
const all = files(DEPLOY).map(readBicep);
const templates = all.filter((f) => f.file.endsWith('.bicep'));
const byName = (rel: string): BicepFile => all.find((f) => f.file === path.join(DEPLOY, rel)) ?? fail(`deploy/${rel} is missing`);
function fail(message: string): never {
  throw new Error(message);
}

/** Resource types and the API versions used, each the newest generally available one (no previews). */
const API_VERSIONS: Record<string, string> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': '2023-01-31',
  'Microsoft.KeyVault/vaults': '2023-07-01',
  'Microsoft.KeyVault/vaults/secrets': '2023-07-01',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.DocumentDB/mongoClusters': '2025-09-01',
  'Microsoft.DocumentDB/mongoClusters/firewallRules': '2025-09-01',
  'Microsoft.Web/serverfarms': '2024-11-01',
  'Microsoft.Web/sites': '2024-11-01',
  'Microsoft.Web/sites/config': '2024-11-01',
  'Microsoft.BotService/botServices': '2022-09-15',
  'Microsoft.BotService/botServices/channels': '2022-09-15',
};

/** Variables bot/config.ts reads whose defaults are right in Azure, and why. */
const LEFT_AT_DEFAULT: Record<string, string> = {
  PORT: 'App Service gives the Node runtime its PORT; the container sets 3978 (WEBSITES_PORT)',
  DATA_DIR: 'only for the embedded database, which Azure does not use',
  EMBEDDED_DB_PORT: 'idem',
  EMBEDDED_DB_BACKEND: 'idem',
  BOT_OPENID_METADATA_URL: 'the public Bot Framework keys (tests only point it elsewhere)',
  MAX_BODY_BYTES: 'tuning, documented in .env.example',
  DRAFT_EXPIRY_DAYS: 'idem',
  SCHEDULER_PROCESS_EVERY: 'idem',
  SCHEDULER_LOCK_LIFETIME: 'idem',
  SHUTDOWN_TIMEOUT_MS: 'idem',
  REMINDER_DISPATCH_EVERY: 'idem',
  REMINDER_LATE_GRACE_MINUTES: 'idem',
  REMINDER_CLAIM_LEASE_SECONDS: 'idem',
  REMINDER_RETENTION_DAYS: 'idem',
  RETENTION_PURGE_EVERY: 'idem',
  CASE_RETENTION_MONTHS: 'idem',
  TEAMS_APP_ID: 'read by npm run package on the administrator\'s machine, not by the running bot',
  TEAMS_APP_DEVELOPER_NAME: 'idem',
  TEAMS_APP_WEBSITE_URL: 'idem',
  TEAMS_APP_PRIVACY_URL: 'idem',
  TEAMS_APP_TERMS_URL: 'idem',
  TAB_SSO_APP_ID: 'the dashboard signs in with MicrosoftAppId\'s registration (deploy/README.md: a bot on a managed identity sets another by hand)',
  TAB_SSO_AUDIENCES: 'derived from the app id and PUBLIC_BASE_URL',
  TAB_SSO_JWKS_URL: 'the Microsoft identity platform\'s keys (tests only point it elsewhere)',
  TAB_FRAME_ANCESTORS: 'Teams\' own hosts only in production (tests add their host page)',
};
const PLATFORM_SETTINGS = ['WEBSITES_PORT', 'WEBSITES_ENABLE_APP_SERVICE_STORAGE', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'NODE_ENV'];
const SECRET_SETTINGS = ['MicrosoftAppPassword', 'MONGODB_URI'];

const configText = fs.readFileSync(path.join(ROOT, 'bot', 'config.ts'), 'utf8');
const configNames = new Set([...configText.matchAll(/\b(?:setting|int|oneOf(?:<[^>]*>)?|list)\('([A-Za-z_]+)'/g)].map((m) => m[1]));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function settings(): Map<string, string> {
  const main = byName('main.bicep');
  const appSettings = byName('modules/appSettings.bicep');
  const out = new Map<string, string>();
  for (const [f, name] of [[main, 'botSettings'], [main, 'appPasswordSetting'], [appSettings, 'containerPlatform'], [appSettings, 'nodePlatform']] as const) {
    const block = objectAfter(f, new RegExp(`^var ${name}\\s*=`)) ?? fail(`${path.basename(f.file)} has no var ${name}`);
    for (const key of topLevelKeys(block)) out.set(key, new RegExp(`^\\s*${key}\\s*:\\s*(.*)$`, 'm').exec(block)![1].trim());
  }
  return out;
}

describe('deploy/ Bicep templates', () => {
  test('every file has balanced brackets and terminated strings', () => {
    expect(templates.length).toBeGreaterThanOrEqual(7);
    for (const f of all) expect([path.relative(ROOT, f.file), bracketProblems(f)]).toEqual([path.relative(ROOT, f.file), []]);
  });

  test('every resource type is on its listed API version, none in preview', () => {
    const used = templates.flatMap((f) => resources(f).map((r) => `${r.type}@${r.apiVersion}`));
    for (const r of used) expect(Object.entries(API_VERSIONS).map(([t, v]) => `${t}@${v}`)).toContain(r);
    expect(used.filter((r) => /preview/i.test(r))).toEqual([]);
    // Every listed type is deployed (not only read as `existing`) somewhere.
    const deployed = new Set(templates.flatMap((f) => resources(f).filter((r) => !r.existing).map((r) => r.type)));
    expect(Object.keys(API_VERSIONS).filter((t) => !deployed.has(t))).toEqual([]);
  });

  test('modules exist and are called with the parameters they declare, every required one given', () => {
    for (const f of templates) {
      for (const m of modules(f)) {
        const target = readBicep(path.resolve(path.dirname(f.file), m.path));
        const declared = params(target);
        const where = `${path.basename(f.file)} → ${m.path}`;
        expect([where, m.params.filter((p) => !declared.some((d) => d.name === p))]).toEqual([where, []]);
        expect([where, declared.filter((d) => !d.hasDefault && !m.params.includes(d.name)).map((d) => d.name)]).toEqual([where, []]);
      }
    }
  });

  test('the example parameters file names main.bicep, sets only its parameters and every required one, and holds no secret', () => {
    const file = byName('main.bicepparam');
    expect(file.text).toMatch(/^using '\.\/main\.bicep'$/m);
    const declared = params(byName('main.bicep'));
    const assigned = [...file.text.matchAll(/^param\s+(\w+)\s*=\s*(.*)$/gm)].map((m) => ({ name: m[1], value: m[2].trim() }));
    expect(assigned.filter((a) => !declared.some((d) => d.name === a.name)).map((a) => a.name)).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !assigned.some((a) => a.name === d.name)).map((d) => d.name)).toEqual([]);
    for (const secure of declared.filter((d) => d.decorators.includes('@secure()'))) {
      const given = assigned.find((a) => a.name === secure.name);
      if (given) expect([secure.name, given.value]).toEqual([secure.name, expect.stringMatching(/^readEnvironmentVariable\('\w+'(, '')?\)$/)]);
    }
  });

  test('secrets: passwords, client secrets and connection strings are secure parameters, never outputs', () => {
    for (const f of templates) {
      const ps = params(f);
      for (const p of ps.filter((x) => /password|secret|mongodburi/i.test(x.name))) expect([path.basename(f.file), p.name, p.decorators]).toEqual([path.basename(f.file), p.name, expect.stringContaining('@secure()')]);
      const secure = ps.filter((x) => x.decorators.includes('@secure()')).map((x) => x.name);
      for (const [, output] of f.text.matchAll(/^output\s+\w+\s+\w+\s*=\s*(.*)$/gm)) for (const s of secure) expect([path.basename(f.file), output]).toEqual([path.basename(f.file), expect.not.stringMatching(new RegExp(`\\b${s}\\b`))]);
    }
  });

  test('the bot is single-tenant or a user-assigned managed identity (no new multi-tenant bot), with the Teams channel', () => {
    for (const f of all) expect([path.basename(f.file), /MultiTenant/.test(f.text)]).toEqual([path.basename(f.file), false]);
    const bot = byName('modules/bot.bicep');
    expect(params(bot).find((p) => p.name === 'appType')?.decorators).toMatch(/@allowed\(\[\s*'SingleTenant'\s*'UserAssignedMSI'\s*\]\)/);
    expect(params(byName('main.bicep')).find((p) => p.name === 'botAppType')?.decorators).toMatch(/@allowed\(\[\s*'SingleTenant'\s*'UserAssignedMSI'\s*\]\)/);
    expect(bot.text).toMatch(/kind: 'azurebot'/);
    expect(bot.text).toMatch(/location: 'global'/);
    expect(bot.text).toMatch(/msaAppType: appType/);
    expect(bot.text).toMatch(/msaAppTenantId: tenantId/);
    expect(bot.text).toMatch(/msaAppMSIResourceId: /);
    expect(bot.text).toMatch(/name: 'MsTeamsChannel'[\s\S]*channelName: 'MsTeamsChannel'[\s\S]*isEnabled: true/);
    // The messaging endpoint is the route bot/server.ts serves.
    expect(fs.readFileSync(path.join(ROOT, 'bot', 'server.ts'), 'utf8')).toContain("server.post('/api/messages'");
    expect(byName('main.bicep').text).toContain("endpoint: 'https://${host}/api/messages'");
  });

  test('the web app: Linux, HTTPS only, always on, health probe on /healthz, Node LTS 20 or later, started as npm start does', () => {
    const web = byName('modules/appService.bicep').text;
    for (const line of ['httpsOnly: true', 'alwaysOn: true', "healthCheckPath: '/healthz'", 'reserved: true', "minTlsVersion: '1.2'", "ftpsState: 'Disabled'", 'keyVaultReferenceIdentity: identityId']) expect(web).toContain(line);
    expect(fs.readFileSync(path.join(ROOT, 'bot', 'server.ts'), 'utf8')).toContain("server.get('/healthz'");
    const start = /appCommandLine: runsContainer \? '' : '([^']+)'/.exec(web)?.[1];
    expect(start).toBe(pkg.scripts.start);
    const runtimes = [...(params(byName('main.bicep')).find((p) => p.name === 'nodeRuntime')?.decorators ?? '').matchAll(/'NODE\|(\d+)-lts'/g)].map((m) => Number(m[1]));
    expect(runtimes.length).toBeGreaterThan(0);
    for (const major of runtimes) expect(major >= 20 && major % 2 === 0).toBe(true);
    expect(web).toContain("linuxFxVersion: runsContainer ? 'DOCKER|${containerImage}' : nodeRuntime");
  });

  test('the app settings are what bot/config.ts reads: the ones Azure needs set, secrets as Key Vault references', () => {
    const set = settings();
    const unknown = [...set.keys()].filter((k) => !configNames.has(k) && !PLATFORM_SETTINGS.includes(k));
    expect(unknown).toEqual([]);
    expect(configNames.size).toBeGreaterThan(20);
    const forgotten = [...configNames].filter((n) => !set.has(n) && !(n in LEFT_AT_DEFAULT));
    expect(forgotten).toEqual([]);
    for (const name of ['MicrosoftAppId', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'MicrosoftAppPassword', 'ALLOWED_TENANT_IDS', 'PUBLIC_BASE_URL', 'MONGODB_URI', 'DB_NAME']) expect(set.has(name)).toBe(true);
    for (const name of SECRET_SETTINGS) expect([name, set.get(name)]).toEqual([name, expect.stringMatching(/^'@Microsoft\.KeyVault\(SecretUri=\$\{[\w.]+\}\)'$/)]);
    // Written after the Azure Bot resource, which refuses an empty app id (bot/config.ts would run without authentication).
    expect(set.get('MicrosoftAppId')).toBe('bot.outputs.msaAppId');
    const env = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    for (const name of set.keys()) if (configNames.has(name)) expect([name, env.includes(`${name}=`)]).toEqual([name, true]);
  });

  test('the container settings match the Dockerfile, the database is Cosmos DB vCore or a given URI', () => {
    const runtime = stage(parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')), 'runtime');
    expect(settings().get('WEBSITES_PORT')).toBe(`'${last(runtime, 'EXPOSE')}'`);
    expect(execForm(last(runtime, 'CMD')!).join(' ')).toBe(pkg.scripts.start);
    const main = byName('main.bicep');
    expect(params(main).find((p) => p.name === 'database')?.decorators).toMatch(/@allowed\(\[\s*'cosmosVCore'\s*'externalUri'\s*\]\)/);
    const db = byName('modules/database.bicep').text;
    expect(db).toMatch(/resource cluster 'Microsoft\.DocumentDB\/mongoClusters@[^']+' = if \(mode == 'cosmosVCore'\)/);
    expect(db).toMatch(/value: mode == 'cosmosVCore' \? clusterUri : externalMongoDbUri/);
    expect(main.text).toMatch(/module dbFirewall '[^']+' = if \(database == 'cosmosVCore'\)/);
  });

  // The Bicep grammar of tree-sitter (WebAssembly, no native build): a real parse of every template,
  // once the development packages web-tree-sitter@0.24 and tree-sitter-bicep are installed.
  const grammar = (() => {
    try {
      return { Parser: require('web-tree-sitter') as TreeSitter, wasm: require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm') };
    } catch {
      return null;
    }
  })();
  (grammar ? test : test.skip)('every template parses with the tree-sitter Bicep grammar', async () => {
    const { Parser, wasm } = grammar!;
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Parser.Language.load(wasm));
    for (const f of templates) {
      const errors: string[] = [];
      const walk = (n: SyntaxNode): void => {
        if (n.type === 'ERROR' || (typeof n.isMissing === 'function' ? n.isMissing() : n.isMissing)) errors.push(`line ${n.startPosition.row + 1}`);
        n.children.forEach(walk);
      };
      walk(parser.parse(f.text).rootNode);
      expect([path.basename(f.file), errors]).toEqual([path.basename(f.file), []]);
    }
  });

  const compiler = ['bicep'].find((cmd) => {
    try {
      execFileSync(cmd, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  (compiler ? test : test.skip)('bicep build compiles every template and the parameters file without errors', () => {
    for (const f of templates) execFileSync(compiler!, ['build', f.file, '--stdout'], { stdio: 'pipe' });
    execFileSync(compiler!, ['build-params', path.join(DEPLOY, 'main.bicepparam'), '--stdout'], { stdio: 'pipe', env: { ...process.env, BOT_APP_PASSWORD: 'x', COSMOS_ADMIN_PASSWORD: 'x' } });
  });
});
