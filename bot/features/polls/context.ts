// What the poll features share: their dependencies, the card a user should see, the languages of
// the people they write to, the work that goes on after a click has answered, and how a poll
// action becomes the answer to an Action.Execute or to its Action.Submit fallback.
import { CardFactory, TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { pollCard, PollViewMode, validationMessages } from '../../../cards/poll';
import { slotLabel } from '../../../cards/pollLabels';
import { Locale, t, toSupportedLocale } from '../../../locales/i18n';
import type { PollDoc, PollParticipantDoc, PollState } from '../../../models/poll';
import type { CaseService } from '../../../services/cases';
import type { Clock } from '../../../services/clock';
import type { MemberService } from '../../../services/members';
import type { PollAccess } from '../../../services/pollAccess';
import { participantKeyOf, PollError, PollService } from '../../../services/polls';
import { SerialByKey } from '../../../services/serialByKey';
import type { ConversationReferences } from '../../conversationReferences';
import type { Logger } from '../../logger';
import type { Outgoing, ProactiveResult } from '../../proactive';
import type { SubmitHandler, TurnScope, VerbHandler } from '../../routes';
import { cardResponse, messageResponse } from '../../teamsBot';

export interface PollMessenger {
  send(conversationId: string, activity: Outgoing): Promise<ProactiveResult>;
  update(conversationId: string, activityId: string, activity: Outgoing): Promise<ProactiveResult>;
  sendToUser(user: { aadObjectId: string; teamsUserId?: string | null }, activity: Outgoing, via?: string): Promise<ProactiveResult>;
}

/** What the poll features read from a case: the case of a linked chat, its participants for the form. */
export type PollCases = Pick<CaseService, 'caseForConversation' | 'participants'>;

export interface PollFeatureDeps {
  polls: PollService;
  /** Every permission check (domain/permissions.ts through the case service). */
  access: PollAccess;
  members: MemberService;
  references: ConversationReferences;
  messenger: PollMessenger;
  clock: Clock;
  logger: Logger;
  defaultLocale: Locale;
  /** Without it, "nouveau sondage" needs the tracking id and the form starts empty. */
  cases?: PollCases;
}

/** What an action produced: a card replacing the clicked one, or a short message. */
export type Outcome = { card: object } | { text: string };
export type PollAction = (data: Record<string, unknown>, scope: TurnScope) => Promise<Outcome>;

export const card = (content: object) => CardFactory.adaptiveCard(content);

export const isGroup = (context: TurnContext): boolean => (context.activity.conversation.conversationType ?? 'personal') !== 'personal';

export interface ViewExtra {
  error?: string;
  notice?: string;
  values?: Record<string, string>;
  participant?: PollParticipantDoc;
}

/**
 * The routes of a set of poll actions: each verb (Action.Execute, answered in place of the card)
 * and the same name as an Action.Submit (clients without universal actions: answered as a reply).
 */
export function pollRoutes(actions: Record<string, PollAction>): { verbs: Record<string, VerbHandler>; submits: Record<string, SubmitHandler> } {
  const verbs: Record<string, VerbHandler> = {};
  const submits: Record<string, SubmitHandler> = {};
  for (const [name, action] of Object.entries(actions)) {
    const run = async (data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> => {
      try {
        return await action(data, scope);
      } catch (err) {
        scope.log.error({ verb: name, err: (err as Error)?.name }, 'poll action failed');
        return { text: scope.tr('error.generic') };
      }
    };
    verbs[name] = async (data, scope) => {
      const outcome = await run(data, scope);
      return 'card' in outcome ? cardResponse(outcome.card) : messageResponse(outcome.text);
    };
    submits[name] = async (value, scope) => {
      const outcome = await run(value, scope);
      await scope.context.sendActivity('card' in outcome ? { attachments: [card(outcome.card)] } : outcome.text);
      return true;
    };
  }
  return { verbs, submits };
}

export class PollContext {
  /**
   * Which view a user gets (display only; every organiser action asks again): remembered for a
   * few seconds so a burst of voters does not re-read roles on every answer.
   */
  private readonly viewRoles = new LRUCache<string, Promise<boolean>>({ max: 2000, ttl: 5000 });
  /** Work started by a click that goes on after the invoke answered (invitations and their report). */
  private readonly background = new Set<Promise<void>>();
  private readonly perPoll = new SerialByKey();

  constructor(readonly deps: PollFeatureDeps) {}

  /** The card this user should see: organiser view, their own answers, or the shared one. */
  async viewFor(state: PollState, aad: string | undefined, scope: TurnScope, extra: ViewExtra = {}) {
    const { poll } = state;
    const self = aad ? poll.participants.find((p) => p.key === participantKeyOf(aad)) : undefined;
    const mode: PollViewMode = (await this.showsOrganiserView(poll, aad)) ? 'organiser' : self ? 'participant' : 'shared';
    return pollCard(state, {
      mode,
      locale: scope.locale,
      timeZone: scope.context.activity.localTimezone || undefined,
      participant: extra.participant ?? self,
      answersOpen: this.deps.polls.acceptsAnswers(poll) === null,
      error: extra.error,
      notice: extra.notice,
      values: extra.values,
    });
  }

  private showsOrganiserView(poll: PollDoc, aad: string | undefined): Promise<boolean> {
    if (!aad) return Promise.resolve(false);
    const key = `${poll.trackingId}|${aad}`;
    const cached = this.viewRoles.get(key);
    if (cached) return cached;
    const manager = this.deps.access.mayManage(poll, aad);
    this.viewRoles.set(key, manager);
    return manager;
  }

  /** The language to write to someone in: their choice, their 1:1 chat's, else the poll's. */
  async localeOf(aad: string | null, fallback: string): Promise<Locale> {
    const ref = aad ? await this.deps.references.personalFor(aad) : null;
    const spoken = (ref as { locale?: string } | null)?.locale;
    return (aad ? await this.deps.members.localeOf(aad, spoken) : null) ?? this.pollLocale(fallback);
  }

  /** The poll's own language (its shared card's). */
  pollLocale(locale: string): Locale {
    return toSupportedLocale(locale) ?? this.deps.defaultLocale;
  }

  errorText(error: PollError, locale: Locale, poll?: PollDoc): string {
    if (error.code === 'validation') {
      const labels = (slotId: string) => {
        const s = poll?.slots.find((x) => x.id === slotId);
        return s ? slotLabel(s, locale) : t(locale, 'poll.create.slotLabel', { n: slotId.replace(/^s/, '') });
      };
      return validationMessages(error.errors, locale, labels).join('\n\n');
    }
    return t(locale, `poll.error.${error.code}`);
  }

  /**
   * Runs work after the invoke has answered; settled() waits for it, a failure is logged (ids only).
   * One poll's jobs run in order: a cancellation never reaches someone before the invitation it cancels.
   */
  inBackground(event: string, pollId: string, work: () => Promise<void>): void {
    const done: Promise<void> = this.perPoll
      .run(pollId, work)
      .catch((err) => this.deps.logger.error({ pollId, event: `${event}.failed`, err: (err as Error)?.name }, 'background poll work failed'))
      .finally(() => this.background.delete(done));
    this.background.add(done);
  }

  /** The background work started so far (empty when none is running). */
  pending(): Array<Promise<void>> {
    return [...this.background];
  }
}
