import {
  DEFAULT_GLOBAL_WINDOWS,
  SendRateLimiter,
  TEAMS_PER_CONVERSATION_WINDOWS,
  type Window,
} from '../../bot/outbound/rateLimiter';
import { maxInWindow } from '../support/fakeConnector';

/** Deterministic time: sleeps resolve only when the test advances the clock. */
class FakeTime {
  t = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  readonly clock = { now: (): number => this.t };
  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => this.timers.push({ at: this.t + ms, seq: this.seq++, resolve }));

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Lets all promise callbacks run. */
  async flush(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Fires timers in time order until none are left (or the step budget runs out). */
  async runAll(maxSteps = 1_000_000): Promise<void> {
    await this.flush();
    for (let i = 0; i < maxSteps && this.timers.length > 0; i++) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await this.flush();
    }
  }

  /** Moves the clock to `t`, firing the timers due on the way. */
  async advanceTo(t: number): Promise<void> {
    await this.flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > t) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await this.flush();
    }
    this.t = t;
    await this.flush();
  }
}

const NO_GLOBAL: Window[] = [];

function limiterAt(time: FakeTime, opts: { perConversation?: Window[]; global?: Window[] } = {}): SendRateLimiter {
  return new SendRateLimiter({ ...opts, clock: time.clock, sleep: time.sleep });
}

function recordAt(time: FakeTime, limiter: SendRateLimiter, conversationId: string, times: number[]): void {
  for (const t of times) {
    time.t = t;
    limiter.record(conversationId);
  }
}

describe('SendRateLimiter defaults', () => {
  it('encodes the Teams per-conversation limits and a 30/s global rate', () => {
    expect(TEAMS_PER_CONVERSATION_WINDOWS).toEqual([
      { limit: 7, windowMs: 1000 },
      { limit: 8, windowMs: 2000 },
      { limit: 60, windowMs: 30000 },
      { limit: 1800, windowMs: 3600000 },
    ]);
    expect(DEFAULT_GLOBAL_WINDOWS).toEqual([{ limit: 30, windowMs: 1000 }]);
  });

  it.each([
    [{ limit: 0, windowMs: 1000 }],
    [{ limit: 1.5, windowMs: 1000 }],
    [{ limit: 1, windowMs: 0 }],
    [{ limit: 1, windowMs: Infinity }],
  ])('rejects invalid window %j', (w) => {
    expect(() => new SendRateLimiter({ perConversation: [w] })).toThrow(RangeError);
    expect(() => new SendRateLimiter({ global: [w] })).toThrow(RangeError);
  });
});

