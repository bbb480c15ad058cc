// What whoever manages a poll does on its card: answer for someone outside Teams, remind those
// who have not answered, move the deadline, add or remove slots, close it, fix the date or cancel it.
import { deadlineLabel } from '../../../cards/pollLabels';
import { inputText } from '../../../domain/input';
import { t } from '../../../locales/i18n';
import type { PollDoc, PollParticipantDoc } from '../../../models/poll';
import type { Result } from '../../../services/polls';
import type { Feature, TurnScope } from '../../routes';
import { Outcome, PollContext, pollRoutes } from './context';
import type { PollInvitations } from './invitations';
import type { SharedPollCard } from './sharedCard';

/** The poll an organiser action is about, once the user is known to manage it. */
interface Managed {
  poll: PollDoc;
  by: string;
}

type Handler = (m: Managed, data: Record<string, unknown>, scope: TurnScope) => Promise<Outcome>;

export class PollOrganiserFeature implements Feature {
  readonly name = 'polls/organiser';
  private readonly routes = pollRoutes({
    'poll.answerFor': this.managed('poll.answerFor', (m, data, scope) => this.answerFor(m, data, scope)),
    'poll.remind': this.managed('poll.remind', (m, _data, scope) => this.remind(m, scope)),
    'poll.extend': this.managed('poll.extend', (m, data, scope) =>
      this.applied(m, scope, this.ctx.deps.polls.extendDeadline(m.poll.pollId, `${inputText(data.deadline_date, 20)}T${inputText(data.deadline_time, 20).slice(0, 5)}`, m.by), 'poll.notice.extended'),
    ),
    'poll.addSlot': this.managed('poll.addSlot', (m, data, scope) => {
      const duration = inputText(data.new_duration, 20);
      const slot = { start: `${inputText(data.new_date, 20)}T${inputText(data.new_time, 20).slice(0, 5)}`, durationMinutes: duration === '' ? Number.NaN : Number(duration) };
      return this.applied(m, scope, this.ctx.deps.polls.addSlot(m.poll.pollId, slot, m.by), 'poll.notice.slotAdded');
    }),
    'poll.removeSlot': this.managed('poll.removeSlot', (m, data, scope) => this.applied(m, scope, this.ctx.deps.polls.removeSlot(m.poll.pollId, inputText(data.remove_slot, 20), m.by), 'poll.notice.slotRemoved')),
    'poll.close': this.managed('poll.close', (m, _data, scope) => this.applied(m, scope, this.ctx.deps.polls.close(m.poll.pollId, m.by), 'poll.notice.closed')),
    'poll.choose': this.managed('poll.choose', (m, data, scope) => this.decided(m, scope, this.ctx.deps.polls.choose(m.poll.pollId, inputText(data.final_slot, 20), m.by), 'poll.notice.decided')),
    'poll.cancel': this.managed('poll.cancel', (m, _data, scope) => this.decided(m, scope, this.ctx.deps.polls.cancel(m.poll.pollId, m.by), 'poll.notice.cancelled')),
  });
  readonly verbs = this.routes.verbs;
  readonly submits = this.routes.submits;

  constructor(
    private readonly ctx: PollContext,
    private readonly shared: SharedPollCard,
    private readonly invitations: PollInvitations,
  ) {}

