// Issue 12: the hot paths must cost the same on a database holding years of data as on an empty
// one. Every query they really issue (recorded at the driver, so mongoose models and raw driver
// calls alike) must have a SELECTIVE plain equality on an indexed field: on the embedded database
// (FerretDB on PostgreSQL) only top-level scalar equalities reach SQL, anything else ($in, ranges,
// $or, null, dotted paths) makes FerretDB read and decode the whole collection.
//
// Driven through the real endpoint: an ordinary turn, a whole request sheet (drafts, submit, triage
// card), a decision, "mes dossiers", a vote with the shared card refresh, a card refresh. Then each
// collection involved is seeded with ~2,000 clones of the documents those paths wrote (ids varied,
// everything else kept), and every recorded filter is checked:
//   1. it has a top-level plain scalar equality on a field of a declared index (any backend);
//   2. that equality matches few documents (not "all open polls", "all requests of the year");
//   3. on FerretDB-PostgreSQL, the database's own plan reads through an index (explainFind).
import { Collection, Document, MongoServerError, ObjectId } from 'mongodb';
import { explainFind } from '../support/queryPlan';
import { cardsOf, post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { submitStandardRequest } from '../support/sheet';
import { participantKeyOf } from '../../services/polls';
import { validAnswers } from '../support/answers';

jest.setTimeout(180_000);

const TENANT = '11111111-1111-4111-8111-111111111111';
const COORDINATOR = { id: '29:perf-coordinator', aadObjectId: 'c0000000-0000-4000-8000-00000000c001', name: 'Coralie Coordination' };
const ORGANISER = { id: '29:perf-organiser', aadObjectId: 'a0000000-0000-4000-8000-00000000a001', name: 'Olivia Organisatrice' };
const MEMBER = { id: '29:perf-member', aadObjectId: 'd0000000-0000-4000-8000-00000000d001', name: 'Dominique Test' };
const REQUESTER = { id: '29:perf-requester', aadObjectId: 'b0000000-0000-4000-8000-00000000b001', name: 'Alex Test' };
const COORDINATION = { id: '19:perf-coordination@thread.tacv2', conversationType: 'channel', tenantId: TENANT };
const GROUP = { id: '19:perf-case-group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT };
const personal = (u: { aadObjectId: string }) => ({ id: `a:perf-personal-${u.aadObjectId}`, conversationType: 'personal', tenantId: TENANT });

/** Most documents a hot query's pushed-down equality may match (a poll of 200 participants reads 200 answers). */
const MAX_MATCHED = 250;
const SEED_SIZE = 2000;

// ---- recording -------------------------------------------------------------------------------

interface Recorded {
  phase: string;
  collection: string;
  method: string;
  filter: Document;
  caller: string;
}

const recorded: Recorded[] = [];
let phase: string | null = null;

/** Filter-taking driver methods (inserts are O(1) and not recorded). Mongoose models call these too. */
const FILTER_METHODS = ['find', 'findOne', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'countDocuments', 'count', 'distinct', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'aggregate'] as const;

/** The project file and line that issued the query (first stack frame outside node_modules and tests). */
function callerOf(stack: string | undefined): string {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /\(?(\/[^():]+):(\d+):\d+\)?$/.exec(line.trim());
    if (!m || line.includes('node:') || m[1].includes('node_modules') || m[1].includes('/test/')) continue;
    return `${m[1].replace(/^.*?\/(bot|services|jobs|models|dialogs|domain|cards)\//, '$1/')}:${m[2]}`;
  }
  return '?';
}

function filterOf(method: string, args: unknown[]): Document {
  if (method === 'distinct') return (args[1] as Document) ?? {};
  if (method === 'aggregate') return ((args[0] as Document[] | undefined)?.find((s) => '$match' in s)?.$match as Document) ?? {};
  return (args[0] as Document) ?? {};
}

function installRecorder(): () => void {
  const proto = Collection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  // The driver's findOne calls find, countDocuments calls aggregate (synchronously): one query, recorded once.
  let depth = 0;
  for (const method of FILTER_METHODS) {
    const original = proto[method];
    originals.set(method, original);
    proto[method] = function (this: Collection<Document>, ...args: unknown[]) {
      if (phase && depth === 0) {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 80; // async frames (`at async …`) name the service behind a mongoose query
        const stack = new Error().stack;
        Error.stackTraceLimit = limit;
        recorded.push({ phase, collection: this.collectionName, method, filter: filterOf(method, args), caller: callerOf(stack) });
      }
      depth++;
      try {
        return original.apply(this, args);
      } finally {
        depth--;
      }
    };
  }
  return () => originals.forEach((fn, method) => (proto[method] = fn));
}

async function during<T>(name: string, work: () => Promise<T>): Promise<T> {
  phase = name;
  try {
    return await work();
  } finally {
    phase = null;
  }
}

// ---- filter shape ------------------------------------------------------------------------------

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date || v instanceof ObjectId;

/** The part of a filter FerretDB-PostgreSQL pushes down to SQL: top-level plain equalities on scalars. */
export function pushedDown(filter: Document): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(filter)) {
    if (k.startsWith('$') || k.includes('.')) continue;
    if (isScalar(v)) out[k] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '$eq' in v && isScalar((v as Document).$eq)) out[k] = (v as Document).$eq;
  }
  return out;
}

