// The dashboard tab as users get it: the built bot (dist/bot/index.js) serves the built page
// (dist/tab/public) and /api/tab/* on its own database, filled by talking to the bot as Teams
// would (tabPageStory.ts). Debian's chromium opens the page inside a test Teams host that answers
// teams-js, with SSO tokens signed by a local key the bot is pointed to.
import fs from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import { newSigner, ssoClaims, ssoToken, startJwksServer, JwksServer, tabSsoEnv } from '../support/ssoTokens';
import { launchChromium, offline, screenshot, seriousViolations, tabUntil } from '../tab/browser';
import { HostOptions, openInHost, switchTheme } from '../tab/teamsHost';
import { EmbeddedBotRun, startOnEmbeddedDb, stopEmbeddedRun } from './botRun';
import { people, STORY_COORDINATORS } from './story';
import { playTabStory, PSI_NEEDS, TabStory } from './tabPageStory';

jest.setTimeout(60_000);

const cast = people('fr');
const signer = newSigner('tab-shipped-key');
const tokenOf = (aadObjectId: string) => ssoToken(signer, ssoClaims(aadObjectId));
let jwks: JwksServer;
let run: EmbeddedBotRun;
let story: TabStory;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  jwks = await startJwksServer([signer]);
  run = await startOnEmbeddedDb(tabSsoEnv(jwks.url, { BOOTSTRAP_COORDINATOR_IDS: STORY_COORDINATORS.join(','), DB_NAME: 'tab' }));
  story = await playTabStory(run.client, cast);
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  for (const p of pages.splice(0)) await p.close();
});

afterAll(async () => {
  await browser?.close();
  const code = await stopEmbeddedRun(run);
  await jwks?.close();
  expect(code).toBe(0);
});

async function openTab(options: HostOptions): Promise<{ page: Page; tab: Frame; apiCalls: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
  pages.push(page);
  await offline(page);
  const apiCalls: string[] = [];
  page.on('request', (r) => r.url().includes('/api/tab/') && apiCalls.push(r.url()));
  await openInHost(page, run.bot.url, options);
  const tab = page.frame({ url: /\/tab\/index\.html$/ });
  if (!tab) throw new Error('no tab frame');
  await tab.waitForSelector('body:not([data-state="loading"])');
  return { page, tab, apiCalls };
}

