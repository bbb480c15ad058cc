// Redelivered activities are processed once. Teams resends an activity when the
// bot takes more than ~15 s to answer; processing it again answered the sheet's *next* question with
// the same text, or repeated a card action. Every activity with an id is claimed before the bot sees
// it, by inserting its key under a unique `_id` (shared by all instances through the database; the
// only atomic, fast operation FerretDB v1 offers). The insert that fails with a duplicate key is the
// redelivery.
//
// What a redelivery gets (Teams already showed, or is still waiting for, the first answer):
// - message (typed text or Action.Submit), conversation events: nothing; the HTTP answer is the
//   usual 200 (an empty reply list for expectReplies).
// - invoke: an invoke must always get a 200 invoke response (501 shows an error on the card). The
//   first delivery's response is stored once it is known and replayed, so the card ends up exactly
//   as after the first click; if the first delivery is still running after a short wait, an
//   Action.Execute gets a notice ("already being handled") and other invokes a bare 200.
// - a claim is never released, also when the turn fails: the user was told of the error
//   (onTurnError) and a replay could repeat whatever the failed turn had already done.
// - a claim whose process died in the middle of the turn (killed, crashed, out of memory) is taken
//   over by the redelivery: each claim names the process that took it, and that process shows a
//   sign of life every second while it has turns running (one write per process, not per turn: a
//   write per running turn doubled the time of a 200-vote burst on FerretDB); a claim neither
//   finished nor from a process alive in the last few seconds is processed again, under a second
//   claim inserted the same way (so two redeliveries on two instances take it over once). Without
//   this a vote claimed just before a kill was answered "already being handled" after the restart,
//   and lost.
// Activities without an id or conversation (some conversationUpdate) pass unchecked. If the claim
// cannot be written (database down), the turn goes on: losing the user's work is worse than the
// rare duplicate, and the turn then meets the same database as any other.
import { createHash, randomUUID } from 'node:crypto';
import { ActivityTypes, INVOKE_RESPONSE_KEY, InvokeResponse, Middleware, TurnContext } from 'botbuilder';
import type { Model } from 'mongoose';
import { resolveLocale, t, Locale } from '../locales/i18n';
import { isDuplicateKey } from '../models/db';
import type { SeenActivity } from '../models/seenActivity';
import type { Logger } from './logger';
import { LOGGER_KEY, messageResponse } from './teamsBot';

/** How long an activity id is remembered: Teams redelivers within minutes, 2 days is ample. */
export const SEEN_ACTIVITY_RETENTION_MS = 2 * 86_400_000;
/** Invoke responses larger than this are not kept for replay (cards are a few kB). */
const MAX_STORED_RESPONSE = 256_000;

export interface DedupeOptions {
  defaultLocale: Locale;
  now?: () => Date;
  /** How long a redelivery waits for the first delivery to finish, or to be found dead (ms). */
  waitForFirstMs?: number;
  pollEveryMs?: number;
  /** How often a process with running turns marks itself alive (ms, real time). */
  aliveEveryMs?: number;
  /** A claim neither finished nor marked alive for this long belongs to a dead process (ms). */
  deadAfterMs?: number;
}

/** Take-overs of one activity after its processing died (each under its own claim). */
const MAX_TAKEOVERS = 2;
const takeoverKey = (key: string, n: number) => (n === 0 ? key : `${key}~${n}`);

/** The claim key: hashed, so hostile ids (`$`, `.`, NUL, megabytes) never reach a query as such. */
export function seenKey(channelId: string, conversationId: string, activityId: string): string {
  return createHash('sha256').update(`${channelId}\u0000${conversationId}\u0000${activityId}`).digest('hex');
}

/** The document where a process shows its sign of life (same collection, so the purge takes it too). */
const processKey = (owner: string) => `process:${owner}`;

export class ActivityDedupe implements Middleware {
  private readonly now: () => Date;
  /** This process, as named in its claims. */
  private readonly owner = randomUUID();
  private running = 0;
  private beat: NodeJS.Timeout | null = null;

  constructor(
    private readonly seen: Model<SeenActivity>,
    private readonly logger: Logger,
    private readonly options: DedupeOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    const id = typeof a.id === 'string' && a.id ? a.id : null;
    const conversationId = typeof a.conversation?.id === 'string' && a.conversation.id ? a.conversation.id : null;
    if (!id || !conversationId) return next();
    const key = seenKey(typeof a.channelId === 'string' ? a.channelId : '', conversationId, id);
    const log = (context.turnState.get(LOGGER_KEY) as Logger | undefined) ?? this.logger;

    try {
      await this.claim(key);
    } catch (err) {
      if (isDuplicateKey(err)) return this.redelivered(context, key, next, log);
      log.warn({ err: (err as Error)?.name }, 'activity claim not recorded; processing without redelivery check');
      return next();
    }
    await this.process(context, key, next, log);
  }

  private async claim(claimKey: string): Promise<void> {
    // aliveAt: real time of the claim, the process's first sign of life for this turn.
    await this.seen.create({ _id: claimKey, seenAt: this.now(), invokeResponse: null, aliveAt: new Date(), owner: this.owner, done: false });
  }

