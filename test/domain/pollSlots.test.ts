import {
  normaliseName,
  parseLocalDateTime,
  PollDraft,
  PollParticipant,
  PollValidationCode,
  Slot,
  slotToUtc,
  validatePollDraft,
} from '../../domain/pollSlots';
import { formatSlot } from '../../cards/pollLabels';

const NOW = new Date('2026-03-01T09:00:00Z');

const slot = (id: string, start: string, durationMinutes = 105, extra: Partial<Slot> = {}): Slot => ({
  id,
  start,
  durationMinutes,
  ...extra,
});

const gp: PollParticipant = { id: 'aad-gp-1', name: 'Dr Anna Testarossa', required: true, external: false };
const nurse: PollParticipant = { id: 'aad-nurse-2', name: 'Bram Voorbeeld', required: false, external: false };
const carer: PollParticipant = { name: 'Élise Fictive', required: true, external: true };

const okDraft = (): PollDraft => ({
  slots: [slot('s1', '2026-03-30T10:00'), slot('s2', '2026-03-31T14:00')],
  deadline: '2026-03-20T18:00',
  participants: [gp, nurse, carer],
});

const codes = (draft: PollDraft, now = NOW): PollValidationCode[] => validatePollDraft(draft, now).map((e) => e.code);

describe('slotToUtc — Brussels wall clock to UTC across the 2026 DST changes', () => {
  it.each([
    ['winter (CET, +01:00)', '2026-01-15T10:00', '2026-01-15T09:00:00.000Z'],
    ['day before spring change', '2026-03-28T10:00', '2026-03-28T09:00:00.000Z'],
    ['spring change day, before the gap', '2026-03-29T01:59', '2026-03-29T00:59:00.000Z'],
    ['spring change day, first minute of CEST', '2026-03-29T03:00', '2026-03-29T01:00:00.000Z'],
    ['spring change day, morning (CEST, +02:00)', '2026-03-29T10:00', '2026-03-29T08:00:00.000Z'],
    ['summer', '2026-07-01T10:00', '2026-07-01T08:00:00.000Z'],
    ['autumn change day, before the fold', '2026-10-25T01:30', '2026-10-24T23:30:00.000Z'],
    ['autumn change day, ambiguous hour → first occurrence (CEST)', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z'],
    ['autumn change day, after the fold (CET)', '2026-10-25T03:00', '2026-10-25T02:00:00.000Z'],
    ['autumn change day, morning (CET)', '2026-10-25T10:00', '2026-10-25T09:00:00.000Z'],
    ['with seconds', '2026-03-30T10:00:30', '2026-03-30T08:00:30.000Z'],
  ])('%s: %s → %s', (_label, start, expectedUtc) => {
    const { startUtc, endUtc } = slotToUtc(slot('x', start, 60));
    expect(startUtc.toISOString()).toBe(expectedUtc);
    expect(endUtc.getTime() - startUtc.getTime()).toBe(60 * 60_000);
  });

  it('a slot spanning the spring change lasts its real duration (end wall clock jumps)', () => {
    const { startUtc, endUtc } = slotToUtc(slot('x', '2026-03-29T01:30', 60));
    expect(startUtc.toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(endUtc.toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
  });

  it.each([
    ['2026-03-29T02:00', 'dstGap'],
    ['2026-03-29T02:30', 'dstGap'],
    ['2026-03-29T02:59', 'dstGap'],
    ['2026-02-30T10:00', 'malformed'],
    ['2026-03-30 10:00', 'malformed'],
    ['2026-03-30T24:00', 'malformed'],
    ['2026-03-30T10:00+02:00', 'malformed'],
    ['', 'malformed'],
  ])('parseLocalDateTime(%s) refuses with %s; slotToUtc throws', (start, reason) => {
    expect(parseLocalDateTime(start)).toEqual({ ok: false, reason });
    expect(() => slotToUtc(slot('x', start))).toThrow(RangeError);
  });

  it.each([
    ['2026-10-25T02:00', true],
    ['2026-10-25T02:59', true],
    ['2026-10-25T03:00', false],
    ['2026-10-25T01:59', false],
    ['2026-03-29T03:00', false],
  ])('ambiguity flag for %s is %s', (start, ambiguous) => {
    const r = parseLocalDateTime(start);
    expect(r.ok && r.ambiguous).toBe(ambiguous);
  });
});

describe('validatePollDraft', () => {
  it('accepts a correct draft', () => {
    expect(validatePollDraft(okDraft(), NOW)).toEqual([]);
  });

  it.each<[string, (d: PollDraft) => void, PollValidationCode[]]>([
    ['one slot', (d) => { d.slots = [slot('s1', '2026-03-30T10:00')]; }, ['tooFewSlots']],
    ['no slot (deadline has no first slot to compare)', (d) => { d.slots = []; }, ['tooFewSlots']],
    ['two slots of which one removed', (d) => { d.slots[1].removed = true; }, ['tooFewSlots']],
    [
      '21 slots',
      (d) => { d.slots = Array.from({ length: 21 }, (_, i) => slot(`s${i}`, `2026-04-${String(i + 1).padStart(2, '0')}T10:00`)); },
      ['tooManySlots'],
    ],
    [
      '20 slots is fine',
      (d) => { d.slots = Array.from({ length: 20 }, (_, i) => slot(`s${i}`, `2026-04-${String(i + 1).padStart(2, '0')}T10:00`)); },
      [],
    ],
    ['slot in the past', (d) => { d.slots[0].start = '2026-02-27T10:00'; }, ['slotInPast']],
    ['slot starting exactly now (10:00 CET = 09:00Z)', (d) => { d.slots[0].start = '2026-03-01T10:00'; }, ['slotInPast']],
    ['zero duration', (d) => { d.slots[0].durationMinutes = 0; }, ['nonPositiveDuration']],
    ['negative duration (end before start)', (d) => { d.slots[0].durationMinutes = -30; }, ['nonPositiveDuration']],
    ['NaN duration', (d) => { d.slots[0].durationMinutes = Number.NaN; }, ['nonPositiveDuration']],
    ['same start and duration', (d) => { d.slots[1].start = '2026-03-30T10:00'; }, ['duplicateSlot']],
    ['same instant written with seconds', (d) => { d.slots[1].start = '2026-03-30T10:00:00'; }, ['duplicateSlot']],
    ['same start, different duration is not a duplicate', (d) => { d.slots[1] = slot('s2', '2026-03-30T10:00', 60); }, []],
    ['same id twice', (d) => { d.slots[1].id = 's1'; }, ['duplicateSlotId']],
    ['slot in the spring DST gap', (d) => { d.slots[0].start = '2026-03-29T02:30'; }, ['invalidDate']],
    ['malformed slot date', (d) => { d.slots[0].start = '30/03/2026 10:00'; }, ['invalidDate']],
    ['ambiguous autumn time is accepted', (d) => { d.slots[0].start = '2026-10-25T02:30'; }, []],
    ['deadline after the first slot', (d) => { d.deadline = '2026-03-30T10:30'; }, ['deadlineAfterFirstSlot']],
    ['deadline equal to the first slot start', (d) => { d.deadline = '2026-03-30T10:00'; }, []],
    ['deadline compared with the earliest slot, not the first listed', (d) => { d.slots.push(slot('s3', '2026-03-25T09:00')); }, []],
    ['deadline after the earliest slot listed last', (d) => { d.slots.push(slot('s3', '2026-03-19T09:00')); }, ['deadlineAfterFirstSlot']],
    ['a past slot does not count as the first slot for the deadline', (d) => { d.slots.push(slot('s0', '2026-02-20T10:00')); }, ['slotInPast']],
    ['deadline in the past', (d) => { d.deadline = '2026-02-28T18:00'; }, ['deadlineInPast']],
    ['deadline in the DST gap', (d) => { d.deadline = '2026-03-29T02:15'; }, ['invalidDate']],
    ['no deadline', (d) => { d.deadline = null; }, []],
    ['same Teams id twice', (d) => { d.participants.push({ ...gp, name: 'Anna T.' }); }, ['participantTwice']],
    [
      'same external name with other case/accents/spacing',
      (d) => { d.participants.push({ name: '  elise   FICTIVE ', required: false, external: true }); },
      ['participantTwice'],
    ],
    [
      'same name for two internal users with different ids is allowed (homonyms)',
      (d) => { d.participants.push({ id: 'aad-other', name: gp.name, required: false, external: false }); },
      [],
    ],
    [
      'internal and external with the same name are not merged',
      (d) => { d.participants.push({ name: gp.name, required: false, external: true }); },
      [],
    ],
    [
      'several problems at once',
      (d) => { d.slots = [slot('s1', '2026-02-01T10:00', 0)]; d.deadline = '2026-02-02T10:00'; },
      ['tooFewSlots', 'nonPositiveDuration', 'slotInPast', 'deadlineInPast'],
    ],
  ])('%s', (_label, mutate, expected) => {
    const draft = okDraft();
    mutate(draft);
    expect(codes(draft)).toEqual(expected);
  });

  it('reports the slot and parameters of an error', () => {
    const draft = okDraft();
    draft.slots[1].start = '2026-03-29T02:30';
    draft.participants.push({ name: 'ELISE fictive', required: false, external: true });
    expect(validatePollDraft(draft, NOW)).toEqual([
      { code: 'invalidDate', slotId: 's2', params: { value: '2026-03-29T02:30', reason: 'dstGap' } },
      { code: 'participantTwice', params: { index: 3, firstIndex: 2, name: 'ELISE fictive' } },
    ]);
  });

  it('uses the clock given as a parameter', () => {
    expect(codes(okDraft(), new Date('2026-03-21T00:00:00Z'))).toEqual(['deadlineInPast']);
  });
});

describe('normaliseName', () => {
  it.each([
    ['Élise Fictive', 'elise fictive'],
    ['  élise-FICTIVE ', 'elise fictive'],
    ['Dr. Jan  Van den Test', 'dr jan van den test'],
    ['Zoë', 'zoe'],
  ])('%s → %s', (input, expected) => expect(normaliseName(input)).toBe(expected));
});

describe('formatSlot', () => {
  it.each<[string, Slot, 'fr' | 'nl' | 'en', string | undefined, string]>([
    ['fr', slot('a', '2026-03-30T10:00', 105), 'fr', undefined, 'lun. 30 mars 2026, 10:00–11:45'],
    ['nl', slot('a', '2026-03-30T10:00', 105), 'nl', undefined, 'ma 30 maart 2026, 10:00–11:45'],
    ['en', slot('a', '2026-03-30T10:00', 105), 'en', undefined, 'Mon 30 March 2026, 10:00–11:45'],
    ['fr across the spring change', slot('a', '2026-03-29T01:30', 60), 'fr', undefined, 'dim. 29 mars 2026, 01:30–03:30'],
    ['fr across the autumn change', slot('a', '2026-10-25T01:30', 120), 'fr', undefined, 'dim. 25 octobre 2026, 01:30–02:30'],
    ['ending the next day', slot('a', '2026-06-12T23:00', 120), 'nl', undefined, 'vr 12 juni 2026, 23:00–za 13 juni 2026, 01:00'],
    ['viewed from UTC', slot('a', '2026-07-01T10:00', 60), 'en', 'UTC', 'Wed 1 July 2026, 08:00–09:00'],
  ])('%s', (_label, s, locale, zone, expected) => {
    expect(zone ? formatSlot(s, locale, zone) : formatSlot(s, locale)).toBe(expected);
  });
});
