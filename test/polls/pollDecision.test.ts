// Fixing the date from the poll: one rule set for poll and case (issue 9, item 1) and invitations
// sent after the click has answered, with their outcome told to whoever chose (item 8).
import { DateTime } from 'luxon';
import { post, RunningApp, startTestApp } from '../support/app';
import { FakeConnector, RecordedRequest } from '../support/fakeConnector';
import { admittedCase, createData, groupMessage, invoke, localIn, ORGANISER, personalMessage, postInvoke, until, userN } from './support';

const COORDINATOR = { id: '29:fictional-coordinator', aadObjectId: 'c0000000-0000-4000-8000-0000000000c1', name: 'Coralie Coordination' };

describe('the coordination fixes the date from the poll', () => {
  let running: RunningApp;
  let fake: FakeConnector;
  const group = '19:fictional-decision-group@thread.v2';
  const members = [1, 2, 3].map(userN);
  const [p1, p2, p3] = members;
  let trackingId: string;
  let pollId: string;
  const slotA = localIn(5, 10);
  const slotB = localIn(6, 14);

  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId }, { startScheduler: false });
    fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members, COORDINATOR]);
    trackingId = await admittedCase(running);
    // The organiser links the group chat (the agenda card goes there) and creates the poll.
    const linked = await post(running.url, groupMessage(`lier dossier ${trackingId}`, fake.url, group));
    expect(linked.status).toBe(200);
    expect((await running.app.services.cases.get(trackingId))?.conversationId).toBe(group);
    const data = createData(trackingId, { slots: [slotA, slotB], deadline: localIn(3, 18), members: members.map((m) => m.aadObjectId) });
    await postInvoke(running.url, invoke('poll.create', data, fake.url, group));
    [{ pollId }] = await running.app.services.polls.forTrackingId(trackingId);
    // Two participants have a 1:1 chat with the bot: their invitations go there (and fail there).
    await post(running.url, personalMessage('aide', fake.url, p2));
    await post(running.url, personalMessage('aide', fake.url, p3));
    await running.app.features.polls.settled();
  });
  afterAll(async () => {
    await running.app.features.polls.settled();
    await running.close();
    await fake.close();
  });

  it('answers the click at once while an invitation hangs, then tells the coordinator who got it and who did not', async () => {
    const personal2 = `a:personal-${p2.aadObjectId}`;
    const personal3 = `a:personal-${p3.aadObjectId}`;
    fake.failNext(1, { hang: true }, { conversationId: personal2, operations: ['send'] });
    // A 500 is retried (docs/outbound.md): participant 3's connector fails every attempt (3 in tests).
    fake.failNext(3, { status: 500 }, { conversationId: personal3, operations: ['send'] });

    const res = await postInvoke(running.url, invoke('poll.choose', { pollId, final_slot: 's1' }, fake.url, group, COORDINATOR));
    // Answered before participant 2's invitation was delivered: that send is still hanging.
    expect(fake.delivered(personal2)).toHaveLength(0);
    expect(JSON.stringify(res.body.value)).toContain('Les invitations partent maintenant');
    expect((await running.app.services.polls.get(pollId))!.status).toBe('decided');

    await until(() => fake.requests.some((r) => r.fault === 'hang' && r.conversationId === personal2), 'the hung invitation');
    await until(() => fake.requests.filter((r) => r.status === 500 && r.conversationId === personal3).length === 3, 'every attempt of the failed invitation'); // reset() drops faults not yet used
    expect(fake.delivered(personal2)).toHaveLength(0);
    const early: RecordedRequest[] = fake.requests;
    fake.reset(); // releases the hung request: the messenger retries it and it goes through
    fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members, COORDINATOR]);
    await running.app.features.polls.settled();

    const all = [...early, ...fake.requests];
    const delivered = (conversationId: string) => all.filter((r) => r.operation === 'send' && r.conversationId === conversationId && r.status !== undefined && r.status < 300);
    expect(delivered(personal2).some((r) => JSON.stringify(r.body).includes('file.consent'))).toBe(true);
    const report = all.filter((r) => r.operation === 'send' && r.status === 201 && JSON.stringify(r.body).includes(`Concertation ${trackingId} : message envoyé`));
    // Organiser, participant 1 and participant 2 (after its retry) got it; participant 3 did not.
    // The report went 1:1 to the coordinator, who clicked, and to the organiser.
    expect(report).toHaveLength(2);
    for (const r of report) expect((r.body as { text: string }).text).toContain('message envoyé à 3 personne(s) ; échec pour 1 : Participant Test 3');
    const opened = all.filter((r) => r.operation === 'createConversation').map((r) => (r.body as { members: Array<{ id: string }> }).members[0].id);
    expect(opened).toEqual(expect.arrayContaining([COORDINATOR.id, ORGANISER.id]));
    expect(new Set(report.map((r) => r.conversationId)).size).toBe(2);
  });

  it('gives the case its date, its "scheduled" status and the agenda card in the linked chat', async () => {
    const concertation = await running.app.services.cases.openConcertation(trackingId);
    const expected = DateTime.fromISO(`${slotA.date}T${slotA.time}`, { zone: 'Europe/Brussels' }).toUTC().toMillis();
    expect(concertation?.start.getTime()).toBe(expected);
    expect(concertation?.durationMinutes).toBe(105);
    expect((await running.app.services.cases.currentStatus(trackingId)).status).toBe('scheduled');
    expect(concertation?.agendaConversationId).toBe(group);
    expect(concertation?.agendaActivityId).toBeTruthy();
  });

  it('clicking the same choice again sends nothing twice', async () => {
    const before = fake.requests.length;
    await postInvoke(running.url, invoke('poll.choose', { pollId, final_slot: 's1' }, fake.url, group, COORDINATOR));
    await running.app.features.polls.settled();
    const sends = fake.requests.slice(before).filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('file.consent'));
    expect(sends).toHaveLength(0);
  });

  it('a cancellation never overtakes the invitation it cancels', async () => {
    const personal2 = `a:personal-${p2.aadObjectId}`;
    fake.failNext(1, { hang: true }, { conversationId: personal2, operations: ['send'] });
    await postInvoke(running.url, invoke('poll.choose', { pollId, final_slot: 's2' }, fake.url, group, COORDINATOR));
    await postInvoke(running.url, invoke('poll.cancel', { pollId }, fake.url, group, COORDINATOR));
    await until(() => fake.requests.some((r) => r.fault === 'hang' && r.conversationId === personal2), 'the hung invitation');
    fake.reset();
    fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members, COORDINATOR]);
    await running.app.features.polls.settled();
    const toP2 = fake.delivered(personal2).map((r) => (r.body as { text: string }).text);
    expect(toP2).toHaveLength(2);
    expect(toP2[0]).toContain('aura lieu');
    expect(toP2[1]).toContain('est annulée');
  });
});
