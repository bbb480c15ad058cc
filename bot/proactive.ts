// Every message the bot sends outside of a reply (triage cards, decisions, reminders) goes
// through here: one rate limiter for Teams' limits, one retry loop, stale references marked.
import { Activity, ActivityTypes, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Logger } from './logger';
import type { ConversationReferences } from './conversationReferences';
import { SendRateLimiter } from './outbound/rateLimiter';
import type { UnknownOutcomePolicy } from './outbound/retryPolicy';
import { disableBuiltInRetries, sendWithRetry, trackDispatch, type AttemptContext } from './outbound/sendWithRetry';

export type Outgoing = Partial<Activity>;

export type ProactiveResult =
  | { ok: true; activityId: string | undefined; conversationId: string }
  | { ok: false; outcome: 'noReference' | 'stale' | 'failed' | 'ambiguous'; error: string; conversationId?: string };

/** Per send (docs/outbound.md): 'report' returns 'ambiguous' instead of resending a send that may have been posted. */
export interface SendOptions {
  unknownOutcome?: UnknownOutcomePolicy;
}

export interface ProactiveOptions {
  attemptTimeoutMs?: number;
  maxAttempts?: number;
}

export class ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly references: ConversationReferences,
    private readonly limiter: SendRateLimiter,
    private readonly logger: Logger,
    private readonly options: ProactiveOptions = {},
  ) {}

  /** Runs `op` inside a proactive turn of the conversation, with limiter and retries. */
  private async withConversation<T>(conversationId: string, op: (ctx: TurnContext, attempt: AttemptContext) => Promise<T>, sendOptions: SendOptions = {}): Promise<ProactiveResult & { value?: T }> {
    const stored = await this.references.get(conversationId);
    if (!stored) return { ok: false, outcome: 'noReference', error: 'no conversation reference', conversationId };
    // Without activityId the message is a new post, not a reply in the thread of the last message.
    const { activityId: _lastActivity, ...reference } = stored;
    let outcome: (ProactiveResult & { value?: T }) | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (ctx) => {
      const client: unknown = ctx.turnState.get(ctx.adapter.ConnectorClientKey);
      disableBuiltInRetries(client);
      // Tells a timeout while fetching a token (nothing sent, safe to retry) from one after the request left.
      let markSent = (): boolean => true;
      const tracksSending = trackDispatch(client, () => markSent());
      const result = await sendWithRetry(conversationId, (attempt) => {
        markSent = attempt.markSent;
        return op(ctx, attempt);
      }, {
        unknownOutcome: sendOptions.unknownOutcome,
        tracksSending,
        limiter: this.limiter,
        maxAttempts: this.options.maxAttempts ?? 6,
        attemptTimeoutMs: this.options.attemptTimeoutMs ?? 15000,
        onRetry: (info) => this.logger.warn({ attempt: info.attempt, status: info.status, code: info.code, delayMs: info.delayMs }, 'outbound send retried'),
      });
      if (result.ok) {
        const id = (result.value as { id?: string } | undefined)?.id;
        outcome = { ok: true, activityId: id, conversationId, value: result.value };
      } else {
        outcome = { ok: false, outcome: result.outcome, error: result.error, conversationId };
      }
    });
    if (outcome && !outcome.ok) {
      if (outcome.outcome === 'stale') await this.references.markStale(conversationId, outcome.error);
      this.logger.error({ outcome: outcome.outcome, error: outcome.error }, 'outbound send failed');
    }
    return outcome ?? { ok: false, outcome: 'failed', error: 'send did not run', conversationId };
  }

  /** A new message in the conversation (in a channel: a new post, not a reply in a thread). */
  send(conversationId: string, activity: Outgoing, options: SendOptions = {}): Promise<ProactiveResult> {
    return this.withConversation(
      conversationId,
      (ctx, attempt) => {
        const client = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorClient;
        const full = TurnContext.applyConversationReference({ type: ActivityTypes.Message, ...activity }, TurnContext.getConversationReference(ctx.activity), false);
        delete full.replyToId;
        // A timed-out attempt is aborted rather than left open beside its retry.
        return client.conversations.sendToConversation(conversationId, full as Activity, { abortSignal: attempt.signal });
      },
      options,
    );
  }

  update(conversationId: string, activityId: string, activity: Outgoing): Promise<ProactiveResult> {
    return this.withConversation(conversationId, async (ctx) => {
      // The connector refuses an update without its activity type (400 "Unknown activity type").
      await ctx.updateActivity({ type: ActivityTypes.Message, ...activity, id: activityId, conversation: ctx.activity.conversation });
      return { id: activityId };
    });
  }

  /**
   * A 1:1 message to a Teams user. Uses the stored personal conversation, or creates one through a
   * conversation where both the bot and the user are (`via`): Teams allows that for members.
   */
  async sendToUser(user: { aadObjectId: string; teamsUserId?: string | null }, activity: Outgoing, via?: string, options: SendOptions = {}): Promise<ProactiveResult> {
    const personal = await this.references.personalFor(user.aadObjectId);
    if (personal?.conversation?.id) return this.send(personal.conversation.id, activity, options);
    if (!user.teamsUserId) return { ok: false, outcome: 'noReference', error: 'no personal conversation and no Teams user id' };
    const base = via ? await this.references.get(via) : await this.references.anyReference();
    if (!base?.serviceUrl || !base.bot) return { ok: false, outcome: 'noReference', error: 'no conversation to create a 1:1 chat from' };
    const tenantId = (base.conversation as { tenantId?: string } | undefined)?.tenantId;
    const params: ConversationParameters = {
      isGroup: false,
      bot: base.bot,
      members: [{ id: user.teamsUserId, name: '' }],
      tenantId,
      channelData: tenantId ? { tenant: { id: tenantId } } : undefined,
      activity: undefined as unknown as Activity,
    } as ConversationParameters;
    let created: string | undefined;
    try {
      await this.adapter.createConversationAsync(this.botAppId, base.channelId ?? 'msteams', base.serviceUrl, '', params, async (ctx) => {
        created = ctx.activity.conversation?.id;
        const ref = TurnContext.getConversationReference(ctx.activity) as ConversationReference;
        await this.references.remember({
          ...ctx.activity,
          conversation: { ...ref.conversation, conversationType: 'personal', isGroup: false, tenantId } as Activity['conversation'],
          from: { id: user.teamsUserId!, name: '', aadObjectId: user.aadObjectId },
          recipient: base.bot,
        });
      });
    } catch (err) {
      this.logger.error({ err: (err as Error)?.name }, 'could not create a 1:1 conversation');
      return { ok: false, outcome: 'failed', error: 'createConversation failed' };
    }
    if (!created) return { ok: false, outcome: 'failed', error: 'createConversation returned no id' };
    return this.send(created, activity, options);
  }
}
