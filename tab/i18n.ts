// The page's strings (locales/tab/{fr,nl,en}.json, shipped beside it) and how dates read in each
// language, always in Brussels time whatever the computer's zone.
import type { TabLocale } from './contract.js';

export type Strings = Record<string, string>;
export const LOCALES: readonly TabLocale[] = ['fr', 'nl', 'en'];
const INTL: Record<TabLocale, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB' };
const ZONE = 'Europe/Brussels';

/** The page's language from the Teams locale ("nl-BE", "en-US"); French when unknown. */
export function localeOf(teamsLocale: string | undefined | null): TabLocale {
  const prefix = (teamsLocale ?? '').slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(prefix) ? (prefix as TabLocale) : 'fr';
}

export async function loadStrings(locale: TabLocale): Promise<Strings> {
  const res = await fetch(`/tab/locales/${locale}.json`);
  if (!res.ok) throw new Error(`strings ${locale}: ${res.status}`);
  return (await res.json()) as Strings;
}

export interface I18n {
  locale: TabLocale;
  t(key: string, params?: Record<string, string | number>): string;
  dateTime(iso: string): string;
  date(iso: string): string;
}

export function i18n(locale: TabLocale, strings: Strings): I18n {
  const dateTime = new Intl.DateTimeFormat(INTL[locale], { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const dateOnly = new Intl.DateTimeFormat(INTL[locale], { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });
  // A plain calendar date (YYYY-MM-DD) is a Brussels day, not an instant: read it at noon UTC so no zone shifts it.
  const plural = new Intl.PluralRules(INTL[locale]);
  const instant = (iso: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
  return {
    locale,
    // A counted phrase has its forms as <key>.one / <key>.other, chosen by the language's own rules.
    t: (key, params = {}) => {
      const form = typeof params.count === 'number' ? strings[`${key}.${plural.select(params.count) === 'one' ? 'one' : 'other'}`] : undefined;
      return (form ?? strings[key] ?? key).replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
    },
    dateTime: (iso) => dateTime.format(instant(iso)),
    date: (iso) => dateOnly.format(instant(iso)),
  };
}
