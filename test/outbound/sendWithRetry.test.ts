import { AbortError } from '@azure/abort-controller';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { HttpHeaders } from 'botbuilder-stdlib/lib/azureCoreHttpCompat';
import {
  disableBuiltInRetries,
  extractHttpFailure,
  sendWithRetry,
  type SendLimiter,
  type SendWithRetryOptions,
} from '../../bot/outbound/sendWithRetry';
import { STALE_CONVERSATION_NOT_FOUND } from './support';

const SECRET = 'Patient Dupont, CMD 12/03';

/** A RestError as @azure/core-client throws it for an HTTP error answer (botframework-connector 4.23). */
function coreClientError(status: number, body?: unknown, headers: Record<string, string> = {}): RestError {
  const bodyAsText = body === undefined ? '' : JSON.stringify(body);
  const request = createPipelineRequest({ url: 'https://smba.trafficmanager.net/emea/v3/conversations/x/activities' });
  const response = { status, headers: createHttpHeaders(headers), request, bodyAsText, parsedBody: body };
  const err = new RestError(bodyAsText, { statusCode: status, request, response });
  const inner = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (inner?.code) err.code = inner.code; // what core-client's deserializationPolicy does
  if (inner?.message) err.message = inner.message;
  return err;
}

/** A RestError as core-rest-pipeline's node HTTP client throws it for a socket error. */
function networkError(code: string): RestError {
  return new RestError(`connect ${code} 127.0.0.1:1`, {
    code,
    request: createPipelineRequest({ url: 'http://127.0.0.1:1' }),
  });
}

describe('extractHttpFailure', () => {
  it.each<[string, unknown, ReturnType<typeof extractHttpFailure>]>([
    [
      'core-client 403 with ErrorResponse body',
      coreClientError(403, { error: { code: 'ConversationNotFound', message: SECRET } }),
      { status: 403, code: 'ConversationNotFound' },
    ],
    [
      'core-client 429 with Retry-After',
      coreClientError(429, undefined, { 'Retry-After': '2' }),
      { status: 429, retryAfter: '2' },
    ],
    [
      'core-client 503 with an HTML body',
      coreClientError(503, '<html>Service Unavailable</html>', { 'retry-after': 'Mon, 10 Mar 2025 12:00:05 GMT' }),
      { status: 503, retryAfter: 'Mon, 10 Mar 2025 12:00:05 GMT' },
    ],
    ['core-rest-pipeline socket error', networkError('ECONNRESET'), { code: 'ECONNRESET' }],
    [
      'core-rest-pipeline generic send error',
      new RestError('boom', { code: RestError.REQUEST_SEND_ERROR }),
      { code: 'REQUEST_SEND_ERROR' },
    ],
    ['AbortError (timeout option / abort signal)', new AbortError('The operation was aborted.'), { code: 'ABORT_ERR' }],
    ['DOMException TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), { code: 'ETIMEDOUT' }],
    [
      'ms-rest-js / compat HttpHeaders + body',
      { statusCode: 404, response: { headers: new HttpHeaders({ 'Retry-After': '1' }) }, body: { error: { code: 'ConversationNotFound' } } },
      { status: 404, code: 'ConversationNotFound', retryAfter: '1' },
    ],
    [
      'axios-like plain headers + data',
      { response: { status: 503, headers: { 'Retry-After': '3' }, data: { error: { code: 'ServiceUnavailable' } } } },
      { status: 503, code: 'ServiceUnavailable', retryAfter: '3' },
    ],
    [
      'bodyAsText only',
      { statusCode: 403, response: { bodyAsText: '{"error":{"code":"BotDisabledByAdmin","message":"x"}}' } },
      { status: 403, code: 'BotDisabledByAdmin' },
    ],
    ['numeric header and array header', { status: 429, response: { headers: { 'retry-after': 5 } } }, { status: 429, retryAfter: '5' }],
    ['array header', { status: 429, response: { headers: { 'retry-after': ['7', '8'] } } }, { status: 429, retryAfter: '7' }],
    ['fetch/undici cause', new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), { code: 'ECONNREFUSED' }],
    ['string status', { statusCode: '502' }, { status: 502 }],
    ['nonsense status', { statusCode: 'abc', status: 42 }, {}],
    ['headers.get throws', { statusCode: 429, response: { headers: { get: () => { throw new Error('x'); } } } }, { status: 429 }],
    ['plain Error', new Error(SECRET), {}],
    ['null', null, {}],
    ['string', 'HTTP 500', {}],
    ['number', 500, {}],
    ['undefined', undefined, {}],
  ])('%s', (_name, err, expected) => {
    expect(extractHttpFailure(err)).toEqual(expected);
  });
});

