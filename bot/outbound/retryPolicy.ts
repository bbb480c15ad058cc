/**
 * Classifies a failed Bot Connector send: retry (transient), stale (the stored conversation
 * reference is dead: bot removed, blocked or disabled), ambiguous (the request may have been
 * posted: resending could double it) or fail (our fault / permanent). The policy is described
 * in docs/outbound.md. Pure: callers pass the clock and random source.
 */

export type SendFailureDecision = { action: 'retry'; delayMs: number } | { action: 'stale' } | { action: 'ambiguous' } | { action: 'fail' };

/**
 * What to do when the outcome of a send is unknown (timed out or cut after the request left):
 * 'retry' resends (at-least-once, may double the message), 'report' stops and returns
 * 'ambiguous' so the caller can show it to a person instead.
 */
export type UnknownOutcomePolicy = 'retry' | 'report';

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
  /** Default 'retry'. */
  unknownOutcome?: UnknownOutcomePolicy;
  /**
   * false when the caller knows the request never left (e.g. it failed while fetching a token):
   * then even a timeout is safe to retry. Default true (unknown counts as sent).
   */
  requestSent?: boolean;
}

/**
 * Transient HTTP statuses: the service answered, so it did not post the activity. Every 5xx
 * but 501/505 (the server will never support the request); 408 and 412 (Teams' concurrent-update
 * answer) too. A 500 used to fail at once and lost reminders.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 412 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * Transport errors that happen before the request is written (no connection, no DNS):
 * nothing reached Teams, resending is safe.
 */
const PRE_SEND_NETWORK_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Transport errors that can happen after the request was written (Node/libuv, undici, and
 * core-rest-pipeline's generic REQUEST_SEND_ERROR): Teams may have posted the activity.
 * Anything else without a status is a bug, not a blip.
 */
const UNKNOWN_OUTCOME_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'UND_ERR_SOCKET',
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
    const upper = code?.toUpperCase();
    if (upper === undefined) return { action: 'fail' };
    if (PRE_SEND_NETWORK_CODES.has(upper)) return retry();
    if (!UNKNOWN_OUTCOME_NETWORK_CODES.has(upper)) return { action: 'fail' };
    if (opts.requestSent === false || (opts.unknownOutcome ?? 'retry') === 'retry') return retry();
    return { action: 'ambiguous' };
  }
  if (isRetryableStatus(status)) return retry();
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
