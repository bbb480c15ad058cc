// The case cards render from their templates into valid 1.5 cards, in each language, in both the
// members' view and the coordination's anonymised view.
import { agendaCard, caseCard, CaseCardView, caseListCard } from '../../cards/cases';
import { SUPPORTED_LOCALES } from '../../locales/i18n';
import { cardProblems, NO_PROBLEMS } from '../support/cards';

const VERBS = ['case.status', 'case.addParticipant', 'case.removeParticipant', 'case.schedule'];

const view: CaseCardView = {
  trackingId: 'CMD-2026-0042',
  level: 'full',
  status: 'standBy',
  organiserName: 'Olivia Organisatrice',
  consentType: 'oral',
  conversationLinked: true,
  next: { start: new Date('2026-04-02T12:30:00Z'), durationMinutes: 105, place: 'Domicile', onlineLink: 'https://meet.example.org/x' },
  participants: [
    { key: 'aad:o1', role: 'organiser', profile: null, displayName: 'Olivia Organisatrice', contact: '', relation: '' },
    { key: 'ext:1', role: 'professional', profile: 'gp', displayName: 'Dr Alex Test', contact: 'alex.test@example.org', relation: '' },
    { key: 'ext:2', role: 'carer', profile: null, displayName: 'Kim Test', contact: '', relation: 'fille' },
  ],
  history: [
    { from: null, to: 'inPreparation', at: new Date('2026-03-01T09:00:00Z'), byName: '', reason: null, note: '' },
    { from: 'inPreparation', to: 'standBy', at: new Date('2026-03-02T09:00:00Z'), byName: 'Olivia Organisatrice', reason: { code: 'other', text: 'hospitalisation de Kim Test' }, note: 'à revoir' },
  ],
  canChangeStatus: true,
  canManage: true,
  canSchedule: true,
  teamsUsers: [{ value: 'aad-2', title: 'Sam Test' }],
};

