// The activity report's figures against a month worked out by hand (March 2026, Brussels days).
// The comments give the arithmetic, so a changed figure shows which rule moved.
import { activityReport, ColumnFigures, daysBetween, median, participantsOf, periodBounds, REPORT_COLUMNS, ReportConcertation, ReportInput, ReportRequest } from '../../domain/activityReport';

const at = (iso: string) => new Date(iso);
const request = (trackingId: string, submitted: string, sector: ReportRequest['sector'], interpreterNeeded: boolean, decision: ReportRequest['decision'] = null): ReportRequest => ({
  trackingId,
  submittedAt: at(submitted),
  sector,
  interpreterNeeded,
  decision,
});
const concertation = (trackingId: string, date: string, prep: number, dur: number, person: boolean, referent: boolean, pros: number, relatives: number): ReportConcertation => ({
  trackingId,
  date,
  preparationHours: prep,
  durationHours: dur,
  personPresent: person,
  referentPresent: referent,
  professionalsPresent: pros,
  relativesPresent: relatives,
});

const MARCH: ReportInput = {
  from: '2026-03-01',
  to: '2026-03-31',
  organisers: [{ sector: 'precarity' }, { sector: 'elderly' }, { sector: 'mentalHealth' }, { sector: null }, { sector: 'precarity' }],
  requests: [
    request('CMD-2026-0001', '2026-03-02T09:00:00Z', 'precarity', true, { status: 'yes', refusalReason: null, decidedAt: at('2026-03-05T10:00:00Z') }),
    request('CMD-2026-0002', '2026-03-03T09:00:00Z', 'precarity', false, { status: 'no', refusalReason: 'outsideBrussels', decidedAt: at('2026-03-04T09:00:00Z') }),
    // The person herself asked: no sector.
    request('CMD-2026-0003', '2026-03-10T09:00:00Z', null, false, { status: 'conditional', refusalReason: null, decidedAt: at('2026-03-10T15:00:00Z') }),
    // 22:30 UTC on 31 March is 00:30 on 1 April in Brussels (summer time): not in March.
    request('CMD-2026-0004', '2026-03-31T22:30:00Z', 'addiction', false),
    // 23:30 UTC on 28 February is 00:30 on 1 March in Brussels (winter time): in March, not decided.
    request('CMD-2026-0005', '2026-02-28T23:30:00Z', 'elderly', false),
    // A refusal stored without a reason counts as 'other'.
    request('CMD-2026-0006', '2026-03-20T09:00:00Z', 'hospital', false, { status: 'no', refusalReason: null, decidedAt: at('2026-03-26T09:00:00Z') }),
    // Last year's request, whose concertation of March counts in its sector (and needs an interpreter).
    request('CMD-2025-0099', '2025-12-01T09:00:00Z', 'mentalHealth', true, { status: 'yes', refusalReason: null, decidedAt: at('2025-12-05T09:00:00Z') }),
  ],
  concertations: [
    concertation('CMD-2026-0001', '2026-03-12', 2, 1.5, true, true, 2, 1), // 6 participants
    concertation('CMD-2026-0001', '2026-03-26', 1, 1, false, true, 1, 0), // 3
    concertation('CMD-2025-0099', '2026-03-15', 4.5, 1.75, true, false, 3, 0), // 5
    concertation('CMD-2026-0003', '2026-04-02', 3, 1, true, true, 0, 0), // April: out, but the case's first
    concertation('CMD-2025-0099', '2025-12-20', 1, 1, true, true, 0, 0), // December: out
    concertation('CMD-2026-0900', '2026-03-05', 0, 2, true, true, 0, 2), // 5; no request known: no sector
  ],
  polls: [
    { createdAt: at('2026-03-02T08:00:00Z'), decidedAt: at('2026-03-06T08:00:00Z') }, // 4 days
    { createdAt: at('2026-03-10T08:00:00Z'), decidedAt: null }, // not decided: out of the median
    { createdAt: at('2026-03-15T08:00:00Z'), decidedAt: at('2026-03-16T07:00:00Z') }, // 1
    { createdAt: at('2026-02-20T08:00:00Z'), decidedAt: at('2026-03-02T08:00:00Z') }, // created in February: out
    { createdAt: at('2026-03-20T10:00:00Z'), decidedAt: at('2026-03-20T15:00:00Z') }, // 0
  ],
  reminders: [
    { dueAt: at('2026-03-05T08:00:00Z'), outcomeAt: at('2026-03-05T08:10:00Z'), outcome: 'sent' }, // on time
    { dueAt: at('2026-03-06T08:00:00Z'), outcomeAt: at('2026-03-06T08:15:00Z'), outcome: 'sent' }, // 15 min: on time
    { dueAt: at('2026-03-07T08:00:00Z'), outcomeAt: at('2026-03-07T08:16:00Z'), outcome: 'sent' }, // 16 min: late
    { dueAt: at('2026-03-08T08:00:00Z'), outcomeAt: at('2026-03-08T08:00:30Z'), outcome: 'failed' },
    { dueAt: at('2026-03-09T08:00:00Z'), outcomeAt: null, outcome: null }, // waiting or unnecessary
    { dueAt: at('2026-04-01T08:00:00Z'), outcomeAt: at('2026-04-01T08:00:10Z'), outcome: 'sent' }, // April: out
  ],
};

