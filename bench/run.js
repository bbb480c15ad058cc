#!/usr/bin/env node
// Benchmarks with targets expressed as ratios to a baseline measured in the same run, since
// absolute times on shared 2-core machines are noisy. Runs the compiled bot (npm run build) on the
// embedded database. Exit code 1 when a target is missed.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const dist = path.join(__dirname, '..', 'dist');
const { startEmbeddedDb } = require(path.join(dist, 'tools', 'embeddedDb.js'));
const { createApp } = require(path.join(dist, 'bot', 'app.js'));
const { loadConfig } = require(path.join(dist, 'bot', 'config.js'));
const { createLogger } = require(path.join(dist, 'bot', 'logger.js'));
const { findIdentifiers } = require(path.join(dist, 'domain', 'anonymity.js'));
const { MongoStorage } = require(path.join(dist, 'bot', 'mongoStorage.js'));

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (n) => `${n.toFixed(2)} ms`;

async function timeIt(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

function activity(text, i) {
  return {
    type: 'message',
    id: `bench-${i}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: `29:bench-${i % 50}`, aadObjectId: `00000000-0000-4000-8000-${String(i % 50).padStart(12, '0')}`, name: 'Bench User' },
    recipient: { id: '28:bot' },
    conversation: { id: `a:bench-${i % 50}`, conversationType: 'personal' },
    locale: 'fr-BE',
    text,
    deliveryMode: 'expectReplies',
  };
}

async function main() {
  const results = [];
  const check = (name, value, target, detail) => results.push({ name, value: Number(value.toFixed(2)), target, ok: value <= target, detail });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bench-'));
  const db = await startEmbeddedDb({ dataDir });
  const config = loadConfig({ DB_NAME: 'bench', LOG_LEVEL: 'silent' });
  const app = await createApp({ config, mongodbUri: db.uri, logger: createLogger('silent'), startScheduler: false });
  const port = await app.listen(0);
  const url = `http://127.0.0.1:${port}`;
  try {
    // 1. A full bot turn (restify → CloudAdapter → state read/write → help card) vs /healthz (one DB ping).
    const post = (i) => fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity('aide', i)) }).then((r) => r.text());
    await timeIt(30, post); // warm-up
    const health = await timeIt(200, () => fetch(`${url}/healthz`).then((r) => r.text()));
    const turn = await timeIt(300, post);
    check('bot turn p50 / healthz p50', turn.p50 / health.p50, 25, `turn p50 ${ms(turn.p50)} p95 ${ms(turn.p95)}; healthz p50 ${ms(health.p50)}`);

    // 2. Under 20 concurrent clients the p95 stays within a small multiple of the sequential p50.
    let i = 0;
    const lat = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (performance.now() - started < 5000) {
          const t = performance.now();
          await post(i++);
          lat.push(performance.now() - t);
        }
      }),
    );
    const secs = (performance.now() - started) / 1000;
    check('concurrent p95 / sequential p50', quantile(lat, 0.95) / turn.p50, 40, `${(lat.length / secs).toFixed(0)} turns/s with 20 clients, p95 ${ms(quantile(lat, 0.95))}`);

    // 3. Memory: RSS growth over 2,000 more turns (state of 50 users) stays bounded.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    for (let k = 0; k < 2000; k += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => post(k + j)));
    global.gc?.();
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1048576;
    check('RSS growth over 2,000 turns (MB)', Math.max(0, growthMb), 80, `rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);

    // 4. State storage: a versioned MongoStorage write vs a plain insertOne.
    const native = app.conn.db;
    const storage = new MongoStorage(native, 'benchState');
    await storage.ensureIndexes();
    const raw = native.collection('benchRaw');
    const insert = await timeIt(300, (k) => raw.insertOne({ k, json: JSON.stringify({ n: k }) }));
    const write = await timeIt(300, (k) => storage.write({ [`key-${k % 30}`]: { n: k, eTag: '*' } }));
    check('MongoStorage write p50 / insertOne p50', write.p50 / insert.p50, 6, `write p50 ${ms(write.p50)}; insertOne p50 ${ms(insert.p50)}`);
  } finally {
    await app.close();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  // 5. Anonymity guard on a realistic 1.5 KB situation text vs one plain regex pass over it.
  const text =
    "Madame vit seule au 2e étage, suivie par le CPAS d'Anderlecht et son MG depuis 2019. Chutes à répétition, " +
    'isolement, factures impayées ; refuse les soins infirmiers 3 fois par semaine. '.repeat(12);
  const N = 2000;
  let t = performance.now();
  for (let k = 0; k < N; k++) text.match(/\d+/g);
  const baseline = (performance.now() - t) / N;
  t = performance.now();
  for (let k = 0; k < N; k++) findIdentifiers(text);
  const guard = (performance.now() - t) / N;
  check('anonymity guard / one regex pass', guard / baseline, 400, `guard ${(guard * 1000).toFixed(1)} µs per ${text.length} chars`);
  t = performance.now();
  for (const s of ['a'.repeat(20000), 'a.'.repeat(10000), '1 '.repeat(10000)]) findIdentifiers(s);
  const patho = performance.now() - t;
  t = performance.now();
  for (const s of ['a'.repeat(20000), 'a.'.repeat(10000), '1 '.repeat(10000)]) s.match(/\d+/g);
  const pathoBase = Math.max(performance.now() - t, 0.05);
  check('guard on 50 KB pathological input / regex pass', patho / pathoBase, 5000, `${ms(patho)} (no catastrophic backtracking)`);

  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'MISS'} ${r.name}: ${r.value} (target ≤ ${r.target}) — ${r.detail}`);
  const missed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - missed} passed, ${missed} failed`);
  process.exit(missed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
