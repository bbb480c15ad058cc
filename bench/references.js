#!/usr/bin/env node
// The per-turn conversation-reference work of one build (BENCH_BUILD_DIR), in process, on its own
// embedded database: remember() for a known conversation (a new activity id, as every turn),
// remember() for a new conversation, get() and personalFor(), on an empty collection and on one
// holding N references (default 10,000; seeded by cloning a reference remember() wrote).
// `node bench/references.js [N]` prints and writes bench/results/references-<build>.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const L = require('./lib');

const N = Number(process.argv[2] ?? 10000);
const TOKEN = '6666666';
const TENANT = '11111111-1111-4111-8111-111111111111';
const num7 = (i) => String(1000000 + i);

const activity = (n, id) => ({
  type: 'message', id, channelId: 'msteams', serviceUrl: 'https://smba.example.invalid/emea/',
  from: { id: `29:bench-ref-${n}`, aadObjectId: `00000000-0000-4000-8000-00000${n}`, name: 'Utilisateur Test' },
  recipient: { id: '28:bench-bot', name: 'CMD bot' },
  conversation: { id: `a:bench-ref-${n}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } }, locale: 'fr-BE',
});

async function p50(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return L.round(L.quantile(times, 0.5), 2);
}

async function measure(refs, tag, n) {
  return {
    rememberKnownMs: await p50(40, (i) => refs.remember(activity(n, `act-${tag}-${i}`))),
    rememberNewMs: await p50(40, (i) => refs.remember(activity(`9${String(i).padStart(6, '0')}${tag === 'empty' ? 0 : 1}`.slice(0, 7), `act-new-${tag}-${i}`))),
    getMs: await p50(40, () => refs.get(`a:bench-ref-${n}`)),
    personalForMs: await p50(40, () => refs.personalFor(`00000000-0000-4000-8000-00000${n}`)),
  };
}

async function main() {
  const { startEmbeddedDb } = L.fromBuild('tools', 'embeddedDb.js');
  const { connectDatabase } = L.fromBuild('models', 'db.js');
  const { createModels, initModels } = L.fromBuild('models', 'index.js');
  const { ConversationReferences } = L.fromBuild('bot', 'conversationReferences.js');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bench-refs-'));
  const db = await startEmbeddedDb({ dataDir });
  const conn = await connectDatabase(db.uri, 'benchrefs');
  try {
    const models = createModels(conn);
    await initModels(models);
    const refs = new ConversationReferences(models.conversationReferences);
    await refs.remember(activity(num7(0), 'warm'));
    const empty = await measure(refs, 'empty', num7(0));
    // Seed: clone every document remember() wrote for the template conversation.
    await refs.remember(activity(TOKEN, 'template'));
    const t0 = performance.now();
    for (const { name } of await conn.db.listCollections().toArray()) {
      const docs = (await conn.db.collection(name).find({}).toArray()).filter((d) => JSON.stringify(d).includes(TOKEN));
      for (const d of docs) {
        const { _id, ...rest } = d;
        const json = JSON.stringify(typeof _id === 'string' ? { _id, ...rest } : rest);
        const clones = Array.from({ length: N }, (_, i) => JSON.parse(json.split(TOKEN).join(num7(i + 10)), (_k, v) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v) : v)));
        for (let k = 0; k < clones.length; k += 1000) await conn.db.collection(name).insertMany(clones.slice(k, k + 1000), { ordered: false });
      }
    }
    const seedSeconds = L.round((performance.now() - t0) / 1000, 1);
    const fresh = new ConversationReferences(models.conversationReferences); // a new process: nothing cached
    // The most recently seeded conversation: a scan finds it last.
    const loaded = await measure(fresh, 'loaded', num7(N + 9));
    const out = { build: path.relative(L.ROOT, L.BUILD), references: N, seedSeconds, empty, loaded, loadavg: os.loadavg().map((x) => L.round(x, 1)) };
    console.log(JSON.stringify(out, null, 1));
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', `references-${path.basename(L.BUILD)}.json`), JSON.stringify(out, null, 2));
  } finally {
    await conn.close();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
