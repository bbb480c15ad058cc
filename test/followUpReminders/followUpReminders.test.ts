// The PSI and the polls drive their reminders, end to end: edits and answers through the
// real HTTP endpoint (Action.Execute invokes), real database, time moved with a ManualClock, the
// reminders sent by the real dispatcher through the ProactiveMessenger to the fake Bot Connector.
import { DateTime } from 'luxon';
import type { Reminder } from '../../models/reminder';
import { ManualClock } from '../../services/clock';
import { pollSubject } from '../../services/pollReminders';
import { followUpSubject, psiActionSubject } from '../../services/psiReminders';
import { group, GP, messageActivity, NURSE, ORGANISER, personal, REFERENT, useTestBot } from '../support/harness';
import { post } from '../support/app';
import { createData, invoke as pollInvoke, postInvoke } from '../polls/support';
import { keyOf, personalChat, rememberGroup, rememberPersonal, TENANT } from '../reminders/support';
import { keyOf as reminderKeyOf } from '../../services/reminders';

const ZONE = 'Europe/Brussels';
type User = typeof ORGANISER;
const GROUP = group('fu-group').id;

let clock: ManualClock;
const bot = useTestBot({
  each: 'app',
  organisers: [ORGANISER],
  members: [ORGANISER, GP, NURSE, REFERENT].map((u) => ({ ...u, email: `${u.name.split(' ').at(-2)!.toLowerCase()}@example.org` })),
  env: { OUTBOUND_GLOBAL_PER_SECOND: '200' },
  clock: () => (clock = new ManualClock()),
  settle: (app) => app.features.polls.settled(),
});
beforeEach(async () => {
  for (const [who, locale] of [[ORGANISER, 'fr-BE'], [GP, 'fr-BE'], [NURSE, 'fr-BE'], [REFERENT, 'nl-BE']] as const) await rememberPersonal(bot.app, bot.fake, who, locale);
});

/** The référent talks to the bot in Dutch (what they use is remembered as their language). */
const invoke = (verb: string, data: Record<string, unknown>, from: User) => bot.invoke(verb, data, from, personal(from), { locale: from === REFERENT ? 'nl-BE' : 'fr-BE' });
const bodyText = (res: { body: unknown }) => JSON.stringify(res.body);

/** An admitted case with the GP, the nurse and (unless told otherwise) the référent as Teams participants. */
async function newCase(withReferent = true): Promise<string> {
  const trackingId = await bot.admittedCase();
  const people: Array<[User, string, string | null]> = [[GP, 'professional', 'gp'], [NURSE, 'professional', 'homeNurse']];
  if (withReferent) people.push([REFERENT, 'referent', null]);
  await bot.addParticipants(trackingId, people);
  return trackingId;
}

const localDay = (days: number, hour = 14) => DateTime.fromJSDate(clock.now()).setZone(ZONE).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
const nineAm = (d: DateTime) => d.set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).toJSDate().getTime();
const remindersOf = (subject: string) => bot.app.models.reminders.find({ subject }).sort({ dueAt: 1 }).lean() as Promise<Reminder[]>;
const scheduled = async (subject: string) => (await remindersOf(subject)).filter((r) => r.status === 'scheduled');

async function dispatchAt(to: DateTime) {
  clock.advance(to.toMillis() - clock.now().getTime());
  return bot.app.jobs.reminders.drain();
}
/** Reminder cards delivered 1:1 to a user for a subject. */
const cardsTo = (who: User, subject: string) => bot.fake.delivered(personalChat(who)).filter((r) => keyOf(r)?.includes(`:${subject}:`));

/** Edits go to a draft; only "publish" makes the version that the reminders follow. */
async function publish(id: string, by: User): Promise<string> {
  return bodyText(await invoke('psi.publish', { trackingId: id }, by));
}
async function saveSections(id: string, data: Record<string, unknown>, by: User = ORGANISER) {
  const baseVersion = (await bot.app.services.psi.latest(id))?.version ?? 0;
  await invoke('psi.saveSections', { trackingId: id, baseVersion, needs: 'Rester à domicile', ...data }, by);
  expect(await publish(id, by)).toMatch(new RegExp(`\\((version|versie) ${baseVersion + 1}\\)`));
}
async function saveAction(id: string, data: Record<string, unknown>, by: User = ORGANISER): Promise<string> {
  await invoke('psi.saveAction', { trackingId: id, rowId: '', how: '', priorityWhen: '', urgentContact: 'false', ...data }, by);
  expect(await publish(id, by)).toContain('PSI publié');
  const latest = (await bot.app.services.psi.latest(id))!;
  return (data.rowId as string) || latest.content.actions.at(-1)!.id;
}

