import {
  PollAnswer,
  PollAnswerRecord,
  rankSlots,
  RankingParticipant,
  suggest,
  SuggestionCode,
} from '../../domain/pollRanking';
import { Slot } from '../../domain/pollSlots';

// Fictional poll: two required participants (GP, carer), two optional ones.
const PARTICIPANTS: RankingParticipant[] = [
  { key: 'gp', required: true },
  { key: 'carer', required: true },
  { key: 'nurse', required: false },
  { key: 'pharmacist', required: false },
];

/** One char per participant in PARTICIPANTS order: Y yes, I if-need-be, N no, - no answer. */
type Grid = Record<string, string>;
const CHAR: Record<string, PollAnswer | undefined> = { Y: 'yes', I: 'ifNeedBe', N: 'no', '-': undefined };

function answersFrom(grid: Grid, participants = PARTICIPANTS): PollAnswerRecord[] {
  return Object.entries(grid).flatMap(([slotId, row]) =>
    [...row].flatMap((c, i) => {
      const answer = CHAR[c];
      return answer ? [{ participantKey: participants[i].key, slotId, answer }] : [];
    }),
  );
}

/** Slots s1..sN on consecutive days unless a start is given. */
function slotsFor(grid: Grid, starts: Record<string, string> = {}, removed: string[] = []): Slot[] {
  return Object.keys(grid).map((id, i) => ({
    id,
    start: starts[id] ?? `2026-04-${String(10 + i).padStart(2, '0')}T10:00`,
    durationMinutes: 105,
    ...(removed.includes(id) ? { removed: true } : {}),
  }));
}

interface Case {
  grid: Grid;
  starts?: Record<string, string>;
  removed?: string[];
  participants?: RankingParticipant[];
  order: string[];
  excluded?: string[];
  suggestion: { slotId: string; code: SuggestionCode } | null;
}

describe('rankSlots + suggest: tie-breaks and exclusions', () => {
  it.each<[string, Case]>([
    [
      'all required yes beats more yes overall',
      { grid: { s1: 'YIYY', s2: 'YY--' }, order: ['s2', 's1'], suggestion: { slotId: 's2', code: 'allRequiredYes' } },
    ],
    [
      'a required participant who has not answered: not allRequiredYes',
      { grid: { s1: 'Y-YY', s2: 'YY--' }, order: ['s2', 's1'], suggestion: { slotId: 's2', code: 'allRequiredYes' } },
    ],
    [
      'required if-need-be is not allRequiredYes; then most yes decides',
      { grid: { s1: 'YIY-', s2: 'YIYY' }, order: ['s2', 's1'], suggestion: { slotId: 's2', code: 'mostYes' } },
    ],
    [
      'both complete: most yes decides (reason mostYes)',
      { grid: { s1: 'YY--', s2: 'YYY-' }, order: ['s2', 's1'], suggestion: { slotId: 's2', code: 'mostYes' } },
    ],
    [
      'same yes: yes + if-need-be decides',
      { grid: { s1: 'YI--', s2: 'YII-' }, order: ['s2', 's1'], suggestion: { slotId: 's2', code: 'mostYesOrIfNeedBe' } },
    ],
    [
      'same counts: earliest start decides, whatever the listing order',
      {
        grid: { s1: 'YYI-', s2: 'YYI-' },
        starts: { s1: '2026-04-20T10:00', s2: '2026-04-14T16:00' },
        order: ['s2', 's1'],
        suggestion: { slotId: 's2', code: 'earliest' },
      },
    ],
    [
      'earliest compares instants: 09:00 before 10:00 the same day',
      {
        grid: { s1: 'YY--', s2: 'YY--' },
        starts: { s1: '2026-10-25T10:00', s2: '2026-10-25T09:00' },
        order: ['s2', 's1'],
        suggestion: { slotId: 's2', code: 'earliest' },
      },
    ],
    [
      'complete tie (same start and counts): id order, reason tie',
      {
        grid: { b: 'YY--', a: 'YY--' },
        starts: { a: '2026-04-14T10:00', b: '2026-04-14T10:00' },
        order: ['a', 'b'],
        suggestion: { slotId: 'a', code: 'tie' },
      },
    ],
    [
      'required no excludes the slot even with the most yes',
      { grid: { s1: 'NYYY', s2: 'YI--' }, order: ['s2', 's1'], excluded: ['s1'], suggestion: { slotId: 's2', code: 'onlyCandidate' } },
    ],
    [
      'only candidate left and complete: allRequiredYes',
      { grid: { s1: 'YN--', s2: 'YY--' }, order: ['s2', 's1'], excluded: ['s1'], suggestion: { slotId: 's2', code: 'allRequiredYes' } },
    ],
    [
      'optional no does not exclude',
      { grid: { s1: 'YYNN', s2: 'YI--' }, order: ['s1', 's2'], suggestion: { slotId: 's1', code: 'allRequiredYes' } },
    ],
    [
      'excluded slots are ordered among themselves by the same rules',
      {
        grid: { s1: 'NY--', s2: 'YNYY', s3: 'YYY-' },
        order: ['s3', 's2', 's1'],
        excluded: ['s1', 's2'],
        suggestion: { slotId: 's3', code: 'allRequiredYes' },
      },
    ],
    [
      'every slot excluded: no suggestion',
      { grid: { s1: 'NY--', s2: 'YN--' }, order: ['s1', 's2'], excluded: ['s1', 's2'], suggestion: null },
    ],
    [
      'nobody answered: no suggestion',
      { grid: { s1: '----', s2: '----' }, order: ['s1', 's2'], suggestion: null },
    ],
    [
      'only "no" from optional people: nobody available, no suggestion',
      { grid: { s1: '--N-', s2: '---N' }, order: ['s1', 's2'], suggestion: null },
    ],
    [
      'only if-need-be answers still give a suggestion',
      { grid: { s1: 'I---', s2: 'II--' }, order: ['s2', 's1'], suggestion: { slotId: 's2', code: 'mostYesOrIfNeedBe' } },
    ],
    [
      'removed slots are never ranked, even the best one',
      { grid: { s1: 'YYYY', s2: 'YI--' }, removed: ['s1'], order: ['s2'], suggestion: { slotId: 's2', code: 'onlyCandidate' } },
    ],
    [
      'no required participant: nobody is "all required yes", most yes wins',
      {
        grid: { s1: 'Y---', s2: 'YY--' },
        participants: PARTICIPANTS.map((p) => ({ ...p, required: false })),
        order: ['s2', 's1'],
        suggestion: { slotId: 's2', code: 'mostYes' },
      },
    ],
  ])('%s', (_label, c) => {
    const participants = c.participants ?? PARTICIPANTS;
    const ranked = rankSlots(slotsFor(c.grid, c.starts, c.removed), participants, answersFrom(c.grid, participants));
    expect(ranked.map((r) => r.slotId)).toEqual(c.order);
    expect(ranked.filter((r) => r.excluded).map((r) => r.slotId).sort()).toEqual((c.excluded ?? []).sort());
    // rank numbers only for candidates, 1..n in order
    const candidates = ranked.filter((r) => !r.excluded);
    expect(candidates.map((r) => r.rank)).toEqual(candidates.map((_, i) => i + 1));
    expect(ranked.filter((r) => r.excluded).every((r) => r.rank === null && r.reason === 'requiredNo')).toBe(true);
    const s = suggest(ranked);
    expect(s && { slotId: s.slotId, code: s.reason.code }).toEqual(c.suggestion);
  });
});