/** Limiter double that records the order of events. */
function makeHarness(script: Array<() => unknown>): {
  events: string[];
  sleeps: number[];
  pauses: [string, number][];
  opts: SendWithRetryOptions;
  attempt: () => Promise<string>;
} {
  const events: string[] = [];
  const sleeps: number[] = [];
  const pauses: [string, number][] = [];
  const limiter: SendLimiter = {
    acquire: async (id) => void events.push(`acquire ${id}`),
    pause: (id, ms) => void pauses.push([id, ms]),
  };
  let i = 0;
  const attempt = async (): Promise<string> => {
    const step = script[Math.min(i++, script.length - 1)];
    events.push(`attempt ${i}`);
    return step() as string;
  };
  return {
    events,
    sleeps,
    pauses,
    attempt,
    opts: {
      limiter,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      now: () => Date.parse('2025-03-10T12:00:00Z'),
    },
  };
}

const ok = (v = 'sent') => (): string => v;
const fail = (err: unknown) => (): never => {
  throw err;
};

describe('sendWithRetry', () => {
  it('returns the value on first success after acquiring the limiter', async () => {
    const h = makeHarness([ok('activity-1')]);
    await expect(sendWithRetry('c1', h.attempt, h.opts)).resolves.toEqual({ ok: true, value: 'activity-1', attempts: 1 });
    expect(h.events).toEqual(['acquire c1', 'attempt 1']);
  });

  it('503 twice then success: acquires before every attempt, exponential backoff', async () => {
    const h = makeHarness([fail(coreClientError(503)), fail(coreClientError(503)), ok()]);
    const retries: unknown[] = [];
    const result = await sendWithRetry('c1', h.attempt, { ...h.opts, onRetry: (r) => retries.push(r) });
    expect(result).toEqual({ ok: true, value: 'sent', attempts: 3 });
    expect(h.events).toEqual(['acquire c1', 'attempt 1', 'acquire c1', 'attempt 2', 'acquire c1', 'attempt 3']);
    expect(h.sleeps).toEqual([250, 500]);
    expect(retries).toEqual([
      { conversationId: 'c1', attempt: 1, delayMs: 250, status: 503, code: undefined },
      { conversationId: 'c1', attempt: 2, delayMs: 500, status: 503, code: undefined },
    ]);
    expect(h.pauses).toEqual([]);
  });

  it('429 honours Retry-After and pauses the whole conversation in the limiter', async () => {
    const h = makeHarness([fail(coreClientError(429, undefined, { 'Retry-After': '2' })), ok()]);
    const result = await sendWithRetry('c1', h.attempt, h.opts);
    expect(result).toEqual({ ok: true, value: 'sent', attempts: 2 });
    expect(h.sleeps).toEqual([2000]);
    expect(h.pauses).toEqual([['c1', 2000]]);
  });

  it('network errors are retried', async () => {
    const h = makeHarness([fail(networkError('ECONNRESET')), fail(networkError('ETIMEDOUT')), ok()]);
    await expect(sendWithRetry('c1', h.attempt, h.opts)).resolves.toMatchObject({ ok: true, attempts: 3 });
  });

  it('403 → stale without retry, and no message text in the error', async () => {
    const h = makeHarness([fail(coreClientError(403, { error: { code: 'ConversationNotFound', message: SECRET } }))]);
    const result = await sendWithRetry('c1', h.attempt, h.opts);
    expect(result).toEqual(STALE_CONVERSATION_NOT_FOUND);
    expect(JSON.stringify(result)).not.toContain('Dupont');
    expect(h.sleeps).toEqual([]);
  });

  it('400 → failed immediately', async () => {
    const h = makeHarness([fail(coreClientError(400, { error: { code: 'BadArgument', message: SECRET } }))]);
    await expect(sendWithRetry('c1', h.attempt, h.opts)).resolves.toEqual({
      ok: false,
      outcome: 'failed',
      status: 400,
      code: 'BadArgument',
      error: 'HTTP 400 (BadArgument)',
      attempts: 1,
    });
  });

  it('non-HTTP errors fail without leaking their message', async () => {
    const h = makeHarness([fail(new TypeError(`Cannot read ${SECRET}`))]);
    const result = await sendWithRetry('c1', h.attempt, h.opts);
    expect(result).toEqual({ ok: false, outcome: 'failed', error: 'non-HTTP error (TypeError)', attempts: 1 });
  });

  it('gives up after maxAttempts (default 6)', async () => {
    const h = makeHarness([fail(coreClientError(502))]);
    const result = await sendWithRetry('c1', h.attempt, h.opts);
    expect(result).toEqual({ ok: false, outcome: 'failed', status: 502, error: 'HTTP 502; gave up after 6 attempts', attempts: 6 });
    expect(h.sleeps).toEqual([250, 500, 1000, 2000, 4000]);
    expect(h.events.filter((e) => e.startsWith('acquire'))).toHaveLength(6);
  });

  it('respects a custom maxAttempts and backoff', async () => {
    const h = makeHarness([fail(networkError('ECONNREFUSED'))]);
    const result = await sendWithRetry('c1', h.attempt, { ...h.opts, maxAttempts: 2, backoff: { baseMs: 10, maxMs: 15 } });
    expect(result).toMatchObject({ ok: false, outcome: 'failed', code: 'ECONNREFUSED', attempts: 2 });
    expect(h.sleeps).toEqual([5]);
  });

  it('gives up rather than wait longer than maxRetryDelayMs', async () => {
    const h = makeHarness([fail(coreClientError(429, undefined, { 'Retry-After': '3600' }))]);
    const result = await sendWithRetry('c1', h.attempt, h.opts);
    expect(result).toEqual({
      ok: false,
      outcome: 'failed',
      status: 429,
      error: 'HTTP 429; retry delay 3600000 ms exceeds limit',
      attempts: 1,
    });
    expect(h.sleeps).toEqual([]);
    expect(h.pauses).toEqual([['c1', 3_600_000]]); // other senders still honour the 429
  });

  it('times out a hanging attempt, aborts its signal and retries', async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const result = await sendWithRetry(
      'c1',
      ({ attempt, signal }) => {
        calls++;
        signals.push(signal);
        if (attempt === 1) return new Promise<string>(() => undefined); // never settles
        return Promise.resolve('late but fine');
      },
      { limiter: { acquire: async () => undefined }, attemptTimeoutMs: 30, sleep: async () => undefined },
    );
    expect(result).toEqual({ ok: true, value: 'late but fine', attempts: 2 });
    expect(calls).toBe(2);
    expect(signals[0].aborted).toBe(true);
    expect(signals[1].aborted).toBe(false);
  });

  it('a hanging attempt that rejects after its timeout causes no unhandled rejection', async () => {
    const result = await sendWithRetry(
      'c1',
      ({ signal }) =>
        new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(new AbortError('aborted')))),
      { limiter: { acquire: async () => undefined }, attemptTimeoutMs: 10, maxAttempts: 2, sleep: async () => undefined },
    );
    expect(result).toEqual({ ok: false, outcome: 'failed', code: 'ETIMEDOUT', error: 'network error ETIMEDOUT; gave up after 2 attempts', attempts: 2 });
  });

  it('one 500 is retried and the send succeeds (it used to fail at once)', async () => {
    const h = makeHarness([fail(coreClientError(500, { error: { code: 'InternalServerError', message: SECRET } })), ok()]);
    await expect(sendWithRetry('c1', h.attempt, h.opts)).resolves.toEqual({ ok: true, value: 'sent', attempts: 2 });
    expect(h.sleeps).toEqual([250]);
  });

  it("unknownOutcome 'report': a reset after sending stops at once as ambiguous, without message text", async () => {
    const h = makeHarness([fail(networkError('ECONNRESET')), ok()]);
    const result = await sendWithRetry('c1', h.attempt, { ...h.opts, unknownOutcome: 'report' });
    expect(result).toEqual({ ok: false, outcome: 'ambiguous', code: 'ECONNRESET', error: 'network error ECONNRESET after the request was sent', attempts: 1 });
    expect(h.sleeps).toEqual([]);
  });

  it("unknownOutcome 'report': a timed-out attempt that had sent its request is ambiguous, not resent", async () => {
    let calls = 0;
    const result = await sendWithRetry(
      'c1',
      ({ markSent }) => {
        calls++;
        markSent();
        return new Promise<string>(() => undefined);
      },
      { limiter: { acquire: async () => undefined }, attemptTimeoutMs: 20, sleep: async () => undefined, unknownOutcome: 'report', tracksSending: true },
    );
    expect(result).toMatchObject({ ok: false, outcome: 'ambiguous', code: 'ETIMEDOUT', attempts: 1 });
    expect(calls).toBe(1);
  });

  it("unknownOutcome 'report': a timeout before the request left (token fetch) is retried", async () => {
    const result = await sendWithRetry(
      'c1',
      ({ attempt, markSent }) => {
        if (attempt === 1) return new Promise<string>(() => undefined); // never reaches markSent
        markSent();
        return Promise.resolve('sent on the second attempt');
      },
      { limiter: { acquire: async () => undefined }, attemptTimeoutMs: 20, sleep: async () => undefined, unknownOutcome: 'report', tracksSending: true },
    );
    expect(result).toEqual({ ok: true, value: 'sent on the second attempt', attempts: 2 });
  });

  it('a request that reaches its dispatch after its attempt timed out never leaves (the retry is then the only send)', async () => {
    const left: number[] = [];
    let release!: () => void;
    const late = new Promise<void>((resolve) => (release = resolve));
    const result = await sendWithRetry(
      'c1',
      async ({ attempt, markSent }) => {
        if (attempt === 1) {
          await late; // starved until after the timeout
          if (markSent()) left.push(attempt);
          return 'late';
        }
        if (markSent()) left.push(attempt);
        return 'sent';
      },
      { limiter: { acquire: async () => undefined }, attemptTimeoutMs: 20, sleep: async () => release(), unknownOutcome: 'report', tracksSending: true },
    );
    await late;
    await new Promise((r) => setImmediate(r));
    expect(result).toEqual({ ok: true, value: 'sent', attempts: 2 });
    expect(left).toEqual([2]);
  });

  it("unknownOutcome 'report' still retries 5xx, 429 and errors before sending", async () => {
    const h = makeHarness([fail(coreClientError(500)), fail(coreClientError(429)), fail(networkError('ECONNREFUSED')), ok()]);
    await expect(sendWithRetry('c1', h.attempt, { ...h.opts, unknownOutcome: 'report' })).resolves.toMatchObject({ ok: true, attempts: 4 });
  });

  it('a limiter failure propagates (it is a bug, not a send outcome)', async () => {
    await expect(
      sendWithRetry('c1', async () => 'x', { limiter: { acquire: () => Promise.reject(new Error('limiter down')) } }),
    ).rejects.toThrow('limiter down');
  });
});

describe('disableBuiltInRetries', () => {
  it('removes a pipeline policy named defaultRetryPolicy, duck-typed', () => {
    const removePolicy = jest.fn((o: { name: string }) => (o.name === 'defaultRetryPolicy' ? [{ name: o.name }] : []));
    expect(disableBuiltInRetries({ client: { pipeline: { removePolicy } } })).toBe(true);
    expect(removePolicy).toHaveBeenCalledWith({ name: 'defaultRetryPolicy' });
  });

  it.each([[null], [{}], [{ client: {} }], [{ client: { pipeline: {} } }]])('returns false for %j', (c) => {
    expect(disableBuiltInRetries(c)).toBe(false);
  });
});
