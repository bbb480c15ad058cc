/**
 * Sliding-window send limiter for proactive Teams messages.
 *
 * Pure (no I/O imports) with an injectable clock and sleeper so the window maths can be
 * tested exactly with a fake clock.
 *
 * Semantics: a window `{ limit, windowMs }` allows a send at time t iff fewer than `limit`
 * sends were recorded in the half-open interval (t - windowMs, t]. All per-conversation
 * windows and all global (per bot) windows must hold at the same time.
 *
 * Concurrency: `acquire` never reserves slots in the future. Waiters queue FIFO per
 * conversation; a single scheduler grants them synchronously (check + record in the same
 * tick, so Node's single thread makes it race-free). Reserving future slots would either
 * break the sliding-window check (non-monotonic timestamps) or let one throttled
 * conversation block every other one behind the global window.
 */

export interface Window {
  /** Max sends inside any `windowMs` sliding window. */
  limit: number;
  windowMs: number;
}

export interface Clock {
  /** Milliseconds from a monotonic origin (performance.now() by default: wall-clock jumps must not open windows). */
  now(): number;
}

export type Sleeper = (ms: number) => Promise<void>;

/** Teams per-conversation limits for bot sends (all must hold). */
export const TEAMS_PER_CONVERSATION_WINDOWS: readonly Window[] = Object.freeze([
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
]);

/** Default global (all conversations of this bot) rate. */
export const DEFAULT_GLOBAL_WINDOWS: readonly Window[] = Object.freeze([{ limit: 30, windowMs: 1_000 }]);

export interface SendRateLimiterOptions {
  perConversation?: readonly Window[];
  global?: readonly Window[];
  clock?: Clock;
  sleep?: Sleeper;
  /** How often (ms of clock time) idle conversations are swept from memory. Default 60 s. */
  sweepIntervalMs?: number;
}

/** Timestamps of one key (a conversation, or the global bucket), ascending. */
interface Track {
  times: number[];
  /** Set by `pause` (e.g. after a 429): no send before this time. */
  pausedUntil: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

const realClock: Clock = { now: () => performance.now() };
const realSleep: Sleeper = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function validateWindows(windows: readonly Window[], label: string): Window[] {
  return windows.map((w) => {
    if (!Number.isInteger(w.limit) || w.limit < 1 || !(w.windowMs > 0) || !Number.isFinite(w.windowMs)) {
      throw new RangeError(`Invalid ${label} window ${JSON.stringify(w)}`);
    }
    return { limit: w.limit, windowMs: w.windowMs };
  });
}

/** Index of the first element > x in an ascending array (binary search). */
function firstAfter(times: readonly number[], x: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** ms until `windows` allow one more send at `now`, given ascending timestamps. */
function windowDelay(times: readonly number[], windows: readonly Window[], now: number): number {
  let delay = 0;
  for (const { limit, windowMs } of windows) {
    const start = firstAfter(times, now - windowMs);
    const inWindow = times.length - start;
    if (inWindow >= limit) {
      // The (inWindow - limit + 1)-th oldest in-window send must leave the window; it
      // leaves exactly at its timestamp + windowMs (interval is open on the left).
      delay = Math.max(delay, times[start + inWindow - limit] + windowMs - now);
    }
  }
  return delay;
}

export class SendRateLimiter {
  private readonly perConversation: Window[];
  private readonly global: Window[];
  private readonly clock: Clock;
  private readonly sleep: Sleeper;
  private readonly maxConversationWindowMs: number;
  private readonly maxGlobalWindowMs: number;
  private readonly sweepIntervalMs: number;
  private readonly conversations = new Map<string, Track>();
  private readonly globalTrack: Track = { times: [], pausedUntil: -Infinity };
  /** Conversations with waiters; Map insertion order = round-robin order across conversations. */
  private readonly queues = new Map<string, Waiter[]>();
  /** Clock time of the earliest pending scheduler wake-up (Infinity: none pending). */
  private wakeAt = Infinity;
  private lastSweep: number;

  constructor(opts: SendRateLimiterOptions = {}) {
    this.perConversation = validateWindows(opts.perConversation ?? TEAMS_PER_CONVERSATION_WINDOWS, 'perConversation');
    this.global = validateWindows(opts.global ?? DEFAULT_GLOBAL_WINDOWS, 'global');
    this.clock = opts.clock ?? realClock;
    this.sleep = opts.sleep ?? realSleep;
    this.maxConversationWindowMs = Math.max(0, ...this.perConversation.map((w) => w.windowMs));
    this.maxGlobalWindowMs = Math.max(0, ...this.global.map((w) => w.windowMs));
    this.sweepIntervalMs = opts.sweepIntervalMs ?? 60_000;
    this.lastSweep = this.clock.now();
  }

  /** ms until a send to `conversationId` is allowed by the windows (ignores queued waiters). */
  delayFor(conversationId: string): number {
    const now = this.clock.now();
    const conv = this.conversations.get(conversationId);
    let delay = Math.max(0, this.globalTrack.pausedUntil - now, windowDelay(this.globalTrack.times, this.global, now));
    if (conv) {
      this.prune(conv, this.maxConversationWindowMs, now);
      delay = Math.max(delay, conv.pausedUntil - now, windowDelay(conv.times, this.perConversation, now));
    }
    return delay;
  }

  /** Records a send now. Callers that bypass `acquire` must check `delayFor` first. */
  record(conversationId: string): void {
    const now = this.clock.now();
    let conv = this.conversations.get(conversationId);
    if (!conv) {
      conv = { times: [], pausedUntil: -Infinity };
      this.conversations.set(conversationId, conv);
    }
    conv.times.push(now);
    this.globalTrack.times.push(now);
    this.prune(this.globalTrack, this.maxGlobalWindowMs, now);
    if (now - this.lastSweep >= this.sweepIntervalMs) this.sweep(now);
  }

  /**
   * Blocks sends to a conversation for `ms` (e.g. after a 429 with Retry-After), so
   * concurrent senders to that conversation back off too, not only the one that got the 429.
   */
  pause(conversationId: string, ms: number): void {
    if (!(ms > 0)) return;
    let conv = this.conversations.get(conversationId);
    if (!conv) {
      conv = { times: [], pausedUntil: -Infinity };
      this.conversations.set(conversationId, conv);
    }
    conv.pausedUntil = Math.max(conv.pausedUntil, this.clock.now() + ms);
    this.schedule();
  }

  /** Waits (FIFO per conversation, round-robin across conversations) until a send is allowed, then records it. */
  acquire(conversationId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(conversationId);
      if (queue) queue.push({ resolve, reject });
      else this.queues.set(conversationId, [{ resolve, reject }]);
      // Grant synchronously when possible: the slot is taken before the caller awaits.
      this.schedule();
    });
  }

