import { formatTrackingId, isTrackingId, parseTrackingId } from '../../domain/trackingId';

describe('formatTrackingId', () => {
  it.each([
    [2026, 42, 'CMD-2026-0042'],
    [2026, 1, 'CMD-2026-0001'],
    [2026, 9999, 'CMD-2026-9999'],
    [2026, 10000, 'CMD-2026-10000'],
    [2021, 123456, 'CMD-2021-123456'],
  ])('(%d, %d) → %s', (year, seq, expected) => {
    expect(formatTrackingId(year, seq)).toBe(expected);
  });

  it.each([
    [2026, 0],
    [2026, -1],
    [2026, 1.5],
    [2026, Number.NaN],
    [26, 1],
    [20260, 1],
    [2026.5, 1],
  ])('(%d, %d) throws', (year, seq) => {
    expect(() => formatTrackingId(year, seq)).toThrow(RangeError);
  });
});

describe('parseTrackingId', () => {
  it.each([
    ['CMD-2026-0042', { year: 2026, seq: 42 }],
    ['cmd-2026-0042', { year: 2026, seq: 42 }],
    ['  CMD-2026-0042 ', { year: 2026, seq: 42 }],
    ['CMD-2026-10000', { year: 2026, seq: 10000 }],
    ['CMD-2026-00042', null], // not the canonical padding
    ['CMD-2026-0000', null],
    ['CMD-2026-042', null],
    ['CMD-26-0042', null],
    ['CMD 2026 0042', null],
    ['CMD-2026-0042x', null],
    ['XCMD-2026-0042', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(parseTrackingId(input)).toEqual(expected);
    expect(isTrackingId(input)).toBe(expected !== null);
  });

  it.each([
    [2026, 1],
    [2026, 42],
    [1999, 9999],
    [2030, 12345],
  ])('round-trips (%d, %d)', (year, seq) => {
    expect(parseTrackingId(formatTrackingId(year, seq))).toEqual({ year, seq });
  });
});