/** A stable description of a filter: field names and operators, values replaced by their type. */
function shapeOf(value: unknown): unknown {
  if (value instanceof ObjectId) return 'ObjectId';
  if (value instanceof Date) return 'Date';
  if (value instanceof RegExp) return 'RegExp';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)]));
  return value === null ? null : typeof value;
}

// ---- seeding -----------------------------------------------------------------------------------

/** Fields whose values identify one thing (a case, a poll, a user): varied in the clones. */
const ID_FIELDS = new Set([
  'k', 'key', 'pollId', 'trackingId', 'requestKey', 'participantKey', 'conversationId', 'aadObjectId', 'organiserAadObjectId', 'requesterAadObjectId',
  'requesterConversationId', 'userAadObjectId', 'teamsUserId', 'pointId', 'activityId', 'triageActivityId', 'subject', 'actor', 'createdBy', 'decidedBy',
  'by', 'addedBy', 'owner', 'agendaConversationId', 'agendaActivityId',
]);
/** Unique numeric sequences: moved out of the way of the real ones. */
const SEQ_FIELDS = new Set(['seq']);

/**
 * What years of use look like for the low-cardinality fields the clones keep: most requests are
 * decided, most people known to the bot are no longer in the pool.
 */
const AGED: Record<string, (doc: Document) => Document> = {
  requests: (d) => ({ ...d, status: 'admitted' }),
  members: (d) => ({ ...d, roles: [], active: false }),
};

function cloneOf(doc: Document, i: number, aged?: (d: Document) => Document): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === '_id') out._id = typeof v === 'string' ? `${v}~seed${i}` : typeof v === 'number' ? v + 1_000_000 + i : v instanceof ObjectId ? new ObjectId() : v;
    else if (ID_FIELDS.has(k) && typeof v === 'string') out[k] = `${v}~seed${i}`;
    else if (SEQ_FIELDS.has(k) && typeof v === 'number') out[k] = 1_000_000 + i;
    else out[k] = v;
  }
  return aged ? aged(out) : out;
}

/** Adds `count` clones (numbered from `from`) of the documents the hot paths left in `collection`. */
async function seed(collection: Collection<Document>, count = SEED_SIZE, from = 0): Promise<number> {
  const originals = await collection.find({ _id: { $not: /~seed/ } } as never).limit(200).toArray();
  if (!originals.length) return collection.countDocuments({});
  const docs = Array.from({ length: count }, (_, n) => cloneOf(originals[(from + n) % originals.length], from + n, AGED[collection.collectionName]));
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!(err instanceof MongoServerError) || err.code !== 11000) throw err;
  }
  return collection.countDocuments({});
}

async function indexedFields(collection: Collection<Document>): Promise<Set<string>> {
  const indexes = await collection.indexes();
  return new Set(indexes.flatMap((ix) => Object.keys(ix.key)));
}

/** FerretDB on PostgreSQL answers explain with a PostgreSQL plan; SQLite (and MongoDB) do not. */
async function onPostgres(collection: Collection<Document>): Promise<boolean> {
  const plan = await explainFind(collection, { _id: 'probe' } as never);
  return typeof plan.pushedDown === 'boolean' && JSON.stringify(plan.raw.queryPlanner ?? {}).includes('"Node Type"');
}

