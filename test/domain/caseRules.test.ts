import { Actor, can, CaseAction, reasonFromChoice, validateConcertation, validateParticipant, viewLevel } from '../../domain/caseRules';

const organiser: Actor = { isOrganiser: true, isCoordinator: false, roles: [] };
const referent: Actor = { isOrganiser: false, isCoordinator: false, roles: ['referent'] };
const professional: Actor = { isOrganiser: false, isCoordinator: false, roles: ['professional'] };
const person: Actor = { isOrganiser: false, isCoordinator: false, roles: ['personConcerned'] };
const coordinator: Actor = { isOrganiser: false, isCoordinator: true, roles: [] };
const stranger: Actor = { isOrganiser: false, isCoordinator: false, roles: [] };

describe('who may do what in a case', () => {
  const ACTORS = { organiser, referent, professional, person, coordinator, stranger };
  // action: organiser, referent, professional, person, coordinator, stranger
  it.each<[CaseAction, boolean[]]>([
    ['view', [true, true, true, true, true, false]],
    ['changeStatus', [true, true, false, false, false, false]],
    ['editPsi', [true, true, false, false, false, false]],
    ['manageParticipants', [true, false, false, false, false, false]],
    ['schedule', [true, false, false, false, false, false]],
    ['editAgenda', [true, false, false, false, false, false]],
    ['linkConversation', [true, false, false, false, true, false]],
    ['respondAttendance', [true, true, true, true, false, false]],
  ])('%s', (action, expected) => {
    expect(Object.values(ACTORS).map((a) => can(action, a))).toEqual(expected);
  });

  it.each([
    ['organiser', organiser, 'full'],
    ['referent', referent, 'full'],
    ['coordinator', coordinator, 'anonymised'],
    ['coordinator who is also a participant', { ...coordinator, roles: ['carer'] } as Actor, 'full'],
    ['stranger', stranger, 'none'],
  ])('%s sees the case %s', (_n, actor, level) => expect(viewLevel(actor)).toBe(level));
});

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
