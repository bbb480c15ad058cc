#!/usr/bin/env node
// node bench/backends.js [--quick]: the embedded database's two backends side by side, in one run —
// FerretDB on SQLite files and FerretDB on PostgreSQL (with the GIN twins tools/ferretdb adds) —
// on the operations the hot paths use, with a collection of poll answers (the bot's largest) at a
// small and a large size. Started through the built launcher (dist/tools/embeddedDb.js), as
// `npm start` does. Prints a table and writes bench/results/backends.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const L = require('./lib');

const QUICK = process.argv.includes('--quick');
const SIZES = QUICK ? [1000, 20000] : [1000, 100000];
const REPEAT = QUICK ? 30 : 60;
const { startEmbeddedDb } = L.fromBuild('tools', 'embeddedDb.js');
const { MongoClient } = require('mongodb');

const answer = (i, polls) => ({
  _id: `p${i % polls}|u${i}|1`,
  pollId: `p${i % polls}`,
  participantKey: `u:${String(i).padStart(12, '0')}`,
  version: 1,
  answers: [{ slotId: 's1', answer: 'yes' }, { slotId: 's2', answer: 'ifNeedBe' }, { slotId: 's3', answer: 'no' }],
  comment: '',
  by: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  requestKey: `bench-${i}`,
  at: new Date(Date.UTC(2026, 0, 1) + i * 1000),
});

/** Median of REPEAT runs, or of fewer (at least 5) when they take over 5 s in all (whole-collection reads at size). */
async function p50(fn) {
  const t = [];
  const until = performance.now() + 5000;
  for (let i = 0; i < REPEAT && (i < 5 || performance.now() < until); i++) {
    const s = performance.now();
    await fn(i);
    t.push(performance.now() - s);
  }
  return L.round(L.quantile(t, 0.5), 2);
}

async function measure(backend, size) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cmd-backends-${backend}-`));
  const db = await startEmbeddedDb({ dataDir: path.join(dataDir, backend), backend, supervise: false });
  const client = new MongoClient(db.uri);
  try {
    await client.connect();
    const col = client.db('bench').collection('pollAnswers');
    await col.createIndex({ pollId: 1, participantKey: 1, version: 1 }, { unique: true });
    await col.createIndex({ requestKey: 1 });
    const polls = size / 200;
    const started = performance.now();
    for (let i = 0; i < size; i += 1000) await col.insertMany(Array.from({ length: Math.min(1000, size - i) }, (_, k) => answer(i + k, polls)));
    const seedSeconds = L.round((performance.now() - started) / 1000, 1);
    const row = { backend, size, seedSeconds };
    row.insertOne = await p50((i) => col.insertOne({ ...answer(size + i, polls), _id: `new|${i}`, requestKey: `new-${i}` }));
    row.findById = await p50((i) => col.findOne({ _id: `p${(i * 7) % polls}|u${(i * 7919) % size}|1` }));
    row.findByIndexedField = await p50((i) => col.findOne({ requestKey: `bench-${(i * 7919) % size}` }));
    row.findPollAnswers200 = await p50((i) => col.find({ pollId: `p${i % polls}` }).toArray());
    row.updateById = await p50((i) => col.updateOne({ _id: `p${(i * 13) % polls}|u${(i * 104729) % size}|1` }, { $set: { comment: `c${i}` } }));
    row.findUnindexedField = await p50((i) => col.findOne({ by: `00000000-0000-4000-8000-${String((i * 7919) % size).padStart(12, '0')}` }));
    row.dbMb = L.round(L.treeMb(db.pid));
    return row;
  } finally {
    await client.close().catch(() => undefined);
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const rows = [];
  for (const backend of ['sqlite', 'postgresql']) for (const size of SIZES) {
    const row = await measure(backend, size);
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  const ops = ['insertOne', 'findById', 'findByIndexedField', 'findPollAnswers200', 'updateById', 'findUnindexedField'];
  const [small, large] = SIZES;
  const slowdown = {};
  for (const backend of ['sqlite', 'postgresql']) {
    const a = rows.find((r) => r.backend === backend && r.size === small);
    const b = rows.find((r) => r.backend === backend && r.size === large);
    slowdown[backend] = Object.fromEntries(ops.map((op) => [op, L.round(b[op] / a[op], 2)]));
  }
  const out = { at: new Date().toISOString(), quick: QUICK, machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => L.round(x, 2)) }, rows, slowdown };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'backends.json'), JSON.stringify(out, null, 2));
  console.log(`\n| operation (p50 ms) | ${rows.map((r) => `${r.backend} ${r.size.toLocaleString('en')}`).join(' | ')} | slowdown sqlite | slowdown postgresql |`);
  console.log(`|---|${rows.map(() => '---').join('|')}|---|---|`);
  for (const op of ops) console.log(`| ${op} | ${rows.map((r) => r[op]).join(' | ')} | ${slowdown.sqlite[op]} | ${slowdown.postgresql[op]} |`);
  console.log(`| seed seconds | ${rows.map((r) => r.seedSeconds).join(' | ')} | | |`);
  console.log(`| database MB (PSS) | ${rows.map((r) => r.dbMb).join(' | ')} | | |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
