/**
 * The real botbuilder ConnectorClient (created exactly as CloudAdapter does when the bot has
 * no app id) against the fake connector, through sendWithRetry and a real rate limiter.
 */
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity, type ConnectorClient } from 'botframework-connector';
import { SendRateLimiter, type Window } from '../../bot/outbound/rateLimiter';
import { disableBuiltInRetries, extractHttpFailure, sendWithRetry, trackDispatch } from '../../bot/outbound/sendWithRetry';
import { FakeConnector, maxInWindow } from '../support/fakeConnector';
import { STALE_CONVERSATION_NOT_FOUND, useFakeConnector } from './support';

const CONVERSATION = '19:meeting_Zm9v@thread.v2;messageid=1700000000000';

const fake = useFakeConnector();

/** Same path as CloudAdapter.continueConversationAsync with an empty app id (anonymous credentials). */
async function connectorFor(serviceUrl: string, { builtInRetries = false } = {}): Promise<ConnectorClient> {
  const auth = new ConfigurationBotFrameworkAuthentication({});
  const identity = new ClaimsIdentity([
    { type: AuthenticationConstants.AudienceClaim, value: '' },
    { type: AuthenticationConstants.AppIdClaim, value: '' },
  ]);
  const client = await auth.createConnectorFactory(identity).create(serviceUrl, undefined);
  if (!builtInRetries) expect(disableBuiltInRetries(client)).toBe(true);
  return client;
}

function send(client: ConnectorClient, text: string, limiter: SendRateLimiter, extra: { attemptTimeoutMs?: number } = {}) {
  return sendWithRetry(
    CONVERSATION,
    ({ signal }) => client.conversations.sendToConversation(CONVERSATION, { type: 'message', text }, { abortSignal: signal }),
    { limiter, random: () => 0, backoff: { baseMs: 20, maxMs: 200 }, ...extra },
  );
}

