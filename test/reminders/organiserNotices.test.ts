// Many undelivered reminders for one organiser: the organiser's notices used to
// be sent one per reminder from inside the dispatch queue, under their 1:1 chat's 60-per-30-s
// window, so 100 failures held other people's reminders back for a minute. Now the organiser gets
// one message per pass (ten reminders named, the rest counted) after the pass's reminders went out.
import { MAX_LISTED_IN_NOTICE } from '../../jobs/reminders';
import { keyOf as plannedKey } from '../../services/reminders';
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { deliveriesByKey, groupChat, ORGANISER, personalChat, rememberGroup, rememberPersonal, toConversation } from './support';

let fake: FakeConnector;
let running: RunningApp;

beforeAll(async () => {
  fake = await FakeConnector.start();
  running = await startTestApp({ OUTBOUND_GLOBAL_PER_SECOND: '200' }, { startScheduler: false });
  await running.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', 'test', { languages: ['fr'] });
  await rememberPersonal(running.app, fake, ORGANISER);
});
afterAll(async () => {
  await running.close();
  await fake.close();
});

it('tells the organiser of 100 undelivered reminders in one message, after the others went out', async () => {
  const { app } = running;
  const ago = new Date(Date.now() - 60_000);
  // 100 reminders to chats the bot was never added to (no conversation: failed at once), 5 healthy.
  const lost = Array.from({ length: 100 }, (_, i) => toConversation(groupChat(`unknown-${i}`), ago, 300 + i));
  const healthy = Array.from({ length: 5 }, (_, i) => toConversation(groupChat(`known-${i}`), ago, 500 + i));
  for (let i = 0; i < 5; i++) await rememberGroup(app, fake, groupChat(`known-${i}`));
  await app.services.reminders.plan([...lost, ...healthy]);

  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ sent: 5, failed: 100 });
  const counts = deliveriesByKey(fake);
  expect(healthy.map((p) => counts.get(plannedKey(p)))).toEqual([1, 1, 1, 1, 1]);

  const notices = fake.delivered(personalChat(ORGANISER));
  expect(notices).toHaveLength(1);
  const text = String((notices[0].body as { text: string }).text);
  expect(text.match(/n'a pas pu être remis à son destinataire \(aucune conversation Teams avec cette personne\)/g)).toHaveLength(MAX_LISTED_IN_NOTICE);
  expect(text).toContain(`… et ${100 - MAX_LISTED_IN_NOTICE} autres rappels non remis ou non confirmés : la liste complète est dans « mes rappels ».`);
  // The notice went out after every healthy reminder.
  const lastReminder = Math.max(...fake.delivered().filter((r) => r.conversationId !== personalChat(ORGANISER)).map((r) => r.at));
  expect(notices[0].at).toBeGreaterThan(lastReminder);
  // All listed in "my reminders"; the next pass has nothing to send and tells nobody again.
  const listed = new Set((await app.services.reminders.lists.listFor(ORGANISER.aadObjectId, true)).map((r) => r.key));
  expect(lost.filter((p) => !listed.has(plannedKey(p)))).toEqual([]);
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ claimed: 0 });
  expect(fake.delivered(personalChat(ORGANISER))).toHaveLength(1);
});

it('names a single undelivered reminder as before, and does not tell an organiser of their own reminder', async () => {
  const { app } = running;
  fake.reset();
  const ago = new Date(Date.now() - 60_000);
  const other = toConversation(groupChat('unknown-single'), ago, 700);
  // Another organiser's reminder to themself, with no conversation: the same chat would fail too.
  const selfOrganised = 'f0000000-0000-4000-8000-0000000000f1';
  const own = { ...toConversation(groupChat('unused'), ago, 701), recipient: { aadObjectId: selfOrganised }, organiserAadObjectId: selfOrganised };
  await app.services.reminders.plan([other, own]);
  await expect(app.jobs.reminders.drain()).resolves.toMatchObject({ failed: 2 });
  const notices = fake.delivered();
  expect(notices).toHaveLength(1);
  expect(notices[0].conversationId).toBe(personalChat(ORGANISER));
  const text = String((notices[0].body as { text: string }).text);
  expect(text).toMatch(/^Un rappel du dossier CMD-2026-0700 prévu le .* n'a pas pu être remis à son destinataire \(aucune conversation Teams avec cette personne\)\. Merci de le prévenir autrement\.$/);
  expect((await app.services.reminders.lists.listFor(selfOrganised, true)).map((r) => r.key)).toEqual([plannedKey(own)]);
});
