// Fixtures and instruments of the hot-path query test: the fictional people and conversations, a
// recorder of every filter the driver receives, the part of a filter FerretDB pushes down, and the
// seeding of collections with clones of what the hot paths wrote.
import { Collection, Document, MongoServerError, ObjectId } from 'mongodb';
import { explainFind } from '../support/queryPlan';

const TENANT = '11111111-1111-4111-8111-111111111111';
export const COORDINATOR = { id: '29:perf-coordinator', aadObjectId: 'c0000000-0000-4000-8000-00000000c001', name: 'Coralie Coordination' };
export const ORGANISER = { id: '29:perf-organiser', aadObjectId: 'a0000000-0000-4000-8000-00000000a001', name: 'Olivia Organisatrice' };
export const MEMBER = { id: '29:perf-member', aadObjectId: 'd0000000-0000-4000-8000-00000000d001', name: 'Dominique Test' };
export const REQUESTER = { id: '29:perf-requester', aadObjectId: 'b0000000-0000-4000-8000-00000000b001', name: 'Alex Test' };
export const COORDINATION = { id: '19:perf-coordination@thread.tacv2', conversationType: 'channel', tenantId: TENANT };
export const GROUP = { id: '19:perf-case-group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT };
export const personal = (u: { aadObjectId: string }) => ({ id: `a:perf-personal-${u.aadObjectId}`, conversationType: 'personal', tenantId: TENANT });

/** Most documents a hot query's pushed-down equality may match (a poll of 200 participants reads 200 answers). */
export const MAX_MATCHED = 250;
const SEED_SIZE = 2000;

// ---- recording -------------------------------------------------------------------------------

export interface Recorded {
  phase: string;
  collection: string;
  method: string;
  filter: Document;
  caller: string;
}

export const recorded: Recorded[] = [];
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

export function installRecorder(): () => void {
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

export async function during<T>(name: string, work: () => Promise<T>): Promise<T> {
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
export function shapeOf(value: unknown): unknown {
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
export async function seed(collection: Collection<Document>, count = SEED_SIZE, from = 0): Promise<number> {
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

export async function indexedFields(collection: Collection<Document>): Promise<Set<string>> {
  const indexes = await collection.indexes();
  return new Set(indexes.flatMap((ix) => Object.keys(ix.key)));
}

/** FerretDB on PostgreSQL answers explain with a PostgreSQL plan; SQLite (and MongoDB) do not. */
export async function onPostgres(collection: Collection<Document>): Promise<boolean> {
  const plan = await explainFind(collection, { _id: 'probe' } as never);
  return typeof plan.pushedDown === 'boolean' && JSON.stringify(plan.raw.queryPlanner ?? {}).includes('"Node Type"');
}
