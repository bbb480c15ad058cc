/**
 * Life cycle of a case once an organiser is assigned (DOMAIN.md "Lifecycle of a case").
 *
 *   inPreparation ─▶ scheduled ─▶ held ─▶ followUp ─▶ scheduled | inPreparation (next concertation)
 *        ▲               │
 *        └───────────────┘ (meeting cancelled: back to preparation)
 *   any active status ─▶ standBy | stopped        (concerted decision, reason required)
 *   standBy ─▶ stopped | reactivated;  stopped ─▶ reactivated   ("quickly re-activable")
 *
 * Decision: `reactivated` is kept as its own status (so lists and statistics show re-opened
 * cases), but it has exactly the outgoing transitions of inPreparation: the organiser prepares a
 * new concertation. Re-scheduling a meeting keeps `scheduled` (not a transition).
 */

export const CASE_STATUSES = [
  'inPreparation',
  'scheduled',
  'held',
  'followUp',
  'standBy',
  'stopped',
  'reactivated',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

const PREPARATION_TARGETS: CaseStatus[] = ['scheduled', 'standBy', 'stopped'];

const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  inPreparation: PREPARATION_TARGETS,
  scheduled: ['held', 'inPreparation', 'standBy', 'stopped'],
  held: ['followUp', 'standBy', 'stopped'],
  // Between meetings the référent may ask for a new concertation: date fixed at once, or prepared again.
  followUp: ['scheduled', 'inPreparation', 'standBy', 'stopped'],
  standBy: ['reactivated', 'stopped'],
  stopped: ['reactivated'],
  reactivated: PREPARATION_TARGETS,
};

/** Stop / stand-by criteria (seed 001 annex 3). */
export type NoLongerMeetsCriteriaSubCode = 'leftBrussels' | 'untraceable' | 'consentWithdrawn';
export const NO_LONGER_MEETS_CRITERIA_SUBCODES: readonly NoLongerMeetsCriteriaSubCode[] = [
  'leftBrussels',
  'untraceable',
  'consentWithdrawn',
];

export type StopReason =
  | { code: 'noLongerMeetsCriteria'; subCode: NoLongerMeetsCriteriaSubCode; note?: string }
  /** Left the target population. */
  | { code: 'success'; note?: string }
  /** Anyone may raise the alarm; organiser and référent evaluate. */
  | { code: 'negativeEffects'; note?: string }
  /** After several concertations. */
  | { code: 'noImprovement'; note?: string }
  | { code: 'other'; text: string };

export interface TransitionContext {
  /** User id of whoever records the decision. */
  by: string;
  at: Date;
  /** Required for standBy / stopped, refused elsewhere. */
  reason?: StopReason;
  note?: string;
}

export interface StatusHistoryEntry {
  from: CaseStatus;
  to: CaseStatus;
  by: string;
  at: Date;
  reason?: StopReason;
  note?: string;
}

export type TransitionErrorCode =
  | 'unknownStatus'
  | 'sameStatus'
  | 'notAllowed'
  | 'actorRequired'
  | 'invalidTimestamp'
  | 'reasonRequired'
  | 'reasonNotApplicable'
  | 'invalidReason'
  | 'reasonTextRequired';

export type TransitionResult =
  | { ok: true; entry: StatusHistoryEntry }
  | { ok: false; code: TransitionErrorCode; params: { from: string; to: string } };

const isStatus = (s: string): s is CaseStatus => (CASE_STATUSES as readonly string[]).includes(s);

export const requiresReason = (to: CaseStatus): boolean => to === 'standBy' || to === 'stopped';

/** A date can be fixed while the case is being prepared, re-activated or followed up; a scheduled meeting can be moved. */
export const isSchedulable = (status: CaseStatus): boolean => status === 'inPreparation' || status === 'reactivated' || status === 'followUp' || status === 'scheduled';

export function allowedTargets(from: CaseStatus): readonly CaseStatus[] {
  return TRANSITIONS[from] ?? [];
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return isStatus(from) && isStatus(to) && TRANSITIONS[from].includes(to);
}

/** For grouping in lists: a reactivated case is worked on like one in preparation. */
export function effectiveStatus(status: CaseStatus): CaseStatus {
  return status === 'reactivated' ? 'inPreparation' : status;
}

const REASON_CODES = ['noLongerMeetsCriteria', 'success', 'negativeEffects', 'noImprovement', 'other'];

function reasonError(reason: StopReason): TransitionErrorCode | null {
  // Data may come from a card submit: check the shape, not only the type.
  if (!REASON_CODES.includes(reason?.code)) return 'invalidReason';
  if (reason.code === 'noLongerMeetsCriteria' && !NO_LONGER_MEETS_CRITERIA_SUBCODES.includes(reason.subCode)) {
    return 'invalidReason';
  }
  if (reason.code === 'other' && !(typeof reason.text === 'string' && reason.text.trim())) return 'reasonTextRequired';
  return null;
}

export function transition(from: CaseStatus, to: CaseStatus, ctx: TransitionContext): TransitionResult {
  const fail = (code: TransitionErrorCode): TransitionResult => ({ ok: false, code, params: { from, to } });
  if (!isStatus(from) || !isStatus(to)) return fail('unknownStatus');
  if (from === to) return fail('sameStatus');
  if (!TRANSITIONS[from].includes(to)) return fail('notAllowed');
  if (!ctx.by?.trim()) return fail('actorRequired');
  if (!(ctx.at instanceof Date) || Number.isNaN(ctx.at.getTime())) return fail('invalidTimestamp');

  if (requiresReason(to)) {
    if (!ctx.reason) return fail('reasonRequired');
    const err = reasonError(ctx.reason);
    if (err) return fail(err);
  } else if (ctx.reason) {
    return fail('reasonNotApplicable');
  }

  const entry: StatusHistoryEntry = { from, to, by: ctx.by, at: ctx.at };
  if (ctx.reason) entry.reason = ctx.reason.code === 'other' ? { code: 'other', text: ctx.reason.text.trim() } : ctx.reason;
  if (ctx.note?.trim()) entry.note = ctx.note.trim();
  return { ok: true, entry };
}
