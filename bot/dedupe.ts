// Redelivered activities are processed once (issue 10, item 1). Teams resends an activity when the
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
// Activities without an id or conversation (some conversationUpdate) pass unchecked. If the claim
// cannot be written (database down), the turn goes on: losing the user's work is worse than the
// rare duplicate, and the turn then meets the same database as any other.
import { createHash } from 'node:crypto';
import { ActivityTypes, INVOKE_RESPONSE_KEY, InvokeResponse, Middleware, TurnContext } from 'botbuilder';
import type { Model } from 'mongoose';
import { resolveLocale, t, Locale } from '../locales/i18n';
import { isDuplicateKeyError } from '../models/db';
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
  /** How long a redelivered invoke waits for the first delivery's response (ms). */
  waitForFirstMs?: number;
  pollEveryMs?: number;
}

/** The claim key: hashed, so hostile ids (`$`, `.`, NUL, megabytes) never reach a query as such. */
export function seenKey(channelId: string, conversationId: string, activityId: string): string {
  return createHash('sha256').update(`${channelId}\u0000${conversationId}\u0000${activityId}`).digest('hex');
}

export class ActivityDedupe implements Middleware {
  private readonly now: () => Date;

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
      await this.seen.create({ _id: key, seenAt: this.now(), invokeResponse: null });
    } catch (err) {
      if (isDuplicateKeyError(err)) {
        log.info({ event: 'activity.redelivered', activityType: a.type }, 'redelivered activity not processed again');
        if (a.type === ActivityTypes.Invoke) await this.answerRedeliveredInvoke(context, key);
        return;
      }
      log.warn({ err: (err as Error)?.name }, 'activity claim not recorded; processing without redelivery check');
      return next();
    }

    await next();
    if (a.type === ActivityTypes.Invoke) await this.keepInvokeResponse(context, key, log);
  }

  /** Deletes claims older than `before` (the retention purge job); returns how many. */
  async purgeSeenBefore(before: Date): Promise<number> {
    const res = await this.seen.deleteMany({ seenAt: { $lt: before } });
    return res.deletedCount ?? 0;
  }

  private async keepInvokeResponse(context: TurnContext, key: string, log: Logger): Promise<void> {
    const response = (context.turnState.get(INVOKE_RESPONSE_KEY) as { value?: InvokeResponse } | undefined)?.value;
    if (!response) return;
    const json = JSON.stringify(response);
    if (json.length > MAX_STORED_RESPONSE) return;
    // Only this delivery writes this document after its insert: a plain update is safe on FerretDB.
    await this.seen.updateOne({ _id: key }, { $set: { invokeResponse: json } }).catch((err: Error) => log.warn({ err: err?.name }, 'invoke response not kept for redelivery'));
  }

  private async answerRedeliveredInvoke(context: TurnContext, key: string): Promise<void> {
    const wait = this.options.waitForFirstMs ?? 5000;
    const every = this.options.pollEveryMs ?? 200;
    const until = Date.now() + wait;
    let stored: string | null | undefined = null;
    for (;;) {
      stored = (await this.seen.findById(key, { invokeResponse: 1 }).lean().catch(() => null))?.invokeResponse;
      if (stored || Date.now() >= until) break;
      await new Promise((resolve) => setTimeout(resolve, every));
    }
    let value: InvokeResponse;
    if (stored) value = JSON.parse(stored) as InvokeResponse;
    else if (context.activity.name === 'adaptiveCard/action') {
      const locale = resolveLocale(null, context.activity.locale, this.options.defaultLocale);
      value = { status: 200, body: messageResponse(t(locale, 'error.alreadyHandled')) };
    } else value = { status: 200 };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
  }
}
