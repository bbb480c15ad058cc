/**
 * The name gazetteer (first names and surnames frequent in Brussels), generated from packaged
 * lists by tools/build-name-gazetteer.js (sources, versions and licences inside names.json).
 * The sets are built on first use: about 80,000 short strings.
 */
import data from './names.json';

export interface Gazetteer {
  firstNames: ReadonlySet<string>;
  /** First names of the curated lists (faker's locales, the supplement): frequent ones. */
  frequentFirstNames: ReadonlySet<string>;
  surnames: ReadonlySet<string>;
  /** Names that are also ordinary French, Dutch or English words ("rose", "pierre", "jan"). */
  commonWords: ReadonlySet<string>;
}

let loaded: Gazetteer | null = null;

export function gazetteer(): Gazetteer {
  if (!loaded) {
    const set = (s: string) => new Set(s.split(' '));
    loaded = { firstNames: set(data.firstNames), frequentFirstNames: set(data.frequentFirstNames), surnames: set(data.surnames), commonWords: set(data.commonWords) };
  }
  return loaded;
}

/** Lower case without diacritics, the form of the gazetteer's keys. */
export const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