describe('rankSlots details', () => {
  it('returns totals and who blocks or is pending', () => {
    const grid = { s1: 'NI-Y', s2: 'Y-IN' };
    const ranked = rankSlots(slotsFor(grid), PARTICIPANTS, answersFrom(grid));
    expect(ranked).toEqual([
      {
        slotId: 's2',
        start: '2026-04-11T10:00',
        totals: { yes: 1, ifNeedBe: 1, no: 1, pending: 1 },
        allRequiredYes: false,
        requiredPending: ['carer'],
        requiredIfNeedBe: [],
        excluded: false,
        rank: 1,
      },
      {
        slotId: 's1',
        start: '2026-04-10T10:00',
        totals: { yes: 1, ifNeedBe: 1, no: 1, pending: 1 },
        allRequiredYes: false,
        requiredPending: [],
        requiredIfNeedBe: ['carer'],
        excluded: true,
        reason: 'requiredNo',
        requiredNo: ['gp'],
        rank: null,
      },
    ]);
  });

  it.each<[string, PollAnswerRecord[], { yes: number; ifNeedBe: number; no: number; pending: number }]>([
    [
      'a changed answer: the last record wins',
      [
        { participantKey: 'gp', slotId: 's1', answer: 'no' },
        { participantKey: 'gp', slotId: 's1', answer: 'yes' },
      ],
      { yes: 1, ifNeedBe: 0, no: 0, pending: 3 },
    ],
    [
      'answers of people no longer in the poll are ignored',
      [{ participantKey: 'removed-person', slotId: 's1', answer: 'yes' }],
      { yes: 0, ifNeedBe: 0, no: 0, pending: 4 },
    ],
    [
      'answers for unknown slots are ignored',
      [{ participantKey: 'gp', slotId: 'zz', answer: 'no' }],
      { yes: 0, ifNeedBe: 0, no: 0, pending: 4 },
    ],
  ])('%s', (_label, answers, totals) => {
    const [s1] = rankSlots([{ id: 's1', start: '2026-04-10T10:00', durationMinutes: 60 }], PARTICIPANTS, answers);
    expect(s1.totals).toEqual(totals);
    expect(s1.excluded).toBe(false);
  });

  it('suggestion params describe the chosen slot and the runner-up', () => {
    const grid = { s1: 'YYI-', s2: 'YI--' };
    expect(suggest(rankSlots(slotsFor(grid), PARTICIPANTS, answersFrom(grid)))).toEqual({
      slotId: 's1',
      reason: {
        code: 'allRequiredYes',
        params: {
          yes: 2,
          ifNeedBe: 1,
          no: 0,
          pending: 1,
          allRequiredYes: true,
          requiredPending: 0,
          requiredIfNeedBe: 0,
          runnerUpSlotId: 's2',
        },
      },
    });
  });

  it('a slot with an unparseable start is ranked after valid ones on a tie', () => {
    const slots: Slot[] = [
      { id: 'bad', start: '2026-03-29T02:30', durationMinutes: 60 },
      { id: 'ok', start: '2026-05-01T10:00', durationMinutes: 60 },
    ];
    const grid = { bad: 'YY--', ok: 'YY--' };
    expect(rankSlots(slots, PARTICIPANTS, answersFrom(grid)).map((r) => r.slotId)).toEqual(['ok', 'bad']);
  });

  it('empty input', () => {
    expect(rankSlots([], PARTICIPANTS, [])).toEqual([]);
    expect(suggest([])).toBeNull();
  });
});
