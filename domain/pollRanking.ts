/**
 * Ranking of poll slots from the participants' answers, and the slot the bot proposes to the
 * organiser (who always decides). Pure: input in, ranking out.
 *
 * Order: (1) slots with every required participant answering yes, (2) more yes, (3) more
 * yes + if-need-be, (4) earlier start, (5) slot id (only for a deterministic output).
 * A slot where a required participant answered no is never suggested: it is listed after all
 * other slots with excluded: true. Removed slots are not listed at all.
 */
import { Slot, slotToUtc } from './pollSlots';

export type PollAnswer = 'yes' | 'ifNeedBe' | 'no';

export interface RankingParticipant {
  /** Same key as PollAnswerRecord.participantKey (e.g. AAD id, or a generated key for externals). */
  key: string;
  required: boolean;
}

export interface PollAnswerRecord {
  participantKey: string;
  slotId: string;
  answer: PollAnswer;
}

export interface SlotTotals {
  yes: number;
  ifNeedBe: number;
  no: number;
  pending: number;
}

export interface RankedSlot {
  slotId: string;
  start: string;
  totals: SlotTotals;
  /**
   * Every required participant answered yes (false when one is pending or said if-need-be).
   * False when the poll has no required participant: there is nothing to be complete about.
   */
  allRequiredYes: boolean;
  /** Required participants who have not answered this slot yet. */
  requiredPending: string[];
  /** Required participants who answered if-need-be. */
  requiredIfNeedBe: string[];
  excluded: boolean;
  reason?: 'requiredNo';
  /** Required participants who answered no (set when excluded). */
  requiredNo?: string[];
  /** 1-based position among non-excluded slots; null for excluded slots. */
  rank: number | null;
}

export type SuggestionCode =
  | 'allRequiredYes' // the only criterion that separated it from the next slot (or it is alone and complete)
  | 'mostYes'
  | 'mostYesOrIfNeedBe'
  | 'earliest'
  | 'onlyCandidate'
  | 'tie'; // same counts and same start as the runner-up: the organiser should choose

export interface Suggestion {
  slotId: string;
  reason: {
    code: SuggestionCode;
    params: {
      yes: number;
      ifNeedBe: number;
      no: number;
      pending: number;
      allRequiredYes: boolean;
      requiredPending: number;
      requiredIfNeedBe: number;
      /** Slot the suggestion was compared with, when there was one. */
      runnerUpSlotId?: string;
    };
  };
}

/**
 * Answers for unknown participants or slots are ignored (participant removed from the poll);
 * when a participant answered the same slot twice, the last record wins (a changed answer).
 */
export function rankSlots(
  slots: Slot[],
  participants: RankingParticipant[],
  answers: PollAnswerRecord[],
): RankedSlot[] {
  const known = new Set(participants.map((p) => p.key));
  const latest = new Map<string, PollAnswer>(); // `${slotId}\u0000${participantKey}` → answer
  for (const a of answers) {
    if (known.has(a.participantKey)) latest.set(`${a.slotId}\u0000${a.participantKey}`, a.answer);
  }

  const hasRequired = participants.some((p) => p.required);
  const rows = slots
    .filter((s) => !s.removed)
    .map((slot) => {
      const totals: SlotTotals = { yes: 0, ifNeedBe: 0, no: 0, pending: 0 };
      const requiredPending: string[] = [];
      const requiredIfNeedBe: string[] = [];
      const requiredNo: string[] = [];
      for (const p of participants) {
        const answer = latest.get(`${slot.id}\u0000${p.key}`);
        if (answer === undefined) totals.pending++;
        else totals[answer]++;
        if (!p.required) continue;
        if (answer === undefined) requiredPending.push(p.key);
        else if (answer === 'ifNeedBe') requiredIfNeedBe.push(p.key);
        else if (answer === 'no') requiredNo.push(p.key);
      }
      const excluded = requiredNo.length > 0;
      const ranked: RankedSlot = {
        slotId: slot.id,
        start: slot.start,
        totals,
        allRequiredYes:
          hasRequired && !excluded && requiredPending.length === 0 && requiredIfNeedBe.length === 0,
        requiredPending,
        requiredIfNeedBe,
        excluded,
        rank: null,
        ...(excluded ? { reason: 'requiredNo' as const, requiredNo } : {}),
      };
      return { ranked, startMs: startMs(slot) };
    });

  rows.sort((a, b) => Number(a.ranked.excluded) - Number(b.ranked.excluded) || compare(a, b));
  let rank = 0;
  return rows.map(({ ranked }) => (ranked.excluded ? ranked : { ...ranked, rank: ++rank }));
}

type Row = { ranked: RankedSlot; startMs: number };

/** Which criterion orders a before b (negative = a first); index tells which one decided. */
const CRITERIA: Array<[SuggestionCode, (a: Row, b: Row) => number]> = [
  ['allRequiredYes', (a, b) => Number(b.ranked.allRequiredYes) - Number(a.ranked.allRequiredYes)],
  ['mostYes', (a, b) => b.ranked.totals.yes - a.ranked.totals.yes],
  [
    'mostYesOrIfNeedBe',
    (a, b) => b.ranked.totals.yes + b.ranked.totals.ifNeedBe - (a.ranked.totals.yes + a.ranked.totals.ifNeedBe),
  ],
  ['earliest', (a, b) => a.startMs - b.startMs],
];

function compare(a: Row, b: Row): number {
  for (const [, cmp] of CRITERIA) {
    const c = cmp(a, b);
    if (c !== 0) return c;
  }
  return a.ranked.slotId < b.ranked.slotId ? -1 : a.ranked.slotId > b.ranked.slotId ? 1 : 0;
}

/** Invalid start dates sort last instead of breaking the whole ranking. */
function startMs(slot: Slot): number {
  try {
    return slotToUtc(slot).startUtc.getTime();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The best non-excluded slot and why it beat the runner-up. null when every slot is excluded,
 * or when nobody is available at all on the best one (yes + if-need-be = 0): nothing to propose.
 */
export function suggest(ranked: RankedSlot[]): Suggestion | null {
  const candidates = ranked.filter((r) => !r.excluded);
  const best = candidates[0];
  if (!best || best.totals.yes + best.totals.ifNeedBe === 0) return null;
  const runnerUp = candidates[1];

  let code: SuggestionCode;
  if (!runnerUp) {
    code = best.allRequiredYes ? 'allRequiredYes' : 'onlyCandidate';
  } else {
    const a: Row = { ranked: best, startMs: startMs({ id: best.slotId, start: best.start, durationMinutes: 0 }) };
    const b: Row = { ranked: runnerUp, startMs: startMs({ id: runnerUp.slotId, start: runnerUp.start, durationMinutes: 0 }) };
    code = CRITERIA.find(([, cmp]) => cmp(a, b) !== 0)?.[0] ?? 'tie';
  }

  return {
    slotId: best.slotId,
    reason: {
      code,
      params: {
        ...best.totals,
        allRequiredYes: best.allRequiredYes,
        requiredPending: best.requiredPending.length,
        requiredIfNeedBe: best.requiredIfNeedBe.length,
        ...(runnerUp ? { runnerUpSlotId: runnerUp.slotId } : {}),
      },
    },
  };
}
