// Per-case meeting reminder offsets: what an organiser may type, and what is refused.
import { effectiveOffsets, parseOffsets, validateOffsets } from '../../domain/reminderOffsets';

describe('parseOffsets', () => {
  it.each([
    ['7, 1', [7, 1]],
    ['1,7', [7, 1]],
    ['3', [3]],
    ['J-7 J-1', [7, 1]],
    ['d-14; d-2', [14, 2]],
    ['0', [0]],
    ['60', [60]],
    ['7, 7, 1', [7, 1]],
    ['  5 ,4,3 ; 2 1 ', [5, 4, 3, 2, 1]],
  ])('"%s" → %j', (text, days) => {
    expect(parseOffsets(text)).toEqual({ ok: true, days });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [', ;', 'empty'],
    ['abc', 'notInteger'],
    ['1.5', 'notInteger'],
    ['7 days', 'notInteger'],
    ['-1', 'outOfRange'],
    ['61', 'outOfRange'],
    ['0, 61', 'outOfRange'],
    ['1, 2, 3, 4, 5, 6', 'tooMany'],
  ])('"%s" is refused (%s)', (text, code) => {
    expect(parseOffsets(text)).toEqual({ ok: false, code });
  });
});

describe('validateOffsets', () => {
  it.each([
    [[7, 1], { ok: true, days: [7, 1] }],
    [[], { ok: false, code: 'empty' }],
    [[1.5], { ok: false, code: 'notInteger' }],
    [['7'], { ok: false, code: 'notInteger' }],
    [[100], { ok: false, code: 'outOfRange' }],
    [[6, 5, 4, 3, 2, 1], { ok: false, code: 'tooMany' }],
  ])('%j → %j', (days, result) => {
    expect(validateOffsets(days)).toEqual(result);
  });
});

describe('effectiveOffsets', () => {
  it.each([
    [undefined, [7, 1]],
    [null, [7, 1]],
    [[], [7, 1]],
    [[3], [3]],
    [[1, 14], [14, 1]],
    [[99], [7, 1]],
  ])('%j → %j (default J-7, J-1 from config/reminders.json)', (stored, days) => {
    expect(effectiveOffsets(stored as number[] | null | undefined)).toEqual(days);
  });
});
