// What the final choice of a poll gives: the concertation it fixes (for the case), the calendar
// invitation (.ics) everyone gets, and the case's date and place set from it.
import { buildInvitation } from '../domain/ics';
import { slotToUtc } from '../domain/pollSlots';
import { Locale, t, toSupportedLocale } from '../locales/i18n';
import type { PollDoc } from '../models/poll';
import type { CaseService } from './cases';
import type { DomainEvents } from './events';
import type { ConcertationFixed } from './polls';

/** The concertation the poll's final slot fixes (or fixed, once cancelled); null before a choice. */
export function concertationOf(poll: PollDoc): ConcertationFixed | null {
  const slot = poll.slots.find((s) => s.id === poll.finalSlotId);
  if (!slot) return null;
  const { startUtc, endUtc } = slotToUtc(slot);
  return {
    trackingId: poll.trackingId,
    pollId: poll.pollId,
    start: startUtc,
    end: endUtc,
    slot: { start: slot.start, durationMinutes: slot.durationMinutes },
    place: poll.place,
    sequence: poll.icsSequence,
    cancelled: poll.status === 'cancelled',
  };
}

/**
 * The invitation (.ics) of the decided poll: stable UID per poll, SEQUENCE from the poll,
 * METHOD:CANCEL once cancelled. null when the organiser has no e-mail (iTIP needs one).
 */
export function pollInvitation(poll: PollDoc, text: { summary: string; location: string; description: string }, now: Date): string | null {
  const fixed = concertationOf(poll);
  if (!fixed || !poll.organiser.email) return null;
  return buildInvitation({
    uid: `poll-${poll.pollId}@cmd-concertation`,
    sequence: Math.max(0, poll.icsSequence),
    method: poll.status === 'cancelled' ? 'CANCEL' : 'REQUEST',
    start: fixed.start,
    end: fixed.end,
    summary: text.summary,
    location: text.location,
    description: text.description,
    organizer: { name: poll.organiser.name, email: poll.organiser.email },
    attendees: poll.participants.map((p) => ({ name: p.name, email: p.email ?? undefined, required: p.required })),
    now,
  });
}

export interface CaseConcertationDeps {
  cases: Pick<CaseService, 'get' | 'setConcertation'>;
  defaultLocale: Locale;
  log: { warn(obj: Record<string, unknown>, msg: string): void };
}

/**
 * The 'poll.concertationFixed' listener: the poll's final choice gives the case its concertation
 * date and place (the agenda card and the meeting reminders follow the case's own events). A
 * cancelled choice leaves the case to the organiser.
 */
export function caseConcertationFromPoll(deps: CaseConcertationDeps) {
  return async ({ fixed, by }: DomainEvents['poll.concertationFixed']): Promise<void> => {
    if (fixed.cancelled) return;
    const details = fixed.place.details.trim();
    const link = /^https:\/\/\S+$/.test(details) ? details : null;
    // Without details the case shows the kind of place in words, in the case's language (never a code).
    const caseLocale = toSupportedLocale((await deps.cases.get(fixed.trackingId))?.locale) ?? deps.defaultLocale;
    const place = fixed.place.kind === 'online' && link ? 'Teams' : details || t(caseLocale, `poll.place.${fixed.place.kind}`);
    const result = await deps.cases.setConcertation(fixed.trackingId, { start: fixed.start, durationMinutes: fixed.slot.durationMinutes, place, onlineLink: link }, by);
    if (!result.ok) deps.log.warn({ trackingId: fixed.trackingId, code: result.code }, 'poll decision not applied to the case');
  };
}
