// The case drives its reminders, end to end: organiser's actions through the real
// HTTP endpoint (Action.Execute invokes), real database, time moved with a ManualClock, reminders
// sent by the real dispatcher through the ProactiveMessenger to the fake Bot Connector.
import { DateTime } from 'luxon';
import { standByReviewTime } from '../../domain/reminderDates';
import type { Reminder } from '../../models/reminder';
import { ManualClock } from '../../services/clock';
import { caseReminderSubject, meetingSubject, standBySubject } from '../../services/reminderPlanning';
import { GP, ORGANISER, OUTSIDER, personal, REFERENT, REQUESTER, useTestBot } from '../support/harness';
import { keyOf, personalChat, rememberPersonal } from '../reminders/support';

const ZONE = 'Europe/Brussels';
type User = typeof ORGANISER;

let clock: ManualClock;
const bot = useTestBot({ each: 'app', organisers: [ORGANISER], env: { OUTBOUND_GLOBAL_PER_SECOND: '200' }, clock: () => (clock = new ManualClock()) });
const { invoke } = bot;
beforeEach(async () => {
  // Each recipient has a 1:1 conversation with the bot (on the fake connector), the référent in Dutch.
  for (const [who, locale] of [[ORGANISER, 'fr-BE'], [GP, 'fr-BE'], [REFERENT, 'nl-BE']] as const) await rememberPersonal(bot.app, bot.fake, who, locale);
});
const bodyText = (res: { body: unknown }) => JSON.stringify(res.body);

/** An admitted case with the GP and the référent as Teams participants. */
async function newCase(): Promise<string> {
  const trackingId = await bot.admittedCase({ requesterAadObjectId: REQUESTER.aadObjectId });
  await bot.addParticipants(trackingId, [[GP, 'professional', 'gp'], [REFERENT, 'referent', null]]);
  return trackingId;
}

/** A Brussels date `days` from the (manual) clock's today, at hh:mm. */
const localDay = (days: number, hour = 14) => DateTime.fromJSDate(clock.now()).setZone(ZONE).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });

async function schedule(trackingId: string, at: DateTime, by: User = ORGANISER) {
  const res = await invoke('case.schedule', { trackingId, sDate: at.toISODate(), sTime: at.toFormat('HH:mm'), sDuration: '105', sPlace: 'Maison médicale fictive' }, by);
  expect(bodyText(res)).toContain('Concertation fixée');
  return res;
}

const remindersOf = (trackingId: string) => bot.app.models.reminders.find({ subject: { $regex: `^${trackingId}#` } }).sort({ dueAt: 1 }).lean() as Promise<Reminder[]>;
const scheduledOf = async (trackingId: string) => (await remindersOf(trackingId)).filter((r) => r.status === 'scheduled');

/** Moves the clock to `to` and runs the dispatcher as the scheduler would. */
async function dispatchAt(to: DateTime) {
  clock.advance(to.toMillis() - clock.now().getTime());
  return bot.app.jobs.reminders.drain();
}

/** Reminder cards delivered to a user's 1:1 chat for a case. */
const cardsTo = (who: User, trackingId: string) => bot.fake.delivered(personalChat(who)).filter((r) => keyOf(r)?.includes(`:${trackingId}#`));
const nineAm = (d: DateTime) => d.set({ hour: 9, minute: 0 }).toJSDate().getTime();

