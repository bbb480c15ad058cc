// Canned answers of the server (tab/contract.ts) for the page tests: fictional people only.
import type { CoordinationView, ExportLink, OrganiserView, PsiVersionView, PsiView, RecordsView, TabMe } from '../../tab/contract';
import { PNG } from 'pngjs';
import type { ApiHandler } from './fixtureServer';

const inDays = (d: number, hour = 10) => {
  const t = new Date(Date.now() + d * 86_400_000);
  t.setUTCHours(hour, 0, 0, 0);
  return t.toISOString();
};

/** 14:00 in Brussels (winter time): the page shows Brussels time whatever the computer's zone. */
export const CONCERTATION_START = '2027-01-14T13:00:00.000Z';

export const ORGANISER_ME: TabMe = { displayName: 'Olivia Organisatrice', roles: ['organiser'], preferredLocale: 'fr' };
export const COORDINATOR_ME: TabMe = { displayName: 'Camille Coordination', roles: ['coordinator', 'organiser'], preferredLocale: 'fr' };

export const ORGANISER: OrganiserView = {
  cases: [
    { trackingId: 'CMD-2026-0042', status: 'scheduled', nextDate: inDays(12, 13), nextKind: 'concertation', conversationLinked: true, psiReadable: true },
    { trackingId: 'CMD-2026-0043', status: 'inPreparation', nextDate: inDays(5, 17), nextKind: 'pollDeadline', conversationLinked: false, psiReadable: false },
  ],
  polls: [
    {
      pollId: 'poll-1',
      trackingId: 'CMD-2026-0043',
      status: 'open',
      deadline: inDays(5, 17),
      slots: [
        { id: 's1', start: inDays(10, 8), durationMinutes: 90, yes: 2, ifNeedBe: 0, no: 0 },
        { id: 's2', start: inDays(11, 8), durationMinutes: 90, yes: 1, ifNeedBe: 1, no: 0 },
        { id: 's3', start: inDays(12, 12), durationMinutes: 90, yes: 0, ifNeedBe: 0, no: 2 },
      ],
      participants: [
        { key: 'p1', name: 'Paul Participant', required: true, answers: { s1: 'yes', s2: 'yes', s3: 'no' }, answered: true },
        { key: 'p2', name: 'Pia Participante', required: false, answers: { s1: 'yes', s2: 'ifNeedBe', s3: 'no' }, answered: true },
        { key: 'p3', name: 'Pierre Participant', required: false, answers: {}, answered: false },
      ],
      suggestedSlotId: 's1',
    },
  ],
  concertations: [{ trackingId: 'CMD-2026-0042', seq: 1, start: CONCERTATION_START, durationMinutes: 105, place: 'Maison médicale fictive' }],
  reminders: [
    { key: 'r1', trackingId: 'CMD-2026-0042', kind: 'meeting', dueAt: inDays(-2, 8), delivery: 'sent', sentAt: inDays(-2, 8) },
    { key: 'r2', trackingId: 'CMD-2026-0042', kind: 'psiAction', dueAt: inDays(-1, 8), delivery: 'failed', sentAt: null },
    { key: 'r3', trackingId: 'CMD-2026-0042', kind: 'meeting', dueAt: inDays(3, 8), delivery: 'scheduled', sentAt: null },
  ],
};

const content = (needs: string): PsiVersionView['content'] => ({
  needs,
  objectives: 'Rester à domicile',
  projects: '',
  avoid: '',
  referent: { name: 'Olivia Organisatrice', phone: '', address: '', place: '' },
  actors: [{ id: 'a1', name: 'Paul Participant', roles: 'infirmier', contact: '', share: true, participantKey: 'p1' }],
  actions: [{ id: 'x1', what: 'Passage infirmier', how: 'quotidien', byWhom: 'Paul Participant', priorityWhen: 'urgent', urgentContact: false, dueDate: '2026-12-15' }],
  limits: '',
  note: { text: '', date: null },
  next: { date: '2027-01-10', periodicityMonths: 3 },
});

export const PSI_VERSIONS: PsiVersionView[] = [
  { version: 2, savedAt: inDays(-1), authorName: 'Olivia Organisatrice', change: 'sections,saveAction', content: content('Aide au quotidien, soins') },
  { version: 1, savedAt: inDays(-3), authorName: 'Olivia Organisatrice', change: '', content: content('Aide au quotidien') },
];
export const PSI: PsiView = { trackingId: 'CMD-2026-0042', latest: PSI_VERSIONS[0], versions: PSI_VERSIONS.map(({ content: _c, ...v }) => v) };

export const COORDINATION: CoordinationView = {
  waiting: [{ trackingId: 'CMD-2026-0044', submittedAt: inDays(-1, 9), suggestion: 'likely', locale: 'fr' }],
  byOrganiser: [{ organiserName: 'Olivia Organisatrice', cases: [{ trackingId: 'CMD-2026-0042', status: 'scheduled' }] }],
};

/** A small picture standing for the network map (the drawing is tested elsewhere). */
export const MAP_PNG: Buffer = (() => {
  const png = new PNG({ width: 60, height: 40 });
  png.data.fill(200);
  return PNG.sync.write(png);
})();

export const EXPORT: ExportLink = { url: '/exports/records-fictive.xlsx?token=abc', fileName: 'records-fictive.xlsx', rows: 1 };

/** The server as the organiser (and, with `coordinator`, the coordination) sees it, for one token. */
export function fixtureApi(token: string, me: TabMe): ApiHandler {
  return (call) => {
    if (call.authorization !== `Bearer ${token}`) return { status: 401, body: { error: 'unauthenticated' } };
    const p = call.path;
    if (p === '/api/tab/me') return { status: 200, body: me };
    if (p === '/api/tab/organiser') return { status: 200, body: ORGANISER };
    if (p === '/api/tab/cases/CMD-2026-0042/psi') return { status: 200, body: PSI };
    if (/^\/api\/tab\/cases\/CMD-2026-0042\/map\?theme=(light|dark)(&version=\d+)?$/.test(p)) return { status: 200, body: MAP_PNG };
    const version = /^\/api\/tab\/cases\/CMD-2026-0042\/psi\/(\d+)$/.exec(p);
    if (version) return { status: 200, body: PSI_VERSIONS.find((v) => v.version === Number(version[1])) };
    if (!me.roles.includes('coordinator') && p.startsWith('/api/tab/coordination')) return { status: 403, body: { error: 'forbidden' } };
    if (p === '/api/tab/coordination') return { status: 200, body: COORDINATION };
    if (p.startsWith('/api/tab/coordination/records?')) {
      const q = new URL(p, 'http://x').searchParams;
      const body: RecordsView = { from: q.get('from')!, to: q.get('to')!, rows: [{ trackingId: 'CMD-2026-0042', date: '2026-11-20', organiserName: 'Olivia Organisatrice', revision: 1, fee: '120.00' }] };
      return { status: 200, body };
    }
    if (p === '/api/tab/coordination/records/export' && call.method === 'POST') return { status: 200, body: EXPORT };
    return undefined;
  };
}
