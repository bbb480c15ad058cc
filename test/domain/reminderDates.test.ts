import {
  followUpReminderTime,
  isLate,
  localDaysBefore,
  meetingReminderTimes,
  nextConcertationDate,
  pollDeadlineReminderTime,
  psiActionReminderTimes,
  reminderKey,
  snoozeUntil,
  standByReviewTime,
} from '../../domain/reminderDates';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const NOW = new Date('2026-01-10T12:00:00Z');

describe('localDaysBefore (Europe/Brussels wall clock)', () => {
  it.each([
    // subject, days, hour, expected UTC
    ['2026-03-30T10:00:00+02:00', 1, 9, '2026-03-29T07:00:00.000Z'], // J-1 on the DST switch day (CEST)
    ['2026-03-30T10:00:00+02:00', 7, 9, '2026-03-23T08:00:00.000Z'], // J-7 still in winter time (CET)
    ['2026-10-26T10:00:00+01:00', 1, 9, '2026-10-25T08:00:00.000Z'], // J-1 on the autumn switch day (CET)
    ['2026-10-26T10:00:00+01:00', 7, 9, '2026-10-19T07:00:00.000Z'], // J-7 still in summer time
    ['2026-03-30T10:00:00+02:00', 7, null, '2026-03-23T09:00:00.000Z'], // same local time (10:00 CET)
    ['2026-06-15T00:30:00+02:00', 1, 9, '2026-06-14T07:00:00.000Z'], // just after local midnight: the local date counts
  ])('%s minus %i days at %s h → %s', (subject, days, hour, expected) => {
    expect(localDaysBefore(subject, days, hour)).toEqual(new Date(expected));
  });

  it.each([[-1], [1.5]])('rejects offset %p', (days) => {
    expect(() => localDaysBefore('2026-03-30T10:00:00+02:00', days, 9)).toThrow(RangeError);
  });
  it.each([[24], [-1], [8.5]])('rejects hour %p', (hour) => {
    expect(() => localDaysBefore('2026-03-30T10:00:00+02:00', 1, hour)).toThrow(RangeError);
  });
});

describe('meetingReminderTimes', () => {
  it.each([
    ['J-7 and J-1 by default', '2026-03-30T10:00:00+02:00', undefined, undefined, ['2026-03-23T08:00:00.000Z', '2026-03-29T07:00:00.000Z']],
    ['configured per case: J-3 only', '2026-03-30T10:00:00+02:00', [3], undefined, ['2026-03-27T08:00:00.000Z']],
    ['past ones dropped (meeting in 3 days)', '2026-01-13T14:00:00+01:00', undefined, undefined, ['2026-01-12T08:00:00.000Z']],
    ['same day at 09:00 is after an 08:00 meeting: dropped', '2026-02-02T08:00:00+01:00', [0, 1], 9, ['2026-02-01T08:00:00.000Z']],
    ['duplicates merged', '2026-02-20T10:00:00+01:00', [1, 1], 9, ['2026-02-19T08:00:00.000Z']],
    ['meeting already past', '2026-01-01T10:00:00+01:00', undefined, undefined, []],
  ])('%s', (_name, start, offsets, hour, expected) => {
    expect(meetingReminderTimes(start, NOW, offsets, hour).map(iso)).toEqual(expected);
  });
});

