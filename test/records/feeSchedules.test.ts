// The fee schedules are checked when the record service is built, that is at the bot's start: a
// typo in config/fees.json (overlapping periods, euros instead of cents) stops the start instead
// of reaching an organiser's claim.
import feesConfig from '../../config/fees.json';
import type { FeeSchedule } from '../../domain/fees';
import { ManualClock } from '../../services/clock';
import { RecordService } from '../../services/records';

const CONFIG: FeeSchedule[] = feesConfig.schedules;
// The constructor checks the schedules before it uses anything else.
const build = (schedules: FeeSchedule[]) => new RecordService({} as never, {} as never, {} as never, schedules, new ManualClock());

describe('RecordService start with the fee schedules', () => {
  it('starts with the configured schedules', () => {
    expect(() => build(CONFIG)).not.toThrow();
  });

  it.each<[string, FeeSchedule[], RegExp]>([
    ['euros instead of cents', [{ ...CONFIG[0], unitCents: { ...CONFIG[0].unitCents, professional: 47.59 } }], /invalidAmount/],
    ['overlapping periods', [CONFIG[0], { ...CONFIG[0], id: 'fictional-overlap' }], /overlap/i],
  ])('refuses to start with %s', (_name, schedules, problem) => {
    expect(() => build(schedules)).toThrow(/fee schedules \(config\/fees\.json\) are invalid/);
    expect(() => build(schedules)).toThrow(problem);
  });
});