  /** The handler, run only for someone who manages the poll (every action asks, whatever the card showed). */
  private managed(verb: string, handle: Handler) {
    return async (data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> => {
      const me = scope.context.activity.from.aadObjectId;
      const poll = await this.ctx.deps.polls.get(inputText(data.pollId, 100));
      if (!poll) return { text: scope.tr('poll.error.unknownPoll') };
      if (!(await this.ctx.deps.access.mayManage(poll, me))) {
        scope.log.warn({ pollId: poll.pollId, verb, event: 'poll.manage.refused' }, 'organiser action refused');
        return { text: scope.tr('poll.error.notAllowed') };
      }
      return handle({ poll, by: me! }, data, scope);
    };
  }

  /** The manager's view of the poll as it is now, with a notice or an error. */
  private async show(m: Managed, scope: TurnScope, extra: { error?: string; notice?: string; participant?: PollParticipantDoc }): Promise<Outcome> {
    const state = (await this.ctx.deps.polls.state(m.poll.pollId))!;
    return { card: await this.ctx.viewFor(state, m.by, scope, extra) };
  }

  private async applied(m: Managed, scope: TurnScope, change: Promise<Result<PollDoc>>, noticeKey: string): Promise<Outcome> {
    const result = await change;
    if (!result.ok) return this.show(m, scope, { error: this.ctx.errorText(result.error, scope.locale, m.poll) });
    scope.log.info({ pollId: m.poll.pollId, event: `poll.${result.value.change}` }, 'poll changed');
    void this.shared.refresh(m.poll.pollId);
    return this.show(m, scope, { notice: scope.tr(noticeKey) });
  }

  /** The answer form of someone outside Teams, for the manager to fill in. */
  private answerFor(m: Managed, data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const participant = m.poll.participants.find((p) => p.key === inputText(data.answer_for, 100) && p.external);
    return this.show(m, scope, participant ? { participant } : { error: scope.tr('poll.error.notParticipant') });
  }

  private async remind(m: Managed, scope: TurnScope): Promise<Outcome> {
    const closed = this.ctx.deps.polls.acceptsAnswers(m.poll);
    if (closed) return this.show(m, scope, { error: this.ctx.errorText(closed, scope.locale) });
    const count = await this.remindPending(m.poll);
    scope.log.info({ pollId: m.poll.pollId, count, event: 'poll.reminded' }, 'non-respondents reminded');
    return this.show(m, scope, { notice: scope.tr('poll.notice.reminded', { count }) });
  }

  /** 1:1 reminder to every Teams participant without an answer; returns how many were reached. */
  private async remindPending(poll: PollDoc): Promise<number> {
    const state = await this.ctx.deps.polls.stateOf(poll);
    let sent = 0;
    for (const p of state.pending) {
      if (!p.aadObjectId) continue; // externals: the organiser phones them
      const locale = await this.ctx.localeOf(p.aadObjectId, poll.locale);
      const result = await this.ctx.deps.messenger.sendToUser(
        { aadObjectId: p.aadObjectId, teamsUserId: p.teamsUserId },
        { text: t(locale, 'poll.msg.reminder', { trackingId: poll.trackingId, deadline: deadlineLabel(poll, locale) }) },
        poll.conversationId ?? undefined,
      );
      if (result.ok) sent++;
    }
    return sent;
  }

  /**
   * The date fixed or cancelled (the case follows through the poll service's event). The click
   * answers at once; the invitations (each send may retry for a minute or more) follow in the
   * background, and the one who chose is told the outcome.
   */
  private async decided(m: Managed, scope: TurnScope, change: Promise<Result<PollDoc>>, noticeKey: string): Promise<Outcome> {
    const result = await change;
    if (!result.ok) return this.show(m, scope, { error: this.ctx.errorText(result.error, scope.locale, m.poll) });
    const decided = result.value;
    scope.log.info({ pollId: decided.pollId, sequence: decided.icsSequence, event: `poll.${decided.status}` }, 'poll decided');
    void this.shared.refresh(decided.pollId);
    const chooser = { aadObjectId: m.by, teamsUserId: scope.context.activity.from.id ?? null };
    this.ctx.inBackground(`poll.${decided.status}`, decided.pollId, async () => {
      await this.invitations.report(decided, chooser, await this.invitations.send(decided));
    });
    return this.show(m, scope, { notice: scope.tr(noticeKey), error: decided.organiser.email ? undefined : scope.tr('poll.error.noInvitationEmail') });
  }
}
