// The reminder card (in the recipient's language), the organiser's notice of undelivered
// reminders and the "my reminders" list card.
import { DateTime } from 'luxon';
import { inputText } from '../domain/input';
import { snoozeUntil } from '../domain/reminderDates';
import { payloadOf, reminderCaseOf } from '../domain/reminderPayload';
import { localDateTime } from '../locales/format';
import { Locale, t } from '../locales/i18n';
import type { Reminder } from '../models/reminder';
import { cardBytes, CardJson, renderCard } from './render';

const DATE_ONLY_KINDS = new Set(['followUp', 'standByReview', 'psiAction']);

/** A reminder's moment for its reader, Brussels time; a text that is no date is shown as it is. */
export function formatWhen(d: Date | string, locale: Locale, dateOnly = false): string {
  const dt = localDateTime(d, locale);
  if (!dt.isValid) return String(d);
  return dt.toLocaleString(dateOnly ? DateTime.DATE_FULL : DateTime.DATETIME_MED);
}

/** Texts of a reminder: title and body from its kind and payload ({trackingId, date, title, place}). */
export function reminderTexts(r: Pick<Reminder, 'kind' | 'subject' | 'dueAt' | 'payload'>, locale: Locale) {
  const p = payloadOf(r);
  const subject = inputText(p.trackingId) || r.subject;
  const date = formatWhen(inputText(p.date) || r.dueAt, locale, DATE_ONLY_KINDS.has(r.kind));
  const params = { subject, date, title: inputText(p.title), place: inputText(p.place) };
  return {
    subject,
    title: t(locale, `reminder.title.${r.kind}`, params),
    text: t(locale, `reminder.text.${r.kind}`, params),
    place: params.place ? t(locale, 'reminder.place', params) : '',
  };
}

export interface ReminderCardOptions {
  late?: boolean;
  /** Shown after an action (done, snoozed…); the card then has no more buttons. */
  state?: string;
}

export function reminderCard(r: Reminder, locale: Locale, options: ReminderCardOptions = {}) {
  const tr = (k: string, p?: Record<string, string>) => t(locale, k, p);
  const texts = reminderTexts(r, locale);
  const due = formatWhen(r.dueAt, locale);
  // payload.notAfter (a poll's deadline): no snooze that would land after it (counted from the due
  // time; a later click lands later still, and the poll's end cancels what is left).
  const p = payloadOf(r);
  const notAfter = Date.parse(inputText(p.notAfter));
  const fits = (choice: '1d' | '1w') => Number.isNaN(notAfter) || snoozeUntil(r.dueAt, choice).getTime() < notAfter;
  return renderCard('reminder', {
    title: texts.title,
    text: texts.text,
    place: texts.place,
    late: Boolean(options.late),
    lateText: tr('reminder.late', { due }),
    due: tr('reminder.due', { due }),
    state: options.state ?? '',
    actionable: !options.state,
    canPlan: r.kind === 'followUp',
    key: r.key,
    doneLabel: tr('reminder.action.done'),
    planLabel: tr('reminder.action.planConcertation'),
    snooze1dLabel: tr('reminder.action.snooze1d'),
    snooze1wLabel: tr('reminder.action.snooze1w'),
    canSnooze1d: fits('1d'),
    canSnooze1w: fits('1w'),
    // A poll's reminder opens the poll (the poll feature answers poll.refresh with the answer form).
    pollId: inputText(p.pollId),
    openPollLabel: tr('poll.action.open'),
  });
}

/**
 * An organiser's notice (1:1 text) of reminders of their cases that could not be delivered, or may
 * not have been: the listed ones named with the reason, the `more` others counted.
 */
export function undeliveredNoticeText(listed: ReadonlyArray<{ reminder: Reminder; reason: string }>, more: number, locale: Locale): string {
  const paragraphs = listed.map(({ reminder: r, reason }) => {
    const params = { subject: reminderTexts(r, locale).subject, due: formatWhen(r.dueAt, locale) };
    return reason === 'ambiguous'
      ? t(locale, 'reminder.ambiguous.organiserMessage', params)
      : t(locale, 'reminder.failure.organiserMessage', { ...params, reason: t(locale, `reminder.failure.${reason}`) });
  });
  if (more > 0) paragraphs.push(t(locale, 'reminder.failure.more', { count: more }));
  return paragraphs.join('\n\n');
}