describe('meeting reminders follow the concertation date', () => {
  it('plans J-7 and J-1 for every Teams participant and the organiser, in each one’s language', async () => {
    const id = await newCase();
    const meeting = localDay(10);
    await schedule(id, meeting);
    const planned = await scheduledOf(id);
    expect(planned).toHaveLength(6);
    expect(new Set(planned.map((r) => r.subject))).toEqual(new Set([meetingSubject(id, 1)]));
    expect(new Set(planned.map((r) => r.recipientAadObjectId))).toEqual(new Set([ORGANISER.aadObjectId, GP.aadObjectId, REFERENT.aadObjectId]));
    expect(new Set(planned.map((r) => r.dueAt.getTime()))).toEqual(new Set([nineAm(meeting.minus({ days: 7 })), nineAm(meeting.minus({ days: 1 }))]));
    expect(planned.filter((r) => r.recipientAadObjectId === REFERENT.aadObjectId).every((r) => r.locale === 'nl')).toBe(true);
    expect(planned.filter((r) => r.recipientAadObjectId !== REFERENT.aadObjectId).every((r) => r.locale === 'fr')).toBe(true);
  });

  it('moving the meeting cancels the old reminders and sends the new ones at the new time, none doubled', async () => {
    const id = await newCase();
    const first = localDay(10);
    const moved = localDay(20, 10);
    await schedule(id, first);
    await schedule(id, moved);
    // Saving the same date again (double click, second device) plans nothing more.
    await schedule(id, moved);

    const all = await remindersOf(id);
    expect(all.filter((r) => r.status === 'cancelled')).toHaveLength(6);
    const open = all.filter((r) => r.status === 'scheduled');
    expect(open).toHaveLength(6);
    expect(new Set(open.map((r) => r.dueAt.getTime()))).toEqual(new Set([nineAm(moved.minus({ days: 7 })), nineAm(moved.minus({ days: 1 }))]));
    expect(all).toHaveLength(12);

    // The old J-7 and J-1 times pass: nothing is sent.
    await expect(dispatchAt(first.minus({ days: 1 }).set({ hour: 10 }))).resolves.toMatchObject({ sent: 0 });
    expect(bot.fake.delivered()).toHaveLength(0);

    // New J-7: one card to each of the three, the référent's in Dutch, with the new date.
    await expect(dispatchAt(moved.minus({ days: 7 }).set({ hour: 9, minute: 5 }))).resolves.toMatchObject({ sent: 3 });
    for (const who of [ORGANISER, GP, REFERENT]) expect(cardsTo(who, id)).toHaveLength(1);
    const nl = JSON.stringify(cardsTo(REFERENT, id)[0].body);
    expect(nl).toContain('Herinnering: overleg op');
    expect(nl).toContain(moved.setLocale('nl-BE').toFormat('d'));
    expect(JSON.stringify(cardsTo(GP, id)[0].body)).toContain('Rappel : concertation le');

    // New J-1, then past the meeting: one more each, then nothing.
    await expect(dispatchAt(moved.minus({ days: 1 }).set({ hour: 9, minute: 5 }))).resolves.toMatchObject({ sent: 3 });
    await expect(dispatchAt(moved.plus({ days: 1 }))).resolves.toMatchObject({ sent: 0 });
    const keys = bot.fake.delivered().map(keyOf);
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    for (const who of [ORGANISER, GP, REFERENT]) expect(cardsTo(who, id)).toHaveLength(2);
  });

  it('a participant added after the date gets the reminders; a removed one gets none', async () => {
    const id = await newCase();
    const meeting = localDay(10);
    await schedule(id, meeting);
    const { cases } = bot.app.services;
    const outsiderAdded = await cases.addParticipant(id, { role: 'carer', displayName: OUTSIDER.name, relation: 'voisine', aadObjectId: OUTSIDER.aadObjectId, teamsUserId: OUTSIDER.id }, ORGANISER.aadObjectId);
    expect(outsiderAdded.ok).toBe(true);
    expect((await scheduledOf(id)).filter((r) => r.recipientAadObjectId === OUTSIDER.aadObjectId)).toHaveLength(2);

    // The organiser removes the GP from the case card.
    const res = await invoke('case.removeParticipant', { trackingId: id, key: `aad:${GP.aadObjectId}` }, ORGANISER);
    expect(bodyText(res)).toContain('Participant retiré');
    const open = await scheduledOf(id);
    expect(open.filter((r) => r.recipientAadObjectId === GP.aadObjectId)).toHaveLength(0);
    expect(open).toHaveLength(6); // organiser, référent, carer × J-7, J-1
    expect((await remindersOf(id)).filter((r) => r.recipientAadObjectId === GP.aadObjectId && r.status === 'cancelled')).toHaveLength(2);

    // Moving the meeting afterwards does not bring the GP back.
    await schedule(id, localDay(12));
    expect((await scheduledOf(id)).filter((r) => r.recipientAadObjectId === GP.aadObjectId)).toHaveLength(0);

    await rememberPersonal(bot.app, bot.fake, OUTSIDER);
    await dispatchAt(localDay(12).plus({ days: 1 }));
    expect(cardsTo(GP, id)).toHaveLength(0);
    for (const who of [ORGANISER, REFERENT, OUTSIDER]) expect(cardsTo(who, id)).toHaveLength(2);
  });
});