describe('the dashboard tab on the built bot', () => {
  it('shows the organiser his case and its poll grid in French, readable in light, dark and contrast', async () => {
    const { organiser: org, participants } = cast;
    const { page, tab } = await openTab({ locale: 'fr-BE', theme: 'default', token: tokenOf(org.aadObjectId) });
    expect(await tab.getAttribute('body', 'data-state')).toBe('ready');
    expect(await tab.locator('.welcome').innerText()).toContain(org.name);
    expect(await tab.locator('#cases table').innerText()).toContain(story.caseId);
    const grid = tab.locator('#polls table.grid');
    expect(await grid.locator('caption').innerText()).toContain(story.caseId);
    const rows = await grid.locator('tbody tr').allInnerTexts();
    expect(rows.find((r) => r.includes(participants[0].name))).toMatch(/obligatoire[\s\S]*✓\s*oui[\s\S]*~\s*si nécessaire/);
    expect(rows.find((r) => r.includes(participants[2].name))).toMatch(/\?\s*pas de réponse/);
    expect(await tab.locator('#polls .waiting').innerText()).toContain(participants[2].name);
    expect(await grid.locator('thead th.suggested').innerText()).toContain('suggéré');

    const background = () => tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const seen = new Set<string>();
    for (const [teams, theme] of [['default', 'light'], ['dark', 'dark'], ['contrast', 'contrast']] as const) {
      if (teams !== 'default') await switchTheme(page, teams);
      await tab.waitForSelector(`html[data-theme="${theme}"]`);
      seen.add(await background());
      expect(await seriousViolations(tab)).toEqual([]);
      await screenshot(page, `shipped-organiser-${theme}`);
    }
    expect(seen.size).toBe(3);
  });

  it('speaks Dutch when the Teams context does', async () => {
    const { tab } = await openTab({ locale: 'nl-BE', token: tokenOf(cast.organiser.aadObjectId) });
    expect(await tab.getAttribute('html', 'lang')).toBe('nl');
    expect(await tab.locator('#cases-title').innerText()).toBe('Mijn dossiers');
    expect(await tab.locator('#polls table.grid caption').innerText()).toMatch(new RegExp(`Peiling van dossier ${story.caseId}`));
  });

  it("opens the case's latest PSI from the keyboard, and an earlier version from the select", async () => {
    const { page, tab } = await openTab({ locale: 'fr-BE', token: tokenOf(cast.organiser.aadObjectId) });
    await tabUntil(page, tab, `button[aria-label="Voir le PSI de ${story.caseId}"]`);
    await page.keyboard.press('Enter');
    await tab.waitForSelector('#psi .psi-version[data-version="2"]');
    expect(await tab.locator('#psi .psi-version').innerText()).toContain(PSI_NEEDS[1]);
    expect(await tab.evaluate(() => document.activeElement?.id)).toBe('psi-version');
    expect(await tab.locator('#psi-version option').count()).toBe(2);
    await tab.selectOption('#psi-version', '1');
    await tab.waitForSelector('#psi .psi-version[data-version="1"]');
    expect(await tab.locator('#psi .psi-version').innerText()).toContain(PSI_NEEDS[0]);
  });

  it('shows the coordinator the waiting request, and the export button, reached by keyboard, gives a download', async () => {
    const { page, tab } = await openTab({ locale: 'fr-BE', token: tokenOf(cast.coordinator.aadObjectId) });
    const waiting = await tab.locator('#waiting table').innerText();
    expect(waiting).toContain(story.waitingId);
    expect(waiting).not.toContain(story.caseId);
    expect(await tab.locator('#by-organiser table').innerText()).toMatch(new RegExp(`${cast.organiser.name}[\\s\\S]*${story.caseId}`));
    expect(await seriousViolations(tab)).toEqual([]);
    await tabUntil(page, tab, '#records-export');
    await page.keyboard.press('Enter');
    const link = tab.locator('#records .export-link a');
    await link.waitFor();
    expect(await tab.locator('#status').innerText()).toMatch(/^Export prêt : (1 fiche|\d+ fiches)\.$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(fs.readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');
  });

  it('opened outside Teams, says so and calls no API', async () => {
    const page = await browser.newPage();
    pages.push(page);
    await offline(page);
    const apiCalls: string[] = [];
    page.on('request', (r) => r.url().includes('/api/') && apiCalls.push(r.url()));
    await page.goto(`${run.bot.url}/tab`);
    await page.waitForSelector('body[data-state="outside"]');
    expect(await page.locator('p.outside').count()).toBe(3);
    expect(await page.locator('main').innerText()).toContain("Cette page s'ouvre dans Microsoft Teams");
    expect(apiCalls).toEqual([]);
  });

  it('a token signed by another key is refused, and the page says so in words', async () => {
    const stranger = newSigner('not-the-tenant');
    const { tab, apiCalls } = await openTab({ locale: 'nl-BE', token: ssoToken(stranger, ssoClaims(cast.organiser.aadObjectId)) });
    expect(await tab.getAttribute('body', 'data-state')).toBe('error');
    expect(await tab.locator('#status').innerText()).toContain('Uw identiteit kon niet worden gecontroleerd');
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(await tab.locator('table').count()).toBe(0);
  });

  it('logged no error', () => {
    expect(run.client.problems).toEqual([]);
    expect(run.bot.errors().map((l) => `${l.msg} ${JSON.stringify(l.err ?? l.event ?? '')}`)).toEqual([]);
  });
});

