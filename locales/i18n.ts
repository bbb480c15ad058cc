// Translations: JSON resource files, flat dotted keys, "{param}" placeholders. The base files are
// locales/<lang>.json; each feature area may add locales/<area>/<lang>.json (merged at load).
// French is the default (and the fallback when a Dutch or English string is missing).
import fs from 'node:fs';
import path from 'node:path';
import en from './en.json';
import fr from './fr.json';
import nl from './nl.json';

export type Locale = 'fr' | 'nl' | 'en';
export const SUPPORTED_LOCALES: readonly Locale[] = ['fr', 'nl', 'en'];
export const FALLBACK_LOCALE: Locale = 'fr';

type Resources = Record<string, string>;
const resources: Record<Locale, Resources> = { fr: { ...fr }, nl: { ...nl }, en: { ...en } };

function localesDir(): string {
  // From sources (ts-jest) the area folders sit beside this file; from dist/ they are read from the sources.
  return fs.existsSync(path.join(__dirname, 'fr.json')) ? __dirname : path.join(__dirname, '..', '..', 'locales');
}

for (const area of fs.readdirSync(localesDir(), { withFileTypes: true }).filter((d) => d.isDirectory())) {
  for (const locale of ['fr', 'nl', 'en'] as const) {
    const file = path.join(localesDir(), area.name, `${locale}.json`);
    if (fs.existsSync(file)) Object.assign(resources[locale], JSON.parse(fs.readFileSync(file, 'utf8')) as Resources);
  }
}

export type Params = Record<string, string | number | undefined | null>;

export function hasKey(key: string, locale: Locale = FALLBACK_LOCALE): boolean {
  return key in resources[locale] || key in resources[FALLBACK_LOCALE];
}

export function t(locale: Locale, key: string, params: Params = {}): string {
  const template = resources[locale][key] ?? resources[FALLBACK_LOCALE][key];
  if (template === undefined) throw new Error(`Missing translation key "${key}"`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

/** A translator bound to one language, the form handlers pass around. */
export type Translate = (key: string, params?: Params) => string;
export const translator = (locale: Locale): Translate => (key, params) => t(locale, key, params);

/** Maps a Teams locale ("nl-BE", "fr-fr", "en-US") to a supported language, or null. */
export function toSupportedLocale(raw: string | undefined | null): Locale | null {
  if (!raw) return null;
  const lang = raw.trim().toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(lang) ? (lang as Locale) : null;
}

/** The user's explicit choice wins, then what Teams says, then the configured default. */
export function resolveLocale(userChoice: string | undefined | null, activityLocale: string | undefined | null, fallback: Locale = FALLBACK_LOCALE): Locale {
  return toSupportedLocale(userChoice) ?? toSupportedLocale(activityLocale) ?? fallback;
}

/** All translations of a key, e.g. to recognise a command typed in any language. */
export function allTranslations(key: string): string[] {
  return SUPPORTED_LOCALES.map((l) => resources[l][key]).filter((v): v is string => typeof v === 'string');
}

export function keysOf(locale: Locale): string[] {
  return Object.keys(resources[locale]);
}
