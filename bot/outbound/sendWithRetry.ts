/**
 * The single retry loop for outbound Bot Connector calls: rate-limit, attempt, classify,
 * back off. Generic over the attempt so it has no botbuilder dependency; the connector
 * error shapes it understands are described in `extractHttpFailure`.
 *
 * A timed-out or reset request may already have been posted by Teams (the Bot Connector has no
 * idempotency key): with `unknownOutcome: 'retry'` (default) it is resent, at-least-once; with
 * 'report' the loop stops and returns 'ambiguous' for a person to see (docs/outbound.md).
 */
import { classifySendFailure, type BackoffOptions, type UnknownOutcomePolicy } from './retryPolicy';

export interface HttpFailure {
  status?: number;
  code?: string;
  retryAfter?: string;
}

/** What sendWithRetry needs from the limiter (SendRateLimiter fits). */
export interface SendLimiter {
  acquire(conversationId: string): Promise<void>;
  /** Optional: lets a 429 hold back every sender of that conversation. */
  pause?(conversationId: string, ms: number): void;
}

export interface AttemptContext {
  /** 1-based attempt number. */
  attempt: number;
  /** Aborted when `attemptTimeoutMs` elapses: pass it on (ConnectorClient options `abortSignal`). */
  signal: AbortSignal;
  /**
   * Call when the request is about to leave for the network (see trackDispatch); only read with
   * `tracksSending`. False: the attempt was already given up (timed out), the request must not leave.
   */
  markSent(): boolean;
}

export interface RetryInfo {
  conversationId: string;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  delayMs: number;
  status?: number;
  code?: string;
}

export interface SendWithRetryOptions {
  limiter: SendLimiter;
  /** Total attempts including the first. Default 6. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1) source for the backoff jitter. Default Math.random. */
  random?: () => number;
  /** Wall clock for HTTP-date Retry-After. Default Date.now. */
  now?: () => number;
  backoff?: Pick<BackoffOptions, 'baseMs' | 'maxMs'>;
  /** Per-attempt timeout (real timers): the attempt's signal is aborted and it counts as ETIMEDOUT. */
  attemptTimeoutMs?: number;
  /**
   * Give up instead of waiting longer than this between attempts (e.g. a huge Retry-After):
   * the caller (a job) can reschedule rather than hold the message in memory. Default 120 s.
   */
  maxRetryDelayMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** A send whose outcome is unknown: resend ('retry', default) or stop with 'ambiguous' ('report'). */
  unknownOutcome?: UnknownOutcomePolicy;
  /**
   * The attempt calls `markSent()` when its request leaves (trackDispatch): a failure before
   * that (token fetch, timeout while queued) is retried even under 'report'. Without it every
   * failed attempt is assumed to have been sent.
   */
  tracksSending?: boolean;
}

