/**
 * The anonymised tracking id given by Brusano to a request: CMD-<year>-<seq>, seq zero-padded to
 * at least 4 digits (CMD-2026-0042). It is the only patient reference on billing sheets, so it
 * must never carry anything about the person. Allocation (unique seq per year) lives elsewhere.
 */

export interface TrackingId {
  year: number;
  seq: number;
}

const PREFIX = 'CMD';
const PATTERN = /^CMD-(\d{4})-(\d{4,})$/;

/** Throws RangeError on a year outside 1000-9999 or a seq that is not a positive safe integer. */
export function formatTrackingId(year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`tracking id year must be a 4-digit integer, got ${year}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new RangeError(`tracking id seq must be a positive integer, got ${seq}`);
  }
  return `${PREFIX}-${year}-${String(seq).padStart(4, '0')}`;
}

/**
 * Lenient on case and surrounding spaces (people type ids by hand), strict on everything else:
 * only the canonical padding is accepted (CMD-2026-00042 is refused), so one request has one id string.
 */
export function parseTrackingId(input: string): TrackingId | null {
  const s = input.trim().toUpperCase();
  const m = PATTERN.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const seq = Number(m[2]);
  if (year < 1000 || !Number.isSafeInteger(seq) || seq < 1) return null;
  return formatTrackingId(year, seq) === s ? { year, seq } : null;
}

export function isTrackingId(input: string): boolean {
  return parseTrackingId(input) !== null;
}
