// A Dutch-speaking organiser used to be first notified in French (no 1:1 chat yet, so no
// language known). Members now have a preferred language: the pool's first language when added,
// then the one they write to the bot in; proactive messages to them use it.
import { createLogger } from '../../bot/logger';
import { teamsReminderMessenger } from '../../bot/reminderMessenger';
import { ReminderDispatcher } from '../../jobs/reminders';
import { keyOf as plannedKey, PlannedReminder } from '../../services/reminders';
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { groupChat, personalChat, REFERENT, rememberGroup, rememberPersonal, TENANT } from './support';

const DUTCH = { id: '29:fictional-dutch-organiser', aadObjectId: 'a0000000-0000-4000-8000-0000000000d2', name: 'Daan Test' };
let fake: FakeConnector;
let running: RunningApp;

beforeAll(async () => {
  fake = await FakeConnector.start();
  running = await startTestApp({}, { startScheduler: false });
  await rememberPersonal(running.app, fake, REFERENT);
  await rememberGroup(running.app, fake, groupChat('nl'));
});
afterAll(async () => {
  await running.close();
  await fake.close();
});

const planClick = (key: string) =>
  teamsMessage(undefined, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    from: REFERENT,
    conversation: { id: personalChat(REFERENT), conversationType: 'personal', tenantId: TENANT },
    serviceUrl: fake.url,
    value: { action: { type: 'Action.Execute', verb: 'reminder.planConcertation', data: { key } }, trigger: 'manual' },
    deliveryMode: undefined,
  });

function followUp(n: number): PlannedReminder {
  const trackingId = `CMD-2026-09${n}`;
  return {
    kind: 'followUp',
    subject: trackingId,
    dueAt: new Date(Date.now() - 1000),
    recipient: { aadObjectId: REFERENT.aadObjectId, teamsUserId: REFERENT.id, viaConversationId: groupChat('nl') },
    locale: 'fr',
    payload: { trackingId, date: '2026-10-01T10:00:00+02:00' },
    organiserAadObjectId: DUTCH.aadObjectId,
  };
}

/** Texts the bot sent anywhere since `from` (the organiser's 1:1 chat is created on the way). */
const textsSince = (from: number) =>
  fake
    .delivered()
    .slice(from)
    .map((r) => (r.body as { text?: string } | undefined)?.text ?? '');

it('a Dutch organiser added to the pool with languages nl gets the first proactive message in Dutch', async () => {
  const { members } = running.app.services;
  const added = await members.addRole({ aadObjectId: DUTCH.aadObjectId, teamsUserId: DUTCH.id, displayName: DUTCH.name }, 'organiser', 'test', { languages: ['nl'] });
  expect(added.preferredLocale).toBe('nl');
  expect(await running.app.references.personalFor(DUTCH.aadObjectId)).toBeNull();

  const first = followUp(1);
  await running.app.services.reminders.plan([first]);
  const before = fake.delivered().length;
  const res = await post(running.url, planClick(plannedKey(first)));
  expect(JSON.stringify(res.body)).toMatch(/organisateur du dossier CMD-2026-091 est prévenu/); // the référent speaks French
  const told = textsSince(before).filter((t) => t.includes('CMD-2026-091'));
  expect(told).toHaveLength(1);
  expect(told[0]).toMatch(/Er wordt een nieuw overleg gevraagd voor dossier CMD-2026-091/);
});

it('the preference follows the language the member writes in; editing the pool does not override it', async () => {
  const { members } = running.app.services;
  expect(await members.notePreferredLocale(DUTCH.aadObjectId, 'fr-BE')).toBe(true);
  expect(await members.notePreferredLocale(DUTCH.aadObjectId, 'fr-FR')).toBe(false); // same language: no write
  expect(await members.notePreferredLocale(DUTCH.aadObjectId, 'de-DE')).toBe(false); // unsupported: kept
  expect(await members.localeOf(DUTCH.aadObjectId)).toBe('fr');
  await members.addRole({ aadObjectId: DUTCH.aadObjectId, teamsUserId: DUTCH.id, displayName: DUTCH.name }, 'organiser', 'test', { languages: ['nl', 'fr'] });
  expect((await members.get(DUTCH.aadObjectId))?.preferredLocale).toBe('fr');

  const second = followUp(2);
  await running.app.services.reminders.plan([second]);
  const before = fake.delivered().length;
  await post(running.url, planClick(plannedKey(second)));
  expect(textsSince(before).filter((t) => t.includes('CMD-2026-092'))[0]).toMatch(/Une nouvelle concertation est demandée pour le dossier CMD-2026-092/);

  // Back to Dutch ("taal nl", or writing from a Dutch Teams).
  expect(await members.notePreferredLocale(DUTCH.aadObjectId, 'nl')).toBe(true);
  expect(await members.localeOf(DUTCH.aadObjectId, 'fr-BE')).toBe('nl');
});

it('talking to the bot makes nobody a member; a non-member has the language of their chat', async () => {
  const { members } = running.app.services;
  expect(await members.notePreferredLocale(REFERENT.aadObjectId, 'nl-BE')).toBe(false);
  expect(await members.get(REFERENT.aadObjectId)).toBeNull();
  expect(await members.localeOf(REFERENT.aadObjectId, 'nl-BE')).toBe('nl');
  expect(await members.localeOf(REFERENT.aadObjectId)).toBeNull();
});

it('a reminder planned in French reaches a member who since chose Dutch in Dutch', async () => {
  const { members, reminders } = running.app.services;
  await members.notePreferredLocale(DUTCH.aadObjectId, 'nl');
  const meeting: PlannedReminder = { ...followUp(3), kind: 'meeting', recipient: { aadObjectId: DUTCH.aadObjectId, teamsUserId: DUTCH.id }, locale: 'fr' };
  await reminders.plan([meeting]);
  const sent: string[] = [];
  const messenger = teamsReminderMessenger(
    {
      send: async () => ({ ok: true, conversationId: 'c' }) as never,
      sendToUser: async (_user, activity) => {
        sent.push(JSON.stringify(activity));
        return { ok: true, conversationId: 'c' } as never;
      },
    },
    async () => ({ teamsUserId: null, locale: 'fr' }),
  );
  const dispatcher = new ReminderDispatcher({
    reminders: reminders.delivery,
    messenger,
    clock: running.app.clock,
    logger: createLogger('silent'),
    preferredLocales: (ids) => members.preferredLocales(ids),
    lateGraceMs: 3600_000,
  });
  await dispatcher.drain();
  const card = sent.find((a) => a.includes('CMD-2026-093'));
  expect(card).toMatch(/Het overleg voor dossier CMD-2026-093/);
});
