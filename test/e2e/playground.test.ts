// Black-box: the Microsoft 365 Agents Playground (a local Teams emulator, channel msteams) talks to
// a real bot instance, and headless Chromium clicks and types in it as a person would.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { freePort } from '../../tools/embeddedDb';
import { RunningApp, startTestApp } from '../support/app';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
// In CI the browser is installed by .ci/run: its absence there is a failure, not a skip.
const describeBrowser = haveChromium || process.env.CI ? describe : describe.skip;

async function startPlayground(botPort: number, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'tools', 'playground.js')], {
    env: { ...process.env, PORT: String(botPort), PLAYGROUND_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Agents Playground did not start')), 30000);
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes(`Listening on ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the Agents Playground exited (${code})`)));
  });
  return child;
}

async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The bot's messages shown so far (each has an author header, as story.e2e.js reads them). */
const BOT_MESSAGE = '[aria-label="Message author"]';
const botMessageCount = (page: Page): Promise<number> => page.evaluate((sel) => document.querySelectorAll(sel).length, BOT_MESSAGE);

/** Says `text` and waits for the bot's next message (the next question), so answers never run ahead of questions. */
async function answer(page: Page, text: string): Promise<void> {
  const since = await botMessageCount(page);
  await say(page, text);
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length > (n as number), [BOT_MESSAGE, since] as const, { timeout: 20000 });
}

describeBrowser('in the Microsoft 365 Agents Playground (msteams channel)', () => {
  jest.setTimeout(120000);
  let running: RunningApp;
  let playground: ChildProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestApp();
    const botPort = Number(new URL(running.url).port);
    const port = await freePort();
    playground = await startPlayground(botPort, port);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`http://localhost:${port}`, { waitUntil: 'networkidle' });
  });

  afterAll(async () => {
    await browser?.close();
    if (playground && playground.exitCode === null) {
      const exited = new Promise((resolve) => playground.once('exit', resolve));
      playground.kill('SIGTERM');
      const timer = setTimeout(() => playground.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await running?.close();
  });

  it('welcomes on installation with the help card', async () => {
    await page.getByText('anonymous admissibility sheet').first().waitFor({ timeout: 20000 });
  });

  it('starts the anonymous request when the user clicks "New request" on the help card', async () => {
    await page.getByRole('button', { name: 'New request' }).last().click();
    await page.getByText('Who is asking?').first().waitFor({ timeout: 20000 });
    await say(page, 'professional');
    await page.getByText('Question 3 of').first().waitFor({ timeout: 20000 });
  });

  it('refuses an identifying answer in a field about the person and asks again', async () => {
    for (const a of ['Test organisation', 'elderly', 'social worker', '02 123 45 67', 'skip', 'skip', '72', 'at home', 'Ixelles']) {
      await answer(page, a);
    }
    await page.getByText('Describe the situation').first().waitFor({ timeout: 20000 });
    await say(page, 'Mrs Jeanne Fictive lives alone and refuses home care.');
    await page.getByText("seems to contain a person's name").first().waitFor({ timeout: 20000 });
    await page.screenshot({ path: path.join(__dirname, '..', '..', 'test-results', 'playground-anonymity.png') }).catch(() => undefined);
  });
});