// ---- the test ----------------------------------------------------------------------------------

describe('hot paths issue only indexed, selective queries (issue 12)', () => {
  let fake: FakeConnector;
  let running: RunningApp;
  let restore: () => void;
  let trackingId = '';
  let pollId = '';
  const invoke = (verb: string, data: Record<string, unknown>, from: typeof MEMBER) =>
    teamsMessage(undefined, { type: 'invoke', name: 'adaptiveCard/action', from, conversation: GROUP, serviceUrl: fake.url, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });

  /** Median time (ms) of each hot path through the endpoint, run `n` times in a row (for the record, not asserted). */
  async function medians(n = 9): Promise<Record<string, number>> {
    const ops: Record<string, () => Promise<unknown>> = {
      turn: () => post(running.url, teamsMessage('aide', { from: REQUESTER, conversation: personal(REQUESTER), serviceUrl: fake.url })),
      'mes dossiers': () => post(running.url, teamsMessage('mes dossiers', { from: MEMBER, conversation: personal(MEMBER), serviceUrl: fake.url })),
      vote: async () => {
        await post(running.url, invoke('poll.answer', { pollId, slot_s1: 'ifNeedBe', slot_s2: 'yes', comment: '' }, MEMBER));
        await running.app.features.polls.settled();
      },
      'poll refresh': () => post(running.url, invoke('poll.refresh', { pollId }, MEMBER)),
    };
    const out: Record<string, number> = {};
    for (const [name, op] of Object.entries(ops)) {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await op();
        times.push(performance.now() - t0);
      }
      out[name] = Math.round(times.sort((a, b) => a - b)[Math.floor(n / 2)] * 10) / 10;
    }
    return out;
  }
  let emptyMedians: Record<string, number> = {};

  beforeAll(async () => {
    restore = installRecorder();
    fake = await FakeConnector.start();
    fake.setMembers([{ ...REQUESTER, email: 'alex.test@example.org' }, ORGANISER, MEMBER]);
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId }, { startScheduler: false });
    await running.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', COORDINATOR.aadObjectId, { languages: ['fr'] });
    // A request submitted before any coordination conversation exists (also the year's first: its
    // sequence pointer is written once a year, outside the hot path).
    await running.app.services.requests.submit(validAnswers(), { aadObjectId: REQUESTER.aadObjectId, conversationId: personal(REQUESTER).id, locale: 'fr' });
    // Once per process (conversation references' start-up), not per turn: outside the recording.
    for (const u of [REQUESTER, ORGANISER, MEMBER]) await post(running.url, teamsMessage('aide', { from: u, conversation: personal(u), serviceUrl: fake.url }));
  });

  afterAll(async () => {
    restore?.();
    await running?.app.features.polls.settled();
    await running?.close();
    await fake?.close();
  });

  it('drives every hot path through the endpoint', async () => {
    await during('coordination set: pending requests posted', async () => {
      const res = await post(running.url, teamsMessage('définir coordination', { from: COORDINATOR, conversation: COORDINATION, serviceUrl: fake.url }));
      expect(res.body.activities?.map((a) => a.text).join(' ')).toMatch(/1 demande/);
    });

    await during('turn', async () => {
      const res = await post(running.url, teamsMessage('aide', { from: REQUESTER, conversation: personal(REQUESTER), serviceUrl: fake.url }));
      expect(res.body.activities?.length).toBeGreaterThan(0);
    });

    trackingId = await during('sheet+triage card', () => submitStandardRequest(running.url, { from: REQUESTER, conversation: personal(REQUESTER), serviceUrl: fake.url }));
    expect((await running.app.services.requests.get(trackingId))?.triageActivityId).toBeTruthy();

    await during('decision', async () => {
      const res = await post(
        running.url,
        teamsMessage(undefined, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          from: COORDINATOR,
          conversation: COORDINATION,
          serviceUrl: fake.url,
          value: { action: { type: 'Action.Execute', verb: 'triage.yes', data: { trackingId, organiser: ORGANISER.aadObjectId, notes: '' } }, trigger: 'manual' },
          deliveryMode: undefined,
        }),
      );
      expect(res.status).toBe(200);
    });
    expect(await running.app.services.cases.get(trackingId)).toBeTruthy();

    // The case's member and its group conversation (set up, not measured).
    expect((await running.app.services.cases.addParticipant(trackingId, { role: 'professional', profile: 'homeNurse', displayName: MEMBER.name, aadObjectId: MEMBER.aadObjectId, teamsUserId: MEMBER.id }, ORGANISER.aadObjectId)).ok).toBe(true);
    await running.app.services.cases.linkConversation(trackingId, GROUP.id, ORGANISER.aadObjectId);

    expect((await running.app.services.cases.setConcertation(trackingId, { start: new Date(Date.now() + 20 * 86_400_000), durationMinutes: 90, place: 'Maison médicale (fictive)', onlineLink: null }, ORGANISER.aadObjectId)).ok).toBe(true);

    for (const who of [ORGANISER, MEMBER]) {
      await during(`mes dossiers (${who === ORGANISER ? 'organiser' : 'member'})`, async () => {
        const res = await post(running.url, teamsMessage('mes dossiers', { from: who, conversation: personal(who), serviceUrl: fake.url }));
        expect(JSON.stringify(cardsOf(res.body.activities))).toContain(trackingId);
      });
    }

    const polls = running.app.services.polls;
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toLocaleString('sv-SE', { timeZone: 'Europe/Brussels' }).slice(0, 10);
    const created = await polls.create(
      {
        trackingId,
        conversationId: GROUP.id,
        organiser: { aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, name: ORGANISER.name, email: 'olivia@example.org' },
        locale: 'fr',
        slots: [{ start: `${day(10)}T10:00`, durationMinutes: 60 }, { start: `${day(11)}T14:00`, durationMinutes: 60 }],
        place: { kind: 'room', details: '' },
        deadline: `${day(5)}T18:00`,
        participants: [MEMBER, ORGANISER].map((p) => ({ aadObjectId: p.aadObjectId, teamsUserId: p.id, name: p.name, email: null, required: true, external: false })),
      },
      ORGANISER.aadObjectId,
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    pollId = created.value.pollId;
    await polls.recordMessage(pollId, GROUP.id, 'perf-poll-card');


    await during('vote + shared card refresh', async () => {
      const vote = invoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'no', comment: '' }, MEMBER);
      const res = await post(running.url, vote);
      expect(res.status).toBe(200);
      await running.app.features.polls.settled();
      // Teams redelivers a slow answer: the claim is found taken, the first answer replayed.
      const again = await post(running.url, vote);
      const invokeValue = (r: typeof res) => r.body.activities?.find((x) => x.type === 'invokeResponse')?.value;
      expect(invokeValue(again)).toEqual(invokeValue(res));
    });
    expect((await polls.state(pollId))!.answers.has(participantKeyOf(MEMBER.aadObjectId))).toBe(true);

    await during('poll card refresh', async () => {
      const res = await post(running.url, invoke('poll.refresh', { pollId }, MEMBER));
      expect(JSON.stringify(res.body)).toContain('slot_s1');
    });

    // A second process on the same database (a restart): its first turn, and a 1:1 message to
    // someone it has no chat with before it heard from any conversation.
    const restarted = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId }, { dbName: running.dbName, startScheduler: false });
    try {
      await during('restarted process: first turn', async () => {
        const res = await post(restarted.url, teamsMessage('aide', { from: MEMBER, conversation: personal(MEMBER), serviceUrl: fake.url }));
        expect(res.body.activities?.length).toBeGreaterThan(0);
      });
      const fresh = await startTestApp({}, { dbName: running.dbName, startScheduler: false });
      try {
        await during('restarted process: 1:1 message before any turn', async () => {
          const sent = await fresh.app.messenger.sendToUser({ aadObjectId: 'f0000000-0000-4000-8000-00000000f001', teamsUserId: '29:perf-newcomer' }, { text: 'Bonjour (test)' });
          expect(sent.ok).toBe(true);
        });
      } finally {
        await fresh.close();
      }
    } finally {
      await restarted.close();
    }

    emptyMedians = await medians();

    // Other people's unfinished sheets: the drafts collection is not empty in real life.
    await running.app.services.drafts.save('e0000000-0000-4000-8000-00000000e001', 'a:perf-someone-else', { person: { language: 'nl' } });
  });

  it('every recorded query has a selective plain equality on an indexed field', async () => {
    expect(recorded.length).toBeGreaterThan(0);
    const byShape = new Map<string, Recorded & { phases: Set<string>; callers: Set<string> }>();
    for (const r of recorded) {
      const id = `${r.collection} ${r.method} ${JSON.stringify(shapeOf(r.filter))}`;
      const known = byShape.get(id);
      if (known) {
        known.phases.add(r.phase);
        known.callers.add(r.caller);
      } else byShape.set(id, { ...r, phases: new Set([r.phase]), callers: new Set([r.caller]) });
    }

    // Every process of the test shares one database: its collections, through the first process.
    const db = running.app.conn.db!;
    const collections = new Map<string, Collection<Document>>();
    for (const r of byShape.values()) collections.set(r.collection, db.collection(r.collection));
    const postgres = await onPostgres([...collections.values()][0]);
    // What autovacuum does in a running database (FerretDB's compact is VACUUM ANALYZE on PostgreSQL):
    // the planner gets statistics, and GIN indexes their freshly inserted entries, before we judge plans.
    const settle = (name: string) => (postgres ? db.command({ compact: name }).catch(() => undefined) : Promise.resolve());
    const sizes = new Map<string, number>();
    for (const [name, c] of collections) {
      sizes.set(name, await seed(c));
      await settle(name);
    }

    const problems: string[] = [];
    const table: string[] = [];
    for (const [id, r] of byShape) {
      const name = r.collection;
      const collection = collections.get(name)!;
      const equal = pushedDown(r.filter);
      const indexed = await indexedFields(collection);
      const onIndex = Object.keys(equal).filter((f) => indexed.has(f));
      const matched = onIndex.length ? await collection.countDocuments(equal) : sizes.get(name) ?? 0;
      let plan = postgres && onIndex.length ? await explainFind(collection, r.filter) : null;
      // PostgreSQL's planner prefers reading a small table to an index (large documents live apart,
      // in TOAST, so the table looks small): grow it towards the issue's 10,000 before judging.
      while (plan && !plan.indexed && (sizes.get(name) ?? 0) < 10_000) {
        sizes.set(name, await seed(collection, 4000, sizes.get(name) ?? 0));
        await settle(name);
        plan = await explainFind(collection, r.filter);
      }
      const where = `${id} [${[...r.phases].join(', ')}] from ${[...r.callers].join(', ')}`;
      if (!onIndex.length) problems.push(`no plain equality on an indexed field: ${where}`);
      else if (matched > MAX_MATCHED) problems.push(`equality matches ${matched} of ${sizes.get(name)}: ${where}`);
      else if (plan && !plan.indexed) problems.push(`not read through an index on PostgreSQL: ${where}`);
      table.push(`${onIndex.length && matched <= MAX_MATCHED && (!plan || plan.indexed) ? 'ok ' : 'BAD'} ${id} matched=${matched}/${sizes.get(name)}${plan ? ` plan=${plan.indexes.join('+') || 'seq'}` : ''} [${[...r.callers].join(', ')}] {${[...r.phases].join('; ')}}`);
    }
    // The list of queries, for the record (and the issue's report).
    // eslint-disable-next-line no-console
    console.log(`${postgres ? 'PostgreSQL plans checked' : 'not FerretDB-PostgreSQL: plans not checked, shapes and selectivity only'}\n${table.join('\n')}`);
    expect(problems).toEqual([]);
  });

  it('takes about as long on the seeded database as on the nearly empty one (logged)', async () => {
    const loaded = await medians();
    const lines = Object.keys(loaded).map((k) => `${k}: ${emptyMedians[k]} ms → ${loaded[k]} ms (×${(loaded[k] / emptyMedians[k]).toFixed(2)})`);
    // eslint-disable-next-line no-console
    console.log(`median per operation, before → after seeding:\n${lines.join('\n')}`);
    expect(Object.keys(loaded)).toHaveLength(4);
  });
});
