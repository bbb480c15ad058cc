// Issue 10, item 8: reading a poll (poll.refresh) checks membership like every write. A stranger
// with the poll id sees neither its tracking id nor its participants.
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { admittedCase, createData, invoke, localIn, ORGANISER, postInvoke, TENANT, userN } from './support';

describe('poll.refresh membership', () => {
  let running: RunningApp;
  let fake: FakeConnector;
  const group = 'a:fictional-group-refresh-access';
  const members = [1, 2].map(userN);
  const stranger = userN(9);
  let trackingId: string;
  let pollId: string;
  const personal = (who: { aadObjectId: string }) => ({ conversation: { id: `a:personal-${who.aadObjectId}`, conversationType: 'personal', tenantId: TENANT } });

  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp({}, { startScheduler: false });
    fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members, stranger]);
    trackingId = await admittedCase(running);
    const data = createData(trackingId, { slots: [localIn(5, 10), localIn(6, 14)], deadline: localIn(3, 18), members: members.map((m) => m.aadObjectId) });
    await postInvoke(running.url, invoke('poll.create', data, fake.url, group));
    [{ pollId }] = await running.app.services.polls.forTrackingId(trackingId);
  });
  afterAll(async () => {
    await running.app.features.polls.settled();
    await running.close();
    await fake.close();
  });

  const refresh = (from: Record<string, unknown>, conversationId: string, over: Record<string, unknown> = {}) =>
    postInvoke(running.url, invoke('poll.refresh', { pollId }, fake.url, conversationId, from, over));

  it('refuses a stranger outside the poll and its conversation, showing nothing of the poll', async () => {
    const res = await refresh(stranger, 'unused', personal(stranger));
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).toMatch(/ne faites pas partie des participants/);
    expect(text).not.toContain(trackingId);
    expect(text).not.toContain('Participant Test');
  });

  it.each([
    ['a participant, in their 1:1 chat', () => members[0], () => personal(members[0])],
    ['the organiser, in their 1:1 chat', () => ORGANISER, () => personal(ORGANISER)],
    ['a member of the conversation where the card is posted', () => stranger, () => ({})],
  ])('shows the card to %s', async (_label, who, over) => {
    const res = await refresh(who(), group, over());
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(res.body.value)).toContain(trackingId);
  });
});
