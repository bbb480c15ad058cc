// Dates as people read them: Brussels time, in the reader's language (luxon, one place).
import type { DateTime, DateTimeFormatOptions } from 'luxon';
import { inBrussels } from '../domain/time';
import { intlLocale, Locale } from './i18n';

/** The instant in Brussels, set to the reader's language: `.toLocaleString(…)` formats it. */
export const localDateTime = (d: Date | string, locale: Locale): DateTime => inBrussels(d).setLocale(intlLocale(locale));

/** The instant formatted for the reader, Brussels time. */
export const formatInBrussels = (d: Date | string, locale: Locale, format: DateTimeFormatOptions): string => localDateTime(d, locale).toLocaleString(format);
