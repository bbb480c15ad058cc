// Availability polls end to end through POST /api/messages, the real database and a fake Bot Connector.
import http from 'node:http';
import { DateTime } from 'luxon';
import ICAL from 'ical.js';
import { cardsOf, post, RunningApp, startTestApp } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { ManualClock } from '../../services/clock';
import { admittedCase, createData, groupMessage, invoke, localIn, ORGANISER, postInvoke, TENANT, userN } from './support';

describe('availability polls through the HTTP endpoint', () => {
  let running: RunningApp;
  let fake: FakeConnector;
  const clock = new ManualClock();
  const group = 'a:fictional-group-poll';
  const members = [1, 2, 3].map(userN);
  let trackingId: string;
  let pollId: string;

  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp({}, { clock, startScheduler: false });
    fake.setMembers([{ ...ORGANISER, email: 'alex.test@example.org' }, ...members]);
    trackingId = await admittedCase(running);
  });
  afterAll(async () => {
    await running.app.features.polls.settled();
    await running.close();
    await fake.close();
  });

  const slotA = localIn(5, 10);
  const slotB = localIn(6, 14);
  const deadline = localIn(3, 18);

  it('opens the creation form with the conversation roster for the case organiser', async () => {
    const res = await post(running.url, groupMessage(`nouveau sondage ${trackingId}`, fake.url, group));
    const [form] = cardsOf(res.body.activities);
    expect(JSON.stringify(form)).toContain('Participant Test 2');
    expect(form.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'poll.create', fallback: { type: 'Action.Submit' } });
  });

  it('refuses someone who is neither the organiser nor a coordinator', async () => {
    const res = await post(running.url, groupMessage(`nouveau sondage ${trackingId}`, fake.url, group, members[0]));
    expect(res.body.activities?.[0].text).toMatch(/Seuls l'organisateur/);
  });

  it('refuses bad input with clear messages and keeps what was entered', async () => {
    const past = localIn(-2, 10);
    const data = createData(trackingId, { slots: [past, slotA, slotA], deadline: localIn(5, 12), members: [members[0].aadObjectId], externalsRequired: 'Dr Marie Test\ndr. marie  test' });
    const res = await postInvoke(running.url, invoke('poll.create', data, fake.url, group));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = JSON.stringify(res.body.value);
    expect(text).toContain('Créneau 1 est dans le passé');
    expect(text).toContain('Créneau 3 est proposé deux fois');
    expect(text).toContain('La date limite de réponse doit précéder le premier créneau');
    expect(text).toContain('figure deux fois parmi les participants');
    expect(text).toContain(slotA.date); // values kept
    expect(await running.app.models.polls.countDocuments({ trackingId })).toBe(0);
  });

  it('refuses a slot in the spring-forward gap', async () => {
    const data = createData(trackingId, { slots: [{ date: '2030-03-31', time: '02:30' }, slotA], deadline, members: [members[0].aadObjectId] });
    const res = await postInvoke(running.url, invoke('poll.create', data, fake.url, group));
    expect(JSON.stringify(res.body.value)).toContain("passage à l'heure d'été");
  });

  it('creates the poll, posts the card to the group chat with per-user refresh', async () => {
    const data = createData(trackingId, {
      slots: [slotA, slotB],
      deadline,
      members: members.map((m) => m.aadObjectId),
      required: [members[0].aadObjectId],
      externalsRequired: 'Dr Marie Test',
    });
    const res = await postInvoke(running.url, invoke('poll.create', data, fake.url, group));
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const [poll] = await running.app.services.polls.forTrackingId(trackingId);
    pollId = poll.pollId;
    expect(poll.participants).toHaveLength(4);
    expect(poll.activityId).toBeTruthy();
    const posted = fake.delivered(group).at(-1)!.body as any;
    const shared = posted.attachments[0].content;
    expect(shared.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'poll.refresh', data: { pollId } });
    expect(shared.refresh.userIds).toEqual(expect.arrayContaining([ORGANISER.id, members[0].id, members[1].id, members[2].id]));
    // The organiser's own view: ranking and management.
    expect(JSON.stringify(res.body.value)).toContain('Classement');
  });

  it('shows each participant their own answer form on refresh', async () => {
    const res = await postInvoke(running.url, invoke('poll.refresh', { pollId }, fake.url, group, members[1]));
    const cardJson = res.body.value;
    const inputs = JSON.stringify(cardJson.body);
    expect(inputs).toContain('slot_s1');
    expect(cardJson.actions.some((a: any) => a.verb === 'poll.answer' && a.fallback?.type === 'Action.Submit')).toBe(true);
    expect(inputs).not.toContain('Classement');
  });

  it('stores an answer once even when the invoke is delivered twice', async () => {
    const activity = invoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'no', comment: '' }, fake.url, group, members[1], { id: 'fictional-invoke-dup-1' });
    const first = await postInvoke(running.url, activity);
    const second = await postInvoke(running.url, activity);
    expect(JSON.stringify(first.body.value)).toContain('Vos réponses sont enregistrées');
    expect(second.status).toBe(200);
    expect(await running.app.models.pollAnswers.countDocuments({ pollId })).toBe(1);
    // The participant sees their answer preselected after a refresh.
    const again = await postInvoke(running.url, invoke('poll.refresh', { pollId }, fake.url, group, members[1]));
    expect(JSON.stringify(again.body.value)).toMatch(/"id":"slot_s1"[^}]*"value":"yes"/);
  });

  it('keeps the latest answer when a participant changes it', async () => {
    await postInvoke(running.url, invoke('poll.answer', { pollId, slot_s1: 'ifNeedBe', slot_s2: 'yes' }, fake.url, group, members[1]));
    const state = await running.app.services.polls.state(pollId);
    expect(state!.answers.get(`u:${members[1].aadObjectId}`)!.answers).toEqual([
      { slotId: 's1', answer: 'ifNeedBe' },
      { slotId: 's2', answer: 'yes' },
    ]);
  });

  it('refuses an incomplete answer and keeps what was chosen', async () => {
    const res = await postInvoke(running.url, invoke('poll.answer', { pollId, slot_s1: 'yes' }, fake.url, group, members[2]));
    const text = JSON.stringify(res.body.value);
    expect(text).toContain('Répondez à chaque créneau');
    expect(text).toMatch(/"id":"slot_s1"[^}]*"value":"yes"/);
  });

  it('refuses answers from someone outside the poll and organiser actions from a participant', async () => {
    const outsider = userN(99);
    const res = await postInvoke(running.url, invoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'yes' }, fake.url, group, outsider));
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(res.body.value).toMatch(/pas partie des participants/);
    const close = await postInvoke(running.url, invoke('poll.close', { pollId }, fake.url, group, members[0]));
    expect(close.body.value).toMatch(/Seuls l'organisateur/);
  });

  it('lets the organiser answer for a participant outside Teams, never a participant', async () => {
    const poll = await running.app.services.polls.get(pollId);
    const external = poll!.participants.find((p) => p.external)!;
    const form = await postInvoke(running.url, invoke('poll.answerFor', { pollId, answer_for: external.key }, fake.url, group));
    expect(JSON.stringify(form.body.value)).toContain('Dr Marie Test');
    await postInvoke(running.url, invoke('poll.answer', { pollId, participantKey: external.key, slot_s1: 'yes', slot_s2: 'no' }, fake.url, group));
    const refused = await postInvoke(running.url, invoke('poll.answer', { pollId, participantKey: external.key, slot_s1: 'no', slot_s2: 'no' }, fake.url, group, members[2]));
    expect(refused.body.value).toMatch(/Seuls l'organisateur/);
    const state = await running.app.services.polls.state(pollId);
    expect(state!.answers.get(external.key)!.answers[0].answer).toBe('yes');
  });

  it('reminds the non-respondents 1:1', async () => {
    const before = fake.requests.length;
    const res = await postInvoke(running.url, invoke('poll.remind', { pollId }, fake.url, group));
    expect(JSON.stringify(res.body.value)).toContain('Rappel envoyé à 2 participant(s)');
    const created = fake.requests.slice(before).filter((r) => r.operation === 'createConversation');
    expect(created.map((r) => (r.body as any).members[0].id).sort()).toEqual([members[0].id, members[2].id].sort());
  });

  it('adds and removes slots, keeping the answers of a removed slot in the history', async () => {
    const added = await postInvoke(running.url, invoke('poll.addSlot', { pollId, new_date: localIn(7, 9).date, new_time: '09:00', new_duration: '90' }, fake.url, group));
    expect(JSON.stringify(added.body.value)).toContain('Créneau ajouté');
    const dup = await postInvoke(running.url, invoke('poll.addSlot', { pollId, new_date: slotA.date, new_time: slotA.time, new_duration: '105' }, fake.url, group));
    expect(JSON.stringify(dup.body.value)).toContain('proposé deux fois');
    await postInvoke(running.url, invoke('poll.removeSlot', { pollId, remove_slot: 's2' }, fake.url, group));
    const poll = await running.app.services.polls.get(pollId);
    expect(poll!.slots.map((s) => [s.id, s.removed])).toEqual([['s1', false], ['s2', true], ['s3', false]]);
    const answers = await running.app.models.pollAnswers.find({ pollId }).lean();
    expect(answers.some((a) => a.answers.some((x) => x.slotId === 's2'))).toBe(true);
  });

  it('fixes the date: the card becomes the decision and participants get the .ics invitation', async () => {
    await running.app.features.polls.settled();
    const before = fake.requests.length;
    const res = await postInvoke(running.url, invoke('poll.choose', { pollId, final_slot: 's1' }, fake.url, group));
    expect(JSON.stringify(res.body.value)).toContain('Les invitations partent maintenant');
    await running.app.features.polls.settled();
    const after = fake.requests.slice(before);
    const update = after.filter((r) => r.operation === 'update' && r.conversationId === group).at(-1)!;
    expect(JSON.stringify(update.body)).toContain('La concertation aura lieu');
    const invitations = after.filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('file.consent'));
    expect(invitations.length).toBe(4); // three Teams participants + the organiser
    const poll = (await running.app.services.polls.get(pollId))!;
    expect(poll.status).toBe('decided');
    // The case gets the chosen date (its agenda card and meeting reminders follow from there).
    const concertation = await running.app.services.cases.openConcertation(trackingId);
    expect(concertation?.start.toISOString()).toBe(DateTime.fromISO(`${slotA.date}T${slotA.time}`, { zone: 'Europe/Brussels' }).toUTC().toISO({ suppressMilliseconds: false }));
    expect(concertation?.durationMinutes).toBe(105);
    const ics = running.app.features.polls.invitationIcs(poll, 'fr')!;
    const vevent = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe(`poll-${pollId}@cmd-concertation`);
    expect(event.sequence).toBe(0);
    expect(event.location).toBe('Au domicile de la personne'); // no "Lieu :" label in a calendar field
    expect(vevent.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Brussels');
    expect(event.startDate.toString()).toBe(`${slotA.date}T${slotA.time}:00`);
    expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(105 * 60_000);
  });

  it('uploads the .ics to the participant who accepts the file, answers with the file card, refuses others', async () => {
    // Teams' upload URL points into the user's OneDrive: a local server stands in for it.
    const uploads: string[] = [];
    const onedrive = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        uploads.push(`${req.method} ${body}`);
        res.statusCode = 201;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => onedrive.listen(0, '127.0.0.1', () => r()));
    const uploadUrl = `http://127.0.0.1:${(onedrive.address() as { port: number }).port}/upload`;
    const consent = (from: Record<string, unknown>, action: 'accept' | 'decline', sequence = 0) => ({
      ...invoke('x', {}, fake.url, `a:personal-${String(from.aadObjectId)}`, from),
      name: 'fileConsent/invoke',
      conversation: { id: `a:personal-${String(from.aadObjectId)}`, conversationType: 'personal' },
      value: { type: 'fileUpload', action, context: { pollId, sequence }, uploadInfo: { name: 'concertation.ics', uploadUrl, contentUrl: 'https://example.org/concertation.ics', uniqueId: 'file-1', fileType: 'ics' } },
    });
    try {
      const accepted = await post(running.url, consent(members[0], 'accept'));
      expect(uploads).toHaveLength(1);
      const [method, ...rest] = uploads[0].split(' ');
      expect(method).toBe('PUT');
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(rest.join(' '))).getFirstSubcomponent('vevent')!);
      expect(event.uid).toBe(`poll-${pollId}@cmd-concertation`);
      const reply = (accepted.body.activities ?? []).find((a) => a.type === 'message');
      expect(reply?.attachments?.[0]).toMatchObject({ contentType: 'application/vnd.microsoft.teams.card.file.info', contentUrl: 'https://example.org/concertation.ics' });

      const outsider = { id: '29:fictional-outsider', aadObjectId: 'e0000000-0000-4000-8000-0000000000ee', name: 'Eve Test' };
      const refused = await post(running.url, consent(outsider, 'accept'));
      expect(JSON.stringify(refused.body.activities)).toContain('participants de ce sondage');
      const old = await post(running.url, consent(members[1], 'accept', -1));
      expect(JSON.stringify(old.body.activities)).toContain("plus à jour");
      const declined = await post(running.url, consent(members[1], 'decline'));
      expect(JSON.stringify(declined.body.activities)).toContain('pas de fichier');
      expect(uploads).toHaveLength(1);
    } finally {
      onedrive.close();
    }
  });

  it('sends a CANCEL with the next SEQUENCE when the concertation is cancelled', async () => {
    await postInvoke(running.url, invoke('poll.cancel', { pollId }, fake.url, group));
    const poll = (await running.app.services.polls.get(pollId))!;
    const ics = running.app.features.polls.invitationIcs(poll, 'nl')!;
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(new ICAL.Event(cal.getFirstSubcomponent('vevent')!).sequence).toBe(1);
  });

  it('closes by itself at the deadline, refuses later answers and tells the organiser once', async () => {
    const other = await admittedCase(running);
    const data = createData(other, { slots: [slotA, slotB], deadline, members: [members[0].aadObjectId, members[1].aadObjectId] });
    await postInvoke(running.url, invoke('poll.create', data, fake.url, 'a:fictional-group-poll-2'));
    const [poll] = await running.app.services.polls.forTrackingId(other);
    expect(await running.app.jobs.closeDuePolls()).toBe(0);
    clock.advance(4 * 86_400_000); // past the deadline (3 days ahead at 18:00)
    const late = await postInvoke(running.url, invoke('poll.answer', { pollId: poll.pollId, slot_s1: 'yes', slot_s2: 'yes' }, fake.url, 'a:fictional-group-poll-2', members[0]));
    expect(JSON.stringify(late.body.value)).toContain('La date limite de réponse est passée');
    expect(JSON.stringify(late.body.value)).not.toContain('slot_s1'); // no form any more
    const before = fake.requests.length;
    expect(await running.app.jobs.closeDuePolls()).toBe(1);
    expect(await running.app.jobs.closeDuePolls()).toBe(0);
    expect((await running.app.services.polls.get(poll.pollId))!.status).toBe('closed');
    const told = fake.requests.slice(before).filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('date limite du sondage'));
    expect(told).toHaveLength(1);
    clock.advance(-4 * 86_400_000);
  });

  it('accepts the Action.Submit fallback as a message', async () => {
    const res = await post(running.url, groupMessage(undefined, fake.url, group, members[0], { value: { action: 'poll.refresh', pollId } }));
    expect(cardsOf(res.body.activities)).toHaveLength(1);
  });

  void TENANT;
});
