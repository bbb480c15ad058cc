// Reading and answering a poll: each user's own view of the card (Teams refreshes it per user) and
// their answers, saved as a new version each time.
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { inputText } from '../../../domain/input';
import type { PollAnswer } from '../../../domain/pollRanking';
import type { PollState } from '../../../models/poll';
import { participantKeyOf } from '../../../services/polls';
import type { Feature, TurnScope } from '../../routes';
import { Outcome, PollContext, pollRoutes } from './context';
import type { SharedPollCard } from './sharedCard';

const ANSWERS: ReadonlySet<string> = new Set(['yes', 'ifNeedBe', 'no']);

export class PollAnswerFeature implements Feature {
  readonly name = 'polls/answering';
  private readonly routes = pollRoutes({
    'poll.refresh': (data, scope) => this.refresh(data, scope),
    'poll.answer': (data, scope) => this.answer(data, scope),
  });
  readonly verbs = this.routes.verbs;
  readonly submits = this.routes.submits;

  /**
   * Totals for the card answered to a voter: during a burst, voters share one read of the answers
   * (at most a second old, then read again; the voter's own answers are always shown as saved).
   * Display only — every decision (accepting an answer, "everyone answered", ranking for the
   * organiser's choice) reads the database.
   */
  private readonly recent = new LRUCache<string, Promise<PollState | null>>({ max: 500, ttl: 1000 });

  constructor(
    private readonly ctx: PollContext,
    private readonly shared: SharedPollCard,
  ) {}

  private async refresh(data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const state = await this.ctx.deps.polls.state(inputText(data.pollId, 100));
    if (!state) return { text: scope.tr('poll.error.unknownPoll') };
    // A read checks membership like a write: the card shows the tracking id and the participants.
    const me = scope.context.activity.from?.aadObjectId;
    if (!(await this.ctx.deps.access.mayRead(state.poll, me, scope.context.activity.conversation?.id))) {
      scope.log.warn({ pollId: state.poll.pollId, event: 'poll.refresh.refused' }, 'poll view refused');
      return { text: scope.tr('poll.error.notParticipant') };
    }
    return { card: await this.ctx.viewFor(state, me, scope) };
  }

  private async answer(data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const { context, tr, locale } = scope;
    const { polls, access, clock } = this.ctx.deps;
    const me = context.activity.from.aadObjectId;
    const pollId = inputText(data.pollId, 100);
    const poll = await polls.get(pollId);
    if (!poll || !me) return { text: tr('poll.error.unknownPoll') };
    const key = inputText(data.participantKey, 100) || participantKeyOf(me);
    const participant = poll.participants.find((p) => p.key === key);
    if (!participant) return { text: tr('poll.error.notParticipant') };
    const refused = await access.refuseAnswer(poll, participant, me);
    if (refused) {
      scope.log.warn({ pollId, event: 'poll.answer.refused' }, 'answer refused');
      return { text: tr(`poll.error.${refused}`) };
    }
    const values: Record<string, string> = { comment: inputText(data.comment, 500) };
    const answers: Record<string, PollAnswer> = {};
    for (const s of poll.slots.filter((x) => !x.removed)) {
      const v = inputText(data[`slot_${s.id}`], 20);
      values[`slot_${s.id}`] = v;
      if (ANSWERS.has(v)) answers[s.id] = v as PollAnswer;
    }
    const result = await polls.answer({ pollId, participantKey: key, answers, comment: values.comment, by: me, requestKey: context.activity.id || randomUUID() }, poll);
    if (!result.ok) {
      const state = await polls.stateOf(poll);
      return { card: await this.ctx.viewFor(state, me, scope, { error: this.ctx.errorText(result.error, locale, poll), values, participant }) };
    }
    if (!result.value.duplicate) scope.log.info({ pollId, event: 'poll.answered' }, 'poll answered');
    // A duplicate too: the delivery that stored it may have died before the shared card showed it.
    void this.shared.refresh(pollId);
    const shared = await this.recentState(pollId);
    if (!shared) return { text: tr('poll.error.unknownPoll') };
    // The shared read may predate this answer: the voter always sees their own answers as saved.
    const answersCopy = new Map(shared.answers);
    const saved = poll.slots.filter((s) => !s.removed).map((s) => ({ slotId: s.id, answer: answers[s.id] }));
    answersCopy.set(key, { pollId, participantKey: key, version: 0, answers: saved, comment: values.comment, by: me, requestKey: '', at: clock.now() });
    const state: PollState = { ...shared, answers: answersCopy, pending: shared.pending.filter((p) => p.key !== key) };
    const notice = participant.external ? tr('poll.notice.savedFor', { name: participant.name }) : tr('poll.notice.saved');
    return { card: await this.ctx.viewFor(state, me, scope, { notice, participant }) };
  }

  private recentState(pollId: string): Promise<PollState | null> {
    const cached = this.recent.get(pollId);
    if (cached) return cached;
    const state = this.ctx.deps.polls.state(pollId);
    this.recent.set(pollId, state);
    return state;
  }
}
