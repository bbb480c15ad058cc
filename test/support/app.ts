// Starts a real bot instance (restify + CloudAdapter + storage) on the shared test database.
import { createApp, App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import type { ProactiveOptions } from '../../bot/proactive';
import type { Clock } from '../../services/clock';
import { testMongoUri, uniqueDbName } from './db';

export interface RunningApp {
  app: App;
  url: string;
  dbName: string;
  close: () => Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}, opts: { dbName?: string; startScheduler?: boolean; clock?: Clock; proactive?: ProactiveOptions } = {}): Promise<RunningApp> {
  const dbName = opts.dbName ?? uniqueDbName('app');
  const config = loadConfig({ DB_NAME: dbName, LOG_LEVEL: 'silent', SCHEDULER_PROCESS_EVERY: '200 ms', SCHEDULER_LOCK_LIFETIME: '30 seconds', ...env });
  const app = await createApp({ config, mongodbUri: testMongoUri(), logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), startScheduler: opts.startScheduler, clock: opts.clock, proactive: opts.proactive ?? { attemptTimeoutMs: 10000, maxAttempts: 3 } });
  const port = await app.listen(0);
  return { app, url: `http://127.0.0.1:${port}`, dbName, close: () => app.close() };
}

let seq = 0;
/** A Teams message activity as the Bot Connector sends it, with replies returned in the response. */
export function teamsMessage(text: string | undefined, over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: 'message',
    id: `act-${Date.now()}-${seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/', // nothing listens: replies must come back in the HTTP response
    from: { id: '29:fictional-user-1', aadObjectId: '00000000-0000-4000-8000-000000000001', name: 'Alex Test' },
    recipient: { id: '28:bot-id', name: 'CMD bot' },
    conversation: { id: 'a:fictional-personal-conversation-1', conversationType: 'personal', tenantId: '11111111-1111-4111-8111-111111111111' },
    channelData: { tenant: { id: '11111111-1111-4111-8111-111111111111' } },
    locale: 'fr-BE',
    text,
    // Teams sends an @mention of the bot both in the text and as a mention entity.
    ...(text?.includes('<at>CMD bot</at>') ? { entities: [{ type: 'mention', text: '<at>CMD bot</at>', mentioned: { id: '28:bot-id', name: 'CMD bot' } }] } : {}),
    deliveryMode: 'expectReplies',
    ...over,
  };
}

export interface PostResult {
  status: number;
  body: { activities?: Array<Record<string, any>> } & Record<string, any>;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed };
}

/** The Adaptive Card payloads among reply activities. */
export function cardsOf(activities: Array<Record<string, any>> = []): Array<Record<string, any>> {
  return activities.flatMap((a) => (a.attachments ?? []).filter((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x: any) => x.content));
}