  /** Only this process writes its own sign of life: a plain upsert is safe on FerretDB. */
  private markAlive(): Promise<unknown> {
    return this.seen
      .updateOne({ _id: processKey(this.owner) }, { $set: { seenAt: this.now(), aliveAt: new Date(), done: false } }, { upsert: true })
      .catch(() => undefined);
  }

  /** Runs the turn under the claim `claimKey`: its process alive while it runs, done (with its invoke response) after. */
  private async process(context: TurnContext, claimKey: string, next: () => Promise<void>, log: Logger): Promise<void> {
    if (this.running++ === 0) {
      this.beat = setInterval(() => void this.markAlive(), this.options.aliveEveryMs ?? 1000);
      this.beat.unref();
    }
    try {
      await next();
    } finally {
      if (--this.running === 0 && this.beat) {
        clearInterval(this.beat);
        this.beat = null;
      }
      await this.finish(context, claimKey, log);
    }
  }

  /** Real time of the last sign of life of the process holding `claim` (null: never taken over). */
  private async lastSignOfLife(claim: SeenActivity): Promise<number | null> {
    if (!claim.aliveAt) return null; // written before signs of life existed
    const claimed = new Date(claim.aliveAt).getTime();
    if (!claim.owner) return claimed;
    const proc = await this.seen.findById(processKey(claim.owner), { aliveAt: 1 }).lean();
    const beat = proc?.aliveAt ? new Date(proc.aliveAt).getTime() : 0;
    return Math.max(claimed, beat);
  }

  private async finish(context: TurnContext, claimKey: string, log: Logger): Promise<void> {
    const set: Partial<SeenActivity> = { done: true };
    if (context.activity.type === ActivityTypes.Invoke) {
      const response = (context.turnState.get(INVOKE_RESPONSE_KEY) as { value?: InvokeResponse } | undefined)?.value;
      const json = response ? JSON.stringify(response) : '';
      if (json && json.length <= MAX_STORED_RESPONSE) set.invokeResponse = json;
    }
    await this.seen.updateOne({ _id: claimKey }, { $set: set }).catch((err: Error) => log.warn({ err: err?.name }, 'activity not marked handled for redelivery'));
  }

  /**
   * A redelivery: waits (a little) for the first delivery to finish, then answers as it did; when
   * the delivery processing it is found dead, processes it itself under the next claim.
   */
  private async redelivered(context: TurnContext, key: string, next: () => Promise<void>, log: Logger): Promise<void> {
    const a = context.activity;
    log.info({ event: 'activity.redelivered', activityType: a.type }, 'redelivered activity not processed again');
    const wait = this.options.waitForFirstMs ?? 8000;
    const every = this.options.pollEveryMs ?? 200;
    const deadAfter = this.options.deadAfterMs ?? 5000;
    const until = Date.now() + wait;
    let current: SeenActivity | null = null;
    for (;;) {
      const chain = await this.chain(key).catch(() => []);
      current = chain.at(-1) ?? null;
      if (!current || current.done || current.invokeResponse) break;
      const aliveAt = await this.lastSignOfLife(current).catch(() => Date.now());
      if (aliveAt !== null && Date.now() - aliveAt > deadAfter && chain.length <= MAX_TAKEOVERS) {
        const takeover = takeoverKey(key, chain.length);
        try {
          await this.claim(takeover);
        } catch (err) {
          if (!isDuplicateKey(err)) log.warn({ err: (err as Error)?.name }, 'redelivered activity not taken over');
          // Another delivery took it over (or the store failed): watch that one.
          await new Promise((resolve) => setTimeout(resolve, every));
          continue;
        }
        log.warn({ event: 'activity.takenOver', activityType: a.type, takeover: chain.length }, 'redelivered activity processed again: its first processing died');
        return this.process(context, takeover, next, log);
      }
      if (Date.now() >= until) break;
      await new Promise((resolve) => setTimeout(resolve, every));
    }
    if (a.type !== ActivityTypes.Invoke) return;
    let value: InvokeResponse;
    if (current?.invokeResponse) value = JSON.parse(current.invokeResponse) as InvokeResponse;
    else if (a.name === 'adaptiveCard/action') {
      const locale = resolveLocale(null, a.locale, this.options.defaultLocale);
      value = { status: 200, body: messageResponse(t(locale, 'error.alreadyHandled')) };
    } else value = { status: 200 };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
  }

  /** The claim and its take-overs, oldest first (stops at the first missing). */
  private async chain(key: string): Promise<SeenActivity[]> {
    const found: SeenActivity[] = [];
    for (let n = 0; n <= MAX_TAKEOVERS; n++) {
      const doc = await this.seen.findById(takeoverKey(key, n), { invokeResponse: 1, aliveAt: 1, owner: 1, done: 1 }).lean();
      if (!doc) break;
      found.push(doc as SeenActivity);
    }
    return found;
  }

  /** Deletes claims older than `before` (the retention purge job); returns how many. */
  async purgeSeenBefore(before: Date): Promise<number> {
    const res = await this.seen.deleteMany({ seenAt: { $lt: before } });
    return res.deletedCount ?? 0;
  }
}
