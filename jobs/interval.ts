// Intervals as configured ("500 ms", "30 seconds", "1 day") → milliseconds. agenda gets numbers:
// its own parser (human-interval) reads "500 ms" as NaN (agenda then silently processes every 5 s,
// and an `every("500 ms")` job never gets a next run) and "200 milliseconds" as 200 000.
const UNIT_MS: Record<string, number> = { ms: 1, millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export const INTERVAL_PATTERN = /^(\d+)\s*(ms|milliseconds?|seconds?|minutes?|hours?|days?)$/;

export function intervalMs(text: string | number): number {
  if (typeof text === 'number') return text;
  const m = INTERVAL_PATTERN.exec(text.trim());
  if (!m) throw new RangeError(`invalid interval "${text}"`);
  const unit = m[2] === 'ms' ? 'ms' : m[2].replace(/s$/, '');
  return Number(m[1]) * UNIT_MS[unit];
}