describe.each(SUPPORTED_LOCALES)('case cards in %s', (locale) => {
  it('list card, with cases and empty', () => {
    const items = [{ trackingId: 'CMD-2026-0042', status: 'scheduled' as const, participantCount: 4, myRoles: ['referent'], nextConcertation: new Date('2026-04-02T12:30:00Z') }];
    expect(cardProblems(caseListCard(items, locale, false))).toEqual(NO_PROBLEMS);
    expect(cardProblems(caseListCard([], locale, true))).toEqual(NO_PROBLEMS);
  });

  it('full case card with every form', () => {
    const card = caseCard({ ...view, status: 'scheduled', error: 'erreur', values: { pName: 'Dr Test' } }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    expect(VERBS.filter((verb) => !json.includes(verb))).toEqual([]);
    expect(json).toContain('Dr Alex Test');
    expect(json).toContain('Dr Test'); // typed value given back after an error
  });

  it('anonymised card: no names, no contacts, no free-text reason, no forms', () => {
    const card = caseCard({ ...view, level: 'anonymised' }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    expect(['Dr Alex Test', 'Kim Test', 'alex.test@example.org', 'fille', 'hospitalisation', 'à revoir', 'Domicile', 'meet.example.org'].filter((s) => json.includes(s))).toEqual([]);
    expect(VERBS.filter((verb) => json.includes(verb))).toEqual([]);
    expect(json).toContain('CMD-2026-0042');
  });

  it('stays far below the Teams size limit with many participants and a long history', () => {
    const many: CaseCardView = {
      ...view,
      participants: Array.from({ length: 30 }, (_, i) => ({ key: `ext:${i}`, role: 'professional', profile: 'other', displayName: `Participant Test ${i}`, contact: 'x'.repeat(200), relation: '' })),
      history: Array.from({ length: 50 }, (_, i) => ({ ...view.history[1], at: new Date(Date.UTC(2026, 0, 1 + i)) })),
    };
    expect(cardProblems(caseCard(many, locale)).tooBig).toBe(false);
  });
});

describe.each(SUPPORTED_LOCALES)('agenda card in %s', (locale) => {
  const agenda = {
    trackingId: 'CMD-2026-0042',
    seq: 1,
    start: new Date('2026-04-02T12:30:00Z'),
    durationMinutes: 105,
    place: 'Domicile',
    onlineLink: 'https://meet.example.org/x',
    participants: [
      { role: 'organiser', profile: null, displayName: 'Olivia Organisatrice', inTeams: true, answer: 'yes' as const },
      { role: 'professional', profile: 'gp', displayName: 'Dr Alex Test', inTeams: true, answer: 'no' as const },
      { role: 'referent', profile: null, displayName: 'Sam Test', inTeams: true, answer: null },
      { role: 'personConcerned', profile: null, displayName: 'Jo Test', inTeams: false, answer: null },
    ],
    points: [
      { pointId: 'p1', text: 'Retour à domicile' },
      { pointId: 'p2', text: 'Aide pour les courses' },
    ],
  };

  it('renders valid, with date in Brussels time, participants and answers, points, the standing reminders and both answers', () => {
    const card = agendaCard({ ...agenda, viewer: 'organiser' }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    expect(json).toContain('14:30'); // 12:30 UTC in April = 14:30 in Brussels
    expect(['Jo Test', 'Dr Alex Test', '1. Retour à domicile', '2. Aide pour les courses', 'agenda.attend', 'agenda.addPoint', 'agenda.removePoint', 'https://meet.example.org/x'].filter((s) => !json.includes(s))).toEqual([]);
    expect(json).toMatch(/"seq":1/);
  });

  it('renders valid without points, link or place text', () => {
    expect(cardProblems(agendaCard({ ...agenda, points: [], onlineLink: null, error: 'x', notice: 'y' }, locale))).toEqual(NO_PROBLEMS);
  });

  it('participants view: no organiser controls; the refresh names the organiser(s), at most 60', () => {
    const card = agendaCard({ ...agenda, viewer: 'participant', refreshUserIds: ['29:o1', '29:o1', ''] }, locale) as Record<string, any>;
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    expect(['agenda.addPoint', 'agenda.removePoint', 'newPoint'].filter((s) => json.includes(s))).toEqual([]);
    expect(json).toContain('agenda.attend');
    expect(json).toContain('2. Aide pour les courses');
    expect(card.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'agenda.refresh', title: expect.any(String), data: { trackingId: 'CMD-2026-0042', seq: 1 } }, userIds: ['29:o1'] });
    const crowd = agendaCard({ ...agenda, refreshUserIds: Array.from({ length: 70 }, (_, i) => `29:o${i}`) }, locale) as Record<string, any>;
    expect(crowd.refresh.userIds).toHaveLength(60);
    expect((agendaCard(agenda, locale) as Record<string, any>).refresh).toBeUndefined();
  });

  it('labels without nested parentheses', () => {
    const json = JSON.stringify(agendaCard({ ...agenda, viewer: 'organiser' }, locale));
    const strings = [...json.matchAll(/"(?:text|title|value|label)":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    expect(strings.filter((x) => /\([^)]*\(/.test(x))).toEqual([]);
  });
});

describe('agenda wording is not only masculine', () => {
  it.each([
    ['fr', 'Je participe', /présent\b|excusé/],
    ['nl', 'Ik neem deel', /Ik zal aanwezig zijn/],
    ['en', "I'll take part", /I will attend/],
  ] as const)('%s', (locale, button, old) => {
    const card = agendaCard({ trackingId: 'CMD-2026-0042', seq: 1, start: new Date('2026-04-02T12:30:00Z'), durationMinutes: 60, place: '', onlineLink: null, participants: [{ role: 'carer', profile: null, displayName: 'Kim Test', inTeams: true, answer: 'yes' }], points: [] }, locale);
    const json = JSON.stringify(card);
    expect(json).toContain(button);
    expect(json).not.toMatch(old);
  });
});
