import {
  allowedTargets,
  canTransition,
  CASE_STATUSES,
  CaseStatus,
  effectiveStatus,
  isSchedulable,
  StopReason,
  transition,
  TransitionContext,
} from '../../domain/caseStatus';

// Written out independently of the module: the allowed transitions, everything else is refused.
const ALLOWED: Array<[CaseStatus, CaseStatus]> = [
  ['inPreparation', 'scheduled'],
  ['inPreparation', 'standBy'],
  ['inPreparation', 'stopped'],
  ['scheduled', 'held'],
  ['scheduled', 'inPreparation'],
  ['scheduled', 'standBy'],
  ['scheduled', 'stopped'],
  ['held', 'followUp'],
  ['held', 'standBy'],
  ['held', 'stopped'],
  ['followUp', 'scheduled'],
  ['followUp', 'inPreparation'],
  ['followUp', 'standBy'],
  ['followUp', 'stopped'],
  ['standBy', 'reactivated'],
  ['standBy', 'stopped'],
  ['stopped', 'reactivated'],
  ['reactivated', 'scheduled'],
  ['reactivated', 'standBy'],
  ['reactivated', 'stopped'],
];
const isAllowed = (from: CaseStatus, to: CaseStatus): boolean => ALLOWED.some(([f, t]) => f === from && t === to);
const ALL_PAIRS = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to, isAllowed(from, to)] as const));

const AT = new Date('2026-05-04T10:30:00Z');
const SUCCESS: StopReason = { code: 'success' };
const ctxFor = (to: CaseStatus): TransitionContext => ({
  by: 'aad-organiser-1',
  at: AT,
  ...(to === 'standBy' || to === 'stopped' ? { reason: SUCCESS } : {}),
});

describe('transition matrix (all 49 pairs)', () => {
  it.each(ALL_PAIRS)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
    const r = transition(from, to, ctxFor(to));
    if (allowed) {
      expect(r).toEqual({ ok: true, entry: { from, to, ...ctxFor(to) } });
    } else {
      expect(r).toEqual({ ok: false, code: from === to ? 'sameStatus' : 'notAllowed', params: { from, to } });
    }
  });

  it('allowedTargets lists the same transitions', () => {
    for (const from of CASE_STATUSES) {
      expect([...allowedTargets(from)].sort()).toEqual(ALLOWED.filter(([f]) => f === from).map(([, t]) => t).sort());
    }
  });

  it('reactivated behaves like inPreparation', () => {
    expect(allowedTargets('reactivated')).toEqual(allowedTargets('inPreparation'));
    expect(effectiveStatus('reactivated')).toBe('inPreparation');
    expect(effectiveStatus('held')).toBe('held');
  });

  it('unknown statuses are refused', () => {
    expect(canTransition('archived' as CaseStatus, 'scheduled')).toBe(false);
    expect(transition('held', 'archived' as CaseStatus, ctxFor('held'))).toMatchObject({ ok: false, code: 'unknownStatus' });
  });
});

describe('statuses from which a date can be fixed', () => {
  // Written out: a date is fixed while preparing (again) or following up, and a scheduled one moved.
  const SCHEDULABLE: Record<CaseStatus, boolean> = { inPreparation: true, reactivated: true, followUp: true, scheduled: true, held: false, standBy: false, stopped: false };
  it.each(CASE_STATUSES.map((s) => [s, SCHEDULABLE[s]] as const))('%s: %s', (status, expected) => {
    expect(isSchedulable(status)).toBe(expected);
  });
});

describe('stand-by / stop reasons', () => {
  it.each<[string, StopReason]>([
    ['left Brussels', { code: 'noLongerMeetsCriteria', subCode: 'leftBrussels' }],
    ['untraceable', { code: 'noLongerMeetsCriteria', subCode: 'untraceable' }],
    ['consent withdrawn', { code: 'noLongerMeetsCriteria', subCode: 'consentWithdrawn', note: 'oral, by phone' }],
    ['success', { code: 'success' }],
    ['negative effects', { code: 'negativeEffects', note: 'alarm raised by the home nurse' }],
    ['no improvement', { code: 'noImprovement' }],
    ['other with text', { code: 'other', text: 'Person moved to a care home with its own concertation' }],
  ])('accepted to standBy and stopped: %s', (_label, reason) => {
    for (const to of ['standBy', 'stopped'] as const) {
      const r = transition('followUp', to, { by: 'aad-organiser-1', at: AT, reason });
      expect(r).toEqual({ ok: true, entry: { from: 'followUp', to, by: 'aad-organiser-1', at: AT, reason } });
    }
  });

  it.each<[string, CaseStatus, CaseStatus, Partial<TransitionContext>, string]>([
    ['stand-by without reason', 'held', 'standBy', { reason: undefined }, 'reasonRequired'],
    ['stop without reason', 'standBy', 'stopped', { reason: undefined }, 'reasonRequired'],
    ['unknown reason code', 'held', 'stopped', { reason: { code: 'bored' } as unknown as StopReason }, 'invalidReason'],
    ['criteria without sub-code', 'held', 'stopped', { reason: { code: 'noLongerMeetsCriteria' } as unknown as StopReason }, 'invalidReason'],
    ['criteria with unknown sub-code', 'held', 'stopped', { reason: { code: 'noLongerMeetsCriteria', subCode: 'died' } as unknown as StopReason }, 'invalidReason'],
    ['other without text', 'held', 'standBy', { reason: { code: 'other', text: '   ' } }, 'reasonTextRequired'],
    ['reason on a transition that takes none', 'inPreparation', 'scheduled', { reason: SUCCESS }, 'reasonNotApplicable'],
    ['reason on reactivation', 'stopped', 'reactivated', { reason: SUCCESS }, 'reasonNotApplicable'],
    ['no actor', 'inPreparation', 'scheduled', { by: ' ' }, 'actorRequired'],
    ['invalid timestamp', 'inPreparation', 'scheduled', { at: new Date('nope') }, 'invalidTimestamp'],
    ['refused transition is reported before a missing reason', 'stopped', 'standBy', { reason: undefined }, 'notAllowed'],
  ])('%s → %s', (_label, from, to, over, code) => {
    const ctx: TransitionContext = { by: 'aad-organiser-1', at: AT, reason: SUCCESS, ...over };
    if ('reason' in over && over.reason === undefined) delete ctx.reason;
    expect(transition(from, to, ctx)).toEqual({ ok: false, code, params: { from, to } });
  });

  it('trims free text and notes in the history entry', () => {
    const r = transition('held', 'standBy', { by: 'u1', at: AT, reason: { code: 'other', text: '  summer break  ' }, note: '  see PSI  ' });
    expect(r).toEqual({ ok: true, entry: { from: 'held', to: 'standBy', by: 'u1', at: AT, reason: { code: 'other', text: 'summer break' }, note: 'see PSI' } });
  });

  it('a blank note is not stored', () => {
    const r = transition('inPreparation', 'scheduled', { by: 'u1', at: AT, note: '  ' });
    expect(r).toEqual({ ok: true, entry: { from: 'inPreparation', to: 'scheduled', by: 'u1', at: AT } });
  });
});
