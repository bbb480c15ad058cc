// The dashboard tab as users get it: the built bot (dist/bot/index.js) serves the built page
// (dist/tab/public) and /api/tab/* on its own database, filled by talking to the bot as Teams would
// (tabStory.ts: a request, its triage, the case, a poll, a PSI, a record), with SSO tokens signed by
// a local key the bot is pointed to. One bot run answers both the cast's API calls and Debian's
// chromium, which opens the page inside a test Teams host that answers teams-js.
import fs from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser, Frame, Page } from 'playwright-core';
import type { CoordinationView, ExportLink, OrganiserView } from '../../tab/contract';
import { FOREIGN_TENANT, newSigner, ssoClaims, ssoToken } from '../support/ssoTokens';
import { launchChromium, screenshot, seriousViolations, tabUntil } from '../tab/browser';
import { HostOptions, offline, openTab as openTabInHost, switchTheme } from '../tab/teamsHost';
import { OTHER_ORGANISER as otherOrganiser, PSI_NEEDS, startTabStory, TAB_CAST as cast, TAB_MEETING, TabRun } from './tabStory';

jest.setTimeout(120_000);

const { coordinator: coord, organiser: org, requester: req, participants } = cast;
let tab: TabRun;
let browser: Browser;

beforeAll(async () => {
  tab = await startTabStory();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  expect(await tab?.stop()).toBe(0);
});

