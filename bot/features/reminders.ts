// Reminders in Teams: the buttons of a reminder card (done / snooze / plan a concertation) and the
// "my reminders" command (grouped by case and recipient, paged with the `reminder.page` verb).
// Only the recipient, the case organiser or a coordinator may act on a reminder; everyone else
// gets a clear refusal. Sending reminders is jobs/reminders.ts.
import { AdaptiveCardInvokeResponse, CardFactory } from 'botbuilder';
import { planPollCard } from '../../cards/poll';
import { formatWhen, reminderCard, reminderListCard, reminderTexts } from '../../cards/reminder';
import { can } from '../../domain/permissions';
import type { SnoozeChoice } from '../../domain/reminderDates';
import { caseKeyOf, reminderCaseOf } from '../../domain/reminderPayload';
import { Locale, t, toSupportedLocale } from '../../locales/i18n';
import type { Reminder } from '../../models/reminder';
import type { CaseService } from '../../services/cases';
import type { MemberService } from '../../services/members';
import type { ReminderService } from '../../services/reminders';
import type { ConversationReferences } from '../conversationReferences';
import type { ProactiveMessenger } from '../proactive';
import { organiserContact } from '../reminderMessenger';
import type { TurnScope, VerbHandler } from '../routes';
import { cardResponse, Feature, isPersonalChat, messageResponse } from '../teamsBot';

export interface ReminderFeatureDeps {
  reminders: ReminderService;
  members: MemberService;
  /** Case participants' names ("my reminders" says whose each reminder is) and the case conversation (plan a concertation). */
  cases: Pick<CaseService, 'participants' | 'get'>;
  references: ConversationReferences;
  messenger: Pick<ProactiveMessenger, 'send' | 'sendToUser'>;
  defaultLocale: Locale;
}

type ReminderAction = (r: Reminder, data: Record<string, unknown>, scope: TurnScope) => Promise<AdaptiveCardInvokeResponse>;

/** A page number from card data (a number, or a string from an older card); 1 when absent or bad. */
function pageOf(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}


const actor = (scope: TurnScope): string => scope.context.activity.from.aadObjectId ?? scope.context.activity.from.id;
const isClosed = (r: Reminder): boolean => r.status === 'cancelled' || r.status === 'done';
const closedMessage = (r: Reminder, scope: TurnScope) => messageResponse(scope.tr('reminder.error.closed', { status: scope.tr(`reminder.status.${r.status}`) }));

export class ReminderFeature implements Feature {
  readonly name = 'reminders';
  readonly buttons: Feature['buttons'] = { myReminders: { command: 'myReminders' } };
  readonly commands: Feature['commands'] = { myReminders: (_command, scope) => this.myReminders(scope) };
  readonly verbs: Record<string, VerbHandler> = {
    'reminder.page': (data, scope) => this.page(data, scope),
    ...this.onOneReminder({
      'reminder.done': (r, data, scope) => this.done(r, data, scope),
      'reminder.cancel': (r, data, scope) => this.cancel(r, data, scope),
      'reminder.snooze1d': (r, data, scope) => this.snooze(r, '1d', data, scope),
      'reminder.snooze1w': (r, data, scope) => this.snooze(r, '1w', data, scope),
      'reminder.planConcertation': (r, _data, scope) => this.planConcertation(r, scope),
    }),
  };

  constructor(private readonly deps: ReminderFeatureDeps) {}

