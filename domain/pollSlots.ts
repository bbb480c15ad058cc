/**
 * Availability poll slots (replaces the Doodle + phone round of the organiser, seed 002).
 *
 * Slots are entered as Brussels wall-clock times ("2026-03-30T10:00"), because that is what the
 * organiser and participants think in; they are converted to UTC instants only for comparison,
 * storage of reminders and invitations. Pure: no I/O, the clock is a parameter.
 */
import { DateTime } from 'luxon';
import { BRUSSELS } from './time';

export const MIN_SLOTS = 2;
export const MAX_SLOTS = 20;

export interface Slot {
  id: string;
  /** ISO local date-time in Europe/Brussels, minutes precision (seconds allowed), no offset. */
  start: string;
  durationMinutes: number;
  /** Withdrawn by the organiser after the poll was sent: ignored by validation and ranking. */
  removed?: boolean;
}

export interface PollParticipant {
  /** Teams AAD object id; absent for people outside the tenant (externals, carers, the person). */
  id?: string;
  name: string;
  required: boolean;
  external: boolean;
}

export interface PollDraft {
  slots: Slot[];
  /** Brussels local date-time (same format as Slot.start) after which answers close; null = none. */
  deadline: string | null;
  participants: PollParticipant[];
}

export type PollValidationCode =
  | 'tooFewSlots'
  | 'tooManySlots'
  | 'invalidDate'
  | 'slotInPast'
  | 'nonPositiveDuration'
  | 'duplicateSlot'
  | 'duplicateSlotId'
  | 'deadlineAfterFirstSlot'
  | 'deadlineInPast'
  | 'participantTwice';

export interface PollValidationError {
  code: PollValidationCode;
  /** Slot concerned, when the error is about one slot. */
  slotId?: string;
  params?: Record<string, string | number>;
}

export type LocalParseResult =
  | { ok: true; utc: Date; ambiguous: boolean }
  | { ok: false; reason: 'malformed' | 'dstGap' };

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Brussels (or other zone) wall-clock time → UTC instant.
 * - Nonexistent times (spring-forward gap, e.g. 2026-03-29T02:30) are refused ('dstGap') rather
 *   than silently shifted as luxon does, so the organiser fixes the slot.
 * - Ambiguous times (fall-back, e.g. 2026-10-25T02:30 occurs twice) resolve to the FIRST
 *   occurrence (summer time), as RFC 5545 §3.3.5 prescribes for TZID date-times; luxon alone
 *   would pick the second one, which would disagree with the invitation's reading.
 */
