// Availability polls end to end through POST /api/messages, the real database and a fake Bot Connector.
import http from 'node:http';
import { DateTime } from 'luxon';
import ICAL from 'ical.js';
import { cardsOf, post } from '../support/app';
import { useTestBot } from '../support/harness';
import { ManualClock } from '../../services/clock';
import { admittedCase, createData, groupMessage, invoke, localIn, ORGANISER, postInvoke, TENANT, userN } from './support';

describe('availability polls through the HTTP endpoint', () => {
  const members = [1, 2, 3].map(userN);
  // A new app, database and clock for each test: each one states the poll it starts from.
  let clock: ManualClock;
  const bot = useTestBot({
    each: 'app',
    coordinators: [],
    members: [{ ...ORGANISER, email: 'alex.test@example.org' }, ...members],
    clock: () => (clock = new ManualClock()),
    settle: (app) => app.features.polls.settled(),
  });
  const group = 'a:fictional-group-poll';
  let trackingId: string;
  let pollId: string;

  beforeEach(async () => {
    trackingId = await admittedCase(bot.running);
  });

  const slotA = localIn(5, 10);
  const slotB = localIn(6, 14);
  const deadline = localIn(3, 18);

  /** The organiser's poll: two slots, the three members (the first one required) and Dr Marie Test outside Teams. */
  const givenPoll = async () => {
    const data = createData(trackingId, { slots: [slotA, slotB], deadline, members: members.map((m) => m.aadObjectId), required: [members[0].aadObjectId], externalsRequired: 'Dr Marie Test' });
    await postInvoke(bot.url, invoke('poll.create', data, bot.fake.url, group));
    pollId = (await bot.app.services.polls.forTrackingId(trackingId))[0].pollId;
  };
  /** …answered by the second member: yes to the first slot, no to the second. */
  const givenAnswered = async () => {
    await givenPoll();
    await postInvoke(bot.url, invoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'no', comment: '' }, bot.fake.url, group, members[1]));
  };
  /** …and the first slot chosen by the organiser: the invitations are out. */
  const givenDecided = async () => {
    await givenAnswered();
    await postInvoke(bot.url, invoke('poll.choose', { pollId, final_slot: 's1' }, bot.fake.url, group));
    await bot.settled();
  };

  it('opens the creation form with the conversation roster for the case organiser', async () => {
    const res = await post(bot.url, groupMessage(`nouveau sondage ${trackingId}`, bot.fake.url, group));
    const [form] = cardsOf(res.body.activities);
    expect(JSON.stringify(form)).toContain('Participant Test 2');
    expect(form.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'poll.create', fallback: { type: 'Action.Submit' } });
  });

  it('refuses someone who is neither the organiser nor a coordinator', async () => {
    const res = await post(bot.url, groupMessage(`nouveau sondage ${trackingId}`, bot.fake.url, group, members[0]));
    expect(res.body.activities?.[0].text).toMatch(/Seuls l'organisateur/);
  });

  it('refuses bad input with clear messages and keeps what was entered', async () => {
    const past = localIn(-2, 10);
    const data = createData(trackingId, { slots: [past, slotA, slotA], deadline: localIn(5, 12), members: [members[0].aadObjectId], externalsRequired: 'Dr Marie Test\ndr. marie  test' });
    const res = await postInvoke(bot.url, invoke('poll.create', data, bot.fake.url, group));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = JSON.stringify(res.body.value);
    expect(text).toContain('Créneau 1 est dans le passé');
    expect(text).toContain('Créneau 3 est proposé deux fois');
    expect(text).toContain('La date limite de réponse doit précéder le premier créneau');
    expect(text).toContain('figure deux fois parmi les participants');
    expect(text).toContain(slotA.date); // values kept
    expect(await bot.app.models.polls.countDocuments({ trackingId })).toBe(0);
  });

  it('refuses a slot in the spring-forward gap', async () => {
    const data = createData(trackingId, { slots: [{ date: '2030-03-31', time: '02:30' }, slotA], deadline, members: [members[0].aadObjectId] });
    const res = await postInvoke(bot.url, invoke('poll.create', data, bot.fake.url, group));
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
    const res = await postInvoke(bot.url, invoke('poll.create', data, bot.fake.url, group));
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const [poll] = await bot.app.services.polls.forTrackingId(trackingId);
    pollId = poll.pollId;
    expect(poll.participants).toHaveLength(4);
    expect(poll.activityId).toBeTruthy();
    const posted = bot.fake.delivered(group).at(-1)!.body as any;
    const shared = posted.attachments[0].content;
    expect(shared.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'poll.refresh', data: { pollId } });
    expect(shared.refresh.userIds).toEqual(expect.arrayContaining([ORGANISER.id, members[0].id, members[1].id, members[2].id]));
    // The organiser's own view: ranking and management.
    expect(JSON.stringify(res.body.value)).toContain('Classement');
  });

  it('shows each participant their own answer form on refresh', async () => {
    await givenPoll();
    const res = await postInvoke(bot.url, invoke('poll.refresh', { pollId }, bot.fake.url, group, members[1]));
    const cardJson = res.body.value;
    const inputs = JSON.stringify(cardJson.body);
    expect(inputs).toContain('slot_s1');
    expect(cardJson.actions.some((a: any) => a.verb === 'poll.answer' && a.fallback?.type === 'Action.Submit')).toBe(true);
    expect(inputs).not.toContain('Classement');
  });

  it('stores an answer once even when the invoke is delivered twice', async () => {
    await givenPoll();
    const activity = invoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'no', comment: '' }, bot.fake.url, group, members[1], { id: 'fictional-invoke-dup-1' });
    const first = await postInvoke(bot.url, activity);
    const second = await postInvoke(bot.url, activity);
    expect(JSON.stringify(first.body.value)).toContain('Vos réponses sont enregistrées');
    expect(second.status).toBe(200);
    expect(await bot.app.models.pollAnswers.countDocuments({ pollId })).toBe(1);
    // The participant sees their answer preselected after a refresh.
    const again = await postInvoke(bot.url, invoke('poll.refresh', { pollId }, bot.fake.url, group, members[1]));
    expect(JSON.stringify(again.body.value)).toMatch(/"id":"slot_s1"[^}]*"value":"yes"/);
  });

  it('keeps the latest answer when a participant changes it', async () => {
    await givenAnswered();
    await postInvoke(bot.url, invoke('poll.answer', { pollId, slot_s1: 'ifNeedBe', slot_s2: 'yes' }, bot.fake.url, group, members[1]));
    const state = await bot.app.services.polls.state(pollId);
    expect(state!.answers.get(`u:${members[1].aadObjectId}`)!.answers).toEqual([
      { slotId: 's1', answer: 'ifNeedBe' },
      { slotId: 's2', answer: 'yes' },
    ]);
  });

  it('refuses an incomplete answer and keeps what was chosen', async () => {
    await givenPoll();
    const res = await postInvoke(bot.url, invoke('poll.answer', { pollId, slot_s1: 'yes' }, bot.fake.url, group, members[2]));
    const text = JSON.stringify(res.body.value);
    expect(text).toContain('Répondez à chaque créneau');
    expect(text).toMatch(/"id":"slot_s1"[^}]*"value":"yes"/);
  });

  it('refuses answers from someone outside the poll and organiser actions from a participant', async () => {
    await givenPoll();
    const outsider = userN(99);
    const res = await postInvoke(bot.url, invoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'yes' }, bot.fake.url, group, outsider));
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(res.body.value).toMatch(/pas partie des participants/);
    const close = await postInvoke(bot.url, invoke('poll.close', { pollId }, bot.fake.url, group, members[0]));
    expect(close.body.value).toMatch(/Seuls l'organisateur/);
  });

  it('lets the organiser answer for a participant outside Teams, never a participant', async () => {
    await givenPoll();
    const poll = await bot.app.services.polls.get(pollId);
    const external = poll!.participants.find((p) => p.external)!;
    const form = await postInvoke(bot.url, invoke('poll.answerFor', { pollId, answer_for: external.key }, bot.fake.url, group));
    expect(JSON.stringify(form.body.value)).toContain('Dr Marie Test');
    await postInvoke(bot.url, invoke('poll.answer', { pollId, participantKey: external.key, slot_s1: 'yes', slot_s2: 'no' }, bot.fake.url, group));
    const refused = await postInvoke(bot.url, invoke('poll.answer', { pollId, participantKey: external.key, slot_s1: 'no', slot_s2: 'no' }, bot.fake.url, group, members[2]));
    expect(refused.body.value).toMatch(/Seuls l'organisateur/);
    const state = await bot.app.services.polls.state(pollId);
    expect(state!.answers.get(external.key)!.answers[0].answer).toBe('yes');
  });

  it('reminds the non-respondents 1:1', async () => {
    await givenAnswered();
    const before = bot.fake.requests.length;
    const res = await postInvoke(bot.url, invoke('poll.remind', { pollId }, bot.fake.url, group));
    expect(JSON.stringify(res.body.value)).toContain('Rappel envoyé à 2 participants.');
    const created = bot.fake.requests.slice(before).filter((r) => r.operation === 'createConversation');
    expect(created.map((r) => (r.body as any).members[0].id).sort()).toEqual([members[0].id, members[2].id].sort());
  });

  it('adds and removes slots, keeping the answers of a removed slot in the history', async () => {
    await givenAnswered();
    const added = await postInvoke(bot.url, invoke('poll.addSlot', { pollId, new_date: localIn(7, 9).date, new_time: '09:00', new_duration: '90' }, bot.fake.url, group));
    expect(JSON.stringify(added.body.value)).toContain('Créneau ajouté');
    const dup = await postInvoke(bot.url, invoke('poll.addSlot', { pollId, new_date: slotA.date, new_time: slotA.time, new_duration: '105' }, bot.fake.url, group));
    expect(JSON.stringify(dup.body.value)).toContain('proposé deux fois');
    await postInvoke(bot.url, invoke('poll.removeSlot', { pollId, remove_slot: 's2' }, bot.fake.url, group));
    const poll = await bot.app.services.polls.get(pollId);
    expect(poll!.slots.map((s) => [s.id, s.removed])).toEqual([['s1', false], ['s2', true], ['s3', false]]);
    const answers = await bot.app.models.pollAnswers.find({ pollId }).lean();
    expect(answers.some((a) => a.answers.some((x) => x.slotId === 's2'))).toBe(true);
  });

  it('fixes the date: the card becomes the decision and participants get the .ics invitation', async () => {
    await givenAnswered();
    await bot.app.features.polls.settled();
    const before = bot.fake.requests.length;
    const res = await postInvoke(bot.url, invoke('poll.choose', { pollId, final_slot: 's1' }, bot.fake.url, group));
    expect(JSON.stringify(res.body.value)).toContain('Les invitations partent maintenant');
    await bot.app.features.polls.settled();
    const after = bot.fake.requests.slice(before);
    const update = after.filter((r) => r.operation === 'update' && r.conversationId === group).at(-1)!;
    expect(JSON.stringify(update.body)).toContain('La concertation aura lieu');
    const invitations = after.filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('file.consent'));
    expect(invitations.length).toBe(4); // three Teams participants + the organiser
    const poll = (await bot.app.services.polls.get(pollId))!;
    expect(poll.status).toBe('decided');
    // The case gets the chosen date (its agenda card and meeting reminders follow from there).
    const concertation = await bot.app.services.cases.openConcertation(trackingId);
    expect(concertation?.start.toISOString()).toBe(DateTime.fromISO(`${slotA.date}T${slotA.time}`, { zone: 'Europe/Brussels' }).toUTC().toISO({ suppressMilliseconds: false }));
    expect(concertation?.durationMinutes).toBe(105);
    const ics = bot.app.features.polls.invitationIcs(poll, 'fr')!;
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
    await givenDecided();
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
      ...invoke('x', {}, bot.fake.url, `a:personal-${String(from.aadObjectId)}`, from),
      name: 'fileConsent/invoke',
      conversation: { id: `a:personal-${String(from.aadObjectId)}`, conversationType: 'personal' },
      value: { type: 'fileUpload', action, context: { pollId, sequence }, uploadInfo: { name: 'concertation.ics', uploadUrl, contentUrl: 'https://example.org/concertation.ics', uniqueId: 'file-1', fileType: 'ics' } },
    });
    try {
      const accepted = await post(bot.url, consent(members[0], 'accept'));
      expect(uploads).toHaveLength(1);
      const [method, ...rest] = uploads[0].split(' ');
      expect(method).toBe('PUT');
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(rest.join(' '))).getFirstSubcomponent('vevent')!);
      expect(event.uid).toBe(`poll-${pollId}@cmd-concertation`);
      const reply = (accepted.body.activities ?? []).find((a) => a.type === 'message');
      expect(reply?.attachments?.[0]).toMatchObject({ contentType: 'application/vnd.microsoft.teams.card.file.info', contentUrl: 'https://example.org/concertation.ics' });

      const outsider = { id: '29:fictional-outsider', aadObjectId: 'e0000000-0000-4000-8000-0000000000ee', name: 'Eve Test' };
      const refused = await post(bot.url, consent(outsider, 'accept'));
      expect(JSON.stringify(refused.body.activities)).toContain('participants de ce sondage');
      const old = await post(bot.url, consent(members[1], 'accept', -1));
      expect(JSON.stringify(old.body.activities)).toContain("plus à jour");
      const declined = await post(bot.url, consent(members[1], 'decline'));
      expect(JSON.stringify(declined.body.activities)).toContain('pas de fichier');
      expect(uploads).toHaveLength(1);
    } finally {
      onedrive.close();
    }
  });

  it('sends a CANCEL with the next SEQUENCE when the concertation is cancelled', async () => {
    await givenDecided();
    await postInvoke(bot.url, invoke('poll.cancel', { pollId }, bot.fake.url, group));
    const poll = (await bot.app.services.polls.get(pollId))!;
    const ics = bot.app.features.polls.invitationIcs(poll, 'nl')!;
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(new ICAL.Event(cal.getFirstSubcomponent('vevent')!).sequence).toBe(1);
  });

  it('closes by itself at the deadline, refuses later answers and tells the organiser once', async () => {
    const other = await admittedCase(bot.running);
    const data = createData(other, { slots: [slotA, slotB], deadline, members: [members[0].aadObjectId, members[1].aadObjectId] });
    await postInvoke(bot.url, invoke('poll.create', data, bot.fake.url, 'a:fictional-group-poll-2'));
    const [poll] = await bot.app.services.polls.forTrackingId(other);
    expect(await bot.app.jobs.closeDuePolls()).toBe(0);
    clock.advance(4 * 86_400_000); // past the deadline (3 days ahead at 18:00)
    const late = await postInvoke(bot.url, invoke('poll.answer', { pollId: poll.pollId, slot_s1: 'yes', slot_s2: 'yes' }, bot.fake.url, 'a:fictional-group-poll-2', members[0]));
    expect(JSON.stringify(late.body.value)).toContain('La date limite de réponse est passée');
    expect(JSON.stringify(late.body.value)).not.toContain('slot_s1'); // no form any more
    const before = bot.fake.requests.length;
    expect(await bot.app.jobs.closeDuePolls()).toBe(1);
    expect(await bot.app.jobs.closeDuePolls()).toBe(0);
    expect((await bot.app.services.polls.get(poll.pollId))!.status).toBe('closed');
    const told = bot.fake.requests.slice(before).filter((r) => r.operation === 'send' && JSON.stringify(r.body).includes('date limite du sondage'));
    expect(told).toHaveLength(1);
    clock.advance(-4 * 86_400_000);
  });

  it('accepts the Action.Submit fallback as a message', async () => {
    await givenPoll();
    const res = await post(bot.url, groupMessage(undefined, bot.fake.url, group, members[0], { value: { action: 'poll.refresh', pollId } }));
    expect(cardsOf(res.body.activities)).toHaveLength(1);
  });

  void TENANT;
});