  private async myReminders(scope: TurnScope): Promise<boolean> {
    const { context, tr } = scope;
    if (!isPersonalChat(scope)) {
      await context.sendActivity(tr('reminder.error.onlyPersonal'));
      return true;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await this.listCard(scope))] });
    return true;
  }

  /** "My reminders" at a page (1-based): the user's own and, for an organiser, their cases' ones. */
  private async listCard(scope: TurnScope, page = 1, notice = '') {
    const me = scope.context.activity.from.aadObjectId;
    if (!me) return reminderListCard([], scope.locale, { notice }).card;
    const organiser = await this.deps.members.hasRole(me, 'organiser');
    const list = (await this.deps.reminders.lists.listFor(me, organiser)) as Reminder[];
    return reminderListCard(list, scope.locale, { me, names: await this.namesOf(list), page, notice }).card;
  }

  /** Recipients' display names: case participants first, then pool members and coordinators. */
  private async namesOf(list: Reminder[]): Promise<Map<string, string>> {
    const wanted = new Set(list.map((r) => r.recipientAadObjectId).filter((id): id is string => Boolean(id)));
    const names = await this.deps.members.namesOf([...wanted]);
    for (const trackingId of new Set(list.map(reminderCaseOf))) {
      for (const p of await this.deps.cases.participants(trackingId)) if (p.aadObjectId && wanted.has(p.aadObjectId) && p.displayName) names.set(p.aadObjectId, p.displayName);
    }
    return names;
  }

  /** The list is personal: a page answered in a group would replace the card for everyone there. */
  private async page(data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    if (!isPersonalChat(scope)) return messageResponse(scope.tr('reminder.error.onlyPersonal'));
    return cardResponse(await this.listCard(scope, pageOf(data.page)));
  }

  /** Buttons on one reminder (`data.key`): run when it exists and the clicker may act on it. */
  private onOneReminder(actions: Record<string, ReminderAction>): Record<string, VerbHandler> {
    const guarded = ([verb, action]: [string, ReminderAction]): [string, VerbHandler] => [
      verb,
      async (data, scope) => {
        const key = typeof data.key === 'string' ? data.key : '';
        const r = key ? ((await this.deps.reminders.get(key)) as Reminder | null) : null;
        if (!r) return messageResponse(scope.tr('reminder.error.unknown'));
        if (!(await this.mayAct(r, scope))) {
          scope.log.warn({ verb }, 'reminder action refused');
          return messageResponse(scope.tr('reminder.error.notAllowed'));
        }
        return action(r, data, scope);
      },
    ];
    return Object.fromEntries(Object.entries(actions).map(guarded));
  }

  /** The recipient, the case's organiser, the coordination, or (posted to a chat) that chat's members: domain/permissions.ts. */
  private async mayAct(r: Reminder, scope: TurnScope): Promise<boolean> {
    const me = scope.context.activity.from.aadObjectId;
    const here = scope.context.activity.conversation.id;
    return can('actOnReminder', {
      isRecipient: Boolean(me) && me === r.recipientAadObjectId,
      isOrganiser: Boolean(me) && me === r.organiserAadObjectId,
      isCoordinator: await this.deps.members.isCoordinator(me),
      roles: [],
      inConversation: Boolean(r.recipientConversationId) && here === r.recipientConversationId,
    });
  }

  /** The answer to an action: the list at its page when clicked there (only in a 1:1 chat, see `page`), else the reminder card with its new state. */
  private async reply(updated: Reminder, state: string, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const fromList = data.from === 'list' && isPersonalChat(scope);
    return fromList ? cardResponse(await this.listCard(scope, pageOf(data.page), state)) : cardResponse(reminderCard(updated, scope.locale, { state }));
  }

  private async done(r: Reminder, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    if (isClosed(r)) return closedMessage(r, scope);
    const done = (await this.deps.reminders.markDone(r.key, actor(scope))) ?? r;
    return this.reply(done, scope.tr('reminder.state.done'), data, scope);
  }

  private async cancel(r: Reminder, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    if (r.status !== 'scheduled') return closedMessage(r, scope);
    const cancelled = (await this.deps.reminders.cancel(r.key, actor(scope))) ?? r;
    return this.reply(cancelled, scope.tr('reminder.state.cancelled'), data, scope);
  }

  private async snooze(r: Reminder, choice: SnoozeChoice, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    if (isClosed(r)) return closedMessage(r, scope);
    const next = await this.deps.reminders.snoozeFor(r.key, choice, actor(scope));
    return this.reply(r, scope.tr('reminder.state.snoozed', { date: formatWhen(next?.dueAt ?? new Date(), scope.locale) }), data, scope);
  }

  /**
   * "Plan a concertation" on a follow-up reminder: the case conversation gets a button that opens
   * the availability poll there (the organiser clicks it); without a case conversation, or when
   * that post fails, the organiser is told 1:1. Either happens once per reminder.
   */
  private async planConcertation(r: Reminder, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const { tr } = scope;
    if (r.kind !== 'followUp') return messageResponse(tr('reminder.error.onlyFollowUp'));
    const subject = reminderTexts(r, scope.locale).subject;
    if (await this.postPlanCard(r)) return messageResponse(tr('reminder.plan.notified', { subject }));
    const organiser = r.organiserAadObjectId;
    if (!organiser) return messageResponse(tr('reminder.plan.noOrganiser', { subject }));
    // A double click (or two clicks by two people) tells the organiser once.
    if (!(await this.deps.reminders.once(r.key, 'planConcertation'))) return messageResponse(tr('reminder.plan.already', { subject }));
    const contact = await organiserContact(this.deps.members, this.deps.references, organiser, this.deps.defaultLocale);
    const text = t(contact.locale, 'reminder.plan.organiserMessage', { subject: reminderTexts(r, contact.locale).subject });
    const res = await this.deps.messenger.sendToUser({ aadObjectId: organiser, teamsUserId: contact.teamsUserId }, { type: 'message', text }, r.viaConversationId ?? undefined);
    if (!res.ok) {
      scope.log.error({ outcome: res.outcome }, 'organiser not told of a concertation request');
      await this.deps.reminders.releaseOnce(r.key, 'planConcertation');
      return messageResponse(tr('reminder.plan.notDelivered', { subject }));
    }
    scope.log.info({ kind: r.kind }, 'concertation requested from a follow-up reminder');
    return messageResponse(tr('reminder.plan.notified', { subject }));
  }

  /** The "plan a poll" card posted to the case conversation: true when posted (now, or by an earlier click). */
  private async postPlanCard(r: Reminder): Promise<boolean> {
    const trackingId = caseKeyOf(r.subject);
    const c = await this.deps.cases.get(trackingId);
    if (!c?.conversationId) return false;
    if (!(await this.deps.reminders.once(r.key, 'planConcertation'))) return true;
    const locale = toSupportedLocale(c.locale) ?? this.deps.defaultLocale;
    const res = await this.deps.messenger.send(c.conversationId, { attachments: [CardFactory.adaptiveCard(planPollCard(trackingId, locale))] });
    if (!res.ok) await this.deps.reminders.releaseOnce(r.key, 'planConcertation');
    return res.ok;
  }
}
