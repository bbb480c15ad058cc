// `npm run package` as an administrator runs it: the BUILT tool (dist/tools/appPackage/cli.js) as a
// child process, with fictional ids; the zip it writes is opened and checked against the published
// Teams JSON schemas, the bot's real commands and the configuration it was given.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { createApp } from '../../bot/app';
import { CommandName, normaliseCommandText, parseCommand } from '../../bot/commands';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { Locale, SUPPORTED_LOCALES, t } from '../../locales/i18n';
import { COMMAND_MENU } from '../../tools/appPackage/commandMenu';
import { buildOnce, ENTRY, ROOT } from '../shipped/builtBot';
import { testMongoUri, uniqueDbName } from '../support/db';

const CLI = path.join(path.dirname(path.dirname(ENTRY)), 'tools', 'appPackage', 'cli.js');
const BOT_ID = '3f2a9c41-7d5e-4b8a-9e21-5c0d8b7a6f13';
const TEAMS_APP_ID = 'a41c7e02-6b3d-4f9e-8a15-2d7c9b0e4f68';
const BASE = 'https://concertation.example.org';
const SCHEMAS = path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');

let tmp: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built tool with only the given settings (a developer's .env must not leak in). */
function runPackager(env: Record<string, string>, out: string): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv = { PATH: process.env.PATH ?? '', HOME: tmp, DOTENV_CONFIG_PATH: path.join(tmp, 'no.env'), ...env };
    execFile(process.execPath, [CLI, '--out', out], { cwd: tmp, env: childEnv, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

function validator(version: string, file: 'MicrosoftTeams.schema.json' | 'MicrosoftTeams.Localization.schema.json'): ValidateFunction {
  // The published schemas are draft-04; they use nothing draft-07 reads differently (no `id`, no boolean
  // exclusive bounds). Their patterns are plain ECMAScript ones, some invalid with the `u` flag.
  const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, `v${version}`, file), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The value at a localisation key's path ("bots[0].commandLists[1].commands[2].title") in the manifest. */
function at(manifest: Json, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => {
    const m = /^(\w+)((?:\[\d+\])*)$/.exec(part);
    if (!m || node === null || typeof node !== 'object') return undefined;
    let value = (node as Json)[m[1]];
    for (const [, i] of m[2].matchAll(/\[(\d+)\]/g)) value = Array.isArray(value) ? value[Number(i)] : undefined;
    return value;
  }, manifest);
}

let zip: JSZip;
let manifest: Json;
let files: Record<Locale, Json>;
let routed: Set<string>;
let fileConsents: number;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-app-package-'));
  buildOnce();
  const out = path.join(tmp, 'out', 'appPackage.zip');
  const run = await runPackager({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID, PUBLIC_BASE_URL: `${BASE}/` }, out);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  zip = await JSZip.loadAsync(fs.readFileSync(out));
  manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Json;
  files = Object.fromEntries(await Promise.all(SUPPORTED_LOCALES.map(async (l) => [l, JSON.parse(await zip.file(`${l}.json`)!.async('string'))]))) as Record<Locale, Json>;

  // The bot's own routing table, as it starts: what "a real command" means.
  const app = await createApp({ config: loadConfig({ DB_NAME: uniqueDbName('apppkg'), LOG_LEVEL: 'silent' }), mongodbUri: testMongoUri(), logger: createLogger('silent'), startScheduler: false });
  try {
    routed = new Set(app.bot.routes.commands.keys());
    fileConsents = app.bot.routes.fileConsents.length;
  } finally {
    await app.close();
  }
}, 240_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm run package', () => {
  it('runs the built tool (what the administrator runs is what these tests prove)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.package).toBe('npm run build && node dist/tools/appPackage/cli.js');
  });

  it('writes manifest.json, the FR / NL / EN files and the two icons at the zip root, nothing else', () => {
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'en.json', 'fr.json', 'manifest.json', 'nl.json', 'outline.png']);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('writes a manifest valid against the published schema of its version (1.19 or later)', () => {
    const version = String(manifest.manifestVersion);
    expect(Number(version.split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    const validate = validator(version, 'MicrosoftTeams.schema.json');
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  it('writes localisation files valid against the published schema, naming only strings the manifest has', () => {
    const validate = validator(String(manifest.manifestVersion), 'MicrosoftTeams.Localization.schema.json');
    for (const locale of SUPPORTED_LOCALES) {
      expect({ locale, errors: validate(files[locale]) ? [] : validate.errors }).toEqual({ locale, errors: [] });
      expect(files[locale].$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
      const dangling = Object.keys(files[locale]).filter((k) => k !== '$schema' && typeof at(manifest, k) !== 'string');
      expect({ locale, dangling }).toEqual({ locale, dangling: [] });
    }
  });

  it('the schema check fails on a manifest Teams would refuse', () => {
    const validate = validator(String(manifest.manifestVersion), 'MicrosoftTeams.schema.json');
    const tooLong = { ...manifest, name: { ...manifest.name, short: 'x'.repeat(31) } };
    expect(validate(tooLong)).toBe(false);
    const thirteen = structuredClone(manifest);
    thirteen.bots[0].commandLists[0].commands = Array.from({ length: 13 }, (_, i) => ({ title: `c${i}`, description: 'd' }));
    expect(validate(thirteen)).toBe(false);
  });

  it('is French by default, with Dutch and English beside it, each in its own words', () => {
    expect(manifest.localizationInfo).toEqual({ defaultLanguageTag: 'fr', defaultLanguageFile: 'fr.json', additionalLanguages: [{ languageTag: 'nl', file: 'nl.json' }, { languageTag: 'en', file: 'en.json' }] });
    for (const key of ['name.short', 'name.full', 'description.short', 'description.full']) expect(files.fr[key]).toBe(at(manifest, key));
    const names = SUPPORTED_LOCALES.map((l) => files[l]['name.short']);
    expect(new Set(names).size).toBe(3);
    expect(files.fr['description.full']).toMatch(/Brusano/);
    expect(files.nl['description.full']).toMatch(/overleg/);
  });

  it('takes its ids and addresses from the configuration', () => {
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://concertation.example.org/${BOT_ID}` });
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(pkg.version);
  });

  it('has the personal dashboard tab on PUBLIC_BASE_URL/tab/, and valid domains covering the tab and the bot', () => {
    const dashboard = manifest.staticTabs.find((tab: Json) => tab.entityId === 'dashboard');
    expect(dashboard).toMatchObject({ scopes: ['personal'], contentUrl: `${BASE}/tab/?locale={locale}&theme={theme}` });
    const hosts = [...manifest.staticTabs.filter((tab: Json) => tab.contentUrl).map((tab: Json) => new URL(tab.contentUrl).hostname), new URL(`${BASE}/api/messages`).hostname];
    for (const host of hosts) expect(manifest.validDomains).toContain(host);
    for (const locale of SUPPORTED_LOCALES) expect(files[locale][`staticTabs[${manifest.staticTabs.indexOf(dashboard)}].name`]).toBe(t(locale, 'appPackage.tab.dashboard'));
  });

  it('declares file support exactly when the bot answers file-consent cards', () => {
    expect(manifest.bots[0].supportsFiles).toBe(fileConsents > 0);
  });
});

describe('the command menus', () => {
  /** Each list's commands in one language: the localisation file's words over the manifest's (French). */
  const lists = (locale: Locale): Array<{ scopes: string[]; titles: string[]; descriptions: string[] }> =>
    manifest.bots[0].commandLists.map((list: Json, i: number) => ({
      scopes: list.scopes,
      titles: list.commands.map((c: Json, j: number) => files[locale][`bots[0].commandLists[${i}].commands[${j}].title`] ?? c.title),
      descriptions: list.commands.map((c: Json, j: number) => files[locale][`bots[0].commandLists[${i}].commands[${j}].description`] ?? c.description),
    }));

  it('offers each command the bot routes, in the 1:1 chat and in groups', () => {
    expect(Object.keys(COMMAND_MENU).sort()).toEqual([...routed].sort());
    const offered = (scope: string) => new Set(lists('fr').filter((l) => l.scopes.includes(scope)).flatMap((l) => l.titles.map((w) => parseCommand(w)?.name)));
    for (const [name, places] of Object.entries(COMMAND_MENU)) {
      expect({ name, personal: offered('personal').has(name as CommandName) }).toEqual({ name, personal: places.includes('personal') });
      for (const scope of ['team', 'groupChat']) expect({ name, scope, offered: offered(scope).has(name as CommandName) }).toEqual({ name, scope, offered: places.includes('group') });
    }
  });

  it.each(SUPPORTED_LOCALES)('in %s, lists only real commands of the bot, each by a word the bot recognises in that language', (locale) => {
    const french = lists('fr');
    lists(locale).forEach((list, i) => {
      list.titles.forEach((title, j) => {
        const command = parseCommand(title);
        expect({ title, routed: command !== null && routed.has(command.name) && command.arg === '' }).toEqual({ title, routed: true });
        const ownWords = t(locale, `command.${command!.name}`).split('|').map(normaliseCommandText);
        expect({ title, ownWord: ownWords.includes(normaliseCommandText(title)) }).toEqual({ title, ownWord: true });
        // The same place in every language is the same command.
        expect(command!.name).toBe(parseCommand(french[i].titles[j])!.name);
      });
    });
  });

  it.each(SUPPORTED_LOCALES)('in %s, keeps within what Teams shows (12 commands a list, titles 32 and descriptions 128 characters)', (locale) => {
    for (const list of lists(locale)) {
      expect(list.titles.length).toBeLessThanOrEqual(12);
      for (const title of list.titles) expect(title.length).toBeLessThanOrEqual(32);
      for (const description of list.descriptions) expect(description.length).toBeLessThanOrEqual(128);
    }
  });
});

describe('npm run package with missing or invalid settings', () => {
  it.each<[string, Record<string, string>, RegExp[]]>([
    ['no MicrosoftAppId, PUBLIC_BASE_URL not https', { PUBLIC_BASE_URL: 'http://concertation.example.org' }, [/MicrosoftAppId is empty/, /PUBLIC_BASE_URL="http:\/\/concertation\.example\.org" must start with https:\/\//]],
    ['no PUBLIC_BASE_URL', { MicrosoftAppId: BOT_ID }, [/PUBLIC_BASE_URL is empty/]],
    ['ids that are not GUIDs', { MicrosoftAppId: 'concertation-bot', TEAMS_APP_ID: 'app', PUBLIC_BASE_URL: BASE }, [/MicrosoftAppId must be a GUID/, /TEAMS_APP_ID must be a GUID/]],
    ['a privacy page that is not https', { MicrosoftAppId: BOT_ID, PUBLIC_BASE_URL: BASE, TEAMS_APP_PRIVACY_URL: 'http://concertation.example.org/privacy' }, [/TEAMS_APP_PRIVACY_URL must be an https:\/\/ address/]],
  ])('%s: exit code 2, each problem named, no zip', async (_what, env, messages) => {
    const out = path.join(tmp, `refused-${messages.length}-${Object.keys(env).length}.zip`);
    const run = await runPackager(env, out);
    expect(run.code).toBe(2);
    for (const message of messages) expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/No zip was written/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('refused-'))).toEqual([]);
  });

  it('asks Teams for tokens the dashboard accepts: a separate sign-in registration and its audience follow the bot\'s tab settings', async () => {
    const ssoId = '6d0e5b37-2c8f-4a19-b7e4-0f3a9c1d2e85';
    const env = { MicrosoftAppId: BOT_ID, MicrosoftAppPassword: 'not-a-real-secret', PUBLIC_BASE_URL: BASE, TAB_SSO_APP_ID: ssoId };
    const out = path.join(tmp, 'sso.zip');
    expect(await runPackager(env, out)).toMatchObject({ code: 0, stderr: '' });
    const sso = JSON.parse(await (await JSZip.loadAsync(fs.readFileSync(out))).file('manifest.json')!.async('string')) as Json;
    expect(sso.webApplicationInfo).toEqual({ id: ssoId, resource: `api://concertation.example.org/${ssoId}` });
    // The server checks each token's audience against this list: the resource Teams asks for is in it.
    expect(loadConfig(env).tabSsoAudiences).toContain(sso.webApplicationInfo.resource);
    const custom = { ...env, TAB_SSO_AUDIENCES: `${ssoId},api://concertation.example.org/botid-${BOT_ID}` };
    expect(await runPackager(custom, out)).toMatchObject({ code: 0, stderr: '' });
    const second = JSON.parse(await (await JSZip.loadAsync(fs.readFileSync(out))).file('manifest.json')!.async('string')) as Json;
    expect(second.webApplicationInfo.resource).toBe(`api://concertation.example.org/botid-${BOT_ID}`);
    const none = await runPackager({ ...env, TAB_SSO_AUDIENCES: ssoId }, path.join(tmp, 'sso-none.zip'));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/TAB_SSO_AUDIENCES names no api:\/\//);
  });

  it('without TEAMS_APP_ID, the Teams app takes the bot\'s id; it needs no password', async () => {
    const out = path.join(tmp, 'default-id.zip');
    const run = await runPackager({ MicrosoftAppId: BOT_ID, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', PUBLIC_BASE_URL: BASE }, out);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const other = JSON.parse(await (await JSZip.loadAsync(fs.readFileSync(out))).file('manifest.json')!.async('string')) as Json;
    expect([other.id, other.bots[0].botId, other.webApplicationInfo.id]).toEqual([BOT_ID, BOT_ID, BOT_ID]);
  });
});