export type SendResult<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; outcome: 'stale' | 'failed' | 'ambiguous'; status?: number; code?: string; error: string; attempts: number };

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function asStatus(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function asCode(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' && v.length <= 100 ? v.trim() : undefined;
}

/** Header lookup across core-rest-pipeline HttpHeaders / fetch Headers (get) and plain objects. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  let raw: unknown;
  if (typeof headers.get === 'function') {
    try {
      raw = (headers.get as (n: string) => unknown).call(headers, name);
    } catch {
      raw = undefined;
    }
  } else {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    raw = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(raw)) raw = raw[0];
  if (typeof raw === 'number') raw = String(raw);
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

/** `{ error: { code } }` (Bot Framework ErrorResponse) from an object or JSON text. */
function bodyErrorCode(body: unknown): string | undefined {
  if (typeof body === 'string') {
    if (body.length > 64_000) return undefined;
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (!isObject(body)) return undefined;
  return isObject(body.error) ? asCode(body.error.code) : undefined;
}

/**
 * Normalises what a failed connector call threw. botframework-connector 4.23 runs on
 * @azure/core-client + core-rest-pipeline, whose RestError carries `statusCode`, `code`
 * (the body's error.code, or a system code such as ECONNRESET, or REQUEST_SEND_ERROR) and
 * `response` ({ status, headers: HttpHeaders with get(), bodyAsText, parsedBody }).
 * Timeouts/aborts surface as `AbortError` without a code. Older ms-rest-js / axios / fetch
 * shapes (`status`, plain-object headers, `body`, `cause.code`) are accepted too.
 */
export function extractHttpFailure(err: unknown): HttpFailure {
  if (!isObject(err)) return {};
  const response = isObject(err.response) ? err.response : undefined;
  const status = asStatus(err.statusCode) ?? asStatus(err.status) ?? asStatus(response?.status) ?? asStatus(response?.statusCode);

  const code =
    bodyErrorCode(response?.parsedBody) ??
    bodyErrorCode(err.details) ??
    bodyErrorCode(err.body) ??
    bodyErrorCode(response?.data) ??
    bodyErrorCode(response?.body) ??
    bodyErrorCode(response?.bodyAsText) ??
    asCode(err.code) ??
    (isObject(err.cause) ? asCode(err.cause.code) : undefined) ??
    (err.name === 'TimeoutError' ? 'ETIMEDOUT' : err.name === 'AbortError' ? 'ABORT_ERR' : undefined);

  const retryAfter = headerValue(response?.headers, 'retry-after') ?? headerValue(err.headers, 'retry-after');

  const failure: HttpFailure = {};
  if (status !== undefined) failure.status = status;
  if (code !== undefined) failure.code = code;
  if (retryAfter !== undefined) failure.retryAfter = retryAfter;
  return failure;
}

/** Error text built from status/code only: exception messages may echo the activity (patient data). */
function describe(failure: HttpFailure, err: unknown): string {
  if (failure.status !== undefined) return `HTTP ${failure.status}${failure.code ? ` (${failure.code})` : ''}`;
  if (failure.code !== undefined) return `network error ${failure.code}`;
  const name = isObject(err) && typeof err.name === 'string' ? err.name : typeof err;
  return `non-HTTP error (${name.slice(0, 60)})`;
}

class AttemptTimeout {
  constructor(readonly timeoutMs: number) {}
}

async function runAttempt<T>(
  attemptFn: (ctx: AttemptContext) => Promise<T>,
  attempt: number,
  timeoutMs: number | undefined,
  markSent: () => void,
): Promise<T> {
  const controller = new AbortController();
  // Once timed out, the attempt counts as "not sent" and is retried: its request must then never
  // leave (a starved event loop can reach the dispatch after the timer fired), or it would be a
  // second send after an unknown outcome.
  let givenUp = false;
  const gate = (): boolean => {
    if (givenUp) return false;
    markSent();
    return true;
  };
  if (timeoutMs === undefined) return attemptFn({ attempt, signal: controller.signal, markSent: gate });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      givenUp = true;
      reject(new AttemptTimeout(timeoutMs));
      controller.abort();
    }, timeoutMs);
  });
  const call = Promise.resolve().then(() => attemptFn({ attempt, signal: controller.signal, markSent: gate }));
  call.catch(() => undefined); // a late rejection after the timeout must not be unhandled
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function sendWithRetry<T>(
  conversationId: string,
  attemptFn: (ctx: AttemptContext) => Promise<T>,
  opts: SendWithRetryOptions,
): Promise<SendResult<T>> {
  const maxAttempts = Math.max(1, Math.floor(opts.maxAttempts ?? 6));
  const sleep = opts.sleep ?? realSleep;
  const maxRetryDelayMs = opts.maxRetryDelayMs ?? 120_000;

  for (let attempt = 1; ; attempt++) {
    await opts.limiter.acquire(conversationId);
    let failure: HttpFailure;
    let error: unknown;
    let sent = false;
    try {
      const value = await runAttempt(attemptFn, attempt, opts.attemptTimeoutMs, () => {
        sent = true;
      });
      return { ok: true, value, attempts: attempt };
    } catch (err) {
      error = err;
      failure = err instanceof AttemptTimeout ? { code: 'ETIMEDOUT' } : extractHttpFailure(err);
    }

    const decision = classifySendFailure(failure.status, failure.code, failure.retryAfter, {
      attempt: attempt - 1,
      now: opts.now?.(),
      jitter: opts.random,
      baseMs: opts.backoff?.baseMs,
      maxMs: opts.backoff?.maxMs,
      unknownOutcome: opts.unknownOutcome,
      requestSent: opts.tracksSending ? sent : true,
    });
    const base = {
      ok: false as const,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.code !== undefined ? { code: failure.code } : {}),
      attempts: attempt,
    };
    if (decision.action === 'stale') return { ...base, outcome: 'stale', error: describe(failure, error) };
    if (decision.action === 'fail') return { ...base, outcome: 'failed', error: describe(failure, error) };
    if (decision.action === 'ambiguous') return { ...base, outcome: 'ambiguous', error: `${describe(failure, error)} after the request was sent` };
    // Even when giving up below, other senders to this conversation should respect the 429.
    if (failure.status === 429) opts.limiter.pause?.(conversationId, decision.delayMs);
    if (attempt >= maxAttempts) {
      return { ...base, outcome: 'failed', error: `${describe(failure, error)}; gave up after ${attempt} attempts` };
    }
    if (decision.delayMs > maxRetryDelayMs) {
      return { ...base, outcome: 'failed', error: `${describe(failure, error)}; retry delay ${decision.delayMs} ms exceeds limit` };
    }

    opts.onRetry?.({ conversationId, attempt, delayMs: decision.delayMs, status: failure.status, code: failure.code });
    await sleep(decision.delayMs);
  }
}

