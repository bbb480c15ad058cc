// Each process keeps the newest poll revision it has seen and only reads newer ones: a change made
// by another instance on the same database must still be seen at once, however many revisions it
// added, and what get() returns is the caller's own copy.
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { admittedCase, createData, invoke, localIn, ORGANISER, postInvoke, userN } from './support';

let a: RunningApp;
let b: RunningApp;
let fake: FakeConnector;

beforeAll(async () => {
  fake = await FakeConnector.start();
  a = await startTestApp();
  b = await startTestApp({}, { dbName: a.dbName });
  fake.setMembers([ORGANISER, userN(1), userN(2)]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await fake?.close();
});

it("sees another instance's changes at once, and hands out copies", async () => {
  const trackingId = await admittedCase(a);
  const data = createData(trackingId, { slots: [localIn(5, 10), localIn(6, 10)], deadline: localIn(3, 18), members: [userN(1).aadObjectId, userN(2).aadObjectId] });
  expect((await postInvoke(a.url, invoke('poll.create', data, fake.url, 'a:fictional-group-revisions'))).status).toBe(200);
  const [created] = await a.app.services.polls.forTrackingId(trackingId);
  const before = (await a.app.services.polls.get(created.pollId))!;

  // Instance B makes three revisions; A has the older one in memory.
  const d1 = localIn(4, 18);
  const d2 = localIn(4, 19);
  expect((await b.app.services.polls.extendDeadline(created.pollId, `${d1.date}T${d1.time}`, ORGANISER.aadObjectId)).ok).toBe(true);
  expect((await b.app.services.polls.removeSlot(created.pollId, 's2', ORGANISER.aadObjectId)).ok).toBe(true);
  expect((await b.app.services.polls.extendDeadline(created.pollId, `${d2.date}T${d2.time}`, ORGANISER.aadObjectId)).ok).toBe(true);

  const seen = (await a.app.services.polls.get(created.pollId))!;
  expect(seen.rev).toBe(before.rev + 3);
  expect(seen.deadline).toBe(`${d2.date}T${d2.time}`);
  expect(seen.slots.find((s) => s.id === 's2')?.removed).toBe(true);

  // A's own change builds on B's: s1 is now the last slot (B removed s2), and closing comes next.
  expect(await a.app.services.polls.removeSlot(created.pollId, 's1', ORGANISER.aadObjectId)).toMatchObject({ ok: false, error: { code: 'lastSlot' } });
  expect((await a.app.services.polls.close(created.pollId, ORGANISER.aadObjectId)).ok).toBe(true);
  const closed = (await b.app.services.polls.get(created.pollId))!;
  expect(closed.rev).toBe(before.rev + 4);
  expect(closed.status).toBe('closed');

  // A caller changing what it got does not change what the next caller gets.
  closed.participants.length = 0;
  closed.status = 'open';
  const again = (await b.app.services.polls.get(created.pollId))!;
  expect(again.participants).toHaveLength(2);
  expect(again.status).toBe('closed');
});
