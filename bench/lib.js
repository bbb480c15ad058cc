// Shared pieces of the benchmark: the build folder, child processes (the built bot, the floor bot),
// load generation over HTTP, quantiles and process memory.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..');
/** The compiled bot under test: dist/ (npm run bench builds it) or BENCH_BUILD_DIR. */
const BUILD = path.resolve(ROOT, process.env.BENCH_BUILD_DIR || 'dist');
const fromBuild = (...p) => require(path.join(BUILD, ...p));

/** The fake Bot Connector is TypeScript (test/support); it is compiled into the build folder once. */
function loadFakeConnector() {
  const out = path.join(BUILD, 'test', 'support', 'fakeConnector.js');
  const src = path.join(ROOT, 'test', 'support', 'fakeConnector.ts');
  if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(src).mtimeMs) {
    const tsc = require.resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.fake.json'), '--outDir', BUILD], { cwd: ROOT, stdio: 'inherit' });
  }
  return require(out).FakeConnector;
}

const quantile = (xs, q) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (n, d = 1) => (Number.isFinite(n) ? Number(n.toFixed(d)) : null);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = require('node:net').createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The floor bot (bench/floorBot.js) as its own process, like the bot. */
async function startFloor() {
  const child = spawn(process.execPath, [path.join(__dirname, 'floorBot.js')], { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (b) => {
      const m = /listening (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`floor bot exited ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  return { url, pid: child.pid, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
}

/**
 * The built bot as `npm start` runs it (bin: <build>/bot/index.js) with its embedded database in
 * `dataDir` on `dbPort`. Resolves once /healthz answers, with the time that took.
 */
async function startBot({ dataDir, dbPort, env = {}, cpuProf = false }) {
  const port = await freePort();
  const args = cpuProf ? ['--cpu-prof', '--cpu-prof-dir', path.join(__dirname, 'results', 'prof')] : [];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, path.join(BUILD, 'bot', 'index.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PORT: String(port), EMBEDDED_DB_PORT: String(dbPort), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DB_NAME: 'bench', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors = [];
  const collect = (b) => {
    for (const line of b.toString().split('\n')) {
      if (!line.trim()) continue;
      try {
        const l = JSON.parse(line);
        if (l.level >= 50) errors.push(l.msg);
      } catch {
        if (!/DeprecationWarning|trace-deprecation/.test(line)) errors.push(line);
      }
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  const startupMs = performance.now() - t0;
  return {
    url,
    pid: child.pid,
    startupMs,
    errors,
    dbPid: () => childrenOf(child.pid)[0],
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function childrenOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Resident memory of a process in MB (Linux /proc), null when unknown. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Memory of a process and all its descendants (the database helper and the PostgreSQL processes it
 * runs), as the sum of their proportional set sizes: shared pages (PostgreSQL's shared buffers) are
 * counted once, not once per process as a sum of RSS would.
 */
function treeMb(pid) {
  const all = [];
  const visit = (p) => {
    all.push(p);
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  let kb = 0;
  for (const p of all) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      kb += m ? Number(m[1]) : (rssMb(p) ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

/** Samples the memory of the given processes every 200 ms until stop(); returns the peaks. `db` is a process tree. */
function sampleRss(pids) {
  const read = (k, pid) => (k === 'db' ? treeMb(pid) : rssMb(pid) ?? 0);
  const peak = Object.fromEntries(Object.keys(pids).map((k) => [k, 0]));
  const timer = setInterval(() => {
    for (const [k, pid] of Object.entries(pids)) peak[k] = Math.max(peak[k], read(k, pid));
  }, 200);
  return () => {
    clearInterval(timer);
    for (const [k, pid] of Object.entries(pids)) peak[k] = Math.max(peak[k], read(k, pid));
    return peak;
  };
}

/** A turn that takes longer than this counts as an error (Teams gives up after about 15 s). */
const TURN_TIMEOUT_MS = 30_000;

async function postJson(url, body, timeoutMs = TURN_TIMEOUT_MS) {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let parsed = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed };
}

/**
 * Closed-loop load: `concurrency` clients, each running `step(client, i)` back to back until
 * `durationMs` has passed (at least `minPerClient` steps each). A step returns
 * { measured: boolean, ok: boolean } (unmeasured steps set the scene, e.g. start a sheet).
 */
async function closedLoop({ concurrency, durationMs, minPerClient = 1, step }) {
  const lat = [];
  let errors = 0;
  let turns = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      for (let i = 0; i < minPerClient || performance.now() - started < durationMs; i++) {
        const t = performance.now();
        let r;
        try {
          r = await step(client, i);
        } catch {
          r = { measured: true, ok: false };
        }
        turns++;
        if (r.measured) lat.push(performance.now() - t);
        if (!r.ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rps: lat.length / seconds, turnsPerSecond: turns / seconds, p50Ms: quantile(lat, 0.5), p99Ms: quantile(lat, 0.99), errors, count: lat.length, seconds };
}

/** CPU seconds (user + system) used so far by a process and its descendants. */
function treeCpuSeconds(pid) {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const visit = (p) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick; // utime, stime
    } catch {
      return; // gone meanwhile
    }
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  return total;
}

module.exports = { ROOT, BUILD, fromBuild, loadFakeConnector, quantile, round, freePort, startFloor, startBot, rssMb, treeMb, treeCpuSeconds, sampleRss, postJson, closedLoop };
