// Reminders in Teams: the buttons of a reminder card (done / snooze / plan a concertation) and the
// "my reminders" command (grouped by case and recipient, paged with the `reminder.page` verb). Only the recipient, the case organiser or a coordinator may act on a
// reminder; everyone else gets a clear refusal. Sending reminders is jobs/reminders.ts.
import { CardFactory } from 'botbuilder';
import { caseOf, formatWhen, reminderCard, reminderListCard, reminderTexts } from '../../cards/reminder';
import { can } from '../../domain/permissions';
import type { SnoozeChoice } from '../../domain/reminderDates';
import { Locale, t } from '../../locales/i18n';
import type { Reminder } from '../../models/reminder';
import type { CaseService } from '../../services/cases';
import type { MemberService } from '../../services/members';
import type { ReminderService } from '../../services/reminders';
import type { Command } from '../commands';
import type { ConversationReferences } from '../conversationReferences';
import type { Logger } from '../logger';
import type { ProactiveMessenger } from '../proactive';
import { cardResponse, Feature, messageResponse, TurnScope } from '../teamsBot';
import { routesOf } from '../routes';
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { OrganiserContact } from '../../jobs/reminders';

export interface ReminderFeatureDeps {
  reminders: ReminderService;
  members: MemberService;
  references: ConversationReferences;
  messenger: Pick<ProactiveMessenger, 'sendToUser'>;
  logger: Logger;
  defaultLocale: Locale;
  /** Case participants' names, so that "my reminders" says whose each reminder is. */
  cases?: Pick<CaseService, 'participants'>;
  /**
   * "Plan a concertation" from a follow-up reminder. The poll feature can hook in here (start a
   * poll for the case) and return true; without a hook the organiser is told 1:1.
   */
  onPlanConcertation?: (reminder: Reminder, scope: TurnScope) => Promise<boolean>;
}

const VERBS = ['reminder.done', 'reminder.snooze1d', 'reminder.snooze1w', 'reminder.planConcertation', 'reminder.cancel', 'reminder.page'] as const;
type Verb = (typeof VERBS)[number];
const isVerb = (v: string): v is Verb => (VERBS as readonly string[]).includes(v);

/** A page number from card data (a number, or a string from an older card); 1 when absent or bad. */
function pageOf(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

const isPersonal = (scope: TurnScope): boolean => {
  const type = scope.context.activity.conversation.conversationType;
  return !type || type === 'personal';
};

/** How to reach an organiser: Teams user id (to open a 1:1 chat) and their language. */
export async function organiserContact(members: MemberService, references: ConversationReferences, aadObjectId: string, fallback: Locale): Promise<OrganiserContact> {
  const member = await members.get(aadObjectId);
  const ref = await references.personalFor(aadObjectId);
  // Known before any 1:1 chat exists: the member's preferred language (first set from the pool's).
  return { teamsUserId: member?.teamsUserId ?? null, locale: (await members.localeOf(aadObjectId, ref?.locale)) ?? fallback };
}

export class ReminderFeature implements Feature {
  readonly name = 'reminders';
  readonly buttons: Feature['buttons'] = { myReminders: { command: 'myReminders' } };
  readonly commands: Feature['commands'] = {myReminders: (command, scope) => this.onCommand(command, scope) };
  readonly verbs: Feature['verbs'] = routesOf(VERBS, (verb) => async (data, scope) => (await this.onCardAction(verb, data, scope)) ?? messageResponse(scope.tr('error.notUnderstood')));
  constructor(private readonly deps: ReminderFeatureDeps) {}

  async onCommand(command: Command, scope: TurnScope): Promise<boolean> {
    if (command.name !== 'myReminders') return false;
    const { context, tr } = scope;
    const type = context.activity.conversation.conversationType;
    if (type && type !== 'personal') {
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
    const list = (await this.deps.reminders.listFor(me, organiser)) as Reminder[];
    return reminderListCard(list, scope.locale, { me, names: await this.namesOf(list), page, notice }).card;
  }

  /** Recipients' display names: case participants first, then pool members and coordinators. */
  private async namesOf(list: Reminder[]): Promise<Map<string, string>> {
    const wanted = new Set(list.map((r) => r.recipientAadObjectId).filter((id): id is string => Boolean(id)));
    const names = await this.deps.members.namesOf([...wanted]);
    if (this.deps.cases) {
      for (const trackingId of new Set(list.map(caseOf))) {
        for (const p of await this.deps.cases.participants(trackingId)) if (p.aadObjectId && wanted.has(p.aadObjectId) && p.displayName) names.set(p.aadObjectId, p.displayName);
      }
    }
    return names;
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

  async onCardAction(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse | null> {
    if (!isVerb(verb)) return null;
    const { tr, locale } = scope;
    const page = pageOf(data.page);
    if (verb === 'reminder.page') {
      // The list is personal: a page answered in a group would replace the card for everyone there.
      if (!isPersonal(scope)) return messageResponse(tr('reminder.error.onlyPersonal'));
      return cardResponse(await this.listCard(scope, page));
    }
    const key = typeof data.key === 'string' ? data.key : '';
    const r = key ? ((await this.deps.reminders.get(key)) as Reminder | null) : null;
    if (!r) return messageResponse(tr('reminder.error.unknown'));
    if (!(await this.mayAct(r, scope))) {
      scope.log.warn({ verb }, 'reminder action refused');
      return messageResponse(tr('reminder.error.notAllowed'));
    }
    const me = scope.context.activity.from.aadObjectId ?? scope.context.activity.from.id;
    // The list answers only where it can be: a 1:1 chat (see reminder.page).
    const fromList = data.from === 'list' && isPersonal(scope);
    const closed = r.status === 'cancelled' || r.status === 'done';
    const reply = async (updated: Reminder, state: string) =>
      fromList ? cardResponse(await this.listCard(scope, page, state)) : cardResponse(reminderCard(updated, locale, { state }));

    switch (verb) {
      case 'reminder.done': {
        if (closed) return messageResponse(tr('reminder.error.closed', { status: tr(`reminder.status.${r.status}`) }));
        const done = (await this.deps.reminders.markDone(key, me)) ?? r;
        return reply(done, tr('reminder.state.done'));
      }
      case 'reminder.cancel': {
        if (r.status !== 'scheduled') return messageResponse(tr('reminder.error.closed', { status: tr(`reminder.status.${r.status}`) }));
        const cancelled = (await this.deps.reminders.cancel(key, me)) ?? r;
        return reply(cancelled, tr('reminder.state.cancelled'));
      }
      case 'reminder.snooze1d':
      case 'reminder.snooze1w': {
        if (closed) return messageResponse(tr('reminder.error.closed', { status: tr(`reminder.status.${r.status}`) }));
        const choice: SnoozeChoice = verb === 'reminder.snooze1d' ? '1d' : '1w';
        const next = await this.deps.reminders.snoozeFor(key, choice, me);
        return reply(r, tr('reminder.state.snoozed', { date: formatWhen(next?.dueAt ?? new Date(), locale) }));
      }
      case 'reminder.planConcertation':
        return this.planConcertation(r, scope);
      default:
        return null;
    }
  }

  private async planConcertation(r: Reminder, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const { tr } = scope;
    if (r.kind !== 'followUp') return messageResponse(tr('reminder.error.onlyFollowUp'));
    const subject = reminderTexts(r, scope.locale).subject;
    if (this.deps.onPlanConcertation && (await this.deps.onPlanConcertation(r, scope))) return messageResponse(tr('reminder.plan.notified', { subject }));
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
}
