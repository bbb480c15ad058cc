// 200 participants answering at the same moment through HTTP: nothing lost, the organiser told
// once; and the agenda job closes the poll at its deadline (controllable clock).
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { ManualClock } from '../../services/clock';
import { admittedCase, createData, invoke, localIn, ORGANISER, postInvoke, userN } from './support';

describe('availability poll under load', () => {
  let running: RunningApp;
  let fake: FakeConnector;
  const clock = new ManualClock();
  const group = 'a:fictional-group-load';
  const people = Array.from({ length: Number(process.env.POLL_N ?? 200) }, (_, i) => userN(i + 1));

  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp({}, { clock });
    fake.setMembers([ORGANISER, ...people]);
  });
  afterAll(async () => {
    await running.app.features.polls.settled();
    await running.close();
    await fake.close();
  });

  it('stores 200 concurrent answers with zero lost votes and tells the organiser once', async () => {
    const trackingId = await admittedCase(running);
    const data = createData(trackingId, { slots: [localIn(5, 10), localIn(6, 10)], deadline: localIn(3, 18), members: people.map((p) => p.aadObjectId) });
    const created = await postInvoke(running.url, invoke('poll.create', data, fake.url, group));
    expect(created.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const [poll] = await running.app.services.polls.forTrackingId(trackingId);
    expect(poll.participants).toHaveLength(people.length);
    // Beyond 60 users: no automatic per-user refresh, the card says to click.
    const shared = (fake.delivered(group).at(-1)!.body as any).attachments[0].content;
    expect(shared.refresh).toBeUndefined();
    expect(JSON.stringify(shared)).toContain('Répondre / voir mes réponses');

    const before = fake.requests.length;
    const responses = await Promise.all(
      people.map((p, i) => postInvoke(running.url, invoke('poll.answer', { pollId: poll.pollId, slot_s1: i % 2 ? 'yes' : 'ifNeedBe', slot_s2: i % 3 ? 'no' : 'yes' }, fake.url, group, p))),
    );
    const bad = responses.filter((r) => !(r.status === 200 && r.body.type === 'application/vnd.microsoft.card.adaptive'));
    if (bad.length) console.log(bad.length, JSON.stringify(bad[0]).slice(0, 500));
    expect(bad).toHaveLength(0);
    const state = (await running.app.services.polls.state(poll.pollId))!;
    expect(state.answers.size).toBe(people.length);
    expect(state.pending).toHaveLength(0);
    const s1 = state.ranking.find((r) => r.slotId === 's1')!;
    expect(s1.totals).toEqual({ yes: people.length / 2, ifNeedBe: people.length / 2, no: 0, pending: 0 });
    await running.app.features.polls.settled();
    const told = fake.requests.slice(before).filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('Tous les participants ont répondu'));
    expect(told).toHaveLength(1);
    // The shared card shows the final totals after the burst (coalesced updates).
    const lastUpdate = fake.requests.filter((r) => r.operation === 'update' && r.conversationId === group).at(-1)!;
    expect(JSON.stringify(lastUpdate.body)).toContain(`Réponses : ${people.length} sur ${people.length}`);
  }, 120_000);

  it('closes the poll from the scheduled job once the clock passes the deadline', async () => {
    const trackingId = await admittedCase(running);
    const data = createData(trackingId, { slots: [localIn(5, 10), localIn(6, 10)], deadline: localIn(2, 18), members: [people[0].aadObjectId] });
    await postInvoke(running.url, invoke('poll.create', data, fake.url, 'a:fictional-group-load-2'));
    const [poll] = await running.app.services.polls.forTrackingId(trackingId);
    clock.advance(3 * 86_400_000);
    let status = poll.status;
    for (let i = 0; i < 100 && status === 'open'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await running.app.services.polls.get(poll.pollId))!.status;
    }
    if (status !== 'closed') console.log(JSON.stringify(await running.app.conn.db!.collection('agendaJobs').find({}).toArray()).slice(0, 1500));
    expect(status).toBe('closed');
    clock.advance(-3 * 86_400_000);
  });
});
