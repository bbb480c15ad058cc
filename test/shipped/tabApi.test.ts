// The dashboard tab's API in the shipped build: the compiled bot (dist/bot/index.js) with its SSO
// pointed at a local key server; the data made by talking to the bot as Teams would (tabStory.ts:
// a request, its triage, the case, a poll, a PSI, a record), then the /api/tab calls of the cast.
import { DateTime } from 'luxon';
import type { CoordinationView, ExportLink, OrganiserView } from '../../tab/contract';
import { FOREIGN_TENANT } from '../support/ssoTokens';
import { OTHER_ORGANISER as otherOrganiser, startTabStory, TAB_CAST, TAB_MEETING, TAB_PSI_NEEDS, TabRun } from './tabStory';

jest.setTimeout(120_000);

const { coordinator: coord, organiser: org, requester: req, participants } = TAB_CAST;

describe('the shipped build answers the dashboard tab', () => {
  let tab: TabRun;
  let caseId = '';
  let waitingId = '';
  const bearer: TabRun['bearer'] = (...args) => tab.bearer(...args);
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await fetch(`${tab.run.bot.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    tab = await startTabStory();
    ({ caseId, waitingId } = tab);
  }, 120_000);

  afterAll(async () => {
    expect(await tab?.stop()).toBe(0);
  });

  it('refuses a call without a token, with an expired one, or from a foreign tenant', async () => {
    const expired = bearer(org, { exp: Math.floor(Date.now() / 1000) - 600, nbf: Math.floor(Date.now() / 1000) - 4000 });
    for (const headers of [{}, expired, bearer(org, {}, FOREIGN_TENANT), { authorization: 'Bearer not.a.token' }]) {
      expect(await get('/api/tab/organiser', headers)).toEqual({ status: 401, body: { error: 'unauthenticated' } });
    }
  });

  it('the organiser sees his case, the poll grid and his reminders', async () => {
    expect((await get('/api/tab/me', bearer(org))).body).toEqual({ displayName: org.name, roles: ['organiser'], preferredLocale: 'fr' });
    const { status, body } = await get('/api/tab/organiser', bearer(org));
    expect(status).toBe(200);
    const view = body as OrganiserView;
    expect(view.cases).toEqual([expect.objectContaining({ trackingId: caseId, status: 'scheduled', nextKind: 'concertation', conversationLinked: true, psiReadable: true })]);
    const grid = view.polls.find((p) => p.trackingId === caseId)!;
    expect(grid.slots).toHaveLength(2);
    expect(grid.suggestedSlotId).toBe('s1');
    expect(grid.participants.map((p) => [p.name, p.required, p.answered])).toEqual([
      [participants[0].name, true, true],
      [participants[1].name, false, false],
    ]);
    expect(view.concertations).toEqual([expect.objectContaining({ trackingId: caseId, start: TAB_MEETING.start().toUTC().toISO(), place: TAB_MEETING.place })]);
    expect(view.reminders.some((r) => r.trackingId === caseId && r.kind === 'meeting' && r.delivery === 'scheduled')).toBe(true);
    expect((await get(`/api/tab/cases/${caseId}/psi`, bearer(org))).body.latest.content.needs).toBe(TAB_PSI_NEEDS);
  });

  it('another organiser gets 403 on the PSI he may not read', async () => {
    expect(await get(`/api/tab/cases/${caseId}/psi`, bearer(otherOrganiser))).toEqual({ status: 403, body: { error: 'forbidden' } });
    expect((await get('/api/tab/organiser', bearer(otherOrganiser))).body.cases).toEqual([]);
  });

  it('the coordination sees the waiting request and downloads an export', async () => {
    const { status, body } = await get('/api/tab/coordination', bearer(coord));
    expect(status).toBe(200);
    const view = body as CoordinationView;
    expect(view.waiting.map((r) => r.trackingId)).toEqual([waitingId]);
    expect(view.byOrganiser).toEqual([{ organiserName: org.name, cases: [{ trackingId: caseId, status: 'scheduled' }] }]);
    for (const name of [...participants, req].map((p) => p.name)) expect(JSON.stringify(view)).not.toContain(name);
    const year = DateTime.now().year;
    const res = await fetch(`${tab.run.bot.url}/api/tab/coordination/records/export`, { method: 'POST', headers: { ...bearer(coord), 'content-type': 'application/json' }, body: JSON.stringify({ from: `${year}-01-01`, to: `${year}-12-31`, format: 'xlsx' }) });
    expect(res.status).toBe(200);
    const link = (await res.json()) as ExportLink;
    expect(link.rows).toBe(1);
    const file = await fetch(`${tab.run.bot.url}${new URL(link.url).pathname}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect((await get('/api/tab/coordination', bearer(org))).status).toBe(403);
  });

  it('serves the teams-js bundle, and nothing outside the page folder', async () => {
    const js = await fetch(`${tab.run.bot.url}/tab/vendor/teams-js.min.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('content-security-policy')).toContain('frame-ancestors');
    expect((await js.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${tab.run.bot.url}/tab/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('logs no token and no error', () => {
    const logText = JSON.stringify(tab.run.bot.logs) + tab.run.bot.rawOutput.join('\n');
    expect(tab.tokens.length).toBeGreaterThan(5);
    expect(tab.tokens.filter((t) => logText.includes(t.split('.')[2]))).toEqual([]);
    expect(tab.run.bot.errors().map((l) => `${l.msg} ${JSON.stringify(l.event ?? '')}`)).toEqual([]);
    expect(tab.run.bot.rawOutput).toEqual([]);
  });
});
