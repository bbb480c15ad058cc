// Seeds the "years of use" database for the scale scenario. Every kind of document is first made
// by the bot's own code (a case admitted through CaseService, a poll created and answered through
// PollService, a conversation reference remembered through ConversationReferences, reminders
// planned through ReminderService), then the template documents are cloned in bulk with their ids
// replaced: the clones have exactly the shape the services write, at bulk-insert speed (the
// services have no bulk path for cases, polls and answers, and 10,000 one-by-one creations on a
// growing collection would take most of an hour on FerretDB v1).
'use strict';
const { randomUUID } = require('node:crypto');
const { performance } = require('node:perf_hooks');

const CASE_TOKEN = '8888888';
const REF_TOKEN = '6666666';
const RK_TOKEN = '5555555';
const num7 = (i) => String(1000000 + i);
const aadOf = (digits) => `00000000-0000-4000-8000-00000${digits}`;
const voterAad = (j) => `00000000-0000-4000-8000-${String(930000 + j).padStart(12, '0')}`;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** Collections whose template documents are not cloned (logs and the scheduler's own). */
const NOT_CLONED = new Set(['audit', 'reminders', 'reminderClaims', 'reminderOutcomes', 'agendaJobs', 'botState', 'seenActivities', 'members', 'settings']);

function cloner(doc) {
  const { _id, ...rest } = doc;
  const keepId = typeof _id === 'string';
  const json = JSON.stringify(keepId ? { _id, ...rest } : rest);
  return (pairs) => {
    let s = json;
    for (const [from, to] of pairs) s = s.split(from).join(to);
    return JSON.parse(s, (_k, v) => (typeof v === 'string' && ISO.test(v) ? new Date(v) : v));
  };
}

/**
 * Retries an operation the driver refused because it took the database for down: a saturated
 * FerretDB misses the 1 s heartbeat (models/db.ts), which is not what is measured here.
 */
async function retry(op) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= 10 || !/unavailable|ECONNREFUSED|topology|server selection|database is locked|SQLITE_BUSY/i.test(String(err?.message ?? err))) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function insertChunked(collection, docs) {
  for (let k = 0; k < docs.length; k += 1000) {
    const chunk = docs.slice(k, k + 1000);
    await retry(() => collection.insertMany(chunk, { ordered: false }).catch((err) => {
      if (err?.code === 11000 || err?.writeErrors) return; // a retried chunk meets its own first half
      throw err;
    }));
  }
}

/** Documents (per collection) whose JSON contains `token`. */
async function docsWith(db, token) {
  const found = [];
  for (const { name } of await db.listCollections().toArray()) {
    if (NOT_CLONED.has(name)) continue;
    for (const d of await db.collection(name).find({}).toArray()) if (JSON.stringify(d).includes(token)) found.push({ name, doc: d });
  }
  return found;
}

/**
 * Seeds `n.cases` cases, `n.polls` polls of `n.voters` answers each, `n.reminders` scheduled
 * reminders and `n.references` conversation references. `app` is an in-process createApp() on the
 * bot's database; `fakeUrl` is the serviceUrl the references point to.
 */