/**
 * Teams refuses a message (or an invoke response) above about 28 KB of card: list cards are built
 * to stay under this, with room for the activity envelope. MAX_CARD_BYTES (render.ts) is the
 * hard ceiling for other cards; this is the one for cards that grow with the data.
 */
export const TEAMS_MESSAGE_MAX_BYTES = 24 * 1024;
/** Readability: more lines than this on one page is a wall, whatever the bytes. */
export const REMINDERS_PER_PAGE = 20;
/** Texts are cut so that one reminder alone always fits a page. */
const MAX_TEXT = 300;
const MAX_NOTICE = 200;

const cut = (s: string, max = MAX_TEXT): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);


/** Whose reminder it is: a Teams user (aad id) or a conversation. */
const recipientOf = (r: Reminder): string => r.recipientAadObjectId ?? `conv:${r.recipientConversationId ?? ''}`;

export interface ReminderListOptions {
  /** The user looking at the list: their own reminders say "you". */
  me?: string | null;
  /** Display names by AAD object id (case participants, pool members). */
  names?: ReadonlyMap<string, string>;
  /** 1-based; out of range is brought back in range. */
  page?: number;
  notice?: string;
  maxBytes?: number;
  perPage?: number;
}

export interface ReminderListPage {
  card: CardJson;
  page: number;
  /** No page after this one. */
  last: boolean;
  /** The reminders shown on this page (tests check every reminder is on exactly one page). */
  keys: string[];
}

interface Line {
  r: Reminder;
  item: ListItem;
  caseId: string;
  recipient: string;
  label: string;
  rank: number;
}

/**
 * "My reminders": the user's own and, for an organiser, their cases' reminders, each once, grouped
 * by case (soonest first) and by recipient (the user first, as "you"), and paged so that every
 * page stays under `maxBytes`: pages are packed against the rendered card itself, with the longest
 * notice and page label it can have, so a page never exceeds the limit whatever is shown on it.
 */
interface ListItem {
  key: string;
  title: string;
  detail: string;
  color: string;
  actionable: boolean;
}