describe('the shipped build answers the dashboard API', () => {
  const bearer: TabRun['bearer'] = (...args) => tab.bearer(...args);
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await fetch(`${tab.run.bot.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('refuses a call without a token, with an expired one, or from a foreign tenant', async () => {
    const expired = bearer(org, { exp: Math.floor(Date.now() / 1000) - 600, nbf: Math.floor(Date.now() / 1000) - 4000 });
    for (const headers of [{}, expired, bearer(org, {}, FOREIGN_TENANT), { authorization: 'Bearer not.a.token' }]) {
      expect(await get('/api/tab/organiser', headers)).toEqual({ status: 401, body: { error: 'unauthenticated' } });
    }
  });

  it('the organiser sees his case, the poll grid, his reminders and both PSI versions', async () => {
    expect((await get('/api/tab/me', bearer(org))).body).toEqual({ displayName: org.name, roles: ['organiser'], preferredLocale: 'fr' });
    const { status, body } = await get('/api/tab/organiser', bearer(org));
    expect(status).toBe(200);
    const view = body as OrganiserView;
    expect(view.cases).toEqual([expect.objectContaining({ trackingId: tab.caseId, status: 'scheduled', nextKind: 'concertation', conversationLinked: true, psiReadable: true })]);
    const grid = view.polls.find((p) => p.trackingId === tab.caseId)!;
    expect(grid.slots).toHaveLength(2);
    expect(grid.suggestedSlotId).toBe('s1');
    expect(grid.participants.map((p) => [p.name, p.required, p.answered])).toEqual([
      [participants[0].name, true, true],
      [participants[1].name, false, true],
      [participants[2].name, false, false],
    ]);
    expect(view.concertations).toEqual([expect.objectContaining({ trackingId: tab.caseId, start: TAB_MEETING.start().toUTC().toISO(), place: TAB_MEETING.place })]);
    expect(view.reminders.some((r) => r.trackingId === tab.caseId && r.kind === 'meeting' && r.delivery === 'scheduled')).toBe(true);
    const psi = (await get(`/api/tab/cases/${tab.caseId}/psi`, bearer(org))).body;
    expect(psi.latest.content.needs).toBe(PSI_NEEDS[1]);
    expect(psi.versions.map((v: { version: number }) => v.version).sort()).toEqual([1, 2]);
    expect((await get(`/api/tab/cases/${tab.caseId}/psi/1`, bearer(org))).body.content.needs).toBe(PSI_NEEDS[0]);
  });

  it('another organiser, in the case chat and its poll, gets 403 on the PSI he may not read', async () => {
    expect(await get(`/api/tab/cases/${tab.caseId}/psi`, bearer(otherOrganiser))).toEqual({ status: 403, body: { error: 'forbidden' } });
    expect((await get('/api/tab/organiser', bearer(otherOrganiser))).body.cases).toEqual([]);
  });

  it('the coordination sees the waiting request and downloads an export', async () => {
    const { status, body } = await get('/api/tab/coordination', bearer(coord));
    expect(status).toBe(200);
    const view = body as CoordinationView;
    expect(view.waiting.map((r) => r.trackingId)).toEqual([tab.waitingId]);
    expect(view.byOrganiser).toEqual([{ organiserName: org.name, cases: [{ trackingId: tab.caseId, status: 'scheduled' }] }]);
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
});

describe('the dashboard page on the built bot, in chromium', () => {
  const pages: Page[] = [];
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
  });

  /** A page kept offline, closed after the test, with the URLs it asked of `api`. */
  async function newPage(api: string): Promise<{ page: Page; apiCalls: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
    pages.push(page);
    await offline(page);
    const apiCalls: string[] = [];
    page.on('request', (r) => r.url().includes(api) && apiCalls.push(r.url()));
    return { page, apiCalls };
  }

  async function openTab(options: HostOptions): Promise<{ page: Page; frame: Frame; apiCalls: string[] }> {
    const { page, apiCalls } = await newPage('/api/tab/');
    return { page, frame: await openTabInHost(page, tab.run.bot.url, options), apiCalls };
  }

  it('shows the organiser his case and its poll grid in French, readable in light, dark and contrast', async () => {
    const { page, frame } = await openTab({ locale: 'fr-BE', theme: 'default', token: tab.token(org) });
    expect(await frame.getAttribute('body', 'data-state')).toBe('ready');
    expect(await frame.locator('.welcome').innerText()).toContain(org.name);
    expect(await frame.locator('#cases table').innerText()).toContain(tab.caseId);
    const grid = frame.locator('#polls table.grid');
    expect(await grid.locator('caption').innerText()).toContain(tab.caseId);
    const rows = await grid.locator('tbody tr').allInnerTexts();
    expect(rows.find((r) => r.includes(participants[0].name))).toMatch(/obligatoire[\s\S]*✓\s*oui[\s\S]*~\s*si nécessaire/);
    expect(rows.find((r) => r.includes(participants[2].name))).toMatch(/\?\s*pas de réponse/);
    expect(await frame.locator('#polls .waiting').innerText()).toContain(participants[2].name);
    expect(await grid.locator('thead th.suggested').innerText()).toContain('suggéré');

    const background = () => frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const seen = new Set<string>();
    for (const [teams, theme] of [['default', 'light'], ['dark', 'dark'], ['contrast', 'contrast']] as const) {
      if (teams !== 'default') await switchTheme(page, teams);
      await frame.waitForSelector(`html[data-theme="${theme}"]`);
      seen.add(await background());
      expect(await seriousViolations(frame)).toEqual([]);
      await screenshot(page, `shipped-organiser-${theme}`);
    }
    expect(seen.size).toBe(3);
  });

  it('speaks Dutch when the Teams context does', async () => {
    const { frame } = await openTab({ locale: 'nl-BE', token: tab.token(org) });
    expect(await frame.getAttribute('html', 'lang')).toBe('nl');
    expect(await frame.locator('#cases-title').innerText()).toBe('Mijn dossiers');
    expect(await frame.locator('#polls table.grid caption').innerText()).toMatch(new RegExp(`Peiling van dossier ${tab.caseId}`));
  });

  it("opens the case's latest PSI from the keyboard, and an earlier version from the select", async () => {
    const { page, frame } = await openTab({ locale: 'fr-BE', token: tab.token(org) });
    await tabUntil(page, frame, `button[aria-label="Voir le PSI de ${tab.caseId}"]`);
    await page.keyboard.press('Enter');
    await frame.waitForSelector('#psi .psi-version[data-version="2"]');
    expect(await frame.locator('#psi .psi-version').innerText()).toContain(PSI_NEEDS[1]);
    expect(await frame.evaluate(() => document.activeElement?.id)).toBe('psi-version');
    expect(await frame.locator('#psi-version option').count()).toBe(2);
    await frame.selectOption('#psi-version', '1');
    await frame.waitForSelector('#psi .psi-version[data-version="1"]');
    expect(await frame.locator('#psi .psi-version').innerText()).toContain(PSI_NEEDS[0]);
  });

  it('shows the coordinator the waiting request, and the export button, reached by keyboard, gives a download', async () => {
    const { page, frame } = await openTab({ locale: 'fr-BE', token: tab.token(coord) });
    const waiting = await frame.locator('#waiting table').innerText();
    expect(waiting).toContain(tab.waitingId);
    expect(waiting).not.toContain(tab.caseId);
    expect(await frame.locator('#by-organiser table').innerText()).toMatch(new RegExp(`${org.name}[\\s\\S]*${tab.caseId}`));
    expect(await seriousViolations(frame)).toEqual([]);
    await tabUntil(page, frame, '#records-export');
    await page.keyboard.press('Enter');
    const link = frame.locator('#records .export-link a');
    await link.waitFor();
    expect(await frame.locator('#status').innerText()).toMatch(/^Export prêt : (1 fiche|\d+ fiches)\.$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(fs.readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');
  });

  it('opened outside Teams, says so and calls no API', async () => {
    const { page, apiCalls } = await newPage('/api/');
    await page.goto(`${tab.run.bot.url}/tab`);
    await page.waitForSelector('body[data-state="outside"]');
    expect(await page.locator('p.outside').count()).toBe(3);
    expect(await page.locator('main').innerText()).toContain("Cette page s'ouvre dans Microsoft Teams");
    expect(apiCalls).toEqual([]);
  });

  it('a token signed by another key is refused, and the page says so in words', async () => {
    const stranger = newSigner('not-the-tenant');
    const { frame, apiCalls } = await openTab({ locale: 'nl-BE', token: ssoToken(stranger, ssoClaims(org.aadObjectId)) });
    expect(await frame.getAttribute('body', 'data-state')).toBe('error');
    expect(await frame.locator('#status').innerText()).toContain('Uw identiteit kon niet worden gecontroleerd');
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(await frame.locator('table').count()).toBe(0);
  });
});

describe('after the API calls and the pages', () => {
  it('logs no token and no error', () => {
    const logText = JSON.stringify(tab.run.bot.logs) + tab.run.bot.rawOutput.join('\n');
    expect(tab.tokens.length).toBeGreaterThan(5);
    expect(tab.tokens.filter((t) => logText.includes(t.split('.')[2]))).toEqual([]);
    expect(tab.run.client.problems).toEqual([]);
    expect(tab.run.bot.errors().map((l) => `${l.msg} ${JSON.stringify(l.err ?? l.event ?? '')}`)).toEqual([]);
    expect(tab.run.bot.rawOutput).toEqual([]);
  });
});
