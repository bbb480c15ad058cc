// What every part of the page shares: the strings, the API, and the status line read by screen readers.
import { ApiError, TabApi } from './api.js';
import type { I18n } from './i18n.js';

export interface View {
  i: I18n;
  api: TabApi;
  /** Announces a status message (aria-live). */
  say(message: string): void;
  /** Announces a refusal or an outage in words. */
  fail(err: unknown): void;
}

export function errorKey(err: unknown): string {
  return `error.${err instanceof ApiError ? err.kind : 'unavailable'}`;
}
