// The dashboard tab as built (dist/tab/public), in Debian's chromium inside a test Teams host that
// answers teams-js: languages from the Teams context, the organiser's and the coordination's views
// from canned server answers, refusals in words, outside Teams, themes, axe-core and the keyboard.
// (test/shipped/tab.test.ts runs the same page, and the API it calls, on the built bot and its database.)
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { buildOnce, ENTRY } from '../shipped/builtBot';
import { launchChromium, screenshot, seriousViolations, tabUntil } from './browser';
import { CONCERTATION_START, COORDINATOR_ME, fixtureApi, ORGANISER_ME } from './fixtures';
import { FixtureServer, startFixtureServer } from './fixtureServer';
import { HostOptions, offline, openTab as openTabInHost, switchTheme } from './teamsHost';

jest.setTimeout(60_000);

const TOKEN = 'fictive-sso-token';
let browser: Browser;
let server: FixtureServer;

beforeAll(async () => {
  buildOnce();
  server = await startFixtureServer(path.join(path.dirname(ENTRY), '..', 'tab', 'public'));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const pages: Page[] = [];
afterEach(async () => {
  for (const p of pages.splice(0)) await p.close();
});

async function openTab(options: Partial<HostOptions> = {}): Promise<{ page: Page; tab: Frame }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  pages.push(page);
  const tab = await openTabInHost(page, server.origin, { locale: 'fr-BE', token: TOKEN, ...options });
  return { page, tab };
}

const text = (tab: Frame, selector: string) => tab.locator(selector).innerText();

describe('the dashboard tab in a Teams host', () => {
  it('shows the organiser his cases, the poll grid, concertations and reminders, in French from the Teams context', async () => {
    server.answer(fixtureApi(TOKEN, ORGANISER_ME));
    const before = server.calls.length;
    const { tab } = await openTab({ locale: 'fr-BE' });
    expect(await tab.getAttribute('body', 'data-state')).toBe('ready');
    expect(await tab.getAttribute('html', 'lang')).toBe('fr');
    const calls = server.calls.slice(before);
    expect(calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/api/tab/me', '/api/tab/organiser']));
    expect(calls.every((c) => c.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const cases = await text(tab, '#cases table');
    expect(cases).toContain('CMD-2026-0042');
    expect(cases).toContain('planifié');
    expect(cases).toContain('clôture du sondage');
    const grid = tab.locator('#polls table.grid');
    expect(await grid.locator('caption').innerText()).toContain('CMD-2026-0043');
    expect(await grid.locator('thead th').count()).toBe(4);
    expect(await grid.locator('thead th.suggested').innerText()).toMatch(/★\s*suggéré/);
    expect(await grid.locator('tbody tr').nth(0).locator('th').innerText()).toMatch(/Paul Participant.*obligatoire/s);
    expect(await grid.locator('tbody tr').nth(1).locator('td').nth(1).innerText()).toMatch(/~\s*si nécessaire/);
    expect(await grid.locator('tbody tr').nth(2).locator('td').first().innerText()).toMatch(/\?\s*pas de réponse/);
    expect(await text(tab, '#polls .waiting')).toBe('Pas encore répondu : Pierre Participant');
    // Brussels time whatever the machine's zone: 13:00 UTC in January reads 14:00.
    const concertations = await text(tab, '#concertations table');
    expect(concertations).toContain('Maison médicale fictive');
    expect(concertations).toContain('14:00');
    expect(CONCERTATION_START).toContain('T13:00');
    const reminders = await text(tab, '#reminders table');
    expect(reminders).toMatch(/✗\s*échec/);
    expect(reminders).toMatch(/✓\s*envoyé/);
    // An organiser is no coordinator: no coordination view, nothing asked for it.
    expect(await tab.locator('#coordination').count()).toBe(0);
    expect(calls.some((c) => c.path.startsWith('/api/tab/coordination'))).toBe(false);
  });

  it.each([
    ['nl-BE', 'nl', 'Mijn dossiers', 'gepland'],
    ['en-US', 'en', 'My cases', 'scheduled'],
    ['de-DE', 'fr', 'Mes dossiers', 'planifié'],
  ])('Teams locale %s → the page in %s', async (teamsLocale, lang, heading, status) => {
    server.answer(fixtureApi(TOKEN, ORGANISER_ME));
    const { tab } = await openTab({ locale: teamsLocale });
    expect(await tab.getAttribute('html', 'lang')).toBe(lang);
    expect(await text(tab, '#cases-title')).toBe(heading);
    expect(await text(tab, '#cases table')).toContain(status);
  });

  it('opens the latest PSI of a case and another version from the select, by keyboard', async () => {
    server.answer(fixtureApi(TOKEN, ORGANISER_ME));
    const { page, tab } = await openTab({ locale: 'nl-BE' });
    const button = tab.getByRole('button', { name: 'Zorgplan van CMD-2026-0042 bekijken' });
    await tabUntil(page, tab, 'button[aria-label="Zorgplan van CMD-2026-0042 bekijken"]');
    await page.keyboard.press('Enter');
    await tab.waitForSelector('#psi [data-version="2"]');
    expect(await text(tab, '#psi')).toContain('Aide au quotidien, soins');
    // What the version changed, in words (stored as the kinds of edit).
    expect(await text(tab, '#psi .meta')).toMatch(/rubrieken, actie toegevoegd of gewijzigd$/);
    // The version select has the focus once the PSI opens.
    expect(await tab.evaluate(() => document.activeElement?.id)).toBe('psi-version');
    // The network map, fetched with the token in the page's theme, shown from an object URL (the CSP allows blob: images).
    const map = tab.locator('#psi figure.psi-map img');
    await map.waitFor();
    expect(await map.getAttribute('alt')).toMatch(/^Netwerkkaart van het zorgplan van dossier CMD-2026-0042, versie 2/);
    expect(await map.getAttribute('src')).toMatch(/^blob:/);
    await tab.waitForFunction(() => (document.querySelector('#psi figure.psi-map img') as HTMLImageElement | null)?.naturalWidth === 60);
    expect(server.calls.filter((c) => c.path.includes('/map?')).map((c) => [c.path, c.authorization])).toEqual([['/api/tab/cases/CMD-2026-0042/map?theme=light&version=2', `Bearer ${TOKEN}`]]);
    expect(await tab.locator('#psi-version option').allInnerTexts()).toEqual([expect.stringMatching(/^Versie 2 van .* door Olivia Organisatrice$/), expect.stringMatching(/^Versie 1 /)]);
    await tab.selectOption('#psi-version', '1');
    await tab.waitForSelector('#psi [data-version="1"]');
    expect(await text(tab, '#psi .psi-version')).not.toContain('soins');
    await tab.getByRole('button', { name: 'Zorgplan sluiten' }).click();
    expect(await tab.locator('#psi').count()).toBe(0);
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('shows the coordination the waiting requests, the cases by organiser, the records, and an export link', async () => {
    server.answer(fixtureApi(TOKEN, COORDINATOR_ME));
    const { page, tab } = await openTab({ locale: 'fr-BE' });
    expect(await text(tab, '#waiting table')).toMatch(/CMD-2026-0044.*probablement recevable/s);
    expect(await text(tab, '#by-organiser table')).toMatch(/Olivia Organisatrice.*CMD-2026-0042 \(planifié\)/s);
    expect(await tab.locator('label[for="records-from"]').innerText()).toBe('Du');
    await tab.fill('#records-from', '2026-01-01');
    await tab.fill('#records-to', '2026-12-31');
    await tab.getByRole('button', { name: 'Afficher' }).click();
    await tab.waitForSelector('#records table');
    expect(await text(tab, '#records table caption')).toBe('Fiches de concertation du 1 janvier 2026 au 31 décembre 2026');
    await tabUntil(page, tab, '#records-export');
    const posted = server.calls.length;
    await page.keyboard.press('Enter');
    const link = tab.locator('#records .export-link a');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/exports/records-fictive.xlsx?token=abc');
    expect(await link.innerText()).toBe('Télécharger records-fictive.xlsx');
    expect(JSON.parse(server.calls[posted].body)).toEqual({ from: '2026-01-01', to: '2026-12-31', format: 'xlsx' });
    expect(await text(tab, '#status')).toBe('Export prêt : 1 fiche.');
  });

  it('opened outside Teams, says so in French, Dutch and English and asks the server nothing', async () => {
    const page = await browser.newPage();
    pages.push(page);
    await offline(page);
    const before = server.calls.length;
    await page.goto(`${server.origin}/tab/index.html`);
    await page.waitForSelector('body[data-state="outside"]');
    expect(await page.locator('p.outside').allInnerTexts()).toEqual([
      expect.stringContaining('Cette page s\'ouvre dans Microsoft Teams'),
      expect.stringContaining('Deze pagina opent in Microsoft Teams'),
      expect.stringContaining('This page opens inside Microsoft Teams'),
    ]);
    expect(await page.locator('table').count()).toBe(0);
    expect(server.calls.length).toBe(before);
  });

  it('in a frame that is not Teams (nobody answers initialize), says so after a few seconds and asks the server nothing', async () => {
    const before = server.calls.length;
    const { page, tab } = await openTab({ silent: true });
    expect(await tab.getAttribute('body', 'data-state')).toBe('outside');
    expect(await tab.locator('p.outside').count()).toBe(3);
    expect(await page.evaluate(() => (window as unknown as { __received: string[] }).__received)).toContain('initialize');
    expect(server.calls.length).toBe(before);
  });

  it.each([
    ['no token from Teams', { token: null }, undefined, "Votre identité n'a pas pu être vérifiée"],
    ['a token the server refuses', { token: 'someone-else' }, undefined, "Votre identité n'a pas pu être vérifiée"],
    ['the server is down', {}, 503, 'Le service est momentanément indisponible'],
    ['a refusal, in Dutch', { locale: 'nl-BE' }, 403, 'U hebt geen toegang tot deze gegevens'],
  ] as const)('%s: a message in words and no data', async (_what, options, status, message) => {
    server.answer(status ? () => ({ status, body: status === 403 ? { error: 'forbidden' } : {} }) : fixtureApi(TOKEN, ORGANISER_ME));
    const { tab } = await openTab(options);
    expect(await tab.getAttribute('body', 'data-state')).toBe('error');
    expect(await text(tab, '#status')).toContain(message);
    expect(await tab.getAttribute('#status', 'role')).toBe('status');
    expect(await tab.locator('table').count()).toBe(0);
  });

  it('follows the Teams theme (light, dark, contrast), stays readable for axe-core, and saves screenshots', async () => {
    server.answer(fixtureApi(TOKEN, COORDINATOR_ME));
    const { page, tab } = await openTab({ theme: 'default' });
    const background = () => tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const seen: Record<string, string> = {};
    for (const [teams, theme] of [['default', 'light'], ['dark', 'dark'], ['contrast', 'contrast']] as const) {
      if (teams !== 'default') await switchTheme(page, teams);
      await tab.waitForSelector(`html[data-theme="${theme}"]`);
      seen[theme] = await background();
      expect(await seriousViolations(tab)).toEqual([]);
      await screenshot(page, `fixture-${theme}`);
    }
    expect(seen).toEqual({ light: 'rgb(255, 255, 255)', dark: 'rgb(31, 31, 31)', contrast: 'rgb(0, 0, 0)' });
    // The check sees a violation when there is one: an input without a label.
    await tab.evaluate(() => document.getElementById('main')!.append(Object.assign(document.createElement('input'), { type: 'text' })));
    expect((await seriousViolations(tab)).join()).toContain('label');
  });
});
