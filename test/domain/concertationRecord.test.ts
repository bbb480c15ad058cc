import feesConfig from '../../config/fees.json';
import { ConcertationRecordData, exportRow, parseExportArgs, RecordInput, recordToFeeInput, validateRecord } from '../../domain/concertationRecord';
import { computeFees, FeeSchedule } from '../../domain/fees';
import { toCsv } from '../../services/records';

const SCHEDULES: FeeSchedule[] = feesConfig.schedules;
const NOW = new Date('2026-03-30T10:00:00Z');
const input = (over: RecordInput = {}): RecordInput => ({
  date: '2026-03-30',
  consentType: 'oral',
  preparationHours: '1,5',
  durationHours: '2',
  place: 'home',
  firstForOrganiser: 'yes',
  personPresent: 'yes',
  referentPresent: 'yes',
  professionalsPresent: '2',
  relativesPresent: '1',
  relativesLinks: 'fils',
  ...over,
});

describe('validateRecord refusals', () => {
  it.each<[string, RecordInput, string]>([
    ['impossible date', { date: '2026-02-30' }, 'invalidDate'],
    ['date tomorrow (Brussels)', { date: '2026-03-31' }, 'dateInFuture'],
    ['unknown consent', { consentType: 'toBuild' }, 'invalidConsent'],
    ['negative preparation', { preparationHours: '-1' }, 'negativePreparation'],
    ['preparation not a number', { preparationHours: '1h30' }, 'invalidPreparation'],
    ['zero duration', { durationHours: '0' }, 'negativeDuration'],
    ['negative duration', { durationHours: '-2' }, 'negativeDuration'],
    ['duration over 24 h', { durationHours: '25' }, 'durationTooLong'],
    ['unknown place', { place: 'cafe' }, 'invalidPlace'],
    ['other place not said', { place: 'other' }, 'placeOtherRequired'],
    ['yes/no missing', { personPresent: '' }, 'invalidYesNo'],
    ['fractional count', { professionalsPresent: '1.5' }, 'invalidCount'],
    ['negative count', { relativesPresent: '-1' }, 'invalidCount'],
    ['amount with 3 decimals', { cateringCents: '1,234', amountsPreApproved: 'yes' }, 'invalidAmount'],
    ['negative amount', { roomCents: '-10', amountsPreApproved: 'yes' }, 'negativeAmount'],
    ['amount not pre-approved', { roomCents: '10' }, 'preApprovalRequired'],
    ['phone number in a comment', { comments: 'rappeler au 0470 12 34 56' }, 'identifyingText'],
    ['name in the relatives links', { relativesLinks: 'Madame Dupont, voisine' }, 'identifyingText'],
  ])('%s', (_label, over, code) => {
    expect(validateRecord(input(over), NOW)).toMatchObject({ ok: false, code });
  });

  it('accepts decimals with a comma, euros as cents, today in Brussels', () => {
    const r = validateRecord(input({ cateringCents: '25,5', roomCents: '40', amountsPreApproved: 'yes' }), NOW);
    expect(r).toMatchObject({ ok: true, value: { preparationHours: 1.5, durationHours: 2, cateringCents: 2550, roomCents: 4000, professionalsPresent: 2, relativesPresent: 1 } });
  });
});

describe('record → flat fees (seed 001 annex 10 amounts)', () => {
  const valid = (over: RecordInput): ConcertationRecordData => {
    const r = validateRecord(input(over), NOW);
    if (!r.ok) throw new Error(r.code);
    return r.value;
  };
  it.each<[string, RecordInput, number]>([
    ['first, référent, 2 professionals', {}, 21639 + 9968 + 2 * 4759],
    ['following, no référent, 0 professionals', { firstForOrganiser: 'no', referentPresent: 'no', professionalsPresent: '0' }, 14202],
    ['following, référent, 4 professionals', { firstForOrganiser: 'no', professionalsPresent: '4' }, 14202 + 9968 + 4 * 4759],
    ['person absent: no flat fee', { personPresent: 'no' }, 0],
    ['relatives are not paid', { relativesPresent: '5', professionalsPresent: '0', referentPresent: 'no' }, 21639],
  ])('%s', (_label, over, total) => {
    const record = valid(over);
    expect(computeFees(recordToFeeInput(record), SCHEDULES)).toMatchObject({ ok: true, totalCents: total });
    expect(exportRow('CMD-2026-0001', 'Olivia', record, SCHEDULES).row.flatFeeTotal).toBe(total);
  });

  it('other amounts are added to the total, not to the flat fees', () => {
    const { row } = exportRow('CMD-2026-0001', 'Olivia', valid({ cateringCents: '10', roomCents: '20', amountsPreApproved: 'yes', professionalsPresent: '0', referentPresent: 'no' }), SCHEDULES);
    expect(row).toMatchObject({ flatFeeTotal: 21639, catering: 1000, room: 2000, total: 24639, feeOrganiser: 21639, feeReferent: 0, feeProfessionals: 0 });
  });
});

describe('parseExportArgs', () => {
  it.each<[string, object]>([
    ['2026-01-01 2026-12-31', { ok: true, from: '2026-01-01', to: '2026-12-31', organiser: '' }],
    ['2026-01-01 2026-12-31 Olivia Organisatrice', { ok: true, organiser: 'Olivia Organisatrice' }],
    ['2026-01-01', { ok: false, code: 'missingDates' }],
    ['01/01/2026 31/12/2026', { ok: false, code: 'invalidDate' }],
    ['2026-12-31 2026-01-01', { ok: false, code: 'fromAfterTo' }],
    ['2010-01-01 2026-01-01', { ok: false, code: 'periodTooLong' }],
  ])('%s', (arg, expected) => {
    expect(parseExportArgs(arg)).toMatchObject(expected);
  });
});

describe('CSV cells', () => {
  it('quotes separators and neutralises spreadsheet formulas', () => {
    const record = validateRecord(input({ comments: '=HYPERLINK("x")', professionalProfiles: 'MG, infirmière' }), NOW);
    if (!record.ok) throw new Error(record.code);
    const { row } = exportRow('CMD-2026-0001', 'Olivia', record.value, SCHEDULES);
    const headers = Object.fromEntries(Object.keys(row).map((k) => [k, k])) as never;
    const text = toCsv([row], headers).toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).toContain('"MG, infirmière"');
  });
});
