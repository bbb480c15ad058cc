/**
 * When reminders are due: pure date rules, Europe/Brussels wall-clock time (DST-correct through
 * luxon: "J-1 at 09:00" stays 09:00 local on both sides of a DST change). `now` is passed in.
 * Defaults live in config/reminders.json; callers may override them per case.
 */
import type { DateTime } from 'luxon';
import rules from '../config/reminders.json';
import { inBrussels } from './time';

export const REMINDER_KINDS = ['meeting', 'pollDeadline', 'pollClose', 'psiAction', 'followUp', 'standByReview'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export const isReminderKind = (v: unknown): v is ReminderKind => typeof v === 'string' && (REMINDER_KINDS as readonly string[]).includes(v);

export interface ReminderRules {
  /** Local hour (0-23) at which day-based reminders are sent; null keeps the subject's own time of day. */
  hour: number | null;
  meetingOffsetsDays: number[];
  followUpDaysBefore: number;
  standByReviewMonths: number;
  psiActionOffsetsDays: number[];
  pollDeadlineHoursBefore: number;
}

export const DEFAULT_REMINDER_RULES: ReminderRules = {
  hour: rules.hour,
  meetingOffsetsDays: rules.meetingOffsetsDays,
  followUpDaysBefore: rules.followUpDaysBefore,
  standByReviewMonths: rules.standByReviewMonths,
  psiActionOffsetsDays: rules.psiActionOffsetsDays,
  pollDeadlineHoursBefore: rules.pollDeadlineHoursBefore,
};

export const FOLLOW_UP_PERIODICITIES: readonly number[] = rules.followUpPeriodicityMonths;

type DateInput = Date | string;

function local(d: DateInput): DateTime {
  const dt = inBrussels(d);
  if (!dt.isValid) throw new RangeError(`invalid date: ${String(d)}`);
  return dt;
}

function checkHour(hour: number | null): void {
  if (hour !== null && (!Number.isInteger(hour) || hour < 0 || hour > 23)) throw new RangeError(`invalid hour ${hour}`);
}

/** `daysBefore` calendar days before the subject's local date, at `hour` local (or the subject's own time). */
export function localDaysBefore(subject: DateInput, daysBefore: number, hour: number | null): Date {
  checkHour(hour);
  if (!Number.isInteger(daysBefore) || daysBefore < 0) throw new RangeError(`invalid offset ${daysBefore}`);
  let dt = local(subject).minus({ days: daysBefore });
  if (hour !== null) dt = dt.set({ hour, minute: 0, second: 0, millisecond: 0 });
  return dt.toJSDate();
}

const uniqueSorted = (dates: Date[]): Date[] =>
  Array.from(new Map(dates.map((d) => [d.getTime(), d])).values()).sort((a, b) => a.getTime() - b.getTime());

/**
 * Meeting reminders (J-7, J-1 by default). Times already past or not before the meeting are
 * dropped: a meeting fixed three days ahead gets no J-7 reminder.
 */
export function meetingReminderTimes(meetingStart: DateInput, now: Date, offsetsDays = DEFAULT_REMINDER_RULES.meetingOffsetsDays, hour = DEFAULT_REMINDER_RULES.hour): Date[] {
  const start = local(meetingStart).toJSDate();
  return uniqueSorted(offsetsDays.map((n) => localDaysBefore(start, n, hour)).filter((d) => d < start && d > now));
}

export interface FollowUpInput {
  /** Date of the next concertation fixed at the last one (wins when given). */
  nextConcertation?: DateInput | null;
  /** Otherwise: the last concertation and a periodicity in months (3, 6, 12). */
  lastConcertation?: DateInput | null;
  periodicityMonths?: number | null;
}

/** Target date of the next concertation, or null when neither a date nor a periodicity is known. */
export function nextConcertationDate(input: FollowUpInput): Date | null {
  if (input.nextConcertation) return local(input.nextConcertation).toJSDate();
  if (input.lastConcertation && input.periodicityMonths) {
    if (!FOLLOW_UP_PERIODICITIES.includes(input.periodicityMonths)) throw new RangeError(`periodicity must be one of ${FOLLOW_UP_PERIODICITIES.join(', ')} months`);
    // luxon clamps to the end of the month (31 Aug + 6 months = 28/29 Feb).
    return local(input.lastConcertation).plus({ months: input.periodicityMonths }).toJSDate();
  }
  return null;
}

/**
 * The référent's follow-up reminder: N days before the next concertation. When that moment is
 * already past (date fixed late, or overdue), the reminder is due now: a follow-up is never skipped.
 */
export function followUpReminderTime(input: FollowUpInput, now: Date, daysBefore = DEFAULT_REMINDER_RULES.followUpDaysBefore, hour = DEFAULT_REMINDER_RULES.hour): Date | null {
  const target = nextConcertationDate(input);
  if (!target) return null;
  const due = localDaysBefore(target, daysBefore, hour);
  return due < now ? now : due;
}

/** Stand-by re-evaluation reminder to the organiser: `months` after the case went on stand-by. */
export function standByReviewTime(standBySince: DateInput, months = DEFAULT_REMINDER_RULES.standByReviewMonths, hour = DEFAULT_REMINDER_RULES.hour): Date {
  checkHour(hour);
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`invalid months ${months}`);
  let dt = local(standBySince).plus({ months });
  if (hour !== null) dt = dt.set({ hour, minute: 0, second: 0, millisecond: 0 });
  return dt.toJSDate();
}

/** PSI action due-date reminders (J-1 by default); past ones dropped, but an action due today or later keeps one. */
export function psiActionReminderTimes(dueDate: DateInput, now: Date, offsetsDays = DEFAULT_REMINDER_RULES.psiActionOffsetsDays, hour = DEFAULT_REMINDER_RULES.hour): Date[] {
  const times = uniqueSorted(offsetsDays.map((n) => localDaysBefore(dueDate, n, hour)).filter((d) => d > now));
  if (times.length) return times;
  const endOfDueDay = local(dueDate).endOf('day').toJSDate();
  return endOfDueDay > now ? [now] : [];
}

/** Poll deadline reminder to non-respondents: N hours before the deadline (null when already past). */
export function pollDeadlineReminderTime(deadline: DateInput, now: Date, hoursBefore = DEFAULT_REMINDER_RULES.pollDeadlineHoursBefore): Date | null {
  const end = local(deadline);
  const due = end.minus({ hours: hoursBefore }).toJSDate();
  if (end.toJSDate() <= now) return null;
  return due < now ? now : due;
}

export type SnoozeChoice = '1d' | '1w';

/** Snooze keeps the local wall-clock time (1 day later at the same hour in Brussels, across DST). */
export function snoozeUntil(now: Date, choice: SnoozeChoice): Date {
  return local(now).plus(choice === '1d' ? { days: 1 } : { weeks: 1 }).toJSDate();
}

/** A reminder sent more than `graceMs` after it was due says it is late (bot was down, backlog). */
export function isLate(dueAt: Date, now: Date, graceMs: number): boolean {
  return now.getTime() - dueAt.getTime() > graceMs;
}

/** The idempotency key: the same plan produces the same key, so planning twice is a no-op. */
export function reminderKey(kind: ReminderKind, subject: string, dueAt: Date, recipientId: string): string {
  return `${kind}:${subject}:${dueAt.toISOString()}:${recipientId}`;
}