  /** Number of callers currently waiting in `acquire`. */
  get pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Number of conversations currently tracked (for memory-bound checks). */
  get trackedConversations(): number {
    return this.conversations.size;
  }

  /** Grants every waiter that is allowed now, then arranges a wake-up for the rest. */
  private schedule(): void {
    let granted = true;
    while (granted && this.queues.size > 0) {
      granted = false;
      // One grant per conversation per pass, so a conversation with a long backlog
      // cannot starve the others when the global window is the bottleneck.
      for (const [conversationId, queue] of [...this.queues]) {
        if (this.delayFor(conversationId) > 0) continue;
        const waiter = queue.shift()!;
        this.record(conversationId);
        this.queues.delete(conversationId);
        if (queue.length > 0) this.queues.set(conversationId, queue); // move to the back
        waiter.resolve();
        granted = true;
      }
    }
    if (this.queues.size === 0) return;

    let minDelay = Infinity;
    for (const conversationId of this.queues.keys()) minDelay = Math.min(minDelay, this.delayFor(conversationId));
    const target = this.clock.now() + minDelay;
    // The injected sleeper cannot be cancelled: only start a new one when it must fire
    // earlier than the pending one. Extra wake-ups are harmless (schedule is idempotent).
    if (target >= this.wakeAt) return;
    this.wakeAt = target;
    this.sleep(minDelay).then(
      () => {
        if (this.wakeAt === target) this.wakeAt = Infinity;
        this.schedule();
      },
      (err: unknown) => this.failAll(err),
    );
  }

  private failAll(err: unknown): void {
    const error = err instanceof Error ? err : new Error('rate limiter sleeper failed');
    const queues = [...this.queues.values()];
    this.queues.clear();
    this.wakeAt = Infinity;
    for (const q of queues) for (const w of q) w.reject(error);
  }

  /** Drops timestamps that no window can see any more; forgets idle conversations. */
  private prune(track: Track, maxWindowMs: number, now: number): void {
    const keepFrom = firstAfter(track.times, now - maxWindowMs);
    if (keepFrom > 0) track.times.splice(0, keepFrom);
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [id, conv] of this.conversations) {
      this.prune(conv, this.maxConversationWindowMs, now);
      if (conv.times.length === 0 && conv.pausedUntil <= now && !this.queues.has(id)) this.conversations.delete(id);
    }
  }
}
