// Translations: JSON resource files, flat dotted keys, "{param}" placeholders. The base files are
// locales/<lang>.json; each feature area may add locales/<area>/<lang>.json (merged at load).
// French is the default (and the fallback when a Dutch or English string is missing).
import { AREAS, BASE } from './resources';

export type Locale = 'fr' | 'nl' | 'en';
export const SUPPORTED_LOCALES: readonly Locale[] = ['fr', 'nl', 'en'];
export const FALLBACK_LOCALE: Locale = 'fr';
/** The regional form Intl and luxon use for dates and numbers: Belgian French and Dutch, British English. */
export const INTL_LOCALE: Readonly<Record<Locale, string>> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB' };
export const intlLocale = (locale: Locale): string => INTL_LOCALE[locale];

type Resources = Record<string, string>;
const resources: Record<Locale, Resources> = { fr: { ...BASE.fr }, nl: { ...BASE.nl }, en: { ...BASE.en } };
for (const files of Object.values(AREAS)) for (const locale of SUPPORTED_LOCALES) Object.assign(resources[locale], files[locale]);

export type Params = Record<string, string | number | undefined | null>;

export function hasKey(key: string, locale: Locale = FALLBACK_LOCALE): boolean {
  return key in resources[locale] || key in resources[FALLBACK_LOCALE];
}

export function t(locale: Locale, key: string, params: Params = {}): string {
  // A counted phrase (keys <key>.one / <key>.other) takes the plural form of its `count`.
  if (!hasKey(key, locale) && hasKey(`${key}.other`, locale) && typeof params.count === 'number') return tn(locale, key, params.count, params);
  const template = resources[locale][key] ?? resources[FALLBACK_LOCALE][key];
  if (template === undefined) throw new Error(`Missing translation key "${key}"`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

const pluralRules = new Map(SUPPORTED_LOCALES.map((l) => [l, new Intl.PluralRules(INTL_LOCALE[l])]));

/**
 * A counted phrase: the key's plural form for `count` (`<key>.one`, `<key>.other`, … as
 * Intl.PluralRules names them), `.other` when that form is missing; `{count}` is filled in.
 */
export function tn(locale: Locale, key: string, count: number, params: Params = {}): string {
  const form = `${key}.${pluralRules.get(locale)!.select(count)}`;
  return t(locale, hasKey(form, locale) ? form : `${key}.other`, { count, ...params });
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
