#!/usr/bin/env node
// npm run bench [-- --quick] [-- --cpu-prof] [-- --backend=sqlite]: the built bot (dist/, or BENCH_BUILD_DIR) as its own
// process with its embedded database, driven through POST /api/messages with expectReplies, against
// a bare botbuilder echo bot (the floor) measured in the same run. Absolute numbers on a shared
// 2-core machine are noisy; the ratios to the floor measured minutes apart are what compare.
// Writes bench/results/latest.json; exit code 1 when a target is missed (after printing everything).
'use strict';
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const L = require('./lib');
const { seed, retry } = require('./seed');

const QUICK = process.argv.includes('--quick');
const CPU_PROF = process.argv.includes('--cpu-prof');
// --backend=sqlite measures FerretDB on SQLite files (the embedded database before PostgreSQL) for
// the side-by-side comparison in docs/benchmarks.md; default: PostgreSQL, what `npm start` runs.
const BACKEND = (process.argv.find((a) => a.startsWith('--backend=')) ?? '--backend=postgresql').slice('--backend='.length);
if (!['postgresql', 'sqlite'].includes(BACKEND)) throw new Error(`--backend must be postgresql or sqlite, not ${BACKEND}`);
const SECONDS = QUICK ? 3 : 8;
const LEVELS = [1, 20, 100];
const VOTERS = 200;
const FANOUT = 1000;
const FANOUT_RATE = 200; // OUTBOUND_GLOBAL_PER_SECOND for the bot under test
const SCALE = QUICK ? { cases: 1000, polls: 50, voters: 200, reminders: 1000, references: 1000 } : { cases: 10000, polls: 500, voters: 200, reminders: 10000, references: 10000 };
const TENANT = '11111111-1111-4111-8111-111111111111';

const { allTranslations } = L.fromBuild('locales', 'i18n.js');
const GENERIC = allTranslations('error.generic');
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