describe('stand-by, re-activation and stop', () => {
  it('stand-by cancels the meeting reminders and plans the 6-month review to the organiser, who receives it', async () => {
    const id = await newCase();
    await schedule(id, localDay(10));
    const res = await invoke('case.status', { trackingId: id, statusTo: 'standBy', reason: 'noImprovement', reasonText: '', statusNote: '' }, ORGANISER);
    expect(bodyText(res)).toContain('Statut enregistré');
    const since = (await bot.app.services.cases.history(id)).at(-1)!.at;

    const open = await scheduledOf(id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: 'standByReview', subject: standBySubject(id), recipientAadObjectId: ORGANISER.aadObjectId, organiserAadObjectId: ORGANISER.aadObjectId, locale: 'fr' });
    expect(open[0].dueAt.getTime()).toBe(standByReviewTime(since, 6).getTime());
    expect(DateTime.fromJSDate(open[0].dueAt).setZone(ZONE).diff(DateTime.fromJSDate(since).setZone(ZONE).startOf('day'), 'months').months).toBeGreaterThanOrEqual(6);

    // Nothing before the six months; then the organiser (only) gets the review card.
    await expect(dispatchAt(DateTime.fromJSDate(open[0].dueAt).minus({ days: 1 }))).resolves.toMatchObject({ sent: 0 });
    await expect(dispatchAt(DateTime.fromJSDate(open[0].dueAt).plus({ minutes: 5 }))).resolves.toMatchObject({ sent: 1 });
    expect(cardsTo(ORGANISER, id)).toHaveLength(1);
    expect(JSON.stringify(cardsTo(ORGANISER, id)[0].body)).toContain('Réévaluer un dossier en stand-by');
    expect(bot.fake.delivered()).toHaveLength(1);
  });

  it('re-activation cancels the stand-by review', async () => {
    const id = await newCase();
    await invoke('case.status', { trackingId: id, statusTo: 'standBy', reason: 'success' }, ORGANISER);
    expect(await scheduledOf(id)).toHaveLength(1);
    const res = await invoke('case.status', { trackingId: id, statusTo: 'reactivated' }, ORGANISER);
    expect(bodyText(res)).toContain('Statut enregistré');
    expect(await scheduledOf(id)).toHaveLength(0);
    expect((await remindersOf(id)).map((r) => [r.kind, r.status])).toEqual([['standByReview', 'cancelled']]);
    await expect(dispatchAt(localDay(200))).resolves.toMatchObject({ sent: 0 });
    expect(bot.fake.delivered()).toHaveLength(0);
  });

  it('stop cancels every unsent reminder of the case (and only of this case)', async () => {
    const id = await newCase();
    const other = await newCase();
    await schedule(id, localDay(10));
    await schedule(other, localDay(10));
    // Another feature's reminder on this case (e.g. a PSI action), under the case's subject scheme.
    const { reminders } = bot.app.services;
    await reminders.plan([{ kind: 'psiAction', subject: caseReminderSubject(id, 'psiAction-1'), dueAt: localDay(5).toJSDate(), recipient: { aadObjectId: REFERENT.aadObjectId }, locale: 'nl', payload: { trackingId: id, title: 'Aide fictive' } }]);
    expect(await scheduledOf(id)).toHaveLength(7);

    const res = await invoke('case.status', { trackingId: id, statusTo: 'stopped', reason: 'noLongerMeetsCriteria.leftBrussels' }, ORGANISER);
    expect(bodyText(res)).toContain('Statut enregistré');
    expect(await scheduledOf(id)).toHaveLength(0);
    expect(await scheduledOf(other)).toHaveLength(6);

    await dispatchAt(localDay(11));
    for (const who of [ORGANISER, GP, REFERENT]) {
      expect(cardsTo(who, id)).toHaveLength(0);
      expect(cardsTo(who, other)).toHaveLength(2);
    }
  });
});

