// The poll card everyone sees: posted once (in the group chat, or 1:1 to each Teams participant),
// updated after every change, and the organiser's notices when everyone answered or the poll
// closed by itself.
import { pollCard } from '../../../cards/poll';
import { slotLabel } from '../../../cards/pollLabels';
import { t } from '../../../locales/i18n';
import type { PollDoc, PollState } from '../../../models/poll';
import { card, PollContext } from './context';

/**
 * Between two updates of a poll's shared card during a burst of answers: each update re-reads
 * every answer, and nobody reads a card that changes several times a second.
 */
const SHARED_UPDATE_EVERY_MS = 1000;

export class SharedPollCard {
  /** Shared-card updates in progress per poll: bursts of answers collapse into a few updates. */
  private readonly updating = new Map<string, { dirty: boolean; done: Promise<void> }>();

  constructor(private readonly ctx: PollContext) {}

  /** Posts the shared card to the group conversation, or 1:1 to each Teams participant; false when nobody got it. */
  async post(poll: PollDoc, groupConversationId: string | null): Promise<boolean> {
    const { polls, messenger, logger } = this.ctx.deps;
    const state = await polls.stateOf(poll);
    if (groupConversationId) {
      const result = await messenger.send(groupConversationId, { attachments: [card(pollCard(state, { mode: 'shared', locale: this.ctx.pollLocale(poll.locale) }))] });
      if (!result.ok || !result.activityId) {
        logger.error({ pollId: poll.pollId, event: 'poll.postFailed' }, 'poll card not posted');
        return false;
      }
      await polls.recordMessage(poll.pollId, groupConversationId, result.activityId);
      return true;
    }
    const cards: PollDoc['personalCards'] = [];
    for (const p of poll.participants) {
      if (!p.aadObjectId) continue;
      const locale = await this.ctx.localeOf(p.aadObjectId, poll.locale);
      const result = await messenger.sendToUser(
        { aadObjectId: p.aadObjectId, teamsUserId: p.teamsUserId },
        { text: t(locale, 'poll.msg.newPoll', { trackingId: poll.trackingId }), attachments: [card(pollCard(state, { mode: 'participant', locale, participant: p }))] },
      );
      if (result.ok && result.activityId) cards.push({ participantKey: p.key, conversationId: result.conversationId, activityId: result.activityId });
    }
    if (cards.length) await polls.recordPersonalCards(poll.pollId, cards);
    return cards.length > 0 || !poll.participants.some((p) => p.aadObjectId);
  }

  /** Updates the card everyone sees; a burst of calls collapses into one running + one pending update. */
  refresh(pollId: string): Promise<void> {
    const running = this.updating.get(pollId);
    if (running) {
      running.dirty = true;
      return running.done;
    }
    const entry = { dirty: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.dirty = false;
          const started = Date.now();
          await this.update(pollId);
          const wait = started + SHARED_UPDATE_EVERY_MS - Date.now();
          if (entry.dirty && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        } while (entry.dirty);
      } catch (err) {
        this.ctx.deps.logger.error({ pollId, err: (err as Error)?.name, event: 'poll.updateFailed' }, 'shared poll card update failed');
      } finally {
        this.updating.delete(pollId);
      }
    })();
    this.updating.set(pollId, entry);
    return entry.done;
  }

  /** The updates running now (empty when none is). */
  pending(): Array<Promise<void>> {
    return [...this.updating.values()].map((u) => u.done);
  }

  /** Called by the scheduled job for each poll it closed at its deadline. */
  async onAutoClosed(poll: PollDoc): Promise<void> {
    await this.refresh(poll.pollId);
    const state = await this.ctx.deps.polls.stateOf(poll);
    await this.tellOrganiser(state, 'autoClosed', poll.deadline);
  }

  private async update(pollId: string): Promise<void> {
    const { polls, messenger } = this.ctx.deps;
    const state = await polls.state(pollId);
    if (!state) return;
    const { poll } = state;
    // "Everyone has answered" is decided here, on a fresh read after the last answer of a burst.
    if (poll.status === 'open' && state.pending.length === 0 && poll.participants.length > 0) await this.tellOrganiser(state, 'allAnswered', '');
    if (poll.conversationId && poll.activityId) {
      await messenger.update(poll.conversationId, poll.activityId, { attachments: [card(pollCard(state, { mode: 'shared', locale: this.ctx.pollLocale(poll.locale) }))] });
    }
    for (const pc of poll.personalCards) {
      const participant = poll.participants.find((p) => p.key === pc.participantKey);
      const locale = await this.ctx.localeOf(participant?.aadObjectId ?? null, poll.locale);
      await messenger.update(pc.conversationId, pc.activityId, { attachments: [card(pollCard(state, { mode: 'participant', locale, participant }))] });
    }
  }

  /** A 1:1 notice to the organiser with the suggestion, once per (kind, key). */
  private async tellOrganiser(state: PollState, kind: 'allAnswered' | 'autoClosed', key: string): Promise<void> {
    const { poll } = state;
    const { polls, messenger, logger } = this.ctx.deps;
    if (!(await polls.claimOnce(poll.pollId, kind, key))) return;
    const locale = await this.ctx.localeOf(poll.organiser.aadObjectId, poll.locale);
    const slot = state.suggestion ? poll.slots.find((s) => s.id === state.suggestion!.slotId) : undefined;
    const suggestion = slot && state.suggestion
      ? t(locale, 'poll.card.suggestion', { slot: slotLabel(slot, locale), reason: t(locale, `poll.reason.${state.suggestion.reason.code}`, { ...state.suggestion.reason.params, allRequiredYes: '', runnerUpSlotId: '' }) })
      : t(locale, 'poll.card.noSuggestion');
    const result = await messenger.sendToUser(
      { aadObjectId: poll.organiser.aadObjectId, teamsUserId: poll.organiser.teamsUserId },
      { text: t(locale, kind === 'allAnswered' ? 'poll.msg.allAnswered' : 'poll.msg.autoClosed', { trackingId: poll.trackingId, suggestion }) },
      poll.conversationId ?? undefined,
    );
    if (!result.ok) logger.warn({ pollId: poll.pollId, kind, outcome: result.outcome }, 'organiser notice not delivered');
  }
}
