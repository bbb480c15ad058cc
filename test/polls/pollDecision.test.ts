// Fixing the date from the poll: one rule set for poll and case, and invitations sent after the
// click has answered, with their outcome told to whoever chose.
import { DateTime } from 'luxon';
import { post } from '../support/app';
import { RecordedRequest } from '../support/fakeConnector';
import { COORDINATOR, useTestBot } from '../support/harness';
import { admittedCase, createData, groupMessage, invoke, localIn, ORGANISER, personalMessage, postInvoke, until, userN } from './support';

describe('the coordination fixes the date from the poll', () => {
  const group = '19:fictional-decision-group@thread.v2';
  const members = [1, 2, 3].map(userN);
  const [p1, p2, p3] = members;
  const roster = [{ ...ORGANISER, email: 'alex.test@example.org' }, ...members, COORDINATOR];
  // A new app per test: each test starts from the linked case and its open poll.
  const bot = useTestBot({ each: 'app', members: roster, settle: (app) => app.features.polls.settled() });
  let trackingId: string;
  let pollId: string;
  const slotA = localIn(5, 10);
  const slotB = localIn(6, 14);

  beforeEach(async () => {
    trackingId = await admittedCase(bot.running);
    // The organiser links the group chat (the agenda card goes there) and creates the poll.
    const linked = await post(bot.url, groupMessage(`lier dossier ${trackingId}`, bot.fake.url, group));
    expect(linked.status).toBe(200);
    expect((await bot.app.services.cases.get(trackingId))?.conversationId).toBe(group);
    const data = createData(trackingId, { slots: [slotA, slotB], deadline: localIn(3, 18), members: members.map((m) => m.aadObjectId) });
    await postInvoke(bot.url, invoke('poll.create', data, bot.fake.url, group));
    [{ pollId }] = await bot.app.services.polls.forTrackingId(trackingId);
    // Two participants have a 1:1 chat with the bot: their invitations go there (and fail there).
    await post(bot.url, personalMessage('aide', bot.fake.url, p2));
    await post(bot.url, personalMessage('aide', bot.fake.url, p3));
    await bot.app.features.polls.settled();
  });
  /** The coordination chose the first slot; the invitations are out. */
  const givenDecided = async () => {
    await postInvoke(bot.url, invoke('poll.choose', { pollId, final_slot: 's1' }, bot.fake.url, group, COORDINATOR));
    await bot.settled();
  };

  it('answers the click at once while an invitation hangs, then tells the coordinator who got it and who did not', async () => {
    const personal2 = `a:personal-${p2.aadObjectId}`;
    const personal3 = `a:personal-${p3.aadObjectId}`;
    bot.fake.failNext(1, { hang: true }, { conversationId: personal2, operations: ['send'] });
    // A 500 is retried (docs/outbound.md): participant 3's connector fails every attempt (3 in tests).
    bot.fake.failNext(3, { status: 500 }, { conversationId: personal3, operations: ['send'] });

    const res = await postInvoke(bot.url, invoke('poll.choose', { pollId, final_slot: 's1' }, bot.fake.url, group, COORDINATOR));
    // Answered before participant 2's invitation was delivered: that send is still hanging.
    expect(bot.fake.delivered(personal2)).toHaveLength(0);
    expect(JSON.stringify(res.body.value)).toContain('Les invitations partent maintenant');
    expect((await bot.app.services.polls.get(pollId))!.status).toBe('decided');

    await until(() => bot.fake.requests.some((r) => r.fault === 'hang' && r.conversationId === personal2), 'the hung invitation');
    await until(() => bot.fake.requests.filter((r) => r.status === 500 && r.conversationId === personal3).length === 3, 'every attempt of the failed invitation'); // reset() drops faults not yet used
    expect(bot.fake.delivered(personal2)).toHaveLength(0);
    const early: RecordedRequest[] = bot.fake.requests;
    bot.fake.reset(); // releases the hung request: the messenger retries it and it goes through
    bot.fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members, COORDINATOR]);
    await bot.app.features.polls.settled();

    const all = [...early, ...bot.fake.requests];
    const delivered = (conversationId: string) => all.filter((r) => r.operation === 'send' && r.conversationId === conversationId && r.status !== undefined && r.status < 300);
    expect(delivered(personal2).some((r) => JSON.stringify(r.body).includes('file.consent'))).toBe(true);
    const report = all.filter((r) => r.operation === 'send' && r.status === 201 && JSON.stringify(r.body).includes(`Concertation ${trackingId} : message envoyé`));
    // Organiser, participant 1 and participant 2 (after its retry) got it; participant 3 did not.
    // The report went 1:1 to the coordinator, who clicked, and to the organiser.
    expect(report).toHaveLength(2);
    for (const r of report) expect((r.body as { text: string }).text).toContain('message envoyé à 3 personnes ; échec pour 1 : Participant Test 3');
    const opened = all.filter((r) => r.operation === 'createConversation').map((r) => (r.body as { members: Array<{ id: string }> }).members[0].id);
    expect(opened).toEqual(expect.arrayContaining([COORDINATOR.id, ORGANISER.id]));
    expect(new Set(report.map((r) => r.conversationId)).size).toBe(2);
  });

  it('gives the case its date, its "scheduled" status and the agenda card in the linked chat', async () => {
    await givenDecided();
    const concertation = await bot.app.services.cases.openConcertation(trackingId);
    const expected = DateTime.fromISO(`${slotA.date}T${slotA.time}`, { zone: 'Europe/Brussels' }).toUTC().toMillis();
    expect(concertation?.start.getTime()).toBe(expected);
    expect(concertation?.durationMinutes).toBe(105);
    expect((await bot.app.services.cases.currentStatus(trackingId)).status).toBe('scheduled');
    expect(concertation?.agendaConversationId).toBe(group);
    expect(concertation?.agendaActivityId).toBeTruthy();
  });

  it('clicking the same choice again sends nothing twice', async () => {
    await givenDecided();
    const before = bot.fake.requests.length;
    await postInvoke(bot.url, invoke('poll.choose', { pollId, final_slot: 's1' }, bot.fake.url, group, COORDINATOR));
    await bot.app.features.polls.settled();
    const sends = bot.fake.requests.slice(before).filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('file.consent'));
    expect(sends).toHaveLength(0);
  });

  it('a cancellation never overtakes the invitation it cancels', async () => {
    await givenDecided();
    const personal2 = `a:personal-${p2.aadObjectId}`;
    bot.fake.failNext(1, { hang: true }, { conversationId: personal2, operations: ['send'] });
    await postInvoke(bot.url, invoke('poll.choose', { pollId, final_slot: 's2' }, bot.fake.url, group, COORDINATOR));
    await postInvoke(bot.url, invoke('poll.cancel', { pollId }, bot.fake.url, group, COORDINATOR));
    await until(() => bot.fake.requests.some((r) => r.fault === 'hang' && r.conversationId === personal2), 'the hung invitation');
    bot.fake.reset();
    bot.fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members, COORDINATOR]);
    await bot.app.features.polls.settled();
    const toP2 = bot.fake.delivered(personal2).map((r) => (r.body as { text: string }).text);
    expect(toP2).toHaveLength(2);
    expect(toP2[0]).toContain('aura lieu');
    expect(toP2[1]).toContain('est annulée');
  });
});
