/**
 * Classifies a failed Bot Connector send: retry (transient), stale (the stored conversation
 * reference is dead: bot removed, blocked or disabled) or fail (our fault / permanent).
 * Pure: callers pass the clock and random source.
 */

export type SendFailureDecision = { action: 'retry'; delayMs: number } | { action: 'stale' } | { action: 'fail' };

export interface BackoffOptions {
  /** Delay cap for attempt 0. Default 500 ms. */
  baseMs?: number;
  /** Upper bound of the exponential cap. Default 30 s. */
  maxMs?: number;
  /** Uniform [0, 1) source; injectable for tests. Default Math.random. */
  jitter?: () => number;
}

export interface ClassifyOptions extends BackoffOptions {
  /** 0-based index of the attempt that just failed (drives the backoff). Default 0. */
  attempt?: number;
  /** Wall-clock now in ms, to resolve an HTTP-date Retry-After. Default Date.now(). */
  now?: number;
}

/** Transient HTTP statuses (408 added: a request timeout is as transient as a 504). */
const RETRYABLE_STATUSES = new Set([408, 412, 429, 502, 503, 504]);

/**
 * Transport-level error codes worth retrying (Node/libuv, undici, and core-rest-pipeline's
 * generic REQUEST_SEND_ERROR). Anything else without a status is a bug, not a blip.
 */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'REQUEST_SEND_ERROR',
]);

/** Teams/Bot Connector error codes meaning "this conversation reference is no longer usable". */
const STALE_CODES = new Set(
  [
    'ConversationNotFound',
    'BotNotInConversationRoster',
    'BotDisabledByAdmin',
    'ConversationBlockedByUser',
    'ForbiddenOperationException', // bot not installed in the user's personal scope
    'UserNotFound',
  ].map((c) => c.toLowerCase()),
);

/**
 * 403 codes that are configuration problems on our side, not a dead conversation: marking
 * the reference stale would wrongly drop every reference at once.
 */
const CONFIG_403_CODES = new Set(['InvalidBotApiHost', 'NotEnoughPermissions'].map((c) => c.toLowerCase()));

/** Exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs * 2^attempt)). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const baseMs = opts.baseMs ?? 500;
  const maxMs = opts.maxMs ?? 30_000;
  const jitter = opts.jitter ?? Math.random;
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = Math.min(Math.max(jitter(), 0), 1);
  return Math.floor(r * cap);
}

/**
 * Parses Retry-After (delta-seconds or HTTP-date) into ms; undefined if absent/invalid.
 * Decimal seconds are tolerated; dates in the past give 0.
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  if (/^-/.test(value)) return undefined;
  const date = Date.parse(value);
  if (!Number.isFinite(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Decision: retry delay = max(Retry-After, jittered backoff). Retry-After is a floor the
 * service asked for and must never be undercut; the backoff still grows across attempts so
 * a service that keeps saying "Retry-After: 0" is not hammered.
 */
export function classifySendFailure(
  status: number | undefined,
  errorCode?: string,
  retryAfterHeader?: string,
  opts: ClassifyOptions = {},
): SendFailureDecision {
  const code = errorCode?.trim();
  const lowerCode = code?.toLowerCase();
  const retry = (): SendFailureDecision => {
    const backoff = backoffDelay(opts.attempt ?? 0, opts);
    const retryAfter = parseRetryAfter(retryAfterHeader, opts.now ?? Date.now()) ?? 0;
    return { action: 'retry', delayMs: Math.max(retryAfter, backoff) };
  };

  if (status === undefined || status === 0) {
    return code !== undefined && RETRYABLE_NETWORK_CODES.has(code.toUpperCase()) ? retry() : { action: 'fail' };
  }
  if (RETRYABLE_STATUSES.has(status)) return retry();
  if (status === 403) {
    // Teams answers 403 when the bot was removed/blocked/disabled; only known config codes are ours.
    return lowerCode !== undefined && CONFIG_403_CODES.has(lowerCode) ? { action: 'fail' } : { action: 'stale' };
  }
  if (status === 404 || status === 410) {
    // A bare 404 can be a missing activity (update/delete) or a bad URL: only the codes say "stale".
    return lowerCode !== undefined && STALE_CODES.has(lowerCode) ? { action: 'stale' } : { action: 'fail' };
  }
  return { action: 'fail' };
}
