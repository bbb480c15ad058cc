/**
 * Who and when for the follow-up reminders that come from the PSI and the polls. Pure:
 * no I/O, `now` passed in. The dates themselves are domain/reminderDates.ts.
 *
 * Decisions:
 * - A PSI action's "by/with whom?" is free text. It reaches a Teams user only when it names, exactly
 *   (case, accents and spacing ignored), a case participant known in Teams: their display name, the
 *   name of the PSI actor linked to them, or that actor's services/roles. Several people may be
 *   named, separated by "," ";" "/" "+" "&" or "et / en / and". Nothing fuzzy: a wrong guess would
 *   send someone else's action (professional secrecy), so an unmatched owner gets no reminder and
 *   the référent's copy is the safety net.
 * - A poll deadline reminder goes N hours before the deadline. When that moment is already past
 *   (short deadline, deadline extended late), it goes halfway between now and the deadline, and
 *   not at all when the deadline is less than MIN_POLL_NOTICE_MS away (nobody can act on it).
 */
import { DateTime } from 'luxon';
import { DEFAULT_REMINDER_RULES } from './reminderDates';

export const MIN_POLL_NOTICE_MS = 2 * 3_600_000;

/** Lower case, no accents, single spaces, no surrounding punctuation. */
export function normaliseName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.'’"()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The names one "by/with whom?" cell gives. */
export function ownerNames(byWhom: string): string[] {
  return byWhom
    .split(/[,;/+&\n]|\s(?:et|en|and)\s/i)
    .map(normaliseName)
    .filter(Boolean);
}

export interface OwnerCandidate {
  /** The Teams user (aadObjectId). */
  id: string;
  /** Display name, linked actor's name and roles. */
  names: string[];
}

/** The Teams users an action's "by/with whom?" names (see the decision above), deduplicated, in candidate order. */
export function matchActionOwners(byWhom: string, candidates: readonly OwnerCandidate[]): string[] {
  const wanted = new Set(ownerNames(byWhom));
  if (!wanted.size) return [];
  return Array.from(new Set(candidates.filter((c) => c.names.some((n) => wanted.has(normaliseName(n)))).map((c) => c.id)));
}

/** When the poll deadline reminder goes (see the decision above); null: none. */
export function pollReminderDueAt(deadline: Date, now: Date, hoursBefore = DEFAULT_REMINDER_RULES.pollDeadlineHoursBefore): Date | null {
  const end = deadline.getTime();
  const left = end - now.getTime();
  if (!Number.isFinite(end) || left < MIN_POLL_NOTICE_MS) return null;
  const standard = DateTime.fromMillis(end).minus({ hours: hoursBefore }).toMillis();
  if (standard > now.getTime()) return new Date(standard);
  return new Date(now.getTime() + Math.floor(left / 2 / 60_000) * 60_000);
}