describe('ConnectorClient → fake connector through sendWithRetry', () => {
  it('delivers anonymously, with the conversation id round-tripping through URL encoding', async () => {
    const client = await connectorFor(fake.url);
    const result = await send(client, 'hello', new SendRateLimiter());
    expect(result).toMatchObject({ ok: true, attempts: 1, value: { id: expect.stringMatching(/^fake-activity-/) } });
    const [rec] = fake.delivered(CONVERSATION);
    expect(rec).toMatchObject({ authorization: false, body: { type: 'message', text: 'hello' } });
  });

  it('429 with Retry-After: 1 is retried after ≥ 1 s and delivered exactly once', async () => {
    const client = await connectorFor(fake.url);
    fake.failNext(1, { status: 429, retryAfter: '1' }, { conversationId: CONVERSATION });
    const result = await send(client, 'throttled', new SendRateLimiter());
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = fake.requests;
    expect(first).toMatchObject({ status: 429, fault: 'status' });
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    expect(fake.requests).toHaveLength(2);
    expect(fake.delivered(CONVERSATION)).toHaveLength(1);
  });

  it('503 twice then success', async () => {
    const client = await connectorFor(fake.url);
    fake.failNext(2, { status: 503 });
    const result = await send(client, 'flaky', new SendRateLimiter());
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 201]);
    expect(fake.delivered()).toHaveLength(1);
  });

  it('403 ConversationNotFound → stale, one request only', async () => {
    const client = await connectorFor(fake.url);
    fake.failNext(1, { status: 403, code: 'ConversationNotFound' });
    const result = await send(client, 'to a removed bot', new SendRateLimiter());
    expect(result).toEqual(STALE_CONVERSATION_NOT_FOUND);
    expect(fake.requests).toHaveLength(1);
  });

  it('bare 403 and 404 ConversationNotFound are stale too; 400 fails', async () => {
    const client = await connectorFor(fake.url);
    fake.failNext(1, { status: 403 });
    await expect(send(client, 'x', new SendRateLimiter())).resolves.toMatchObject({ ok: false, outcome: 'stale', status: 403 });
    fake.failNext(1, { status: 404, code: 'ConversationNotFound' });
    await expect(send(client, 'x', new SendRateLimiter())).resolves.toMatchObject({ ok: false, outcome: 'stale', status: 404 });
    fake.failNext(1, { status: 400, code: 'BadArgument' });
    await expect(send(client, 'x', new SendRateLimiter())).resolves.toMatchObject({ ok: false, outcome: 'failed', code: 'BadArgument' });
  });

  it('hang → the attempt times out, is aborted and retried', async () => {
    const client = await connectorFor(fake.url);
    fake.failNext(1, { hang: true });
    const started = performance.now();
    const result = await send(client, 'slow network', new SendRateLimiter(), { attemptTimeoutMs: 200 });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(fake.requests.map((r) => r.fault)).toEqual(['hang', undefined]);
    expect(fake.delivered()).toHaveLength(1);
  });

  it('one 500 is retried and delivered once', async () => {
    const client = await connectorFor(fake.url);
    fake.failNext(1, { status: 500 }, { conversationId: CONVERSATION });
    await expect(send(client, 'server error once', new SendRateLimiter())).resolves.toMatchObject({ ok: true, attempts: 2 });
    expect(fake.requests.map((r) => r.status)).toEqual([500, 201]);
    expect(fake.delivered(CONVERSATION)).toHaveLength(1);
  });

  it("hang with unknownOutcome 'report': the request left (tracked in the pipeline), so it is ambiguous and not resent", async () => {
    const client = await connectorFor(fake.url);
    let markSent = (): boolean => true;
    expect(trackDispatch(client, () => markSent())).toBe(true);
    fake.failNext(1, { hang: true });
    const result = await sendWithRetry(
      CONVERSATION,
      (attempt) => {
        markSent = attempt.markSent;
        return client.conversations.sendToConversation(CONVERSATION, { type: 'message', text: 'maybe posted' }, { abortSignal: attempt.signal });
      },
      { limiter: new SendRateLimiter(), random: () => 0, attemptTimeoutMs: 200, unknownOutcome: 'report', tracksSending: true },
    );
    expect(result).toMatchObject({ ok: false, outcome: 'ambiguous', code: 'ETIMEDOUT', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('the dispatch tracker is called once per request that leaves, after the request is built', async () => {
    const client = await connectorFor(fake.url);
    let dispatched = 0;
    const count = (): void => {
      dispatched++;
    };
    expect(trackDispatch(client, count)).toBe(true);
    expect(trackDispatch(client, count)).toBe(true); // installing again replaces it
    await client.conversations.sendToConversation(CONVERSATION, { type: 'message', text: 'one' });
    expect(dispatched).toBe(1);
    expect(fake.delivered(CONVERSATION)).toHaveLength(1);
  });

  it('connection refused is a retryable network error', async () => {
    const closed = await FakeConnector.start();
    const url = closed.url;
    await closed.close();
    const client = await connectorFor(url);
    const result = await send(client, 'x', new SendRateLimiter(), {});
    expect(result).toMatchObject({ ok: false, outcome: 'failed', code: 'ECONNREFUSED', attempts: 6 });
  });

  it('real RestErrors have the shape extractHttpFailure expects', async () => {
    const client = await connectorFor(fake.url);
    const errorOf = async (): Promise<unknown> =>
      client.conversations.sendToConversation(CONVERSATION, { type: 'message' }).then(
        () => undefined,
        (e: unknown) => e,
      );
    fake.failNext(1, { status: 403, code: 'BotDisabledByAdmin' });
    expect(extractHttpFailure(await errorOf())).toEqual({ status: 403, code: 'BotDisabledByAdmin' });
    fake.failNext(1, { status: 429, retryAfter: '7' });
    expect(extractHttpFailure(await errorOf())).toEqual({ status: 429, retryAfter: '7' });
  });

  it('the limiter holds the per-conversation windows for a burst of real sends', async () => {
    const client = await connectorFor(fake.url);
    // Teams shape scaled down 10× so the test stays fast.
    const windows: Window[] = [
      { limit: 7, windowMs: 100 },
      { limit: 8, windowMs: 200 },
    ];
    // Grant times as the limiter saw them (its clock, read once per record()).
    const clock = { last: 0, now: (): number => (clock.last = performance.now()) };
    const limiter = new SendRateLimiter({ perConversation: windows, clock });
    const granted: number[] = [];
    const record = limiter.record.bind(limiter);
    limiter.record = (conversationId: string): void => {
      record(conversationId);
      granted.push(clock.last);
    };
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        sendWithRetry(
          CONVERSATION,
          ({ signal }) =>
            client.conversations.sendToConversation(CONVERSATION, { type: 'message', text: `m${i}` }, { abortSignal: signal }),
          { limiter },
        ),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.delivered(CONVERSATION)).toHaveLength(24);
    expect(granted).toHaveLength(24);
    for (const { limit, windowMs } of windows) expect(maxInWindow(granted, windowMs)).toBeLessThanOrEqual(limit);
    // Arrival times carry event-loop and network jitter, unbounded on a loaded machine (8 arrivals
    // were seen inside a 7-per-window span), so no window is checked server-side. What must hold
    // whatever the load: no request got past the limiter, i.e. the k-th arrival never precedes the
    // k-th grant (same clock, same process). That same jitter is why Teams can still answer 429
    // in production and it must be retried.
    const arrivals = fake.delivered(CONVERSATION).map((r) => r.at).sort((a, b) => a - b);
    const grants = [...granted].sort((a, b) => a - b);
    arrivals.forEach((at, k) => expect(at).toBeGreaterThanOrEqual(grants[k]));
  });
});

describe('ConnectorClient built-in retries (why disableBuiltInRetries exists)', () => {
  it('left enabled, the pipeline silently re-sends on 429 behind the limiter’s back', async () => {
    const client = await connectorFor(fake.url, { builtInRetries: true });
    fake.failNext(1, { status: 429, retryAfter: '0' });
    const limiter = new SendRateLimiter();
    const acquire = jest.spyOn(limiter, 'acquire');
    const result = await send(client, 'x', limiter);
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    expect(acquire).toHaveBeenCalledTimes(1);
    expect(fake.requests).toHaveLength(2); // two HTTP sends, one limiter slot
  });
});