/**
 * ConnectorClient's core-client pipeline has its own `defaultRetryPolicy` (up to 3 silent
 * retries on 429/503 with Retry-After, 5xx/408 and socket errors). Those retries bypass the
 * rate limiter and multiply with ours, and ServiceClientContext ignores `noRetryPolicy`, so
 * clients used with `sendWithRetry` should have it removed. Duck-typed (the pipeline sits
 * behind a TS-private field); returns whether a policy was removed.
 */
export function disableBuiltInRetries(connectorClient: unknown): boolean {
  if (!isObject(connectorClient) || !isObject(connectorClient.client)) return false;
  const pipeline = connectorClient.client.pipeline;
  if (!isObject(pipeline) || typeof pipeline.removePolicy !== 'function') return false;
  const removed: unknown = (pipeline.removePolicy as (o: { name: string }) => unknown).call(pipeline, {
    name: 'defaultRetryPolicy',
  });
  return Array.isArray(removed) && removed.length > 0;
}

/**
 * Adds a last pipeline policy (after signing, right before the HTTP client) that calls
 * `onDispatch` each time a request leaves: with it a failure before that point is known to be
 * safe to retry. Duck-typed like disableBuiltInRetries; returns whether it was installed.
 */
export function trackDispatch(connectorClient: unknown, onDispatch: () => boolean | void): boolean {
  if (!isObject(connectorClient) || !isObject(connectorClient.client)) return false;
  const pipeline = connectorClient.client.pipeline;
  if (!isObject(pipeline) || typeof pipeline.addPolicy !== 'function' || typeof pipeline.getOrderedPolicies !== 'function') return false;
  const name = 'outboundDispatchTracker';
  const policies = (pipeline.getOrderedPolicies as () => unknown).call(pipeline);
  if (Array.isArray(policies) && policies.some((p) => isObject(p) && p.name === name)) {
    (pipeline.removePolicy as (o: { name: string }) => unknown).call(pipeline, { name });
  }
  try {
    (pipeline.addPolicy as (p: unknown, o: unknown) => void).call(
      pipeline,
      {
        name,
        sendRequest: (request: unknown, next: (r: unknown) => Promise<unknown>) => {
          if (onDispatch() === false) return Promise.reject(Object.assign(new Error('attempt given up before its request left'), { name: 'AbortError' }));
          return next(request);
        },
      },
      { afterPhase: 'Sign' },
    );
    return true;
  } catch {
    return false;
  }
}
