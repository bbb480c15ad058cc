// A translation key missing at run time throws, and the user gets a generic error: every key the
// code names literally must exist, and every locale folder must be imported so the build carries it.
import fs from 'node:fs';
import path from 'node:path';
import { hasKey } from '../../locales/i18n';
import { AREAS } from '../../locales/resources';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['bot', 'cards', 'dialogs', 'domain', 'jobs', 'services', 'locales'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Keys passed as a string literal to tr('…'), t(locale, '…') or translator(…)('…'). */
function literalKeys(source: string): string[] {
  const keys: string[] = [];
  const patterns = [/\btr\(\s*'([a-zA-Z][\w.]*)'/g, /\bt\(\s*[\w.]+\s*,\s*'([a-zA-Z][\w.]*)'/g, /\)\(\s*'([a-zA-Z][\w.]*\.[\w.]+)'/g];
  for (const re of patterns) for (const m of source.matchAll(re)) keys.push(m[1]);
  return keys;
}

describe('translation keys used by the code', () => {
  const files = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)));

  it('finds the keys it checks (the scan itself works)', () => {
    const all = files.flatMap((f) => literalKeys(fs.readFileSync(f, 'utf8')));
    expect(all.length).toBeGreaterThan(200);
    expect(all).toContain('error.generic');
  });

  it('exist in the locale files', () => {
    const missing = files.flatMap((f) =>
      literalKeys(fs.readFileSync(f, 'utf8'))
        .filter((k) => !hasKey(k) && !hasKey(`${k}.other`)) // a counted phrase exists by its plural forms
        .map((k) => `${path.relative(ROOT, f)}: ${k}`),
    );
    expect(missing).toEqual([]);
  });

  it('come from locale folders that are all imported (so `npm run build` carries them)', () => {
    const onDisk = fs
      .readdirSync(path.join(ROOT, 'locales'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      // The dashboard page's strings are the browser's: tools/build.js ships them beside the page
      // (test/tab/strings.test.ts, test/deploy/dockerImage.test.ts), the bot never reads them.
      .filter((name) => name !== 'tab')
      .sort();
    expect(Object.keys(AREAS).sort()).toEqual(onDisk);
  });
});