describe('PSI: the référent’s follow-up concertation reminder', () => {
  it('is planned N days before the next concertation, moves with the date (never doubled) and reaches the référent in Dutch', async () => {
    const id = await newCase();
    const first = localDay(60);
    await saveSections(id, { nextDate: first.toISODate() });
    let open = await scheduled(followUpSubject(id));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: 'followUp', recipientAadObjectId: REFERENT.aadObjectId, locale: 'nl' });
    expect(open[0].dueAt.getTime()).toBe(nineAm(first.minus({ days: 14 })));

    // The référent moves the date; saving the same date again (second click) plans nothing more.
    const moved = localDay(90);
    await saveSections(id, { nextDate: moved.toISODate() }, REFERENT);
    await saveSections(id, { nextDate: moved.toISODate(), needs: 'Rester à domicile, avec aide' });
    const all = await remindersOf(followUpSubject(id));
    expect(all.map((r) => r.status).sort()).toEqual(['cancelled', 'scheduled']);
    open = await scheduled(followUpSubject(id));
    expect(open[0].dueAt.getTime()).toBe(nineAm(moved.minus({ days: 14 })));

    await expect(dispatchAt(first.minus({ days: 13 }))).resolves.toMatchObject({ sent: 0 });
    await expect(dispatchAt(moved.minus({ days: 14 }).set({ hour: 9, minute: 5 }))).resolves.toMatchObject({ sent: 1 });
    const [card] = cardsTo(REFERENT, followUpSubject(id));
    expect(JSON.stringify(card.body)).toContain('Opvolging: is een nieuw overleg nodig?');
    expect(JSON.stringify(card.body)).toContain('reminder.planConcertation');
    expect(bot.fake.delivered()).toHaveLength(1);
  });

  it('follows the periodicity from the last concertation when no date is given, and goes when the date is cleared', async () => {
    const id = await newCase();
    await saveSections(id, { periodicity: '6' });
    const open = await scheduled(followUpSubject(id));
    expect(open).toHaveLength(1);
    const expected = DateTime.fromJSDate(clock.now()).setZone(ZONE).plus({ months: 6 }).minus({ days: 14 });
    expect(open[0].dueAt.getTime()).toBe(nineAm(expected));
    await saveSections(id, { periodicity: '' });
    expect(await scheduled(followUpSubject(id))).toHaveLength(0);
  });

  it('goes to the organiser when the référent is not in Teams', async () => {
    const id = await newCase(false);
    await saveSections(id, { nextDate: localDay(40).toISODate() });
    expect((await scheduled(followUpSubject(id))).map((r) => [r.recipientAadObjectId, r.locale])).toEqual([[ORGANISER.aadObjectId, 'fr']]);
  });
});