const zero = { noNeed: 0, outsideBrussels: 0, consentDoubt: 0, other: 0 };
const none: ColumnFigures = {
  organisers: 0, requests: 0, accepted: 0, refused: 0, refusedBy: zero, pending: 0, concertations: 0,
  averagePreparationMinutes: null, averageDurationMinutes: null, interpreterConcertations: 0, averageParticipants: null,
};

describe('the activity report of March 2026', () => {
  const report = activityReport(MARCH);

  it.each<[string, ColumnFigures]>([
    // Requests 1, 2, 3, 5, 6 (4 is April's); accepted 1 and 3, refused 2 and 6, 5 pending.
    // Concertations of 12, 15, 26 March and the unknown case's of 5 March:
    //   preparation (120 + 60 + 270 + 0) / 4 = 112.5 → 113 min; duration (90 + 60 + 105 + 120) / 4 = 93.75 → 94 min;
    //   participants (6 + 3 + 5 + 5) / 4 = 4.75 → 4.8; interpreter: the two of case 1 and the one of 2025-0099.
    ['total', { organisers: 5, requests: 5, accepted: 2, refused: 2, refusedBy: { ...zero, outsideBrussels: 1, other: 1 }, pending: 1, concertations: 4, averagePreparationMinutes: 113, averageDurationMinutes: 94, interpreterConcertations: 3, averageParticipants: 4.8 }],
    // Requests 1 and 2; concertations of 12 and 26 March: (120 + 60) / 2, (90 + 60) / 2, (6 + 3) / 2.
    ['precarity', { ...none, organisers: 2, requests: 2, accepted: 1, refused: 1, refusedBy: { ...zero, outsideBrussels: 1 }, concertations: 2, averagePreparationMinutes: 90, averageDurationMinutes: 75, interpreterConcertations: 2, averageParticipants: 4.5 }],
    ['elderly', { ...none, organisers: 1, requests: 1, pending: 1 }],
    ['mentalHealth', { ...none, organisers: 1, concertations: 1, averagePreparationMinutes: 270, averageDurationMinutes: 105, interpreterConcertations: 1, averageParticipants: 5 }],
    ['addiction', none],
    ['chronicIllness', none],
    ['medicalHouse', none],
    ['hospital', { ...none, requests: 1, refused: 1, refusedBy: { ...zero, other: 1 } }],
    ['other', none],
    // Request 3 (the person herself), the organiser without a sector, the unknown case's concertation.
    ['none', { ...none, organisers: 1, requests: 1, accepted: 1, concertations: 1, averagePreparationMinutes: 0, averageDurationMinutes: 120, averageParticipants: 5 }],
  ])('column %s', (column, expected) => {
    expect(report.columns[column as (typeof REPORT_COLUMNS)[number]]).toEqual(expected);
  });

  it('has every column', () => {
    expect(Object.keys(report.columns).sort()).toEqual([...REPORT_COLUMNS].sort());
  });

  it.each([
    // Days to decision: 3 (2→5 March), 1, 0, 6 → sorted 0 1 3 6 → (1 + 3) / 2.
    ['medianDaysToDecision', 2],
    // Decision → first concertation: case 1 5→12 March = 7; case 3 10 March → 2 April = 23 → (7 + 23) / 2.
    ['medianDaysDecisionToFirstConcertation', 15],
    // Polls created in March and decided: 4, 1, 0 days.
    ['medianPollDaysToDecision', 1],
  ] as const)('%s', (figure, expected) => {
    expect(report[figure]).toBe(expected);
  });

  it('counts the reminders due in March: sent, late (more than 15 minutes), failed', () => {
    expect(report.reminders).toEqual({ sent: 3, late: 1, failed: 1 });
  });

  it('lists the rows behind the figures, by tracking id only', () => {
    expect(report.requestRows.map((r) => [r.trackingId, r.submitted, r.decision, r.refusalReason, r.decided, r.daysToDecision, r.firstConcertation, r.daysToFirstConcertation, r.concertations])).toEqual([
      ['CMD-2026-0005', '2026-03-01', null, null, null, null, null, null, 0],
      ['CMD-2026-0001', '2026-03-02', 'yes', null, '2026-03-05', 3, '2026-03-12', 7, 2],
      ['CMD-2026-0002', '2026-03-03', 'no', 'outsideBrussels', '2026-03-04', 1, null, null, 0],
      ['CMD-2026-0003', '2026-03-10', 'conditional', null, '2026-03-10', 0, '2026-04-02', 23, 0],
      ['CMD-2026-0006', '2026-03-20', 'no', 'other', '2026-03-26', 6, null, null, 0],
    ]);
    expect(report.concertationRows.map((c) => [c.trackingId, c.date, c.sector, c.participants, c.interpreterNeeded])).toEqual([
      ['CMD-2026-0900', '2026-03-05', null, 5, false],
      ['CMD-2026-0001', '2026-03-12', 'precarity', 6, true],
      ['CMD-2025-0099', '2026-03-15', 'mentalHealth', 5, true],
      ['CMD-2026-0001', '2026-03-26', 'precarity', 3, true],
    ]);
  });
});

