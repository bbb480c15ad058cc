// Recall and false-positive rate of the anonymity guard on the fictional corpus next to this file
// (the targets agreed for the guard). Prints the measured numbers and the sentences that missed.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { findIdentifiers, IdentifierKind } from '../../domain/anonymity';

interface Corpus {
  identifying: [IdentifierKind, string][];
  clean: string[];
}

const corpus = YAML.parse(fs.readFileSync(path.join(__dirname, 'anonymity.corpus.yaml'), 'utf8')) as Corpus;
const structured = corpus.identifying.filter(([kind]) => kind !== 'personalName');
const names = corpus.identifying.filter(([kind]) => kind === 'personalName');

const caught = ([kind, text]: [IdentifierKind, string]) => findIdentifiers(text).some((f) => f.kind === kind);
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}% (${n}/${of})`;

describe('anonymity guard on the corpus', () => {
  const missedStructured = structured.filter((c) => !caught(c));
  const missedNames = names.filter((c) => !caught(c));
  const refusedClean = corpus.clean.filter((text) => findIdentifiers(text).length > 0);

  afterAll(() => {
    const lines = [
      `anonymity corpus: ${corpus.identifying.length + corpus.clean.length} sentences`,
      `  structured identifiers caught: ${pct(structured.length - missedStructured.length, structured.length)}`,
      `  names caught:                  ${pct(names.length - missedNames.length, names.length)}`,
      `  clean sentences refused:       ${pct(refusedClean.length, corpus.clean.length)}`,
      ...missedStructured.map(([k, t]) => `  missed ${k}: ${t}`),
      ...missedNames.map(([, t]) => `  missed name: ${t}`),
      ...refusedClean.map((t) => `  refused clean: ${t} → ${findIdentifiers(t).map((f) => `${f.kind} «${t.slice(f.start, f.end)}»`).join(', ')}`),
    ];
    console.log(lines.join('\n'));
  });

  it('has at least 150 sentences, identifying and clean, in French and Dutch', () => {
    expect(corpus.identifying.length + corpus.clean.length).toBeGreaterThanOrEqual(150);
    expect(names.length).toBeGreaterThanOrEqual(50);
    expect(corpus.clean.length).toBeGreaterThanOrEqual(50);
  });

  it('catches 100% of the structured identifiers, each as its own kind', () => {
    expect(missedStructured).toEqual([]);
  });

  it('catches at least 95% of the names', () => {
    expect(names.length - missedNames.length).toBeGreaterThanOrEqual(Math.ceil(0.95 * names.length));
  });

  it('refuses at most 2% of the clean sentences', () => {
    expect(refusedClean.length).toBeLessThanOrEqual(Math.floor(0.02 * corpus.clean.length));
  });
});
