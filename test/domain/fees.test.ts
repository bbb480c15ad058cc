import feesConfig from '../../config/fees.json';
import {
  centsToDecimalString,
  computeFees,
  FeeInput,
  FeeResult,
  FeeSchedule,
  validateFeeSchedules,
} from '../../domain/fees';

const CONFIG: FeeSchedule[] = feesConfig.schedules;

const input = (over: Partial<FeeInput> = {}): FeeInput => ({
  date: '2026-03-30',
  firstForOrganiser: true,
  referentPresent: true,
  professionalsPresent: 2,
  personPresent: true,
  ...over,
});

// Fictional later tariff, to test the choice by date.
const PILOT: FeeSchedule = { ...CONFIG[0], validTo: '2025-12-31' };
const INDEXED: FeeSchedule = {
  id: 'fictional-2026',
  validFrom: '2026-01-01',
  validTo: null,
  unitCents: { organiserFirst: 22000, organiserFollowing: 14500, referent: 10100, professional: 4800 },
};

describe('config/fees.json', () => {
  it('holds the seed 001 annex 10 amounts in cents and is consistent', () => {
    expect(feesConfig.currency).toBe('EUR');
    expect(CONFIG[0].unitCents).toEqual({ organiserFirst: 21639, organiserFollowing: 14202, referent: 9968, professional: 4759 });
    expect(validateFeeSchedules(CONFIG)).toEqual([]);
  });
});

describe('computeFees with the configured tariff', () => {
  it.each<[string, Partial<FeeInput>, Array<[string, number, number, number]>, number]>([
    [
      'first concertation, référent + 2 professionals',
      {},
      [['organiserFirst', 1, 21639, 21639], ['referent', 1, 9968, 9968], ['professional', 2, 4759, 9518]],
      41125,
    ],
    ['following concertation, organiser alone', { firstForOrganiser: false, referentPresent: false, professionalsPresent: 0 }, [['organiserFollowing', 1, 14202, 14202]], 14202],
    [
      'following, référent + 4 professionals',
      { firstForOrganiser: false, professionalsPresent: 4 },
      [['organiserFollowing', 1, 14202, 14202], ['referent', 1, 9968, 9968], ['professional', 4, 4759, 19036]],
      43206,
    ],
    ['first, no référent, 1 professional', { referentPresent: false, professionalsPresent: 1 }, [['organiserFirst', 1, 21639, 21639], ['professional', 1, 4759, 4759]], 26398],
    [
      'no cap on professionals (pilot dropped the INAMI limit of 4)',
      { firstForOrganiser: false, referentPresent: false, professionalsPresent: 10 },
      [['organiserFollowing', 1, 14202, 14202], ['professional', 10, 4759, 47590]],
      61792,
    ],
    ['first day of validity', { date: '2021-01-01', referentPresent: false, professionalsPresent: 0 }, [['organiserFirst', 1, 21639, 21639]], 21639],
  ])('%s', (_label, over, lines, total) => {
    const r = computeFees(input(over), CONFIG);
    expect(r).toEqual({
      ok: true,
      code: 'ok',
      scheduleId: 'cocom-pilot-2021',
      lines: lines.map(([role, count, unitCents, totalCents]) => ({ role, count, unitCents, totalCents })),
      totalCents: total,
    });
    if (r.ok) {
      expect(r.lines.every((l) => Number.isInteger(l.totalCents))).toBe(true);
      expect(r.totalCents).toBe(r.lines.reduce((s, l) => s + l.totalCents, 0));
    }
  });
});

describe('computeFees: absence, errors, choice of schedule', () => {
  it.each<[string, Partial<FeeInput>, FeeSchedule[], Partial<FeeResult>]>([
    ['person absent: no flat fee at all', { personPresent: false }, CONFIG, { ok: true, code: 'personAbsent', lines: [], totalCents: 0 }],
    ['person absent even without a schedule', { personPresent: false, date: '2019-05-01' }, CONFIG, { code: 'personAbsent', totalCents: 0 }],
    ['before any schedule', { date: '2020-12-31' }, CONFIG, { ok: false, code: 'noScheduleForDate' }],
    ['no schedule configured', {}, [], { ok: false, code: 'noScheduleForDate' }],
    ['after the last closed schedule', { date: '2026-01-01' }, [PILOT], { ok: false, code: 'noScheduleForDate' }],
    ['last day of a closed schedule (inclusive)', { date: '2025-12-31' }, [PILOT, INDEXED], { ok: true, scheduleId: 'cocom-pilot-2021', totalCents: 21639 + 9968 + 2 * 4759 }],
    ['first day of the next schedule', { date: '2026-01-01' }, [PILOT, INDEXED], { ok: true, scheduleId: 'fictional-2026', totalCents: 22000 + 10100 + 2 * 4800 }],
    ['overlapping schedules', { date: '2026-03-30' }, [CONFIG[0], INDEXED], { ok: false, code: 'ambiguousSchedule' }],
    ['malformed date', { date: '30/03/2026' }, CONFIG, { ok: false, code: 'invalidDate' }],
    ['impossible date', { date: '2026-02-30' }, CONFIG, { ok: false, code: 'invalidDate' }],
    ['negative count', { professionalsPresent: -1 }, CONFIG, { ok: false, code: 'invalidCount' }],
    ['fractional count', { professionalsPresent: 1.5 }, CONFIG, { ok: false, code: 'invalidCount' }],
  ])('%s', (_label, over, schedules, expected) => {
    expect(computeFees(input(over), schedules)).toMatchObject(expected);
  });

  it('names the overlapping schedules', () => {
    expect(computeFees(input(), [CONFIG[0], INDEXED])).toEqual({
      ok: false,
      code: 'ambiguousSchedule',
      params: { date: '2026-03-30', schedules: 'cocom-pilot-2021,fictional-2026' },
    });
  });
});

describe('validateFeeSchedules', () => {
  const s = (over: Partial<FeeSchedule>): FeeSchedule => ({ ...INDEXED, ...over });
  it.each<[string, FeeSchedule[], string[]]>([
    ['consecutive periods', [PILOT, INDEXED], []],
    ['overlap', [CONFIG[0], INDEXED], ['overlap']],
    ['same single day twice', [s({ id: 'a', validFrom: '2026-01-01', validTo: '2026-01-01' }), s({ id: 'b', validFrom: '2026-01-01', validTo: '2026-01-01' })], ['overlap']],
    ['validTo before validFrom', [s({ validTo: '2025-01-01' })], ['emptyPeriod']],
    ['bad date', [s({ validFrom: '2026-13-01' })], ['invalidDate']],
    ['euros instead of cents', [s({ unitCents: { ...INDEXED.unitCents, professional: 47.59 } })], ['invalidAmount']],
    ['negative amount', [s({ unitCents: { ...INDEXED.unitCents, referent: -1 } })], ['invalidAmount']],
  ])('%s', (_label, schedules, codes) => {
    expect(validateFeeSchedules(schedules).map((e) => e.code)).toEqual(codes);
  });
});

describe('centsToDecimalString', () => {
  it.each([
    [21639, '216.39'],
    [4759, '47.59'],
    [5, '0.05'],
    [0, '0.00'],
    [-150, '-1.50'],
  ])('%i → %s', (cents, text) => expect(centsToDecimalString(cents)).toBe(text));
});
