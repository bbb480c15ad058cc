import { matchActionOwners, MIN_POLL_NOTICE_MS, normaliseName, ownerNames, pollReminderDueAt } from '../../domain/followUpReminders';

const GP = { id: 'gp', names: ['Dr Gaby Test', 'Gaby Test', 'médecin généraliste'] };
const NURSE = { id: 'nurse', names: ['Nina Test', 'Soins à domicile'] };
const REFERENT = { id: 'ref', names: ['Rémi Référent'] };
const ALL = [GP, NURSE, REFERENT];

describe('names', () => {
  it.each([
    ['  Dr. Gaby   TEST ', 'dr gaby test'],
    ['Rémi Référent', 'remi referent'],
    ["L'infirmière", 'l infirmiere'],
  ])('normalises %p to %p', (raw, expected) => expect(normaliseName(raw)).toBe(expected));

  it.each([
    ['Gaby Test', ['gaby test']],
    ['Gaby Test et Nina Test', ['gaby test', 'nina test']],
    ['Gaby Test, Nina Test; Rémi / la fille + le CPAS & moi', ['gaby test', 'nina test', 'remi', 'la fille', 'le cpas', 'moi']],
    ['Gaby Test en Nina Test', ['gaby test', 'nina test']],
    ['Betty', ['betty']],
    ['', []],
  ])('splits %p', (raw, expected) => expect(ownerNames(raw)).toEqual(expected));
});

describe('matchActionOwners: exact names only, never a guess', () => {
  it.each([
    ['display name', 'Dr Gaby Test', ['gp']],
    ['linked actor name, accents and case ignored', 'REMI REFERENT', ['ref']],
    ['linked actor roles', 'Médecin généraliste', ['gp']],
    ['two people', 'Nina Test et Rémi Référent', ['nurse', 'ref']],
    ['a role nobody in Teams holds', 'Assistante sociale', []],
    ['a partial name', 'Gaby', []],
    ['a name inside a sentence', 'Gaby Test appelle le CPAS', []],
    ['empty', '   ', []],
  ])('%s: %p → %p', (_label, byWhom, expected) => expect(matchActionOwners(byWhom, ALL)).toEqual(expected));

  it('lists a person once even when several of their names match', () => {
    expect(matchActionOwners('Gaby Test / Médecin généraliste', ALL)).toEqual(['gp']);
  });
});

describe('pollReminderDueAt', () => {
  const now = new Date('2026-03-20T10:00:00Z');
  const h = (n: number) => new Date(now.getTime() + n * 3_600_000);
  it.each([
    ['deadline in 3 days: 24 h before', h(72), 24, h(48)],
    ['deadline in exactly 24 h and a minute: 1 minute from now', new Date(h(24).getTime() + 60_000), 24, new Date(now.getTime() + 60_000)],
    ['deadline in 10 h: halfway', h(10), 24, h(5)],
    ['deadline in 3 h 1 min: halfway, to the minute', new Date(h(3).getTime() + 60_000), 24, new Date(now.getTime() + 90 * 60_000)],
    ['deadline in less than the minimum notice: none', new Date(now.getTime() + MIN_POLL_NOTICE_MS - 1), 24, null],
    ['deadline passed: none', h(-1), 24, null],
    ['custom 48 h before', h(72), 48, h(24)],
  ])('%s', (_label, deadline, hoursBefore, expected) => expect(pollReminderDueAt(deadline as Date, now, hoursBefore as number)).toEqual(expected));

  it('keeps the wall-clock offset across the DST change (24 h = 24 real hours)', () => {
    const deadline = new Date('2026-03-29T16:00:00Z'); // Sunday after the spring-forward
    expect(pollReminderDueAt(deadline, now, 24)).toEqual(new Date('2026-03-28T16:00:00Z'));
  });
});
