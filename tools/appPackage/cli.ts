// `npm run package`: builds appPackage.zip, the Teams app package an administrator uploads (Teams
// admin centre or "Upload a custom app"): manifest.json, the FR / NL / EN localisation files and
// the two icons, at the zip's root. Ids and addresses come from the same configuration as the bot
// (.env or the environment). A missing or invalid setting stops it with exit code 2, each problem
// named, and no zip written.
//   npm run package [-- --out <file.zip>]
import 'dotenv/config';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { SUPPORTED_LOCALES } from '../../locales/i18n';
import { projectRoot } from '../embeddedDb';
import { menuProblems } from './commandMenu';
import { buildLocalisation, buildManifest, ICON_FOLDER, ICONS, PackageSettings, ssoResource, tabUrl } from './manifest';
import { packageSettings } from './settings';

export const DEFAULT_OUTPUT = 'appPackage.zip';
/** A fixed date for every entry: the same settings give the same zip, byte for byte. */
const ENTRY_DATE = new Date('2026-01-01T00:00:00Z');

export async function appPackageZip(settings: PackageSettings): Promise<Buffer> {
  const zip = new JSZip();
  const add = (name: string, content: string | Buffer) => zip.file(name, content, { date: ENTRY_DATE });
  add('manifest.json', `${JSON.stringify(buildManifest(settings), null, 2)}\n`);
  for (const locale of SUPPORTED_LOCALES) add(`${locale}.json`, `${JSON.stringify(buildLocalisation(locale), null, 2)}\n`);
  for (const file of Object.values(ICONS)) add(file, fs.readFileSync(path.join(projectRoot(), ICON_FOLDER, file)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}

function outputPath(args: string[]): string {
  const i = args.indexOf('--out');
  const out = i >= 0 ? args[i + 1] : undefined;
  if (i >= 0 && !out) throw new UsageError('--out needs a file name, e.g. --out dist/appPackage.zip');
  return path.resolve(out ?? path.join(projectRoot(), DEFAULT_OUTPUT));
}

class UsageError extends Error {}

const shown = (file: string) => (path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file));

async function main(): Promise<number> {
  const out = outputPath(process.argv.slice(2));
  const result = packageSettings(process.env);
  if (!result.ok) {
    console.error(`Cannot build the Teams app package:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example (section "Teams app package"). No zip was written.`);
    return 2;
  }
  const menu = SUPPORTED_LOCALES.flatMap(menuProblems);
  if (menu.length) {
    console.error(`The command menu does not fit in Teams:\n${menu.map((p) => `  - ${p}`).join('\n')}\nNo zip was written.`);
    return 1;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  const settings: PackageSettings = { ...result.settings, version: pkg.version };
  const zip = await appPackageZip(settings);
  // Written beside, then renamed: an interrupted run never leaves half a package to upload.
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(`${out}.partial`, zip);
  fs.renameSync(`${out}.partial`, out);
  console.log(
    [
      `Wrote ${shown(out)} (Teams app ${settings.teamsAppId}, version ${settings.version})`,
      `  bot: ${settings.botAppId}`,
      `  dashboard tab: ${tabUrl(settings.publicBaseUrl)}`,
      `  tab sign-in (the app registration's Application ID URI): ${ssoResource(settings)}`,
    ].join('\n'),
  );
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err instanceof UsageError ? err.message : err);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
