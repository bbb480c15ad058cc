import { backoffDelay, classifySendFailure, isRetryableStatus, parseRetryAfter } from '../../bot/outbound/retryPolicy';

const NOW = Date.parse('2025-03-10T12:00:00Z');

describe('backoffDelay (exponential, full jitter)', () => {
  it.each([
    // attempt, jitter, expected (base 500, max 30000)
    [0, 0, 0],
    [0, 0.999999, 499],
    [0, 0.5, 250],
    [1, 0.5, 500],
    [2, 0.5, 1000],
    [5, 0.5, 8000],
    [6, 0.5, 15000],
    [7, 0.5, 15000], // capped at maxMs 30000 * 0.5
    [100, 0.999999, 29999],
    [-3, 0.5, 250], // negative attempts behave like 0
  ])('attempt %d, jitter %d → %d ms', (attempt, r, expected) => {
    expect(backoffDelay(attempt, { jitter: () => r })).toBe(expected);
  });

  it('honours custom base and cap and clamps a bad jitter source', () => {
    expect(backoffDelay(3, { baseMs: 10, maxMs: 50, jitter: () => 0.5 })).toBe(25);
    expect(backoffDelay(0, { jitter: () => 7 })).toBe(500);
    expect(backoffDelay(0, { jitter: () => -1 })).toBe(0);
  });

  it('stays within [0, cap) with the default random source', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(4000);
    }
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['0', 0],
    ['1', 1000],
    [' 2 ', 2000],
    ['1.5', 1500],
    ['120', 120000],
    ['-1', undefined],
    ['soon', undefined],
    ['Mon, 10 Mar 2025 12:00:05 GMT', 5000],
    ['Mon, 10 Mar 2025 11:59:00 GMT', 0], // in the past
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('classifySendFailure', () => {
  const opts = { attempt: 0, jitter: () => 0.5, now: NOW }; // backoff = 250 ms

  it.each<[number | undefined, string | undefined, string | undefined, ReturnType<typeof classifySendFailure>]>([
    // Transient HTTP statuses
    [429, undefined, undefined, { action: 'retry', delayMs: 250 }],
    [412, 'PreconditionFailed', undefined, { action: 'retry', delayMs: 250 }],
    [502, undefined, undefined, { action: 'retry', delayMs: 250 }],
    [503, 'ServiceUnavailable', undefined, { action: 'retry', delayMs: 250 }],
    [504, undefined, undefined, { action: 'retry', delayMs: 250 }],
    [408, undefined, undefined, { action: 'retry', delayMs: 250 }],
    // One 500 used to fail the send at once (and lose the reminder): every 5xx but 501/505 is retried
    [500, 'InternalServerError', undefined, { action: 'retry', delayMs: 250 }],
    [500, undefined, undefined, { action: 'retry', delayMs: 250 }],
    [507, undefined, undefined, { action: 'retry', delayMs: 250 }],
    // Retry-After is a floor: never undercut, the larger of the two wins
    [429, undefined, '1', { action: 'retry', delayMs: 1000 }],
    [429, undefined, '0', { action: 'retry', delayMs: 250 }],
    [503, undefined, '3', { action: 'retry', delayMs: 3000 }],
    [429, undefined, 'Mon, 10 Mar 2025 12:00:10 GMT', { action: 'retry', delayMs: 10000 }],
    [429, undefined, 'garbage', { action: 'retry', delayMs: 250 }],
    // Network errors (no status)
    [undefined, 'ECONNRESET', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'ETIMEDOUT', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'ECONNREFUSED', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'econnreset', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'UND_ERR_SOCKET', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'REQUEST_SEND_ERROR', undefined, { action: 'retry', delayMs: 250 }],
    [0, 'ECONNRESET', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, undefined, undefined, { action: 'fail' }],
    [undefined, 'ABORT_ERR', undefined, { action: 'fail' }], // a caller's own cancellation
    [undefined, 'ERR_INVALID_ARG_TYPE', undefined, { action: 'fail' }],
    // Stale conversation references
    [403, undefined, undefined, { action: 'stale' }],
    [403, 'BotNotInConversationRoster', undefined, { action: 'stale' }],
    [403, 'BotDisabledByAdmin', undefined, { action: 'stale' }],
    [403, 'ConversationBlockedByUser', undefined, { action: 'stale' }],
    [403, 'ForbiddenOperationException', undefined, { action: 'stale' }],
    [403, 'ConversationNotFound', undefined, { action: 'stale' }],
    [404, 'ConversationNotFound', undefined, { action: 'stale' }],
    [404, 'conversationnotfound', undefined, { action: 'stale' }],
    [404, 'BotNotInConversationRoster', undefined, { action: 'stale' }],
    // 403s that are our configuration, not a dead conversation
    [403, 'InvalidBotApiHost', undefined, { action: 'fail' }],
    [403, 'NotEnoughPermissions', undefined, { action: 'fail' }],
    // Other client errors
    [404, undefined, undefined, { action: 'fail' }],
    [404, 'ActivityNotInConversation', undefined, { action: 'fail' }],
    [400, 'BadArgument', undefined, { action: 'fail' }],
    [401, undefined, undefined, { action: 'fail' }],
    [413, 'MessageSizeTooBig', undefined, { action: 'fail' }],
    [501, undefined, undefined, { action: 'fail' }],
    [505, undefined, undefined, { action: 'fail' }],
  ])('status %j code %j retry-after %j → %j', (status, code, retryAfter, expected) => {
    expect(classifySendFailure(status, code, retryAfter, opts)).toEqual(expected);
  });

  it.each<[number | undefined, string | undefined, boolean | undefined, ReturnType<typeof classifySendFailure>]>([
    // Outcome unknown (the request may have been posted): reported, never resent
    [undefined, 'ETIMEDOUT', undefined, { action: 'ambiguous' }],
    [undefined, 'ECONNRESET', undefined, { action: 'ambiguous' }],
    [undefined, 'EPIPE', undefined, { action: 'ambiguous' }],
    [undefined, 'UND_ERR_SOCKET', undefined, { action: 'ambiguous' }],
    [undefined, 'UND_ERR_HEADERS_TIMEOUT', undefined, { action: 'ambiguous' }],
    [undefined, 'REQUEST_SEND_ERROR', undefined, { action: 'ambiguous' }],
    [undefined, 'ETIMEDOUT', true, { action: 'ambiguous' }],
    // Known not sent (e.g. timed out while fetching a token): safe to retry
    [undefined, 'ETIMEDOUT', false, { action: 'retry', delayMs: 250 }],
    [undefined, 'ECONNRESET', false, { action: 'retry', delayMs: 250 }],
    // Failed before the request was written: retried whatever the policy
    [undefined, 'ECONNREFUSED', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'ENOTFOUND', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'EAI_AGAIN', undefined, { action: 'retry', delayMs: 250 }],
    [undefined, 'UND_ERR_CONNECT_TIMEOUT', undefined, { action: 'retry', delayMs: 250 }],
    // The service answered: the status decides
    [500, 'ETIMEDOUT', undefined, { action: 'retry', delayMs: 250 }],
    [429, undefined, undefined, { action: 'retry', delayMs: 250 }],
    [400, undefined, undefined, { action: 'fail' }],
    [undefined, 'ABORT_ERR', undefined, { action: 'fail' }],
  ])("unknownOutcome 'report': status %j code %j sent %j → %j", (status, code, requestSent, expected) => {
    expect(classifySendFailure(status, code, undefined, { ...opts, unknownOutcome: 'report', requestSent })).toEqual(expected);
  });

  it.each([408, 412, 429, 500, 502, 503, 504, 599])('status %d is retryable', (s) => expect(isRetryableStatus(s)).toBe(true));
  it.each([200, 400, 401, 403, 404, 409, 413, 501, 505])('status %d is not retryable', (s) => expect(isRetryableStatus(s)).toBe(false));

  it('grows the backoff with the attempt number', () => {
    const delays = [0, 1, 2, 3].map((attempt) => {
      const d = classifySendFailure(503, undefined, undefined, { attempt, jitter: () => 0.5 });
      return d.action === 'retry' ? d.delayMs : NaN;
    });
    expect(delays).toEqual([250, 500, 1000, 2000]);
  });

  it('defaults: attempt 0, real clock for HTTP dates', () => {
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    const d = classifySendFailure(429, undefined, inTwoSeconds);
    expect(d.action).toBe('retry');
    if (d.action === 'retry') {
      expect(d.delayMs).toBeGreaterThan(500);
      expect(d.delayMs).toBeLessThanOrEqual(2000);
    }
  });
});