describe('SendRateLimiter.delayFor window boundaries', () => {
  // [description, windows, recorded times, query time, expected delay]
  const table: [string, Window[], number[], number, number][] = [
    ['empty', [{ limit: 2, windowMs: 100 }], [], 0, 0],
    ['below limit', [{ limit: 2, windowMs: 100 }], [0], 0, 0],
    ['at limit, same instant', [{ limit: 2, windowMs: 100 }], [0, 10], 10, 90],
    ['at limit, 1 ms before the oldest leaves', [{ limit: 2, windowMs: 100 }], [0, 10], 99, 1],
    ['oldest leaves exactly at t + window (half-open)', [{ limit: 2, windowMs: 100 }], [0, 10], 100, 0],
    ['over limit waits for enough to leave', [{ limit: 2, windowMs: 100 }], [0, 10, 20, 30], 30, 90],
    ['strictest of several windows wins', [{ limit: 3, windowMs: 100 }, { limit: 4, windowMs: 1000 }], [0, 50, 120, 130], 130, 870],
    ['7 per second: 8th at t=0 waits 1000', TEAMS_PER_CONVERSATION_WINDOWS.slice(), [0, 0, 0, 0, 0, 0, 0], 0, 1000],
    ['7 per second: allowed again at 1000', TEAMS_PER_CONVERSATION_WINDOWS.slice(), [0, 0, 0, 0, 0, 0, 0], 1000, 0],
    ['8 per 2 s: 9th waits for the 2 s window', TEAMS_PER_CONVERSATION_WINDOWS.slice(), [0, 0, 0, 0, 0, 0, 0, 1000], 1000, 1000],
    ['8 per 2 s: 1 ms before', TEAMS_PER_CONVERSATION_WINDOWS.slice(), [0, 0, 0, 0, 0, 0, 0, 1000], 1999, 1],
    ['8 per 2 s: boundary', TEAMS_PER_CONVERSATION_WINDOWS.slice(), [0, 0, 0, 0, 0, 0, 0, 1000], 2000, 0],
  ];

  it.each(table)('%s', (_name, windows, times, at, expected) => {
    const time = new FakeTime();
    const limiter = limiterAt(time, { perConversation: windows, global: NO_GLOBAL });
    recordAt(time, limiter, 'c', times);
    time.t = at;
    expect(limiter.delayFor('c')).toBe(expected);
    expect(limiter.delayFor('other')).toBe(0);
  });

  it('60 per 30 s: the 61st send waits until the first leaves the 30 s window', () => {
    const time = new FakeTime();
    const limiter = limiterAt(time, { global: NO_GLOBAL });
    // 4 sends/s respects the 1 s and 2 s windows, so only the 30 s window binds.
    recordAt(time, limiter, 'c', Array.from({ length: 60 }, (_, i) => i * 250));
    time.t = 15_000;
    expect(limiter.delayFor('c')).toBe(15_000);
    time.t = 29_999;
    expect(limiter.delayFor('c')).toBe(1);
    time.t = 30_000;
    expect(limiter.delayFor('c')).toBe(0);
  });

  it('1800 per hour: the 1801st send waits until the first is an hour old', () => {
    const time = new FakeTime();
    const limiter = limiterAt(time, { global: NO_GLOBAL });
    // One send per 600 ms = 50 per 30 s: only the hour window binds.
    recordAt(time, limiter, 'c', Array.from({ length: 1800 }, (_, i) => i * 600));
    time.t = 1800 * 600;
    expect(limiter.delayFor('c')).toBe(3_600_000 - 1800 * 600);
    time.t = 3_599_999;
    expect(limiter.delayFor('c')).toBe(1);
    time.t = 3_600_000;
    expect(limiter.delayFor('c')).toBe(0);
  });

  it('global window spans conversations', () => {
    const time = new FakeTime();
    const limiter = limiterAt(time);
    for (let i = 0; i < 30; i++) limiter.record(`c${i}`);
    expect(limiter.delayFor('fresh')).toBe(1000);
    time.t = 1000;
    expect(limiter.delayFor('fresh')).toBe(0);
  });

  it('pause blocks one conversation only, and only for the given time', () => {
    const time = new FakeTime();
    const limiter = limiterAt(time);
    limiter.pause('c', 1500);
    limiter.pause('c', 500); // a shorter pause never shortens an existing one
    expect(limiter.delayFor('c')).toBe(1500);
    expect(limiter.delayFor('d')).toBe(0);
    time.t = 1500;
    expect(limiter.delayFor('c')).toBe(0);
  });
});

