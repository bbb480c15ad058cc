// How a poll's dates and place read on its cards and messages: the viewer's language, Brussels
// time unless the viewer's Teams client says another zone.
import { DateTime } from 'luxon';
import { Slot, slotToUtc } from '../domain/pollSlots';
import { BRUSSELS } from '../domain/time';
import { intlLocale, Locale, t } from '../locales/i18n';
import type { PollDoc, PollSlotDoc } from '../models/poll';

const DAY = 'ccc d LLLL yyyy';

/** The viewer's zone when luxon knows it (Teams sends whatever the client reports), else Brussels. */
function safeZone(zone: string | undefined): string {
  if (!zone) return BRUSSELS;
  return DateTime.now().setZone(zone).isValid ? zone : BRUSSELS;
}

const at = (d: Date, locale: Locale, zone: string): DateTime => DateTime.fromJSDate(d, { zone }).setLocale(intlLocale(locale));

/**
 * A slot as people read it, e.g. fr "lun. 30 mars 2026, 10:00–11:45", nl "ma 30 maart 2026,
 * 10:00–11:45"; the end carries its date only when it falls on another day.
 */
export function formatSlot(slot: Slot, locale: Locale, timeZone: string = BRUSSELS): string {
  const { startUtc, endUtc } = slotToUtc(slot);
  const start = at(startUtc, locale, timeZone);
  const end = at(endUtc, locale, timeZone);
  const endText = end.hasSame(start, 'day') ? end.toFormat('HH:mm') : end.toFormat(`${DAY}, HH:mm`);
  return `${start.toFormat(`${DAY}, HH:mm`)}–${endText}`;
}

export function slotLabel(slot: PollSlotDoc, locale: Locale, timeZone?: string): string {
  return formatSlot({ id: slot.id, start: slot.start, durationMinutes: slot.durationMinutes, removed: slot.removed }, locale, safeZone(timeZone));
}

export function deadlineLabel(poll: PollDoc, locale: Locale, timeZone?: string): string {
  return at(new Date(poll.deadlineUtc), locale, safeZone(timeZone)).toFormat(`${DAY}, HH:mm`);
}

export function placeLine(poll: PollDoc, locale: Locale): string {
  const kind = t(locale, `poll.place.${poll.place.kind}`);
  return poll.place.details ? t(locale, 'poll.card.placeWithDetails', { kind, details: poll.place.details }) : t(locale, 'poll.card.place', { kind });
}