async function seed(app, n, fakeUrl) {
  const t0 = performance.now();
  const db = app.conn.db;
  const tplCase = `CMD-2024-${CASE_TOKEN}`;
  const organiser = aadOf(CASE_TOKEN);
  // Templates, through the services.
  await retry(() => app.models.requests.create({
    trackingId: tplCase, year: 2024, seq: Number(CASE_TOKEN), requesterAadObjectId: aadOf('0000000'), requesterConversationId: 'a:bench-requester',
    locale: 'fr', answers: { person: { language: 'fr' } }, suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted',
    triageConversationId: null, triageActivityId: null, submittedAt: new Date(),
  }));
  const decision = { trackingId: tplCase, status: 'yes', organiserAadObjectId: organiser, notes: '', decidedBy: 'bench-coordination', decidedByName: 'Coordination Test', decidedAt: new Date() };
  await retry(() => app.models.decisions.create(decision));
  await retry(() => app.services.cases.createFromDecision(decision));

  const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const poll = await app.services.polls.create(
    {
      trackingId: tplCase, conversationId: `19:bench-case-${CASE_TOKEN}@thread.v2`,
      organiser: { aadObjectId: organiser, teamsUserId: `29:bench-org-${CASE_TOKEN}`, name: 'Organisatrice Test', email: null },
      locale: 'fr', slots: [{ start: `${day(20)}T10:00`, durationMinutes: 105 }, { start: `${day(21)}T14:00`, durationMinutes: 105 }],
      place: { kind: 'home', details: '' }, deadline: `${day(15)}T18:00`,
      participants: Array.from({ length: n.voters }, (_, j) => ({ aadObjectId: voterAad(j), teamsUserId: `29:bench-voter-${j}`, name: `Participant Test ${j}`, email: null, required: false, external: false })),
    },
    organiser,
  );
  if (!poll.ok) throw new Error(`template poll refused: ${JSON.stringify(poll.error)}`);
  const pollId = poll.value.pollId;
  const answered = await app.services.polls.answer({ pollId, participantKey: `u:${voterAad(0)}`, answers: { s1: 'yes', s2: 'ifNeedBe' }, comment: '', by: voterAad(0), requestKey: `bench-rk-${RK_TOKEN}` });
  if (!answered.ok) throw new Error(`template answer refused: ${JSON.stringify(answered.error)}`);

  await app.references.remember({
    type: 'message', id: `bench-act-${REF_TOKEN}`, channelId: 'msteams', serviceUrl: fakeUrl,
    from: { id: `29:bench-seed-${REF_TOKEN}`, aadObjectId: aadOf(REF_TOKEN), name: 'Utilisateur Test' },
    recipient: { id: '28:bench-bot', name: 'CMD bot' },
    conversation: { id: `a:bench-seed-${REF_TOKEN}`, conversationType: 'personal', tenantId: '11111111-1111-4111-8111-111111111111' },
    channelData: { tenant: { id: '11111111-1111-4111-8111-111111111111' } }, locale: 'fr-BE',
  });
  const templatesMs = performance.now() - t0;

  // Clones.
  const pollDocs = await docsWith(db, pollId);
  const caseDocs = (await docsWith(db, CASE_TOKEN)).filter((x) => !JSON.stringify(x.doc).includes(pollId));
  const refDocs = await docsWith(db, REF_TOKEN);
  const counts = {};
  const add = (name, docs) => (counts[name] = (counts[name] ?? 0) + docs.length);
  for (const { name, doc } of caseDocs) {
    const make = cloner(doc);
    const docs = Array.from({ length: n.cases - 1 }, (_, i) => make([[CASE_TOKEN, num7(i)]]));
    await insertChunked(db.collection(name), docs);
    add(name, docs);
  }
  for (const { name, doc } of pollDocs) {
    const make = cloner(doc);
    const docs = [];
    for (let p = 0; p < n.polls - 1; p++) {
      const id = randomUUID();
      const base = [[pollId, id], [CASE_TOKEN, num7(p)]];
      if (name === 'pollAnswers') for (let j = 0; j < n.voters; j++) docs.push(make([...base, [voterAad(0), voterAad(j)], [RK_TOKEN, num7(j)]]));
      else docs.push(make(base));
    }
    await insertChunked(db.collection(name), docs);
    add(name, docs);
  }
  // The template poll's other voters too, so every poll has n.voters answers.
  const tplAnswer = pollDocs.find((x) => x.name === 'pollAnswers');
  if (tplAnswer) {
    const make = cloner(tplAnswer.doc);
    const docs = Array.from({ length: n.voters - 1 }, (_, j) => make([[voterAad(0), voterAad(j + 1)], [RK_TOKEN, num7(j + 1)]]));
    await insertChunked(db.collection('pollAnswers'), docs);
    add('pollAnswers', docs);
  }
  for (const { name, doc } of refDocs) {
    const make = cloner(doc);
    const docs = Array.from({ length: n.references - 1 }, (_, i) => make([[REF_TOKEN, num7(i)]]));
    await insertChunked(db.collection(name), docs);
    add(name, docs);
  }
  // Scheduled reminders through the service's bulk path: due in the next 60 days.
  for (let k = 0; k < n.reminders; k += 1000) {
    const plans = Array.from({ length: Math.min(1000, n.reminders - k) }, (_, m) => {
      const i = k + m;
      return {
        kind: 'meeting', subject: `CMD-2024-${num7(i % n.cases)}`, dueAt: new Date(Date.now() + 86_400_000 + (i % 60) * 86_400_000 + i * 1000),
        recipient: { conversationId: `a:bench-seed-${num7(i % n.references)}` }, locale: 'fr',
        payload: { trackingId: `CMD-2024-${num7(i % n.cases)}`, date: new Date(Date.now() + 90 * 86_400_000).toISOString() }, organiserAadObjectId: organiser,
      };
    });
    await retry(() => app.services.reminders.plan(plans, 'bench'));
  }
  counts.remindersPlanned = n.reminders;

  // The clones must read back through the services like the templates.
  const sample = `CMD-2024-${num7(Math.floor(n.cases / 2))}`;
  if (!(await app.services.cases.get(sample))) throw new Error(`seeded case ${sample} not found through CaseService`);
  if (!(await app.references.get(`a:bench-seed-${num7(Math.floor(n.references / 2))}`))) throw new Error('seeded reference not found through ConversationReferences');
  const state = await app.services.polls.state(pollId);
  if (state.answers.size !== n.voters) throw new Error(`template poll has ${state.answers.size} answers, expected ${n.voters}`);
  return { seconds: (performance.now() - t0) / 1000, templatesSeconds: templatesMs / 1000, inserted: counts };
}

module.exports = { seed, retry };