export function reminderListCard(reminders: Reminder[], locale: Locale, options: ReminderListOptions = {}): ReminderListPage {
  const tr = (k: string, p?: Record<string, string>) => t(locale, k, p);
  const maxBytes = options.maxBytes ?? TEAMS_MESSAGE_MAX_BYTES;
  const perPage = Math.max(1, options.perPage ?? REMINDERS_PER_PAGE);
  const me = options.me ?? null;
  const unique = [...new Map(reminders.map((r) => [r.key, r])).values()];
  const labelOf = (r: Reminder): { label: string; rank: number } => {
    if (!r.recipientAadObjectId) return { label: tr('reminder.list.forConversation'), rank: 2 };
    if (me && r.recipientAadObjectId === me) return { label: tr('reminder.list.forYou'), rank: 0 };
    const name = options.names?.get(r.recipientAadObjectId);
    return name ? { label: tr('reminder.list.forName', { name: cut(name, 100) }), rank: 1 } : { label: tr('reminder.list.forUnknown'), rank: 1 };
  };
  // Texts are made once per reminder: packing renders candidate pages several times.
  const item = (r: Reminder): ListItem => ({
    key: r.key,
    title: cut(reminderTexts(r, locale).title),
    detail: tr('reminder.list.itemDetail', { due: formatWhen(r.dueAt, locale), status: tr(`reminder.status.${r.status}`) }),
    color: r.status === 'failed' || r.status === 'ambiguous' ? 'Attention' : 'Default',
    actionable: r.status === 'scheduled',
  });
  const firstDue = new Map<string, number>();
  const lines: Line[] = unique.map((r) => {
    const caseId = reminderCaseOf(r);
    const due = new Date(r.dueAt).getTime();
    firstDue.set(caseId, Math.min(due, firstDue.get(caseId) ?? Infinity));
    return { r, item: item(r), caseId, recipient: recipientOf(r), ...labelOf(r) };
  });
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  lines.sort(
    (a, b) =>
      cmp(firstDue.get(a.caseId)!, firstDue.get(b.caseId)!) ||
      cmp(a.caseId, b.caseId) ||
      cmp(a.rank, b.rank) ||
      a.label.localeCompare(b.label, locale, { numeric: true }) ||
      cmp(a.recipient, b.recipient) ||
      cmp(new Date(a.r.dueAt).getTime(), new Date(b.r.dueAt).getTime()) ||
      cmp(a.r.key, b.r.key),
  );

  const group = (slice: Line[]) => {
    const cases: Array<{ title: string; recipients: Array<{ label: string; items: ListItem[] }> }> = [];
    let lastCase = '';
    let lastRecipient = '';
    for (const l of slice) {
      if (!cases.length || l.caseId !== lastCase) {
        cases.push({ title: tr('reminder.list.case', { subject: cut(l.caseId, 100) }), recipients: [] });
        lastCase = l.caseId;
        lastRecipient = '';
      }
      const c = cases[cases.length - 1];
      if (!c.recipients.length || l.recipient !== lastRecipient) {
        c.recipients.push({ label: l.label, items: [] });
        lastRecipient = l.recipient;
      }
      c.recipients[c.recipients.length - 1].items.push(l.item);
    }
    return cases;
  };
  const render = (slice: Line[], nav: { page: number; notice: string; pageLabel: string; hasPrev: boolean; hasNext: boolean }) =>
    renderCard('reminderList', {
      title: tr('reminder.list.title'),
      notice: nav.notice,
      pageLabel: nav.pageLabel,
      empty: tr('reminder.list.empty'),
      cases: group(slice),
      page: nav.page,
      hasPrev: nav.hasPrev,
      hasNext: nav.hasNext,
      prevPage: Math.max(1, nav.page - 1),
      nextPage: nav.page + 1,
      prevLabel: tr('reminder.list.previous'),
      nextLabel: tr('reminder.list.next'),
      snooze1dLabel: tr('reminder.action.snooze1d'),
      snooze1wLabel: tr('reminder.action.snooze1w'),
      cancelLabel: tr('reminder.action.cancel'),
    });

  // Packing measures each candidate page with the widest navigation it can get: both buttons, the
  // longest notice, a page label with the most digits. The page shown has at most that much.
  const widest = String(lines.length + 1).replace(/./g, '9');
  const worst = {
    page: Number(widest),
    // 3 bytes in UTF-8 and no JSON escape: the most a notice character can weigh once controls are gone.
    notice: '\u20ac'.repeat(MAX_NOTICE),
    pageLabel: tr('reminder.list.page', { page: widest, from: widest, to: widest, total: widest }),
    hasPrev: true,
    hasNext: true,
  };
  const fits = (slice: Line[]) => cardBytes(render(slice, worst)) <= maxBytes;
  const pageSize = (start: number): number => {
    // Adding a reminder never makes a card smaller: the largest page that fits is found by bisection.
    let lo = 1;
    let hi = Math.min(perPage, lines.length - start);
    if (fits(lines.slice(start, start + hi))) return hi;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(lines.slice(start, start + mid))) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Pages are packed from the first up to the one asked for (a page past the end shows the last).
  // The total number of pages is not counted: that would render every page at each click.
  const wanted = Math.max(1, Math.floor(options.page ?? 1) || 1);
  let page = 1;
  let start = 0;
  let size = lines.length ? pageSize(0) : 0;
  while (page < wanted && start + size < lines.length) {
    start += size;
    size = pageSize(start);
    page += 1;
  }
  const slice = lines.slice(start, start + size);
  const paged = page > 1 || start + size < lines.length;
  const card = render(slice, {
    page,
    notice: cut((options.notice ?? '').replace(/[\u0000-\u001f]/g, ' '), MAX_NOTICE),
    pageLabel: paged ? tr('reminder.list.page', { page: String(page), from: String(start + 1), to: String(start + size), total: String(lines.length) }) : '',
    hasPrev: page > 1,
    hasNext: start + size < lines.length,
  });
  const last = start + size >= lines.length;
  return { card, page, last, keys: slice.map((l) => l.r.key) };
}
