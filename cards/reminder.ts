// The reminder card (in the recipient's language) and the "my reminders" list card.
import { DateTime } from 'luxon';
import { REMINDER_ZONE } from '../domain/reminderDates';
import { Locale, t } from '../locales/i18n';
import type { Reminder } from '../models/reminder';
import { payloadOf } from '../services/reminders';
import { renderCard } from './render';

const LUXON_LOCALE: Record<Locale, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB' };
const DATE_ONLY_KINDS = new Set(['followUp', 'standByReview', 'psiAction']);

export function formatWhen(d: Date | string, locale: Locale, dateOnly = false): string {
  const dt = (typeof d === 'string' ? DateTime.fromISO(d) : DateTime.fromJSDate(d)).setZone(REMINDER_ZONE).setLocale(LUXON_LOCALE[locale]);
  if (!dt.isValid) return String(d);
  return dt.toLocaleString(dateOnly ? DateTime.DATE_FULL : DateTime.DATETIME_MED);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Texts of a reminder: title and body from its kind and payload ({trackingId, date, title, place}). */
export function reminderTexts(r: Pick<Reminder, 'kind' | 'subject' | 'dueAt' | 'payload'>, locale: Locale) {
  const p = payloadOf(r);
  const subject = str(p.trackingId) || r.subject;
  const date = formatWhen(str(p.date) || r.dueAt, locale, DATE_ONLY_KINDS.has(r.kind));
  const params = { subject, date, title: str(p.title), place: str(p.place) };
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
  });
}

export function reminderListCard(mine: Reminder[], organised: Reminder[] | null, locale: Locale, notice = '') {
  const tr = (k: string, p?: Record<string, string>) => t(locale, k, p);
  const item = (r: Reminder) => {
    const texts = reminderTexts(r, locale);
    return {
      key: r.key,
      title: tr('reminder.list.item', { title: texts.title, subject: texts.subject }),
      detail: tr('reminder.list.itemDetail', { due: formatWhen(r.dueAt, locale), status: tr(`reminder.status.${r.status}`) }),
      color: r.status === 'failed' ? 'Attention' : 'Default',
      actionable: r.status === 'scheduled',
      snooze1dLabel: tr('reminder.action.snooze1d'),
      snooze1wLabel: tr('reminder.action.snooze1w'),
      cancelLabel: tr('reminder.action.cancel'),
    };
  };
  const sections = [{ title: tr('reminder.list.mine'), empty: tr('reminder.list.empty'), items: mine.map(item) }];
  if (organised) sections.push({ title: tr('reminder.list.organiser'), empty: tr('reminder.list.empty'), items: organised.map(item) });
  return renderCard('reminderList', { title: tr('reminder.list.title'), notice, sections });
}