describe('per-case reminder offsets', () => {
  it('J-3 only: the organiser sets it from the case card, the planned reminders follow and are sent at J-3', async () => {
    const id = await newCase();
    const meeting = localDay(10);
    await schedule(id, meeting);
    expect(await scheduledOf(id)).toHaveLength(6);

    // The case card shows the offsets in force and the field to change them (organiser only).
    const open = await invoke('case.open', { trackingId: id }, ORGANISER);
    expect(bodyText(open)).toContain('case.reminderOffsets');
    expect(bodyText(open)).toContain('7, 1 jours avant la concertation');

    const res = await invoke('case.reminderOffsets', { trackingId: id, rOffsets: 'J-3' }, ORGANISER);
    expect(bodyText(res)).toContain('Rappels enregistrés : 3 jours avant la concertation.');
    expect((await bot.app.services.cases.get(id))?.reminderOffsetsDays).toEqual([3]);
    const planned = await scheduledOf(id);
    expect(planned).toHaveLength(3);
    expect(new Set(planned.map((r) => r.dueAt.getTime()))).toEqual(new Set([nineAm(meeting.minus({ days: 3 }))]));

    // A new date keeps the case's offsets.
    const moved = localDay(15);
    await schedule(id, moved);
    expect(new Set((await scheduledOf(id)).map((r) => r.dueAt.getTime()))).toEqual(new Set([nineAm(moved.minus({ days: 3 }))]));

    await expect(dispatchAt(moved.minus({ days: 7 }).set({ hour: 10 }))).resolves.toMatchObject({ sent: 0 });
    await expect(dispatchAt(moved.minus({ days: 3 }).set({ hour: 9, minute: 5 }))).resolves.toMatchObject({ sent: 3 });
    await expect(dispatchAt(moved.plus({ days: 1 }))).resolves.toMatchObject({ sent: 0 });
    for (const who of [ORGANISER, GP, REFERENT]) expect(cardsTo(who, id)).toHaveLength(1);
  });

  it.each([
    ['0, 61', 'entre 0 et 60 jours'],
    ['1, 2, 3, 4, 5, 6', '5 rappels au plus'],
    ['sept', 'nombres entiers'],
    ['', 'au moins un nombre'],
  ])('refuses "%s" with a clear message, keeps what was typed and changes nothing', async (typed, message) => {
    const id = await newCase();
    await schedule(id, localDay(10));
    const res = await invoke('case.reminderOffsets', { trackingId: id, rOffsets: typed }, ORGANISER);
    expect(bodyText(res)).toContain(message);
    if (typed) expect(bodyText(res)).toContain(`"value":"${typed}"`);
    expect((await bot.app.services.cases.get(id))?.reminderOffsetsDays ?? null).toBeNull();
    expect(await scheduledOf(id)).toHaveLength(6);
  });

  it('refuses a participant who is not the organiser, and someone outside the case, in their language', async () => {
    const id = await newCase();
    await schedule(id, localDay(10));
    const gp = await invoke('case.reminderOffsets', { trackingId: id, rOffsets: '3' }, GP);
    expect(bodyText(gp)).toContain("Vous n'avez pas le droit");
    const referentNl = await invoke('case.reminderOffsets', { trackingId: id, rOffsets: '3' }, REFERENT, personal(REFERENT), { locale: 'nl-BE' });
    expect(bodyText(referentNl)).toContain('U mag dit niet doen in dit dossier.');
    expect(bodyText(referentNl)).not.toContain('case.reminderOffsets');
    const outsider = await invoke('case.reminderOffsets', { trackingId: id, rOffsets: '3' }, OUTSIDER);
    expect(bodyText(outsider)).toContain("Vous n'avez pas le droit");
    expect(bodyText(outsider)).not.toContain('case.reminderOffsets');
    expect((await bot.app.services.cases.get(id))?.reminderOffsetsDays ?? null).toBeNull();
    expect(await scheduledOf(id)).toHaveLength(6);
    // The GP's case card shows the offsets but not the field to change them.
    const card = await invoke('case.open', { trackingId: id }, GP);
    expect(bodyText(card)).toContain('7, 1 jours avant la concertation');
    expect(bodyText(card)).not.toContain('case.reminderOffsets');
  });
});

describe('listeners never undo a stored change', () => {
  it('a failing reminder hook is audited (ids only) and the date, status and participant changes stand', async () => {
    const id = await newCase();
    const { cases } = bot.app.services;
    const boom = async () => {
      throw new TypeError('planner down');
    };
    const off = [bot.app.events.on('case.scheduleChanged', boom), bot.app.events.on('case.statusChanged', boom), bot.app.events.on('case.participantRemoved', boom)];
    await schedule(id, localDay(10));
    expect(await cases.currentStatus(id)).toMatchObject({ status: 'scheduled' });
    expect((await cases.removeParticipant(id, `aad:${GP.aadObjectId}`, ORGANISER.aadObjectId)).ok).toBe(true);
    off.forEach((remove) => remove());
    const failed = await bot.app.models.audit.find({ action: 'event.listenerFailed', subject: id }).lean();
    expect(failed.map((a) => (a.details as { event: string }).event).sort()).toEqual(['case.participantRemoved', 'case.scheduleChanged', 'case.statusChanged']);
    expect(JSON.stringify(failed)).not.toContain('planner down');
  });
});
