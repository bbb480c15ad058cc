// The PSI's small cards: "no longer shared", the notice that a version exists (no content), and
// the access log (who read or received which version, and when).
import { Locale, t } from '../locales/i18n';
import { brusselsShort } from './cases';
import { renderCard } from './render';

/** Replaces a shared card once the person no longer shares the PSI with this actor. */
export function psiRevokedCard(trackingId: string, locale: Locale) {
  return renderCard('psiNotice', { title: t(locale, 'psi.card.title', { trackingId }), text: t(locale, 'psi.revoked') });
}

/**
 * What the case conversation gets when not all its members may read the PSI: that a new version
 * exists, no content and no names; "open" shows the PSI to whoever clicks, if they may read it.
 */
export function psiNewVersionCard(view: { trackingId: string; version: number; savedAt: Date }, locale: Locale, textKey: 'psi.notice.text' | 'psi.sentPrivately' = 'psi.notice.text') {
  return renderCard('psiNewVersion', {
    trackingId: view.trackingId,
    title: t(locale, 'psi.card.title', { trackingId: view.trackingId }),
    versionLine: t(locale, 'psi.notice.versionLine', { version: view.version, date: brusselsShort(view.savedAt, locale) }),
    text: t(locale, textKey),
    openLabel: t(locale, 'psi.card.open'),
  });
}

/** Rows shown at most: a long log would pass Teams' message size; the newest come first. */
export const MAX_ACCESS_ROWS = 100;

export interface PsiAccessRow {
  at: Date;
  /** The person's display name, or null for a notice posted to the conversation. */
  who: string | null;
  channel: string;
  version: number;
}

/** The access log of a case's PSI (newest first), for its organiser, in the reader's language. */
export function psiAccessLogCard(view: { trackingId: string; rows: PsiAccessRow[] }, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const shown = view.rows.slice(0, MAX_ACCESS_ROWS);
  return renderCard('psiAccessLog', {
    title: tr('psi.access.title', { trackingId: view.trackingId }),
    intro: tr('psi.access.intro'),
    empty: shown.length === 0,
    emptyText: tr('psi.access.empty'),
    rows: shown.map((r) => ({
      when: brusselsShort(r.at, locale),
      who: r.who ?? tr('psi.access.conversation'),
      what: tr(`psi.access.channel.${r.channel}`, { version: r.version }),
    })),
    more: view.rows.length > shown.length,
    moreText: tr('psi.access.more', { count: view.rows.length - shown.length }),
  });
}
