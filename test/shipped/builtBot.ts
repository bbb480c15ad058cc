// The bot as users run it: `npm run build`, then the compiled entry point (what `npm start` runs)
// as a child process with its own embedded database, ports and data folder. Its JSON log lines are
// kept so a test can fail on any error the bot logged.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../tools/embeddedDb';

export const ROOT = path.resolve(__dirname, '..', '..');
// SHIPPED_BUILD_DIR (a folder inside the project, e.g. `.build-mine`) lets two people run the
// shipped suite from one checkout without compiling over each other's dist/.
const OUT_DIR = process.env.SHIPPED_BUILD_DIR ? path.resolve(ROOT, process.env.SHIPPED_BUILD_DIR) : path.join(ROOT, 'dist');
export const ENTRY = path.join(OUT_DIR, 'bot', 'index.js');

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface BuiltBot {
  url: string;
  /** The process id of the bot (not of its embedded database). */
  pid: number;
  /** The data folder (the embedded database's files live under it). */
  dataDir: string;
  /** The embedded database's port (unused when MONGODB_URI is given). */
  dbPort: number;
  logs: LogLine[];
  /** Lines the bot printed that are not JSON (a crash trace, a console.error). */
  rawOutput: string[];
  errors(): LogLine[];
  /** SIGTERM, then SIGKILL after 20 s; removes the data folder unless it was given by the caller. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash or an OOM kill would: nothing is drained; the data folder is kept. */
  kill(): Promise<void>;
}

export interface BuiltBotOptions {
  /**
   * An existing data folder to start on (a restart after a crash keeps its embedded database);
   * the caller then removes it. Default: a fresh temporary folder, removed by stop().
   */
  dataDir?: string;
}

let built = false;

/** Builds exactly as `npm run build` does (once per test process). */
export function buildOnce(): void {
  // SHIPPED_PREBUILT=1: run the build already in the output folder (compiled earlier, e.g. while
  // other people's edits in the same checkout do not compile).
  if (built || (process.env.SHIPPED_PREBUILT === '1' && fs.existsSync(ENTRY))) return;
  // One compile per test run, not per test file (each file has its own module registry): the
  // global setup names the run, and the first file's compile leaves a mark for the others.
  const run = process.env.SHIPPED_BUILD_RUN;
  const mark = run ? path.join(OUT_DIR, `.built-for-run-${run}`) : null;
  if (mark && fs.existsSync(mark) && fs.existsSync(ENTRY)) {
    built = true;
    return;
  }
  if (mark) {
    // Several jest workers: the first compiles, the others wait for its mark (not a second compile
    // rewriting files under a running bot).
    fs.mkdirSync(OUT_DIR, { recursive: true });
    try {
      fs.mkdirSync(`${mark}.lock`);
    } catch {
      const until = Date.now() + 300_000;
      while (!fs.existsSync(mark)) {
        if (Date.now() > until) throw new Error('the build of this test run did not finish (see the first shipped test that failed)');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      }
      built = true;
      return;
    }
  }
  try {
    // The same script as `npm run build`: the bot and the dashboard tab's browser files.
    execFileSync(process.execPath, [path.join(ROOT, 'tools', 'build.js'), OUT_DIR], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed:\n${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`);
  }
  built = true;
  if (mark) {
    for (const f of fs.readdirSync(OUT_DIR)) if (f.startsWith('.built-for-run-')) fs.rmSync(path.join(OUT_DIR, f), { recursive: true, force: true });
    fs.writeFileSync(mark, '');
  }
}

/** A fresh data folder for startBuiltBot({}, { dataDir }) that outlives one bot process. */
export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bot-shipped-'));
}

export async function startBuiltBot(env: Record<string, string> = {}, options: BuiltBotOptions = {}): Promise<BuiltBot> {
  buildOnce();
  const port = await freePort();
  const dbPort = await freePort();
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? makeDataDir();
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      PORT: String(port),
      EMBEDDED_DB_PORT: String(dbPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SCHEDULER_PROCESS_EVERY: '500 ms',
      REMINDER_DISPATCH_EVERY: '1 second',
      ...(process.env.EMBEDDED_DB_BACKEND ? { EMBEDDED_DB_BACKEND: process.env.EMBEDDED_DB_BACKEND } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const rawOutput: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // restify 11 touches a deprecated Node API at load; that warning is not the bot's failure.
        if (!/DeprecationWarning|--trace-deprecation/.test(line)) rawOutput.push(line);
      }
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the built bot exited with ${child.exitCode}: ${rawOutput.join('\n')}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the built bot did not answer /healthz within 60 s: ${rawOutput.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    pid: child.pid!,
    dataDir,
    dbPort,
    logs,
    rawOutput,
    errors: () => logs.filter((l) => l.level >= 50),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits for the state that matters: `probe` is asked again until it returns something. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
