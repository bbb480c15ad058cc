// Helpers for the reminder tests: conversation references pointing at the fake connector, plans,
// and reading which reminder each delivered activity was.
import type { App } from '../../bot/app';
import type { PlannedReminder } from '../../services/reminders';
import { RunningApp, startTestApp } from '../support/app';
import { FakeConnector, RecordedRequest } from '../support/fakeConnector';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const ORGANISER = { id: '29:fictional-organiser', aadObjectId: 'a0000000-0000-4000-8000-0000000000a1', name: 'Olivia Test' };
export const REFERENT = { id: '29:fictional-referent', aadObjectId: 'b0000000-0000-4000-8000-0000000000b1', name: 'Alex Test' };
export const OUTSIDER = { id: '29:fictional-outsider', aadObjectId: 'e0000000-0000-4000-8000-0000000000e1', name: 'Eve Test' };

export const groupChat = (n: number | string) => `19:fictional-group-${n}@thread.v2`;
export const personalChat = (who: { aadObjectId: string }) => `a:fictional-personal-${who.aadObjectId}`;

/** A conversation reference as the bot stores it when Teams writes to it (serviceUrl = the fake). */
export async function rememberGroup(app: App, fake: FakeConnector, conversationId: string): Promise<void> {
  await app.references.remember({
    type: 'message',
    id: `act-${conversationId}`,
    channelId: 'msteams',
    serviceUrl: fake.url,
    from: { id: REFERENT.id, name: REFERENT.name, aadObjectId: REFERENT.aadObjectId },
    recipient: { id: '28:bot-id', name: 'CMD bot' },
    conversation: { id: conversationId, conversationType: 'groupChat', isGroup: true, tenantId: TENANT, name: '' },
    channelData: { tenant: { id: TENANT } },
    locale: 'fr-BE',
  });
}

export async function rememberPersonal(app: App, fake: FakeConnector, who: { id: string; aadObjectId: string; name: string }, locale = 'fr-BE'): Promise<void> {
  await app.references.remember({
    type: 'message',
    id: `act-${who.aadObjectId}`,
    channelId: 'msteams',
    serviceUrl: fake.url,
    from: who,
    recipient: { id: '28:bot-id', name: 'CMD bot' },
    conversation: { id: personalChat(who), conversationType: 'personal', isGroup: false, tenantId: TENANT, name: '' },
    channelData: { tenant: { id: TENANT } },
    locale,
  });
}

export function toConversation(conversationId: string, dueAt: Date, n: number | string, over: Partial<PlannedReminder> = {}): PlannedReminder {
  return {
    kind: 'meeting',
    subject: `CMD-2026-${String(n).padStart(4, '0')}`,
    dueAt,
    recipient: { conversationId },
    locale: 'fr',
    payload: { trackingId: `CMD-2026-${String(n).padStart(4, '0')}`, date: '2026-03-30T10:00:00+02:00' },
    organiserAadObjectId: ORGANISER.aadObjectId,
    ...over,
  };
}

/** The reminder key carried by a delivered reminder card (its first Action.Execute's data). */
export function keyOf(r: RecordedRequest): string | undefined {
  const body = r.body as { attachments?: Array<{ content?: { actions?: Array<{ data?: { key?: string } }> } }> } | undefined;
  return body?.attachments?.[0]?.content?.actions?.[0]?.data?.key;
}

/** How many times each reminder key was delivered. */
export function deliveriesByKey(fake: FakeConnector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of fake.delivered()) {
    const key = keyOf(r);
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15000, stepMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** The fake connector of a test file and the bot instances its tests start. */
export interface ReminderApps {
  readonly fake: FakeConnector;
  start(env?: Record<string, string>, opts?: Parameters<typeof startTestApp>[1]): Promise<RunningApp>;
}

/** One fake connector for the file; the instances a test starts are closed after it and the fake is reset. */
export function useReminderApps(): ReminderApps {
  const running: RunningApp[] = [];
  let fake: FakeConnector | undefined;
  beforeAll(async () => {
    fake = await FakeConnector.start();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((a) => a.close()));
    fake?.reset();
  });
  afterAll(async () => {
    await fake?.close();
  });
  return {
    get fake() {
      if (!fake) throw new Error('the fake connector starts in beforeAll');
      return fake;
    },
    async start(env = {}, opts = {}) {
      const app = await startTestApp({ OUTBOUND_GLOBAL_PER_SECOND: '200', ...env }, { startScheduler: false, ...opts });
      running.push(app);
      return app;
    },
  };
}
