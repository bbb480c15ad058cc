// A refused case action, told in the user's language (also used by the PSI and record features).
import { statusLabel } from '../../../cards/cases';
import { hasKey, Locale, Params, t } from '../../../locales/i18n';
import type { CaseErrorCode } from '../../../services/cases';

/** Error code → message with translated status names. */
export function caseErrorText(locale: Locale, code: CaseErrorCode, params: Record<string, string> = {}): string {
  const p: Params = { ...params };
  // An unknown status (a forged or outdated card) has no label: the message for it names none.
  if (params.from && hasKey(`cases.status.${params.from}`)) p.from = statusLabel(params.from, locale);
  if (params.to && hasKey(`cases.status.${params.to}`)) p.to = statusLabel(params.to, locale);
  return t(locale, `cases.error.${code}`, p);
}

/** Refusals after which the user keeps no card: they are not (or no longer) a member, or the case is gone. */
export const isRefusal = (code: CaseErrorCode): boolean => code === 'notAllowed' || code === 'unknownCase' || code === 'purged';
