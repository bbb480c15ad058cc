// The reminder card's buttons and "mes rappels" through the real endpoint: who may act, snooze,
// done, plan a concertation (organiser told once), the list for recipients and organisers.
import { keyOf as plannedKey, PlannedReminder } from '../../services/reminders';
import { cardsOf, post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { groupChat, ORGANISER, OUTSIDER, personalChat, REFERENT, rememberPersonal, TENANT } from './support';

let fake: FakeConnector;
let running: RunningApp;

beforeAll(async () => {
  fake = await FakeConnector.start();
  running = await startTestApp({}, { startScheduler: false });
  await running.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', 'test', { languages: ['fr'] });
  await rememberPersonal(running.app, fake, ORGANISER);
});
afterAll(async () => {
  await running.close();
  await fake.close();
});

const personal = (who: { aadObjectId: string }) => ({ id: personalChat(who), conversationType: 'personal', tenantId: TENANT });

function invoke(verb: string, data: Record<string, unknown>, from: typeof REFERENT) {
  return teamsMessage(undefined, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    from,
    conversation: personal(from),
    serviceUrl: fake.url,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    deliveryMode: undefined,
  });
}

function plan(kind: PlannedReminder['kind'], n: number, dueInMs: number): PlannedReminder {
  return {
    kind,
    subject: `CMD-2026-01${n}`,
    dueAt: new Date(Date.now() + dueInMs),
    recipient: { aadObjectId: REFERENT.aadObjectId, teamsUserId: REFERENT.id },
    locale: 'fr',
    payload: { trackingId: `CMD-2026-01${n}`, date: '2026-09-15T10:00:00+02:00' },
    organiserAadObjectId: ORGANISER.aadObjectId,
  };
}

it('delivers a follow-up card in the recipient language with its actions, and only the right people may act', async () => {
  const { app } = running;
  // The référent talks to the bot first: the 1:1 conversation is stored.
  await post(running.url, teamsMessage('aide', { from: REFERENT, conversation: personal(REFERENT), serviceUrl: fake.url }));
  const followUp = plan('followUp', 1, -1000);
  await app.services.reminders.plan([followUp]);
  await app.jobs.reminders.drain();
  const [sent] = fake.delivered(personalChat(REFERENT));
  const card = JSON.stringify(sent.body);
  expect(card).toContain('Suivi : faut-il une nouvelle concertation ?');
  for (const verb of ['reminder.done', 'reminder.snooze1d', 'reminder.snooze1w', 'reminder.planConcertation']) expect(card).toContain(verb);

  const refused = await post(running.url, invoke('reminder.done', { key: plannedKey(followUp) }, OUTSIDER));
  expect(refused.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
  expect(JSON.stringify(refused.body)).toMatch(/ne vous est pas destiné/);
  expect(await app.services.reminders.get(plannedKey(followUp))).toMatchObject({ status: 'sent' });

  // Plan a concertation: the organiser is told 1:1, once, even when clicked twice.
  const before = fake.delivered(personalChat(ORGANISER)).length;
  const planned = await post(running.url, invoke('reminder.planConcertation', { key: plannedKey(followUp) }, REFERENT));
  expect(JSON.stringify(planned.body)).toMatch(/organisateur du dossier CMD-2026-011 est prévenu/);
  const again = await post(running.url, invoke('reminder.planConcertation', { key: plannedKey(followUp) }, REFERENT));
  expect(JSON.stringify(again.body)).toMatch(/déjà été prévenu/);
  const told = fake.delivered(personalChat(ORGANISER)).slice(before);
  expect(told).toHaveLength(1);
  expect(JSON.stringify(told[0].body)).toMatch(/nouvelle concertation est demandée pour le dossier CMD-2026-011/);

  // Snooze one day: a new reminder tomorrow, the card answers in place.
  const snoozed = await post(running.url, invoke('reminder.snooze1d', { key: plannedKey(followUp) }, REFERENT));
  expect(snoozed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(JSON.stringify(snoozed.body)).toMatch(/je vous le rappellerai le/);
  const upcoming = await app.services.reminders.lists.upcomingFor(REFERENT.aadObjectId);
  expect(upcoming).toHaveLength(1);
  expect(upcoming[0].dueAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  expect(await app.services.reminders.get(plannedKey(followUp))).toMatchObject({ status: 'snoozed' });

  // Done (by the organiser): the pending snooze goes too.
  const done = await post(running.url, invoke('reminder.done', { key: plannedKey(followUp) }, ORGANISER));
  expect(JSON.stringify(done.body)).toMatch(/Marqué comme fait/);
  expect(await app.services.reminders.lists.upcomingFor(REFERENT.aadObjectId)).toHaveLength(0);
  const closed = await post(running.url, invoke('reminder.snooze1w', { key: plannedKey(followUp) }, REFERENT));
  expect(JSON.stringify(closed.body)).toMatch(/déjà clôturé \(fait\)/);
});

it('"mes rappels" lists upcoming reminders; organisers also see their cases\' ones; cancel from the list', async () => {
  const { app } = running;
  const meeting = plan('meeting', 2, 3 * 86_400_000);
  await app.services.reminders.plan([meeting]);

  const mine = await post(running.url, teamsMessage('mes rappels', { from: REFERENT, conversation: personal(REFERENT), serviceUrl: fake.url }));
  const [list] = cardsOf(mine.body.activities);
  expect(JSON.stringify(list)).toContain('Pour vous');
  expect(JSON.stringify(list)).toContain('Dossier CMD-2026-012');

  const organiser = await post(running.url, teamsMessage('mijn herinneringen', { from: ORGANISER, conversation: personal(ORGANISER), serviceUrl: fake.url, locale: 'nl-BE' }));
  const organiserList = JSON.stringify(cardsOf(organiser.body.activities)[0]);
  // The organiser sees the référent's reminder, saying it is not theirs.
  expect(organiserList).toContain('Dossier CMD-2026-012');
  expect(organiserList).toContain('naam onbekend');
  expect(organiserList).not.toContain('Voor u"');

  const cancelled = await post(running.url, invoke('reminder.cancel', { key: plannedKey(meeting), from: 'list' }, REFERENT));
  expect(JSON.stringify(cancelled.body)).toMatch(/Rappel annulé/);
  expect(await app.services.reminders.get(plannedKey(meeting))).toMatchObject({ status: 'cancelled' });

  const inGroup = await post(running.url, teamsMessage('mes rappels', { from: REFERENT, conversation: { id: groupChat('g'), conversationType: 'groupChat', tenantId: TENANT }, serviceUrl: fake.url }));
  expect(inGroup.body.activities?.[0].text).toMatch(/conversation privée/);

  const unknown = await post(running.url, invoke('reminder.done', { key: 'nope' }, REFERENT));
  expect(JSON.stringify(unknown.body)).toMatch(/n'existe plus/);
});