export function parseLocalDateTime(local: string, zone: string = BRUSSELS): LocalParseResult {
  const m = LOCAL_RE.exec(local);
  if (!m) return { ok: false, reason: 'malformed' };
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(naive);
  // Date.UTC rolls over out-of-range fields (Feb 30 → Mar 2): detect by round trip.
  if (
    back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d ||
    back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const offsetAt = (ms: number): number => DateTime.fromMillis(ms, { zone }).offset;
  if (!DateTime.fromMillis(naive, { zone }).isValid) return { ok: false, reason: 'malformed' };
  // Candidate offsets: those in force a day before/after cover any single transition.
  const offsets = new Set([offsetAt(naive - 86_400_000), offsetAt(naive), offsetAt(naive + 86_400_000)]);
  const instants = [...offsets]
    .map((o) => naive - o * 60_000)
    .filter((ms) => offsetAt(ms) * 60_000 === naive - ms)
    .sort((a, b) => a - b);
  if (instants.length === 0) return { ok: false, reason: 'dstGap' };
  return { ok: true, utc: new Date(instants[0]), ambiguous: instants.length > 1 };
}

/** UTC interval of a slot. Throws RangeError on an invalid start: validate the draft first. */
export function slotToUtc(slot: Slot, zone: string = BRUSSELS): { startUtc: Date; endUtc: Date } {
  const parsed = parseLocalDateTime(slot.start, zone);
  if (!parsed.ok) throw new RangeError(`invalidDate:${parsed.reason}:${slot.start}`);
  return {
    startUtc: parsed.utc,
    endUtc: new Date(parsed.utc.getTime() + slot.durationMinutes * 60_000),
  };
}

/** Names typed by hand ("Dr. Marie  Dupont", "marie dupont") must still match for externals. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function validatePollDraft(draft: PollDraft, now: Date): PollValidationError[] {
  const errors: PollValidationError[] = [];
  const active = draft.slots.filter((s) => !s.removed);

  if (active.length < MIN_SLOTS) errors.push({ code: 'tooFewSlots', params: { count: active.length, min: MIN_SLOTS } });
  if (active.length > MAX_SLOTS) errors.push({ code: 'tooManySlots', params: { count: active.length, max: MAX_SLOTS } });

  const seenIds = new Set<string>();
  const seenIntervals = new Map<string, string>(); // "start|end" ms → first slot id
  let firstStart: number | null = null;

  for (const slot of active) {
    if (seenIds.has(slot.id)) errors.push({ code: 'duplicateSlotId', slotId: slot.id });
    seenIds.add(slot.id);

    const parsed = parseLocalDateTime(slot.start);
    if (!parsed.ok) {
      errors.push({ code: 'invalidDate', slotId: slot.id, params: { value: slot.start, reason: parsed.reason } });
      continue;
    }
    const start = parsed.utc.getTime();
    if (!Number.isFinite(slot.durationMinutes) || slot.durationMinutes <= 0) {
      // A slot is start + duration, so "end before start" is exactly a non-positive duration.
      errors.push({ code: 'nonPositiveDuration', slotId: slot.id, params: { durationMinutes: slot.durationMinutes } });
    }
    const past = start <= now.getTime();
    if (past) errors.push({ code: 'slotInPast', slotId: slot.id, params: { start: slot.start } });

    // Duplicate = same real interval; compared in UTC so "10:00" and "10:00:00" collide too.
    const key = `${start}|${slot.durationMinutes}`;
    const first = seenIntervals.get(key);
    if (first !== undefined) errors.push({ code: 'duplicateSlot', slotId: slot.id, params: { duplicateOf: first } });
    else seenIntervals.set(key, slot.id);

    // Past slots are already reported; they must not also trigger deadlineAfterFirstSlot.
    if (!past && (firstStart === null || start < firstStart)) firstStart = start;
  }

  if (draft.deadline !== null) {
    const parsed = parseLocalDateTime(draft.deadline);
    if (!parsed.ok) {
      errors.push({ code: 'invalidDate', params: { field: 'deadline', value: draft.deadline, reason: parsed.reason } });
    } else {
      const deadline = parsed.utc.getTime();
      if (deadline <= now.getTime()) errors.push({ code: 'deadlineInPast', params: { deadline: draft.deadline } });
      // Answers must be in before the earliest option could take place.
      if (firstStart !== null && deadline > firstStart) {
        errors.push({ code: 'deadlineAfterFirstSlot', params: { deadline: draft.deadline } });
      }
    }
  }

  errors.push(...participantDuplicates(draft.participants));
  return errors;
}

function participantDuplicates(participants: PollParticipant[]): PollValidationError[] {
  const errors: PollValidationError[] = [];
  const byId = new Map<string, number>();
  const byExternalName = new Map<string, number>();
  participants.forEach((p, index) => {
    let firstIndex: number | undefined;
    if (p.id) {
      firstIndex = byId.get(p.id);
      if (firstIndex === undefined) byId.set(p.id, index);
    }
    // Externals often have no id: their name is the only identity we have.
    if (firstIndex === undefined && p.external) {
      const key = normaliseName(p.name);
      if (key !== '') {
        firstIndex = byExternalName.get(key);
        if (firstIndex === undefined) byExternalName.set(key, index);
      }
    }
    if (firstIndex !== undefined) {
      errors.push({ code: 'participantTwice', params: { index, firstIndex, name: p.name } });
    }
  });
  return errors;
}
