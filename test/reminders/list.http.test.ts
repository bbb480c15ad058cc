// "mes rappels" for a busy organiser through the real endpoint: 20 cases × 15
// participants used to make a 33–48 KB card that Teams refuses. Now every message and every
// `reminder.page` answer stays under the limit, each reminder is on exactly one page, and each line
// says whose reminder it is.
import { TEAMS_MESSAGE_MAX_BYTES } from '../../cards/reminder';
import { cardBytes } from '../../cards/render';
import type { PlannedReminder } from '../../services/reminders';
import { keyOf } from '../../services/reminders';
import { cardsOf, post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { ORGANISER, personalChat, TENANT } from './support';

let fake: FakeConnector;
let running: RunningApp;
const participant = (i: number) => ({ aadObjectId: `d0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Participant Fictif ${i}` });

beforeAll(async () => {
  fake = await FakeConnector.start();
  running = await startTestApp({}, { startScheduler: false });
  await running.app.services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', 'test', { languages: ['fr'] });
  // Names known to the bot (here as members; case participants' names come from the case).
  for (let p = 1; p <= 15; p++) await running.app.services.members.upsert({ aadObjectId: participant(p).aadObjectId, displayName: participant(p).name }, {}, 'test');
});
afterAll(async () => {
  await running.close();
  await fake.close();
});

const personal = { id: personalChat(ORGANISER), conversationType: 'personal', tenantId: TENANT };
const page = (n: number) =>
  teamsMessage(undefined, { type: 'invoke', name: 'adaptiveCard/action', from: ORGANISER, conversation: personal, serviceUrl: fake.url, value: { action: { type: 'Action.Execute', verb: 'reminder.page', data: { page: n } }, trigger: 'manual' }, deliveryMode: undefined });

/** The reminder keys a list card's buttons carry, each once. */
const keysOf = (card: object): string[] => [...new Set([...JSON.stringify(card).matchAll(/"key":"([^"]+)"/g)].map((m) => m[1]))];
const nextPageOf = (card: object): number | null => {
  const m = /"verb":"reminder\.page","title":"Page suivante","data":\{"page":(\d+)\}/.exec(JSON.stringify(card));
  return m ? Number(m[1]) : null;
};

it('pages 20 cases × 15 participants under the Teams message size, each reminder once, saying whose', async () => {
  const plans: PlannedReminder[] = [];
  for (let c = 1; c <= 20; c++) {
    const trackingId = `CMD-2026-${String(500 + c).padStart(4, '0')}`;
    for (const days of [7, 1]) {
      const dueAt = new Date(Date.now() + (c * 2 + 10 - days) * 86_400_000);
      const base = { kind: 'meeting' as const, subject: `${trackingId}#meeting-1`, dueAt, locale: 'fr' as const, payload: { trackingId, date: new Date(Date.now() + (c * 2 + 10) * 86_400_000).toISOString() }, organiserAadObjectId: ORGANISER.aadObjectId };
      plans.push({ ...base, recipient: { aadObjectId: ORGANISER.aadObjectId } });
      for (let p = 1; p <= 15; p++) plans.push({ ...base, recipient: { aadObjectId: participant(p).aadObjectId } });
    }
  }
  await running.app.services.reminders.plan(plans);

  const first = await post(running.url, teamsMessage('mes rappels', { from: ORGANISER, conversation: personal, serviceUrl: fake.url }));
  expect(Buffer.byteLength(JSON.stringify(first.body.activities), 'utf8')).toBeLessThanOrEqual(TEAMS_MESSAGE_MAX_BYTES + 2048);
  let card = cardsOf(first.body.activities)[0];
  const text = JSON.stringify(card);
  expect(text).toContain('Pour vous');
  expect(text).toContain('Pour Participant Fictif 1');
  expect(text).toContain('Page 1 — rappels 1 à');

  const seen = new Map<string, number>();
  for (let n = 1; ; ) {
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_MESSAGE_MAX_BYTES);
    for (const k of keysOf(card)) seen.set(k, (seen.get(k) ?? 0) + 1);
    const next = nextPageOf(card);
    if (next === null) break;
    expect(next).toBe(n + 1);
    n = next;
    const res = await post(running.url, page(n));
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    card = res.body.value;
  }
  expect([...seen.keys()].sort()).toEqual(plans.map(keyOf).sort());
  expect([...seen.values()].every((v) => v === 1)).toBe(true);
  // Each page lists all 640 reminders again (about 0.2 s each on the embedded database): about
  // 17 s on a quiet machine, over the default 30 s with other suites running beside it.
}, 90_000);

it('an action from the list keeps its page; a bad page number shows the first; no page in a group', async () => {
  const second = (await post(running.url, page(2))).body.value;
  const key = keysOf(second)[0];
  const res = await post(
    running.url,
    teamsMessage(undefined, { type: 'invoke', name: 'adaptiveCard/action', from: ORGANISER, conversation: personal, serviceUrl: fake.url, value: { action: { type: 'Action.Execute', verb: 'reminder.cancel', data: { key, from: 'list', page: 2 } }, trigger: 'manual' }, deliveryMode: undefined }),
  );
  expect(JSON.stringify(res.body.value)).toContain('Rappel annulé');
  expect(JSON.stringify(res.body.value)).toContain('Page 2');
  expect(await running.app.services.reminders.get(key)).toMatchObject({ status: 'cancelled' });
  const bad = await post(running.url, page('x' as unknown as number));
  expect(JSON.stringify(bad.body.value)).toContain('Page 1');
  // Never in a group: the answer would replace the card for everyone in the conversation.
  const inGroup = await post(
    running.url,
    teamsMessage(undefined, { type: 'invoke', name: 'adaptiveCard/action', from: ORGANISER, conversation: { id: '19:fictional-list-group@thread.v2', conversationType: 'groupChat', tenantId: TENANT }, serviceUrl: fake.url, value: { action: { type: 'Action.Execute', verb: 'reminder.page', data: { page: 1 } }, trigger: 'manual' }, deliveryMode: undefined }),
  );
  expect(inGroup.body.type).toBe('application/vnd.microsoft.activity.message');
  expect(JSON.stringify(inGroup.body.value)).toMatch(/conversation privée/);
});
