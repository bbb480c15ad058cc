/**
 * Meeting reminder offsets chosen per case by the organiser ("J-7, J-1" by default,
 * config/reminders.json): how many days before the concertation each reminder goes out.
 * Pure: parsing and validation only.
 *
 * Rules: whole numbers of days from 0 (the day itself) to 60, at most 5 reminders, at least one.
 * Duplicates are merged; the result is sorted from the earliest reminder (largest offset) on.
 */
import { DEFAULT_REMINDER_RULES } from './reminderDates';

export const MAX_OFFSET_DAYS = 60;
export const MAX_OFFSETS = 5;

export type OffsetsError = 'empty' | 'notInteger' | 'outOfRange' | 'tooMany';
export type OffsetsResult = { ok: true; days: number[] } | { ok: false; code: OffsetsError };

const normalise = (days: number[]): number[] => Array.from(new Set(days)).sort((a, b) => b - a);

/** Checks a list of offsets (from storage or an API). */
export function validateOffsets(days: readonly unknown[]): OffsetsResult {
  if (!Array.isArray(days) || days.length === 0) return { ok: false, code: 'empty' };
  if (!days.every((d) => typeof d === 'number' && Number.isInteger(d))) return { ok: false, code: 'notInteger' };
  const nums = days as number[];
  if (nums.some((d) => d < 0 || d > MAX_OFFSET_DAYS)) return { ok: false, code: 'outOfRange' };
  const unique = normalise(nums);
  if (unique.length > MAX_OFFSETS) return { ok: false, code: 'tooMany' };
  return { ok: true, days: unique };
}

/**
 * Reads what an organiser typed: "7, 1", "J-7 J-1", "3", "14;7;1". Separators: comma, semicolon,
 * spaces; an optional "J-" / "D-" prefix (French "jour", Dutch "dag", English "day") is accepted.
 */
export function parseOffsets(text: string): OffsetsResult {
  const parts = (typeof text === 'string' ? text : '')
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return { ok: false, code: 'empty' };
  const days: number[] = [];
  for (const raw of parts) {
    const m = /^(?:[jJdD]\s*-\s*)?(-?\d+)$/.exec(raw);
    if (!m) return { ok: false, code: 'notInteger' };
    days.push(Number(m[1]));
  }
  return validateOffsets(days);
}

/** The offsets in force for a case: its own when valid, else the configured default. */
export function effectiveOffsets(caseOffsets: readonly number[] | null | undefined): number[] {
  if (caseOffsets && caseOffsets.length) {
    const checked = validateOffsets(caseOffsets);
    if (checked.ok) return checked.days;
  }
  return normalise(DEFAULT_REMINDER_RULES.meetingOffsetsDays);
}

/** "J-7, J-1" style text for a card (the prefix is translated by the caller). */
export function formatOffsets(days: readonly number[], prefix: string): string {
  return days.map((d) => `${prefix}${d}`).join(', ');
}