describe('follow-up', () => {
  it.each([
    ['explicit next date wins', { nextConcertation: '2026-09-15T10:00:00+02:00', lastConcertation: '2026-03-01', periodicityMonths: 3 }, '2026-09-15T08:00:00.000Z'],
    ['3 months', { lastConcertation: '2026-02-10T10:00:00+01:00', periodicityMonths: 3 }, '2026-05-10T08:00:00.000Z'],
    ['6 months clamps 31 August to 28 February', { lastConcertation: '2025-08-31T10:00:00+02:00', periodicityMonths: 6 }, '2026-02-28T09:00:00.000Z'],
    ['12 months', { lastConcertation: '2026-01-05T10:00:00+01:00', periodicityMonths: 12 }, '2027-01-05T09:00:00.000Z'],
    ['nothing known', { lastConcertation: '2026-01-05' }, null],
  ])('next concertation: %s', (_name, input, expected) => {
    expect(iso(nextConcertationDate(input))).toEqual(expected);
  });

  it('rejects a periodicity that is not 3, 6 or 12 months', () => {
    expect(() => nextConcertationDate({ lastConcertation: '2026-01-05', periodicityMonths: 5 })).toThrow(RangeError);
  });

  it.each([
    ['14 days before at 09:00 by default', { nextConcertation: '2026-09-15T10:00:00+02:00' }, undefined, '2026-09-01T07:00:00.000Z'],
    ['30 days before (configured)', { nextConcertation: '2026-09-15T10:00:00+02:00' }, 30, '2026-08-16T07:00:00.000Z'],
    ['already past: due now, never skipped', { nextConcertation: '2026-01-15T10:00:00+01:00' }, 14, NOW.toISOString()],
    ['overdue concertation: due now', { lastConcertation: '2025-06-01T10:00:00+02:00', periodicityMonths: 6 }, 14, NOW.toISOString()],
    ['nothing known: no reminder', {}, 14, null],
  ])('reminder: %s', (_name, input, daysBefore, expected) => {
    expect(iso(followUpReminderTime(input, NOW, daysBefore))).toEqual(expected);
  });
});

describe('stand-by, PSI actions, polls, snooze', () => {
  it.each([
    ['2026-01-10T15:00:00+01:00', undefined, '2026-07-10T07:00:00.000Z'], // 6 months later, summer time
    ['2026-01-10T15:00:00+01:00', 3, '2026-04-10T07:00:00.000Z'],
  ])('stand-by since %s (+%p months)', (since, months, expected) => {
    expect(iso(standByReviewTime(since, months))).toEqual(expected);
  });

  it.each([
    ['J-1 at 09:00', '2026-02-20', undefined, ['2026-02-19T08:00:00.000Z']],
    ['due today, J-1 past: one reminder now', '2026-01-10', undefined, [NOW.toISOString()]],
    ['due yesterday: none', '2026-01-09', undefined, []],
    ['J-7 and J-1', '2026-02-20', [7, 1], ['2026-02-13T08:00:00.000Z', '2026-02-19T08:00:00.000Z']],
  ])('PSI action: %s', (_name, due, offsets, expected) => {
    expect(psiActionReminderTimes(due, NOW, offsets).map(iso)).toEqual(expected);
  });

  it.each([
    ['24 h before', '2026-01-20T12:00:00+01:00', 24, '2026-01-19T11:00:00.000Z'],
    ['closer than 24 h: now', '2026-01-11T08:00:00+01:00', 24, NOW.toISOString()],
    ['deadline past: none', '2026-01-09T08:00:00+01:00', 24, null],
  ])('poll deadline: %s', (_name, deadline, hours, expected) => {
    expect(iso(pollDeadlineReminderTime(deadline, NOW, hours))).toEqual(expected);
  });

  it.each([
    ['1d', '2026-03-28T09:00:00.000Z', '2026-03-29T08:00:00.000Z'], // 10:00 CET → 10:00 CEST
    ['1w', '2026-03-25T09:00:00.000Z', '2026-04-01T08:00:00.000Z'],
    ['1d', '2026-06-01T09:00:00.000Z', '2026-06-02T09:00:00.000Z'],
  ] as const)('snooze %s from %s', (choice, from, expected) => {
    expect(iso(snoozeUntil(new Date(from), choice))).toEqual(expected);
  });

  it.each([
    [0, false],
    [15 * 60_000, false],
    [15 * 60_000 + 1, true],
    [3 * 86_400_000, true],
  ])('late after %i ms with a 15 min grace: %p', (ago, late) => {
    expect(isLate(new Date(NOW.getTime() - ago), NOW, 15 * 60_000)).toBe(late);
  });

  it('keys are stable for the same plan and differ per recipient and time', () => {
    const due = new Date('2026-03-29T07:00:00Z');
    expect(reminderKey('meeting', 'CMD-2026-0001', due, 'u1')).toBe('meeting:CMD-2026-0001:2026-03-29T07:00:00.000Z:u1');
    expect(reminderKey('meeting', 'CMD-2026-0001', due, 'u1')).not.toBe(reminderKey('meeting', 'CMD-2026-0001', due, 'u2'));
  });
});