describe('PSI: action due-date reminders', () => {
  it('reach the action’s Teams owner and the référent; an owner not in Teams leaves the référent only', async () => {
    const id = await newCase();
    const due = localDay(10);
    const gpAction = await saveAction(id, { what: 'Adapter le traitement', byWhom: 'Dr Gaby Test', dueDate: due.toISODate() });
    const otherAction = await saveAction(id, { what: 'Demander une aide ménagère', byWhom: 'Assistante sociale du CPAS', dueDate: due.toISODate() });
    await saveAction(id, { what: 'Reprendre la chorale', byWhom: 'Nina Test' }); // no due date: no reminder

    const gp = await scheduled(psiActionSubject(id, gpAction));
    expect(new Set(gp.map((r) => r.recipientAadObjectId))).toEqual(new Set([GP.aadObjectId, REFERENT.aadObjectId]));
    expect(gp.every((r) => r.dueAt.getTime() === nineAm(due.minus({ days: 1 })))).toBe(true);
    expect((await scheduled(psiActionSubject(id, otherAction))).map((r) => r.recipientAadObjectId)).toEqual([REFERENT.aadObjectId]);

    await expect(dispatchAt(due.minus({ days: 2 }))).resolves.toMatchObject({ sent: 0 });
    await expect(dispatchAt(due.minus({ days: 1 }).set({ hour: 9, minute: 5 }))).resolves.toMatchObject({ sent: 3 });
    expect(cardsTo(GP, psiActionSubject(id, gpAction))).toHaveLength(1);
    expect(JSON.stringify(cardsTo(GP, psiActionSubject(id, gpAction))[0].body)).toContain('Adapter le traitement');
    expect(cardsTo(REFERENT, psiActionSubject(id, gpAction))).toHaveLength(1);
    expect(cardsTo(REFERENT, psiActionSubject(id, otherAction))).toHaveLength(1);
    expect(JSON.stringify(cardsTo(REFERENT, psiActionSubject(id, otherAction))[0].body)).toContain('Herinnering: actie uit het zorgplan');
    expect(bot.fake.delivered(personalChat(NURSE))).toHaveLength(0);
    expect(bot.fake.delivered(personalChat(ORGANISER))).toHaveLength(0);
  });

  it('a removed action, a cleared due date or a new owner cancel what no longer applies', async () => {
    const id = await newCase();
    const due = localDay(10).toISODate();
    const a = await saveAction(id, { what: 'Adapter le traitement', byWhom: 'Dr Gaby Test', dueDate: due });
    const b = await saveAction(id, { what: 'Passage infirmier', byWhom: 'Nina Test', dueDate: due });
    expect(await scheduled(psiActionSubject(id, a))).toHaveLength(2);
    expect(await scheduled(psiActionSubject(id, b))).toHaveLength(2);

    // The action moves to the nurse: the GP's reminder goes, the nurse's comes.
    await saveAction(id, { rowId: a, what: 'Adapter le traitement', byWhom: 'Nina Test', dueDate: due });
    expect(new Set((await scheduled(psiActionSubject(id, a))).map((r) => r.recipientAadObjectId))).toEqual(new Set([NURSE.aadObjectId, REFERENT.aadObjectId]));
    // Due date cleared, then the other action removed.
    await saveAction(id, { rowId: a, what: 'Adapter le traitement', byWhom: 'Nina Test', dueDate: '' });
    expect(await scheduled(psiActionSubject(id, a))).toHaveLength(0);
    await invoke('psi.removeAction', { trackingId: id, rowId: b }, ORGANISER);
    expect(await scheduled(psiActionSubject(id, b))).toHaveLength(2); // a draft plans nothing
    expect(await publish(id, ORGANISER)).toContain('PSI publié');
    expect(await scheduled(psiActionSubject(id, b))).toHaveLength(0);

    await dispatchAt(localDay(11));
    expect(bot.fake.delivered()).toHaveLength(0);
  });

  it('an action due today is reminded at once, and saving the PSI again does not send it again', async () => {
    const id = await newCase();
    clock.advance(localDay(0, 15).toMillis() - clock.now().getTime()); // past today's 09:00
    const a = await saveAction(id, { what: 'Appeler la pharmacie', byWhom: 'Dr Gaby Test', dueDate: localDay(0).toISODate() });
    await expect(bot.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 2 });
    clock.advance(10 * 60_000);
    await saveSections(id, { needs: 'Rester à domicile en sécurité' });
    await saveAction(id, { rowId: a, what: 'Appeler la pharmacie', byWhom: 'Dr Gaby Test', dueDate: localDay(0).toISODate(), how: 'Par téléphone' });
    await expect(bot.app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 0 });
    expect(cardsTo(GP, psiActionSubject(id, a))).toHaveLength(1);
    expect(cardsTo(REFERENT, psiActionSubject(id, a))).toHaveLength(1);
  });

  it('stopping the case cancels the PSI reminders', async () => {
    const id = await newCase();
    await saveSections(id, { nextDate: localDay(60).toISODate() });
    const a = await saveAction(id, { what: 'Adapter le traitement', byWhom: 'Dr Gaby Test', dueDate: localDay(10).toISODate() });
    const res = await invoke('case.status', { trackingId: id, statusTo: 'stopped', reason: 'noLongerMeetsCriteria.leftBrussels' }, ORGANISER);
    expect(bodyText(res)).toContain('Statut enregistré');
    expect(await scheduled(followUpSubject(id))).toHaveLength(0);
    expect(await scheduled(psiActionSubject(id, a))).toHaveLength(0);
  });
});