describe('an empty period', () => {
  it('has zeros to count and nothing to average or take the median of', () => {
    const report = activityReport({ ...MARCH, from: '2030-01-01', to: '2030-01-31', organisers: [] });
    for (const column of REPORT_COLUMNS) expect(report.columns[column]).toEqual(none);
    expect([report.medianDaysToDecision, report.medianDaysDecisionToFirstConcertation, report.medianPollDaysToDecision]).toEqual([null, null, null]);
    expect(report.reminders).toEqual({ sent: 0, late: 0, failed: 0 });
    expect([report.requestRows, report.concertationRows]).toEqual([[], []]);
  });
});

describe('the rules behind the figures', () => {
  it.each<[number[], number | null]>([
    [[], null],
    [[5], 5],
    [[2, 1], 1.5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[0, 0, 10, 10], 5],
  ])('the median of %j is %p', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it.each<[string, string, number]>([
    ['2026-03-10', '2026-03-10', 0],
    ['2026-03-28', '2026-03-30', 2], // across the change to summer time (a 47-hour span)
    ['2026-10-24', '2026-10-26', 2], // across the change to winter time (49 hours)
    ['2025-12-31', '2026-01-01', 1],
  ])('from %s to %s: %d days', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it.each<[Partial<ReportConcertation>, number]>([
    [{ personPresent: false, referentPresent: false, professionalsPresent: 0, relativesPresent: 0 }, 1], // the organiser alone
    [{ personPresent: true, referentPresent: false, professionalsPresent: 0, relativesPresent: 0 }, 2],
    [{ personPresent: true, referentPresent: true, professionalsPresent: 3, relativesPresent: 2 }, 8],
  ])('participants of %j: %d', (c, expected) => {
    expect(participantsOf({ ...concertation('x', '2026-03-01', 0, 1, false, false, 0, 0), ...c })).toBe(expected);
  });

  it('a period covers its Brussels days from midnight to midnight', () => {
    expect(periodBounds('2026-03-01', '2026-03-31')).toEqual({ start: at('2026-02-28T23:00:00Z'), end: at('2026-03-31T22:00:00Z') });
  });
});
