// Who may do what: test/domain/permissions.test.ts.
import { reasonFromChoice, validateConcertation, validateParticipant } from '../../domain/caseRules';

describe('participant input', () => {
  it.each([
    [{ role: 'professional', profile: 'gp', displayName: 'Dr Alex Test' }, { ok: true, role: 'professional', profile: 'gp' }],
    [{ role: 'referent', profile: 'socialWorker', displayName: 'Sam Test' }, { ok: true, role: 'referent', profile: 'socialWorker' }],
    [{ role: 'referent', profile: '', displayName: 'Sam Test' }, { ok: true, role: 'referent', profile: null }],
    [{ role: 'carer', profile: 'gp', displayName: 'Kim Test' }, { ok: true, role: 'carer', profile: null }],
    [{ role: 'personConcerned', displayName: 'Jo Test' }, { ok: true, role: 'personConcerned', profile: null }],
    [{ role: 'professional', profile: '', displayName: 'Dr Test' }, { ok: false, code: 'profileRequired' }],
    [{ role: 'professional', profile: 'astrologer', displayName: 'Dr Test' }, { ok: false, code: 'unknownProfile' }],
    [{ role: 'boss', displayName: 'X' }, { ok: false, code: 'unknownRole' }],
    [{ role: 'organiser', displayName: 'X' }, { ok: false, code: 'organiserNotAddable' }],
    [{ role: 'carer', displayName: '   ' }, { ok: false, code: 'nameRequired' }],
    [{ role: 'carer', displayName: 'x'.repeat(121) }, { ok: false, code: 'nameTooLong' }],
  ])('%j → %j', (input, expected) => expect(validateParticipant(input)).toEqual(expected));
});

describe('concertation date and place', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const future = new Date('2026-03-10T13:00:00Z');
  it.each([
    [{ start: future, durationMinutes: 105, place: 'Domicile' }, 'ok'],
    [{ start: future, durationMinutes: 60, place: '', onlineLink: 'https://teams.example.org/meet/1' }, 'ok'],
    [{ start: new Date('2026-02-28T10:00:00Z'), durationMinutes: 60, place: 'Domicile' }, 'dateInPast'],
    [{ start: now, durationMinutes: 60, place: 'Domicile' }, 'dateInPast'],
    [{ start: new Date('nope'), durationMinutes: 60, place: 'Domicile' }, 'invalidDate'],
    [{ start: future, durationMinutes: -30, place: 'Domicile' }, 'invalidDuration'],
    [{ start: future, durationMinutes: 0, place: 'Domicile' }, 'invalidDuration'],
    [{ start: future, durationMinutes: 12.5, place: 'Domicile' }, 'invalidDuration'],
    [{ start: future, durationMinutes: NaN, place: 'Domicile' }, 'invalidDuration'],
    [{ start: future, durationMinutes: 600, place: 'Domicile' }, 'durationTooLong'],
    [{ start: future, durationMinutes: 60, place: '  ' }, 'placeRequired'],
    [{ start: future, durationMinutes: 60, place: 'x', onlineLink: 'javascript:alert(1)' }, 'invalidLink'],
  ])('%j → %s', (input, expected) => {
    const r = validateConcertation(input, now);
    expect(r.ok ? 'ok' : r.code).toBe(expected);
  });
});

describe('reason choice from a card', () => {
  it.each([
    ['', '', undefined],
    ['success', '', { code: 'success' }],
    ['negativeEffects', ' alarme de l’infirmière ', { code: 'negativeEffects', note: 'alarme de l’infirmière' }],
    ['noLongerMeetsCriteria.leftBrussels', '', { code: 'noLongerMeetsCriteria', subCode: 'leftBrussels' }],
    ['other', 'déménagement', { code: 'other', text: 'déménagement' }],
    ['other', '', { code: 'other', text: '' }],
  ])('%s / %s', (choice, text, expected) => expect(reasonFromChoice(choice, text)).toEqual(expected));
});