describe('poll deadline reminder to non-respondents', () => {
  const slotA = () => localDay(6, 10);
  const slotB = () => localDay(7, 14);
  const deadline = () => localDay(4, 18);
  const hm = (d: DateTime) => ({ date: d.toISODate()!, time: d.toFormat('HH:mm') });

  async function newPoll(id: string) {
    const data = createData(id, { slots: [hm(slotA()), hm(slotB())], deadline: hm(deadline()), members: [GP, NURSE, REFERENT].map((u) => u.aadObjectId), externalsRequired: 'Madame Externe Test' });
    const res = await postInvoke(bot.url, pollInvoke('poll.create', data, bot.fake.url, GROUP, ORGANISER));
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const [poll] = await bot.app.services.polls.forTrackingId(id);
    await bot.app.features.polls.settled();
    return poll.pollId;
  }
  const answer = (pollId: string, who: User) => postInvoke(bot.url, pollInvoke('poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'no', comment: '' }, bot.fake.url, GROUP, who));
  const reminderCards = (who: User, subject: string) => cardsTo(who, subject).filter((r) => JSON.stringify(r.body).includes('reminder.done'));

  it('is planned for every Teams participant, cancelled by an answer, and reaches only the non-respondents', async () => {
    const id = await newCase();
    const pollId = await newPoll(id);
    const subject = pollSubject(id, pollId);
    const planned = await scheduled(subject);
    expect(new Set(planned.map((r) => r.recipientAadObjectId))).toEqual(new Set([GP.aadObjectId, NURSE.aadObjectId, REFERENT.aadObjectId]));
    expect(planned.every((r) => r.kind === 'pollDeadline' && r.dueAt.getTime() === deadline().minus({ hours: 24 }).toMillis())).toBe(true);

    expect(JSON.stringify((await answer(pollId, GP)).body)).toContain('poll');
    expect((await scheduled(subject)).map((r) => r.recipientAadObjectId).sort()).toEqual([NURSE.aadObjectId, REFERENT.aadObjectId].sort());

    await expect(dispatchAt(deadline().minus({ hours: 25 }))).resolves.toMatchObject({ sent: 0 });
    await expect(dispatchAt(deadline().minus({ hours: 23 }))).resolves.toMatchObject({ sent: 2 });
    expect(reminderCards(GP, subject)).toHaveLength(0);
    expect(reminderCards(NURSE, subject)).toHaveLength(1);
    expect(reminderCards(REFERENT, subject)).toHaveLength(1);
    expect(JSON.stringify(reminderCards(NURSE, subject)[0].body)).toContain('Rappel : vos disponibilités sont attendues');
    expect(JSON.stringify(reminderCards(REFERENT, subject)[0].body)).toContain('wij verwachten uw beschikbaarheden');
  });

  it('an extended deadline moves the reminders of those still silent; closing cancels the rest', async () => {
    const id = await newCase();
    const pollId = await newPoll(id);
    const subject = pollSubject(id, pollId);
    await answer(pollId, NURSE);
    const later = localDay(5, 12);
    const ext = await postInvoke(bot.url, pollInvoke('poll.extend', { pollId, deadline_date: later.toISODate(), deadline_time: '12:00' }, bot.fake.url, GROUP, ORGANISER));
    expect(JSON.stringify(ext.body)).toContain('prolong');
    const open = await scheduled(subject);
    expect(open.map((r) => r.recipientAadObjectId).sort()).toEqual([GP.aadObjectId, REFERENT.aadObjectId].sort());
    expect(open.every((r) => r.dueAt.getTime() === later.minus({ hours: 24 }).toMillis())).toBe(true);

    const closed = await postInvoke(bot.url, pollInvoke('poll.close', { pollId }, bot.fake.url, GROUP, ORGANISER));
    expect(JSON.stringify(closed.body)).toContain('clôtur');
    expect(await scheduled(subject)).toHaveLength(0);
    await dispatchAt(later);
    for (const who of [GP, NURSE, REFERENT]) expect(reminderCards(who, subject)).toHaveLength(0);
  });
});

it('"plan a concertation" on the référent\'s follow-up puts a poll starter in the case chat; the organiser\'s click opens the poll form', async () => {
  const { services } = bot.app;
  const trackingId = await newCase();
  await rememberGroup(bot.app, bot.fake, GROUP);
  expect((await services.cases.linkConversation(trackingId, GROUP, ORGANISER.aadObjectId, 'fr')).ok).toBe(true);
  const planned = {
    kind: 'followUp' as const,
    subject: followUpSubject(trackingId),
    dueAt: clock.now(),
    recipient: { aadObjectId: REFERENT.aadObjectId, teamsUserId: REFERENT.id },
    locale: 'nl' as const,
    payload: { trackingId },
    organiserAadObjectId: ORGANISER.aadObjectId,
  };
  await services.reminders.plan([planned]);
  const key = reminderKeyOf(planned);

  const before = bot.fake.requests.length;
  const clicked = await invoke('reminder.planConcertation', { key }, REFERENT);
  expect(clicked.status).toBe(200);
  const starters = bot.fake.requests.slice(before).filter((r) => r.operation === 'send' && r.conversationId === GROUP);
  expect(starters).toHaveLength(1);
  expect(JSON.stringify(starters[0].body)).toContain('Lancer le sondage');
  // A second click does not post it again.
  await invoke('reminder.planConcertation', { key }, REFERENT);
  expect(bot.fake.requests.slice(before).filter((r) => r.operation === 'send' && r.conversationId === GROUP)).toHaveLength(1);

  const form = await bot.submit({ action: 'newPoll', trackingId }, ORGANISER, { id: GROUP, conversationType: 'groupChat', tenantId: TENANT });
  expect(JSON.stringify(form.body.activities)).toContain(`Sondage de disponibilités — ${trackingId}`);
});