const aad = (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = (n) => ({ id: `29:bench-user-${n}`, aadObjectId: aad(n), name: `Utilisateur Test ${n}` });
let actSeq = 0;
function activity(serviceUrl, user, conversation, over) {
  return {
    type: 'message', id: `bench-${Date.now()}-${++actSeq}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl,
    from: user, recipient: { id: '28:bench-bot', name: 'CMD bot' },
    conversation: { ...conversation, tenantId: TENANT, ...(conversation.conversationType === 'personal' ? {} : { isGroup: true }) },
    channelData: { tenant: { id: TENANT } }, locale: 'fr-BE', deliveryMode: 'expectReplies', ...over,
  };
}
const personal = (u) => ({ id: `a:bench-personal-${u.aadObjectId}`, conversationType: 'personal' });
/** A turn answered: 200 with at least one reply, none of them the generic error. */
let shownFailures = 0;
const answered = (r) => {
  const ok = r.status === 200 && (r.body.activities ?? []).length > 0 && !GENERIC.some((g) => JSON.stringify(r.body.activities).includes(g));
  if (!ok && process.env.BENCH_DEBUG && shownFailures++ < 5) console.log('failed turn:', r.status, (r.body.activities ?? []).map((a) => (a.text ?? a.type).slice(0, 120)).join(' / '));
  return ok;
};

// Mid-sheet answers: whatever question the request sheet asks, the client answers it as a user
// would (the first proposition of a choice, else a plausible anonymous text, the next one when the
// sheet asks again) and starts a new sheet before the last question, so nothing is ever submitted.
// Every answer is a measured mid-sheet turn (a refused answer re-asks: the same work per turn).
const TEXTS = [
  'CPAS fictif de Test', 'passer', '02 123 45 67', 'accueil@cpas-fictif.example.org', '72', 'Saint-Gilles', 'non', 'oui',
  "Madame vit seule, refuse les soins infirmiers et le CPAS s'inquiète de sa perte d'autonomie.", 'assistante sociale',
];
function helpStep(url, serviceUrl, base) {
  return async (client) => {
    const u = person(base + client);
    return { measured: true, ok: answered(await L.postJson(url, activity(serviceUrl, u, personal(u), { text: 'aide' }))) };
  };
}

function sheetStep(url, serviceUrl, base) {
  const state = new Map();
  return async (client) => {
    const u = person(base + client);
    const say = (text) => L.postJson(url, activity(serviceUrl, u, personal(u), { text }));
    const s = state.get(client);
    if (!s || s.restart) {
      await say('annuler');
      const r = await say('nouvelle demande');
      state.set(client, { q: 0, tries: 0, reply: r, restart: false });
      return { measured: false, ok: answered(r) };
    }
    const json = JSON.stringify(s.reply.body);
    const choice = /"type":"Input\.ChoiceSet"/.test(json);
    const r = await say(choice && s.tries === 0 ? '1' : TEXTS[s.tries % TEXTS.length]);
    const m = /Question (\d+) (?:sur|van|of) (\d+)/.exec(JSON.stringify(r.body));
    const q = m ? Number(m[1]) : s.q;
    const tries = q === s.q ? s.tries + 1 : 0;
    state.set(client, { q, tries, reply: r, restart: !m || tries > TEXTS.length || Number(m[1]) >= Number(m[2]) - 1 });
    return { measured: true, ok: answered(r) };
  };
}

/** The bot and its database helper under measurement: their CPU per turn says which one is the bottleneck. */
const measured = { bot: null, db: null };
const cpu = () => (measured.bot ? { bot: L.treeCpuSeconds(measured.bot), db: L.treeCpuSeconds(measured.db) } : null);

async function loadLevels(name, makeStep, levels, seconds) {
  const out = {};
  for (const c of levels) {
    const before = cpu();
    const r = await L.closedLoop({ concurrency: c, durationMs: seconds * 1000, minPerClient: c >= 100 ? 1 : 2, step: makeStep(c) });
    const after = cpu();
    const row = { concurrency: c, rps: L.round(r.rps), p50Ms: L.round(r.p50Ms), p99Ms: L.round(r.p99Ms), errors: r.errors, count: r.count };
    // CPU milliseconds per turn of the bot process and of the database (FerretDB + PostgreSQL).
    if (before && after && r.count) Object.assign(row, { botCpuMsPerTurn: L.round(((after.bot - before.bot) * 1000) / r.count, 1), dbCpuMsPerTurn: L.round(((after.db - before.db) * 1000) / r.count, 1) });
    out[`c${c}`] = row;
    log(`${name} c=${c}: ${row.rps} rps, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, errors ${r.errors}${row.botCpuMsPerTurn !== undefined ? `; CPU per turn: bot ${row.botCpuMsPerTurn} ms, database ${row.dbCpuMsPerTurn} ms` : ''}`);
  }
  return out;
}

let caseSeq = 0;
/** An admitted case (request + 'yes' decision, the case opened by CaseService) organised by `org`. */
async function admittedCase(app, org) {
  const n = 5_000_000 + ++caseSeq + Math.floor(Math.random() * 1000) * 100;
  const trackingId = `CMD-2025-${n}`;
  await retry(() => app.models.requests.create({
    trackingId, year: 2025, seq: n, requesterAadObjectId: aad(999), requesterConversationId: 'a:bench-requester', locale: 'fr',
    answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted', triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
  }));
  const decision = { trackingId, status: 'yes', organiserAadObjectId: org.aadObjectId, notes: '', decidedBy: 'bench', decidedByName: 'Coordination Test', decidedAt: new Date() };
  await retry(() => app.models.decisions.create(decision));
  await retry(() => app.services.cases.createFromDecision(decision));
  return trackingId;
}

/** 200 participants answer one poll at the same moment (Action.Execute poll.answer invokes). */
async function votingBurst(bot, app, fake, tag) {
  const org = person(800000 + caseSeq);
  const voters = Array.from({ length: VOTERS }, (_, j) => person(810000 + j));
  const group = { id: `19:bench-poll-${tag}@thread.v2`, conversationType: 'groupChat' };
  fake.setMembers([org, ...voters], group.id);
  const trackingId = await admittedCase(app, org);
  const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const data = {
    trackingId, rowCount: '3', placeKind: 'home', placeDetails: '', deadline_date: day(3), deadline_time: '18:00', members: voters.map((v) => v.aadObjectId).join(','),
    requiredMembers: '', externalsRequired: '', externalsOptional: '', slot1_date: day(5), slot1_time: '10:00', slot1_duration: '105', slot2_date: day(6), slot2_time: '10:00', slot2_duration: '105',
  };
  const invoke = (u, verb, d) => activity(fake.url, u, group, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data: d }, trigger: 'manual' } });
  const created = await L.postJson(bot.url, invoke(org, 'poll.create', data), 120_000);
  const [poll] = await retry(() => app.services.polls.forTrackingId(trackingId));
  if (!poll) throw new Error(`poll not created: ${JSON.stringify(created.body).slice(0, 400)}`);
  const lat = [];
  let errors = 0;
  const cpuBefore = cpu();
  const t0 = performance.now();
  await Promise.all(
    voters.map(async (v, j) => {
      const t = performance.now();
      const r = await L.postJson(bot.url, invoke(v, 'poll.answer', { pollId: poll.pollId, slot_s1: j % 2 ? 'yes' : 'ifNeedBe', slot_s2: j % 3 ? 'no' : 'yes' })).catch(() => ({ status: 0, body: {} }));
      lat.push(performance.now() - t);
      const inv = (r.body.activities ?? []).find((a) => a.type === 'invokeResponse');
      if (!(inv?.value?.status === 200 && inv.value.body?.type === 'application/vnd.microsoft.card.adaptive')) errors++;
    }),
  );
  const burstSeconds = (performance.now() - t0) / 1000;
  const cpuAfter = cpu();
  const full = `Réponses : ${VOTERS} sur ${VOTERS}`;
  let cardAllMs = null;
  const until = Date.now() + (QUICK ? 20_000 : 60_000);
  while (Date.now() < until) {
    const hit = fake.requests.find((q) => q.operation === 'update' && q.conversationId === group.id && JSON.stringify(q.body).includes(full));
    if (hit) {
      cardAllMs = hit.at - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const state = await retry(() => app.services.polls.state(poll.pollId));
  const result = { voters: VOTERS, rps: L.round(VOTERS / burstSeconds), p50Ms: L.round(L.quantile(lat, 0.5)), p99Ms: L.round(L.quantile(lat, 0.99)), errors, lost: VOTERS - state.answers.size, sharedCardAllMs: L.round(cardAllMs) };
  if (cpuBefore && cpuAfter) Object.assign(result, { botCpuMsPerVote: L.round(((cpuAfter.bot - cpuBefore.bot) * 1000) / VOTERS, 1), dbCpuMsPerVote: L.round(((cpuAfter.db - cpuBefore.db) * 1000) / VOTERS, 1) });
  log(`vote ${tag}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${errors}, lost ${result.lost}, card shows all ${VOTERS} after ${result.sharedCardAllMs} ms; CPU per vote: bot ${result.botCpuMsPerVote} ms, database ${result.dbCpuMsPerVote} ms`);
  return result;
}

/** 1,000 reminders due now to 1,000 conversations, sent by the bot's own dispatcher job. */
async function fanOut(app, fake, tag) {
  const conv = (i) => `19:bench-fan-${tag}-${i}@thread.v2`;
  for (let k = 0; k < FANOUT; k += 50)
    await Promise.all(
      Array.from({ length: 50 }, (_, m) =>
        retry(() => app.references.remember({
          type: 'message', id: `bench-fan-${tag}-${k + m}`, channelId: 'msteams', serviceUrl: fake.url, from: person(850000), recipient: { id: '28:bench-bot', name: 'CMD bot' },
          conversation: { id: conv(k + m), conversationType: 'groupChat', isGroup: true, tenantId: TENANT }, channelData: { tenant: { id: TENANT } }, locale: 'fr-BE',
        })),
      ),
    );
  const targets = new Set(Array.from({ length: FANOUT }, (_, i) => conv(i)));
  const due = new Date(Date.now() - 1000);
  const plans = Array.from({ length: FANOUT }, (_, i) => ({
    kind: 'meeting', subject: `CMD-2025-${String(7_000_000 + i)}`, dueAt: due, recipient: { conversationId: conv(i) }, locale: 'fr',
    payload: { trackingId: `CMD-2025-${String(7_000_000 + i)}`, date: new Date(Date.now() + 3 * 86_400_000).toISOString() }, organiserAadObjectId: aad(850001),
  }));
  const t0 = performance.now();
  await retry(() => app.services.reminders.plan(plans, 'bench'));
  const keyOf = (r) => r.body?.attachments?.[0]?.content?.actions?.[0]?.data?.key;
  const minSeconds = Math.ceil(FANOUT / FANOUT_RATE) - 1; // a sliding 1 s window lets FANOUT_RATE through per second
  const until = Date.now() + (QUICK ? 30_000 : 90_000);
  let mine = [];
  while (Date.now() < until) {
    mine = fake.requests.filter((r) => r.operation === 'send' && r.status !== undefined && r.status < 300 && targets.has(r.conversationId));
    if (new Set(mine.map(keyOf)).size >= FANOUT) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1500)); // late duplicates would show here
  mine = fake.requests.filter((r) => r.operation === 'send' && r.status !== undefined && r.status < 300 && targets.has(r.conversationId));
  const keys = new Set(mine.map(keyOf));
  const times = mine.map((r) => r.at).sort((a, b) => a - b);
  const result = {
    reminders: FANOUT, ratePerSecond: FANOUT_RATE,
    seconds: L.round(times.length ? (times.at(-1) - times[0]) / 1000 : NaN, 2),
    fromPlannedSeconds: L.round(times.length ? (times.at(-1) - t0) / 1000 : NaN, 2),
    minSeconds, lost: FANOUT - keys.size, duplicates: mine.length - keys.size,
  };
  log(`fan-out ${tag}: ${result.seconds} s first→last (min ${minSeconds} s), ${result.fromPlannedSeconds} s from planning, lost ${result.lost}, duplicates ${result.duplicates}`);
  return result;
}

async function sequentialP50(bot, fake, text, base, n) {
  const r = await L.closedLoop({ concurrency: 1, durationMs: 0, minPerClient: n, step: text === 'sheet' ? sheetStep(bot.url, fake.url, base) : helpStep(bot.url, fake.url, base) });
  return { rps: L.round(r.rps), p50Ms: L.round(r.p50Ms), p99Ms: L.round(r.p99Ms), errors: r.errors };
}

/** Typed commands that read per-user lists: "mes dossiers", "mes rappels" (p50 of n sequential turns). */
async function listTurns(bot, fake, n) {
  const out = {};
  for (const [name, text] of [['myCases', 'mes dossiers'], ['myReminders', 'mes rappels']]) {
    const r = await L.closedLoop({
      concurrency: 1, durationMs: 0, minPerClient: n,
      step: async () => {
        const u = person(870000);
        return { measured: true, ok: answered(await L.postJson(bot.url, activity(fake.url, u, personal(u), { text }))) };
      },
    });
    out[name] = { p50Ms: L.round(r.p50Ms), p99Ms: L.round(r.p99Ms), errors: r.errors };
  }
  return out;
}

async function connectApp(dbPort) {
  const { createApp } = L.fromBuild('bot', 'app.js');
  const { loadConfig } = L.fromBuild('bot', 'config.js');
  const { createLogger } = L.fromBuild('bot', 'logger.js');
  const config = loadConfig({ DB_NAME: 'bench', LOG_LEVEL: 'silent' });
  return createApp({ config, mongodbUri: `mongodb://127.0.0.1:${dbPort}/`, logger: createLogger('silent'), startScheduler: false });
}

function guardRows() {
  const { findIdentifiers } = L.fromBuild('domain', 'anonymity.js');
  const text = "Madame vit seule au 2e étage, suivie par le CPAS d'Anderlecht et son MG depuis 2019. Chutes à répétition, " + 'isolement, factures impayées ; refuse les soins infirmiers 3 fois par semaine. '.repeat(12);
  const N = 2000;
  let t = performance.now();
  for (let k = 0; k < N; k++) text.match(/\d+/g);
  const baseline = (performance.now() - t) / N;
  t = performance.now();
  for (let k = 0; k < N; k++) findIdentifiers(text);
  const guard = (performance.now() - t) / N;
  t = performance.now();
  for (const s of ['a'.repeat(20000), 'a.'.repeat(10000), '1 '.repeat(10000)]) findIdentifiers(s);
  const patho = performance.now() - t;
  t = performance.now();
  for (const s of ['a'.repeat(20000), 'a.'.repeat(10000), '1 '.repeat(10000)]) s.match(/\d+/g);
  const pathoBase = Math.max(performance.now() - t, 0.05);
  return { guardUs: L.round(guard * 1000), guardRatio: L.round(guard / baseline), pathologicalMs: L.round(patho, 2), pathologicalRatio: L.round(patho / pathoBase) };
}

async function main() {
  const FakeConnector = L.loadFakeConnector();
  const commit = execSync('git rev-parse --short HEAD', { cwd: L.ROOT }).toString().trim();
  const dirty = execSync('git status --porcelain --untracked-files=no -- bot models services jobs', { cwd: L.ROOT }).toString().trim() ? '+uncommitted' : '';
  const out = {
    at: new Date().toISOString(), quick: QUICK, backend: BACKEND, commit: commit + dirty, build: path.relative(L.ROOT, L.BUILD),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGb: L.round(os.totalmem() / 2 ** 30), node: process.version, loadavgAtStart: os.loadavg().map((x) => L.round(x, 2)) },
    scenarios: {}, scale: {}, fanout: {}, memory: {}, startup: {}, guard: {}, targets: [],
  };
  // Written after every phase, so a run stopped early still leaves what it measured.
  const save = () => {
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), JSON.stringify(out, null, 2));
    fs.writeFileSync(path.join(__dirname, 'results', `latest-${BACKEND}${QUICK ? '-quick' : ''}.json`), JSON.stringify(out, null, 2));
  };
  const fake = await FakeConnector.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bench-'));
  const dbPort = await L.freePort();
  let bot;
  let app;
  // Stopped early (Ctrl-C, a timeout): keep what was measured and do not leave the bot running.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      save();
      Promise.resolve(bot?.stop()).finally(() => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }
  try {
    // 1. The floor.
    const floor = await L.startFloor();
    await L.closedLoop({ concurrency: 20, durationMs: 1000, step: helpStep(floor.url, fake.url, 100) }); // warm-up
    const floorRes = await loadLevels('floor', (c) => async (client) => {
      const u = person(100 + client);
      return { measured: true, ok: (await L.postJson(floor.url, activity(fake.url, u, personal(u), { text: 'aide' }))).status === 200 };
    }, LEVELS, SECONDS);
    await floor.stop();
    out.scenarios.floor = floorRes;
    save();

    // 2. The bot on an empty database: start-up, help and mid-sheet turns, 200 voters, fan-out.
    bot = await L.startBot({ dataDir, dbPort, env: { OUTBOUND_GLOBAL_PER_SECOND: String(FANOUT_RATE), REMINDER_DISPATCH_EVERY: '1 second', SCHEDULER_PROCESS_EVERY: '500 ms', EMBEDDED_DB_BACKEND: BACKEND }, cpuProf: CPU_PROF });
    Object.assign(measured, { bot: bot.pid, db: bot.dbPid() });
    out.startup.emptyMs = L.round(bot.startupMs);
    log(`bot ready in ${out.startup.emptyMs} ms (embedded database started from nothing)`);
    app = await connectApp(dbPort);
    out.memory.empty = { idle: { botRssMb: L.round(L.rssMb(bot.pid)), dbRssMb: L.round(L.treeMb(bot.dbPid())) } };
    await L.closedLoop({ concurrency: 5, durationMs: 1000, step: helpStep(bot.url, fake.url, 1000) }); // warm-up
    let stopRss = L.sampleRss({ bot: bot.pid, db: bot.dbPid() });
    // c=100 last: the turns its clients give up on keep the bot busy for minutes afterwards.
    const below100 = LEVELS.filter((c) => c < 100);
    out.scenarios.help = await loadLevels('help', (c) => helpStep(bot.url, fake.url, 1000 + c * 1000), below100, SECONDS);
    out.scenarios.midSheet = await loadLevels('mid-sheet', (c) => sheetStep(bot.url, fake.url, 200000 + c * 1000), below100, SECONDS);
    save();
    const empty = {
      help: await sequentialP50(bot, fake, 'aide', 300000, QUICK ? 30 : 60),
      midSheet: await sequentialP50(bot, fake, 'sheet', 310000, QUICK ? 30 : 60),
      ...(await listTurns(bot, fake, QUICK ? 15 : 30)),
    };
    out.scenarios.vote = await votingBurst(bot, app, fake, 'empty');
    out.fanout = await fanOut(app, fake, 'empty');
    empty.vote = out.scenarios.vote;
    empty.dispatch = out.fanout;
    save();
    Object.assign(out.scenarios.help, await loadLevels('help', (c) => helpStep(bot.url, fake.url, 1000 + c * 1000), [100], SECONDS));
    Object.assign(out.scenarios.midSheet, await loadLevels('mid-sheet', (c) => sheetStep(bot.url, fake.url, 200000 + c * 1000), [100], SECONDS));
    let peak = stopRss();
    out.memory.empty.underLoad = { botRssMb: L.round(peak.bot), dbRssMb: L.round(peak.db) };
    log(`empty sequential p50: help ${empty.help.p50Ms} ms, mid-sheet ${empty.midSheet.p50Ms} ms, mes dossiers ${empty.myCases.p50Ms} ms, mes rappels ${empty.myReminders.p50Ms} ms`);

    // 3. Years of use: seed, restart on the loaded database, the same operations again.
    log(`seeding ${JSON.stringify(SCALE)}…`);
    const seeded = await seed(app, SCALE, fake.url);
    log(`seeded in ${L.round(seeded.seconds)} s: ${JSON.stringify(seeded.inserted)}`);
    out.scale.seed = { ...SCALE, seconds: L.round(seeded.seconds), inserted: seeded.inserted };
    save();
    await app.close();
    await bot.stop();
    bot = await L.startBot({ dataDir, dbPort, env: { OUTBOUND_GLOBAL_PER_SECOND: String(FANOUT_RATE), REMINDER_DISPATCH_EVERY: '1 second', SCHEDULER_PROCESS_EVERY: '500 ms', EMBEDDED_DB_BACKEND: BACKEND }, cpuProf: CPU_PROF });
    Object.assign(measured, { bot: bot.pid, db: bot.dbPid() });
    out.startup.loadedMs = L.round(bot.startupMs);
    log(`bot ready in ${out.startup.loadedMs} ms on the loaded database`);
    app = await connectApp(dbPort);
    await L.closedLoop({ concurrency: 5, durationMs: 1000, step: helpStep(bot.url, fake.url, 1000) }); // warm-up
    out.memory.loaded = { idle: { botRssMb: L.round(L.rssMb(bot.pid)), dbRssMb: L.round(L.treeMb(bot.dbPid())) } };
    stopRss = L.sampleRss({ bot: bot.pid, db: bot.dbPid() });
    const loaded = {
      help: await sequentialP50(bot, fake, 'aide', 400000, QUICK ? 30 : 60),
      midSheet: await sequentialP50(bot, fake, 'sheet', 410000, QUICK ? 30 : 60),
      ...(await listTurns(bot, fake, QUICK ? 15 : 30)),
    };
    out.scale.loaded = loaded;
    out.scale.empty = empty;
    log(`loaded sequential p50: help ${loaded.help.p50Ms} ms, mid-sheet ${loaded.midSheet.p50Ms} ms, mes dossiers ${loaded.myCases.p50Ms} ms, mes rappels ${loaded.myReminders.p50Ms} ms`);
    save();
    out.scenarios.helpLoaded = await loadLevels('help (loaded)', (c) => helpStep(bot.url, fake.url, 420000 + c * 1000), [20], SECONDS);
    out.scenarios.midSheetLoaded = await loadLevels('mid-sheet (loaded)', (c) => sheetStep(bot.url, fake.url, 520000 + c * 1000), [20], SECONDS);
    save();
    loaded.vote = await votingBurst(bot, app, fake, 'loaded');
    save();
    loaded.dispatch = await fanOut(app, fake, 'loaded');
    peak = stopRss();
    out.memory.loaded.underLoad = { botRssMb: L.round(peak.bot), dbRssMb: L.round(peak.db) };
    out.scale.slowdown = {
      help: L.round(loaded.help.p50Ms / empty.help.p50Ms, 2),
      midSheet: L.round(loaded.midSheet.p50Ms / empty.midSheet.p50Ms, 2),
      vote: L.round(loaded.vote.p50Ms / empty.vote.p50Ms, 2),
      dispatch: L.round(loaded.dispatch.seconds / empty.dispatch.seconds, 2),
      myCases: L.round(loaded.myCases.p50Ms / empty.myCases.p50Ms, 2),
      myReminders: L.round(loaded.myReminders.p50Ms / empty.myReminders.p50Ms, 2),
    };
    out.memory.rssMb = out.memory.loaded.underLoad.botRssMb;
    out.memory.dbRssMb = out.memory.loaded.underLoad.dbRssMb;
    out.errorsLogged = bot.errors.slice(0, 20);
  } finally {
    await app?.close().catch(() => undefined);
    await bot?.stop().catch(() => undefined);
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  // Ratios to the floor at the same concurrency, and the targets of issue 12.
  for (const name of ['help', 'midSheet']) for (const [k, v] of Object.entries(out.scenarios[name])) v.ratioToFloor = L.round(v.rps / out.scenarios.floor[k].rps, 3);
  for (const name of ['helpLoaded', 'midSheetLoaded']) for (const [k, v] of Object.entries(out.scenarios[name])) v.ratioToFloor = L.round(v.rps / out.scenarios.floor[k].rps, 3);
  out.guard = guardRows();
  const target = (name, value, op, limit) => out.targets.push({ name, value, target: `${op} ${limit}`, ok: value !== null && (op === '≥' ? value >= limit : value <= limit) });
  for (const name of ['help', 'midSheet']) {
    target(`${name} c=20 throughput / floor`, out.scenarios[name].c20.ratioToFloor, '≥', 0.25);
    target(`${name} c=20 p99 ms`, out.scenarios[name].c20.p99Ms, '≤', 150);
  }
  target('200 voters p99 ms', out.scenarios.vote.p99Ms, '≤', 300);
  target('200 voters lost', out.scenarios.vote.lost, '≤', 0);
  target('fan-out seconds / minimum', L.round(out.fanout.seconds / out.fanout.minSeconds, 2), '≤', 1.15);
  target('fan-out lost', out.fanout.lost, '≤', 0);
  target('fan-out duplicates', out.fanout.duplicates, '≤', 0);
  for (const [op, v] of Object.entries(out.scale.slowdown)) target(`scale.slowdown ${op}`, v, '≤', 1.3);
  target('bot RSS MB under load, loaded database', out.memory.rssMb, '≤', 300);
  target('anonymity guard / one regex pass', out.guard.guardRatio, '≤', 400);
  target('guard on 50 KB pathological input / regex pass', out.guard.pathologicalRatio, '≤', 5000);
  out.machine.loadavgAtEnd = os.loadavg().map((x) => L.round(x, 2));

  save();
  console.log(JSON.stringify({ scenarios: out.scenarios, fanout: out.fanout, scale: { slowdown: out.scale.slowdown, seed: out.scale.seed }, memory: out.memory, startup: out.startup, guard: out.guard }, null, 1));
  for (const t of out.targets) console.log(`${t.ok ? 'ok  ' : 'MISS'} ${t.name}: ${t.value} (target ${t.target})`);
  const missed = out.targets.filter((t) => !t.ok).length;
  console.log(`${out.targets.length - missed} met, ${missed} missed — bench/results/latest.json`);
  process.exit(missed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
