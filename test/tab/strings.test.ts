// The dashboard tab's strings (locales/tab/*.json, shipped beside the page): the same keys in
// French, Dutch and English, none empty, the same {placeholders} in each language, and every key the
// page's code names exists.
import fs from 'node:fs';
import path from 'node:path';
import { CASE_STATUSES } from '../../domain/caseStatus';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (l: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'tab', `${l}.json`), 'utf8')) as Record<string, string>;
const LANGS = ['fr', 'nl', 'en'] as const;
const files = Object.fromEntries(LANGS.map((l) => [l, read(l)])) as Record<(typeof LANGS)[number], Record<string, string>>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the tab strings (locales/tab)', () => {
  it.each(['nl', 'en'] as const)('%s has exactly the French keys', (lang) => {
    expect(Object.keys(files[lang]).sort()).toEqual(Object.keys(files.fr).sort());
  });

  it.each(LANGS)('%s: no empty string, the same placeholders as French', (lang) => {
    const f = files[lang];
    expect(Object.keys(f).filter((k) => !f[k].trim())).toEqual([]);
    expect(Object.keys(f).filter((k) => files.fr[k] !== undefined && placeholders(f[k]).join() !== placeholders(files.fr[k]).join())).toEqual([]);
  });

  it("every literal key the page's code asks for exists", () => {
    const tabDir = path.join(ROOT, 'tab');
    const code = fs.readdirSync(tabDir).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(tabDir, f), 'utf8')).join('\n');
    const keys = [...code.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(50);
    expect([...new Set(keys)].filter((k) => !(k in files.fr) && !(`${k}.one` in files.fr && `${k}.other` in files.fr))).toEqual([]);
  });

  it.each(LANGS)('%s: counted phrases have their plural forms, never "(s)"', (lang) => {
    const f = files[lang];
    expect(Object.keys(f).filter((k) => /\w\((s|en|n)\)/.test(f[k]))).toEqual([]);
    expect(Object.keys(f).filter((k) => k.endsWith('.one') && !(`${k.slice(0, -4)}.other` in f))).toEqual([]);
  });

  it('every kind of PSI edit (domain/psi.ts PsiEdit) reads in words, the changes of a version', () => {
    const psi = fs.readFileSync(path.join(ROOT, 'domain', 'psi.ts'), 'utf8');
    const union = /export type PsiEdit =([\s\S]*?);\n\n/.exec(psi)![1];
    const kinds = [...union.matchAll(/kind: '(\w+)'/g)].map((m) => m[1]);
    expect(kinds.length).toBeGreaterThan(4);
    expect(kinds.filter((k) => !(`psiChange.${k}` in files.fr))).toEqual([]);
  });

  it('the status, delivery and reminder kinds the contract names all read in words', () => {
    const contract = fs.readFileSync(path.join(ROOT, 'tab', 'contract.ts'), 'utf8');
    const union = (name: string) => [...new RegExp(`^ +${name}: ('[^;]+);`, 'm').exec(contract)![1].matchAll(/'(\w+)'/g)].map((m) => m[1]);
    const wanted = [...union('delivery').map((d) => `delivery.${d}`), ...union('kind').map((k) => `kind.${k}`), ...CASE_STATUSES.map((s) => `status.${s}`)];
    expect(wanted.length).toBeGreaterThan(20);
    expect(wanted.filter((k) => !(k in files.fr))).toEqual([]);
  });
});
