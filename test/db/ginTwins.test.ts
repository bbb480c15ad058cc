// The embedded database reads an indexed field's equality through an index (tools/ferretdb gives
// each FerretDB index a GIN twin its pushed-down SQL can use), and the plan check tells an indexed
// read from a whole-collection one. PostgreSQL plans only: skipped on another server (MONGODB_URI).
import { Collection, Db } from 'mongodb';
import { connectTestDb } from '../support/db';
import { explainFind } from '../support/queryPlan';

let db: Db;
let close: () => Promise<void>;
let answers: Collection;
let onPostgres = false;

beforeAll(async () => {
  ({ db, close } = await connectTestDb('gin'));
  answers = db.collection('answers');
  await answers.createIndex({ pollId: 1, participantKey: 1 }, { unique: true });
  await answers.createIndex({ at: 1 });
  // Enough rows that PostgreSQL's planner prefers an index when one serves the filter.
  const docs = Array.from({ length: 3000 }, (_, i) => ({ _id: `p${i % 15}:u${i}`, pollId: `p${i % 15}`, participantKey: `u${i}`, choice: i % 3 === 0 ? 'yes' : 'no', at: new Date(Date.UTC(2026, 0, 1, 0, i)) }));
  for (let i = 0; i < docs.length; i += 1000) await answers.insertMany(docs.slice(i, i + 1000) as never[]);
  onPostgres = Boolean((await explainFind(answers, {})).raw.queryPlanner?.Plan);
}, 120_000);
afterAll(async () => close());

const cases: Array<[string, Record<string, unknown>, boolean]> = [
  ['the _id', { _id: 'p3:u1803' }, true],
  ['the first field of a compound index', { pollId: 'p7' }, true],
  ['the second field of a compound index', { participantKey: 'u42' }, true],
  ['both fields', { pollId: 'p7', participantKey: 'u7' }, true],
  ['an indexed field with $eq', { pollId: { $eq: 'p7' } }, true],
  ['an indexed field and an unindexed one', { pollId: 'p7', choice: 'yes' }, true],
  ['a field no index names', { choice: 'yes' }, false],
  ['$in (not pushed down by FerretDB)', { pollId: { $in: ['p7', 'p8'] } }, false],
  ['a range (not pushed down by FerretDB)', { at: { $gte: new Date(Date.UTC(2026, 0, 2)) } }, false],
];

it.each(cases.map(([what, filter, indexed]) => ({ what, filter, indexed })))('$what → indexed: $indexed', async ({ filter, indexed }) => {
  if (!onPostgres) return;
  const plan = await explainFind(answers, filter);
  expect(plan.indexed).toBe(indexed);
  if (indexed) expect(plan.indexes.every((name) => /_gin_/.test(name))).toBe(true);
});

it('a collection created later gets its twins too (the event trigger, not only the start-up pass)', async () => {
  if (!onPostgres) return;
  const later = db.collection('createdLater');
  await later.createIndex({ caseId: 1 });
  await later.insertMany(Array.from({ length: 3000 }, (_, i) => ({ caseId: `c${i}` })));
  expect((await explainFind(later, { caseId: 'c5' })).indexed).toBe(true);
  expect((await later.find({ caseId: 'c5' }).toArray()).length).toBe(1);
});