describe('SendRateLimiter.acquire', () => {
  it('grants synchronously when allowed: the slot is taken before the caller awaits', () => {
    const time = new FakeTime();
    const limiter = limiterAt(time, { perConversation: [{ limit: 2, windowMs: 1000 }], global: NO_GLOBAL });
    void limiter.acquire('c');
    void limiter.acquire('c');
    void limiter.acquire('c');
    expect(limiter.delayFor('c')).toBe(1000);
    expect(limiter.pending).toBe(1);
  });

  it('is FIFO per conversation', async () => {
    const time = new FakeTime();
    const limiter = limiterAt(time, { perConversation: [{ limit: 2, windowMs: 100 }], global: NO_GLOBAL });
    const order: number[] = [];
    const all = Array.from({ length: 20 }, (_, i) => limiter.acquire('c').then(() => order.push(i)));
    await time.runAll();
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(time.t).toBe(900); // 2 per 100 ms
  });

  it('does not let a backlogged conversation starve others under the global limit (round-robin)', async () => {
    const time = new FakeTime();
    const limiter = limiterAt(time, { perConversation: [{ limit: 1000, windowMs: 1000 }], global: [{ limit: 10, windowMs: 1000 }] });
    const grants: { conversation: string; at: number }[] = [];
    const track = (conversation: string): Promise<void> =>
      limiter.acquire(conversation).then(() => void grants.push({ conversation, at: time.t }));
    // 10 of 'busy' go at t=0 (first come); 40 wait; the late ones queue behind the global window.
    const all = [...Array.from({ length: 50 }, () => track('busy')), track('late1'), track('late2')];
    await time.runAll();
    await Promise.all(all);
    expect(grants.filter((g) => g.at === 0).map((g) => g.conversation)).toEqual(Array(10).fill('busy'));
    // Next window: served in turn with the backlog, not after all 40 remaining 'busy' sends.
    expect(grants.find((g) => g.conversation === 'late1')!.at).toBe(1000);
    expect(grants.find((g) => g.conversation === 'late2')!.at).toBe(1000);
    expect(grants.filter((g) => g.at === 1000)).toHaveLength(10);
    expect(time.t).toBe(5000); // 52 grants at 10 per second
  });

  it('a throttled conversation does not hold back the others (no head-of-line blocking)', async () => {
    const time = new FakeTime();
    const limiter = limiterAt(time);
    limiter.pause('blocked', 60_000);
    let blockedDone = false;
    const blocked = limiter.acquire('blocked').then(() => (blockedDone = true));
    let freeDone = false;
    void limiter.acquire('free').then(() => (freeDone = true));
    await time.flush();
    expect(freeDone).toBe(true);
    expect(blockedDone).toBe(false);
    await time.runAll();
    await blocked;
    expect(time.t).toBe(60_000);
  });

  it('1,000 concurrent acquires across 50 conversations never exceed any window', async () => {
    const time = new FakeTime();
    const limiter = limiterAt(time);
    const grants: { conversation: string; at: number }[] = [];
    const order = new Map<string, number[]>();
    let rng = 42;
    const random = (): number => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

    const all: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) {
      // Skewed: a few conversations get most of the traffic.
      const conversation = `19:conv-${Math.floor(random() ** 2 * 50)}@thread.tacv2`;
      const seq = i;
      all.push(
        limiter.acquire(conversation).then(() => {
          grants.push({ conversation, at: time.t });
          order.set(conversation, [...(order.get(conversation) ?? []), seq]);
        }),
      );
      // Arrivals trickle in while earlier callers are waiting.
      if (i % 100 === 99) await time.advanceTo(time.t + 700);
    }
    await time.runAll();
    await Promise.all(all);

    expect(grants).toHaveLength(1000);
    expect(limiter.pending).toBe(0);
    const byConversation = new Map<string, number[]>();
    for (const g of grants) byConversation.set(g.conversation, [...(byConversation.get(g.conversation) ?? []), g.at]);
    for (const [conversation, times] of byConversation) {
      for (const { limit, windowMs } of TEAMS_PER_CONVERSATION_WINDOWS) {
        expect({ conversation, windowMs, max: maxInWindow(times, windowMs) <= limit }).toEqual({ conversation, windowMs, max: true });
      }
      const seqs = order.get(conversation)!;
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // FIFO per conversation
    }
    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(30);
    // No idle capacity while many conversations are backlogged (900 is the 30/s ceiling; the
    // tail is per-conversation bound), and the makespan stays near what the busiest
    // conversation's 60-per-30 s window allows alone (round-robin trades some makespan for fairness).
    expect(grants.filter((g) => g.at < 30_000).length).toBeGreaterThanOrEqual(800);
    const busiest = Math.max(...[...byConversation.values()].map((t) => t.length));
    const busiestAlone = Math.floor((busiest - 1) / 60) * 30_000 + 15_000;
    expect(time.t).toBeLessThanOrEqual(busiestAlone * 1.5);
  });

  it('rejects waiters when the sleeper fails instead of hanging forever', async () => {
    const limiter = new SendRateLimiter({
      perConversation: [{ limit: 1, windowMs: 1000 }],
      global: NO_GLOBAL,
      clock: { now: () => 0 },
      sleep: () => Promise.reject(new Error('timer broke')),
    });
    await limiter.acquire('c');
    await expect(limiter.acquire('c')).rejects.toThrow('timer broke');
    expect(limiter.pending).toBe(0);
  });

  it('works with the real clock and timers', async () => {
    // Capture the limiter's own timestamps: times observed in `.then` callbacks carry
    // scheduling jitter (sub-ms) that can make two grants 50 ms apart look 49.9 ms apart.
    const clock = { last: 0, now: (): number => (clock.last = performance.now()) };
    const limiter = new SendRateLimiter({ perConversation: [{ limit: 2, windowMs: 50 }], global: NO_GLOBAL, clock });
    const granted: number[] = [];
    const record = limiter.record.bind(limiter);
    limiter.record = (conversationId: string): void => {
      record(conversationId);
      granted.push(clock.last);
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => limiter.acquire('c')));
    expect(granted).toHaveLength(6);
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
    expect(maxInWindow(granted, 50)).toBeLessThanOrEqual(2);
  });
});

describe('SendRateLimiter memory', () => {
  it('forgets idle conversations once their timestamps leave the largest window', () => {
    const time = new FakeTime();
    const limiter = limiterAt(time, { global: [{ limit: 100_000, windowMs: 1000 }] });
    for (let i = 0; i < 5000; i++) limiter.record(`c${i}`);
    expect(limiter.trackedConversations).toBe(5000);
    time.t = 3_600_000 + 60_000;
    limiter.record('active');
    expect(limiter.trackedConversations).toBe(1);
  });

  it('keeps a conversation that still has sends inside the hour window', () => {
    const time = new FakeTime();
    const limiter = limiterAt(time);
    limiter.record('old');
    time.t = 1_000_000;
    limiter.record('recent');
    time.t = 3_600_000 + 1;
    limiter.record('now');
    expect(limiter.trackedConversations).toBe(2);
  });
});
