// Availability polls in Teams (issue 4): the organiser creates the poll in the case's group chat
// ("nouveau sondage CMD-2026-0001"), the poll card is posted there (or 1:1 to each participant),
// everyone answers with Action.Execute and sees their own answers through the card's refresh,
// the organiser manages it and fixes the date; participants get the invitation 1:1.
import { randomUUID } from 'node:crypto';
import { AdaptiveCardInvokeResponse, CardFactory, FileConsentCardResponse, TeamsInfo, TurnContext } from 'botbuilder';
import {
  CreateFormValues,
  deadlineLabel,
  emptyCreateForm,
  placeLine,
  pollCard,
  pollCreateCard,
  PollViewMode,
  slotLabel,
  validationMessages,
} from '../../cards/poll';
import { eventLocation } from '../../domain/ics';
import { Actor, can } from '../../domain/permissions';
import { pollInviteesFromCase } from '../../domain/pollParticipants';
import { MAX_SLOTS } from '../../domain/pollSlots';
import type { PollAnswer } from '../../domain/pollRanking';
import { Locale, t, toSupportedLocale } from '../../locales/i18n';
import { PLACE_KINDS, PlaceKind, PollDoc, PollParticipantDoc } from '../../models/poll';
import type { CaseService } from '../../services/cases';
import type { Clock } from '../../services/clock';
import type { MemberService } from '../../services/members';
import { ConcertationFixed, participantKeyOf, PollError, PollService, PollState } from '../../services/polls';
import type { RequestDecision } from '../../models/request';
import type { RequestService } from '../../services/requests';
import { SerialByKey } from '../../services/serialByKey';
import type { Command } from '../commands';
import type { ConversationReferences } from '../conversationReferences';
import type { Logger } from '../logger';
import type { Outgoing, ProactiveResult } from '../proactive';
import { cardResponse, Feature, messageResponse, TurnScope } from '../teamsBot';
import { routesOf } from '../routes';

export interface PollMessenger {
  send(conversationId: string, activity: Outgoing): Promise<ProactiveResult>;
  update(conversationId: string, activityId: string, activity: Outgoing): Promise<ProactiveResult>;
  sendToUser(user: { aadObjectId: string; teamsUserId?: string | null }, activity: Outgoing, via?: string): Promise<ProactiveResult>;
}

export interface PollFeatureDeps {
  polls: PollService;
  requests: RequestService;
  members: MemberService;
  references: ConversationReferences;
  messenger: PollMessenger;
  clock: Clock;
  logger: Logger;
  defaultLocale: Locale;
  /**
   * INTEGRATION POINT (lead): "the case gets its concertation date and place". Wire to
   * services/cases.ts setConcertation (called on every final choice, change and cancellation;
   * a failure is logged and never undoes the poll's decision).
   */
  onConcertationFixed?: (fixed: ConcertationFixed, by: string) => Promise<void>;
  /**
   * INTEGRATION POINT (lead): the case service, for the case of a linked chat ("nouveau sondage"
   * without tracking id) and the form pre-filled with the case's participants. Without it, both
   * fall back to what the user types.
   */
  cases?: PollCases;
}

/** What the poll feature reads from a case (services/cases.ts). */
export type PollCases = Pick<CaseService, 'caseForConversation' | 'participants' | 'get'>;

interface RosterMember {
  aadObjectId: string;
  teamsUserId: string;
  name: string;
  email: string | null;
}

/** Who got the invitation message (count) and who did not (names, for the organiser to call). */
interface InvitationOutcome {
  sent: number;
  failed: string[];
}

/** What an action produced: a card replacing the clicked one, or a short message. */
type Outcome = { card: object } | { text: string };

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';
const card = (content: object) => CardFactory.adaptiveCard(content);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const ANSWERS: ReadonlySet<string> = new Set(['yes', 'ifNeedBe', 'no']);
const TRACKING_RE = /^CMD-\d{4}-\d{4,}$/i;
const POLL_VERBS = ['poll.create', 'poll.moreSlots', 'poll.refresh', 'poll.answer', 'poll.answerFor', 'poll.remind', 'poll.extend', 'poll.addSlot', 'poll.removeSlot', 'poll.close', 'poll.choose', 'poll.cancel'] as const;

export class PollFeature implements Feature {
  readonly name = 'polls';
  readonly buttons: Feature['buttons'] = { newPoll: { command: 'newPoll', arg: 'trackingId' } };
  readonly commands: Feature['commands'] = {newPoll: (command, scope) => this.onCommand(command, scope) };
  readonly verbs: Feature['verbs'] = routesOf(POLL_VERBS, (verb) => async (data, scope) => (await this.onCardAction(verb, data, scope)) ?? messageResponse(scope.tr('error.notUnderstood')));
  readonly submits: Feature['submits'] = routesOf(POLL_VERBS, () => (value, scope) => this.onSubmit(value, scope));
  readonly fileConsent: Feature['fileConsent'] = (response, scope) => this.onFileConsent(response, scope);
  /** Shared-card updates in progress per poll: bursts of answers collapse into a few updates. */
  private readonly updating = new Map<string, { dirty: boolean; done: Promise<void> }>();
  /** Work started by a click that goes on after the invoke answered (case date, invitations). */
  private readonly background = new Set<Promise<void>>();
  private readonly perPoll = new SerialByKey();

  constructor(private readonly deps: PollFeatureDeps) {}

  // ---------------------------------------------------------------------------------------
  // Entry points

  async onCommand(command: Command, scope: TurnScope): Promise<boolean> {
    if (command.name !== 'newPoll') return false;
    const { context, tr, locale } = scope;
    let trackingId = command.arg.trim().toUpperCase();
    // In the case's linked chat the tracking id is not needed: the chat says which case it is.
    const group = (context.activity.conversation.conversationType ?? 'personal') !== 'personal';
    if (!trackingId && group) trackingId = (await this.deps.cases?.caseForConversation(context.activity.conversation.id))?.trackingId ?? '';
    if (!TRACKING_RE.test(trackingId)) {
      await context.sendActivity(tr('poll.error.usage'));
      return true;
    }
    const refusal = await this.refuseCase(trackingId, context.activity.from.aadObjectId, tr);
    if (refusal) {
      scope.log.info({ trackingId, event: 'poll.create.refused' }, 'poll creation refused');
      await context.sendActivity(refusal);
      return true;
    }
    const roster = await this.roster(context);
    const values = await this.prefilledForm(trackingId, roster);
    await context.sendActivity({ attachments: [card(pollCreateCard({ trackingId, roster, values, errors: [] }, locale))] });
    return true;
  }

  /** The creation form with the case's participants already in it (domain/pollParticipants.ts). */
  private async prefilledForm(trackingId: string, roster: RosterMember[]): Promise<CreateFormValues> {
    const values = emptyCreateForm();
    if (!this.deps.cases) return values;
    const invitees = pollInviteesFromCase(await this.deps.cases.participants(trackingId), new Set(roster.map((m) => m.aadObjectId)));
    return {
      ...values,
      members: invitees.members.join(','),
      requiredMembers: invitees.requiredMembers.join(','),
      externalsRequired: invitees.externalsRequired.join('\n'),
      externalsOptional: invitees.externalsOptional.join('\n'),
    };
  }

  async onCardAction(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse | null> {
    if (!verb.startsWith('poll.')) return null;
    const outcome = await this.handle(verb, data, scope);
    return 'card' in outcome ? cardResponse(outcome.card) : messageResponse(outcome.text);
  }

  /** Action.Submit fallback (clients without universal actions): same handlers, answer as a reply. */
  async onSubmit(value: Record<string, unknown>, scope: TurnScope): Promise<boolean> {
    const action = str(value.action);
    if (!action.startsWith('poll.')) return false;
    const outcome = await this.handle(action, value, scope);
    await scope.context.sendActivity('card' in outcome ? { attachments: [card(outcome.card)] } : outcome.text);
    return true;
  }

  /** Resolves when the shared-card updates and background sends started so far are done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.updating.size || this.background.size) await Promise.all([...[...this.updating.values()].map((u) => u.done), ...this.background]);
  }

  private async handle(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    try {
      switch (verb) {
        case 'poll.create':
        case 'poll.moreSlots':
          return await this.create(verb, data, scope);
        case 'poll.refresh':
          return await this.refresh(data, scope);
        case 'poll.answer':
          return await this.answer(data, scope);
        case 'poll.answerFor':
        case 'poll.remind':
        case 'poll.extend':
        case 'poll.addSlot':
        case 'poll.removeSlot':
        case 'poll.close':
        case 'poll.choose':
        case 'poll.cancel':
          return await this.organiserAction(verb, data, scope);
        default:
          return { text: scope.tr('error.notUnderstood') };
      }
    } catch (err) {
      scope.log.error({ verb, err: (err as Error)?.name }, 'poll action failed');
      return { text: scope.tr('error.generic') };
    }
  }

  // ---------------------------------------------------------------------------------------
  // Permissions and context

  /**
   * The actor for the case's rule set (domain/permissions.ts): organiser from the admission
   * decision (the case is created from it), coordination from the members.
   */
  private async actorFor(trackingId: string, aad: string | undefined): Promise<{ actor: Actor; decision: RequestDecision | null }> {
    const decision = await this.deps.requests.getDecision(trackingId);
    const actor: Actor = {
      isOrganiser: Boolean(aad) && decision?.organiserAadObjectId === aad,
      isCoordinator: Boolean(aad) && (await this.deps.members.isCoordinator(aad)),
      roles: [],
    };
    return { actor, decision };
  }

  private async refuseCase(trackingId: string, aad: string | undefined, tr: TurnScope['tr']): Promise<string | null> {
    const request = await this.deps.requests.get(trackingId);
    if (!request) return tr('poll.error.unknownCase', { trackingId });
    const { actor, decision } = await this.actorFor(trackingId, aad);
    if (!can('managePoll', actor)) return tr('poll.error.notAllowed');
    if (!decision || decision.status === 'no') return tr('poll.error.caseNotAdmitted', { trackingId });
    // Past its retention period the case keeps no names: a poll would store them again.
    if ((await this.deps.cases?.get(trackingId))?.purgedAt) return tr('cases.error.purged');
    return null;
  }

  private inPoll(poll: PollDoc, aad: string | undefined): boolean {
    return Boolean(aad) && poll.participants.some((p) => p.key === participantKeyOf(aad!));
  }

  /** Same rule as the case's date (managePoll ⇒ schedule): a decision here is never refused by the case. */
  private async canManage(poll: PollDoc, aad: string | undefined): Promise<boolean> {
    return can('managePoll', (await this.actorFor(poll.trackingId, aad)).actor);
  }

  /**
   * Which view to render (display only; every organiser action re-checks canManage): remembered
   * for a few seconds so a burst of voters does not re-read roles on every answer.
   */
  private readonly viewRoles = new Map<string, { at: number; manager: Promise<boolean> }>();
  private showsOrganiserView(poll: PollDoc, aad: string | undefined): Promise<boolean> {
    if (!aad) return Promise.resolve(false);
    const key = `${poll.trackingId}|${aad}`;
    const cached = this.viewRoles.get(key);
    if (cached && Date.now() - cached.at < 5000) return cached.manager;
    const manager = this.canManage(poll, aad);
    this.viewRoles.set(key, { at: Date.now(), manager });
    if (this.viewRoles.size > 2000) this.viewRoles.delete(this.viewRoles.keys().next().value!);
    return manager;
  }

  /** Members of the conversation (Teams roster), without the bot; empty in 1:1 chats or on failure. */
  private async roster(context: TurnContext): Promise<RosterMember[]> {
    if ((context.activity.conversation.conversationType ?? 'personal') === 'personal') return [];
    let timer: NodeJS.Timeout | undefined;
    try {
      const members: RosterMember[] = [];
      let token: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await Promise.race([
          TeamsInfo.getPagedMembers(context, 500, token),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), 5000);
          }),
        ]);
        clearTimeout(timer);
        for (const m of result.members ?? []) {
          if (!m.aadObjectId || m.id === context.activity.recipient.id) continue;
          members.push({ aadObjectId: m.aadObjectId, teamsUserId: m.id, name: m.name || m.givenName || m.aadObjectId, email: m.email || m.userPrincipalName || null });
        }
        token = result.continuationToken;
        if (!token) break;
      }
      return members;
    } catch {
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  private viewerZone(context: TurnContext): string | undefined {
    return context.activity.localTimezone || undefined;
  }

  private async localeOf(aad: string | null, fallback: string): Promise<Locale> {
    const ref = aad ? await this.deps.references.personalFor(aad) : null;
    const spoken = (ref as { locale?: string } | null)?.locale;
    return (aad ? await this.deps.members.localeOf(aad, spoken) : null) ?? toSupportedLocale(fallback) ?? this.deps.defaultLocale;
  }

  private errorText(error: PollError, locale: Locale, poll?: PollDoc): string {
    if (error.code === 'validation') {
      const labels = (slotId: string) => {
        const s = poll?.slots.find((x) => x.id === slotId);
        return s ? slotLabel(s, locale) : t(locale, 'poll.create.slotLabel', { n: slotId.replace(/^s/, '') });
      };
      return validationMessages(error.errors, locale, labels).join('\n\n');
    }
    return t(locale, `poll.error.${error.code}`);
  }

  // ---------------------------------------------------------------------------------------
  // Creation

  private formValues(data: Record<string, unknown>, rowCount: number): CreateFormValues {
    const rows = Array.from({ length: rowCount }, (_, i) => ({
      date: str(data[`slot${i + 1}_date`]).trim(),
      time: str(data[`slot${i + 1}_time`]).trim(),
      duration: str(data[`slot${i + 1}_duration`]).trim(),
    }));
    return {
      rows,
      placeKind: str(data.placeKind),
      placeDetails: str(data.placeDetails).slice(0, 500),
      deadlineDate: str(data.deadline_date).trim(),
      deadlineTime: str(data.deadline_time).trim(),
      members: str(data.members),
      requiredMembers: str(data.requiredMembers),
      externalsRequired: str(data.externalsRequired).slice(0, 2000),
      externalsOptional: str(data.externalsOptional).slice(0, 2000),
    };
  }

  private async create(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const { context, tr, locale } = scope;
    const me = context.activity.from;
    const trackingId = str(data.trackingId).toUpperCase();
    const refusal = TRACKING_RE.test(trackingId) ? await this.refuseCase(trackingId, me.aadObjectId, tr) : tr('poll.error.usage');
    if (refusal) return { text: refusal };
    const rowCount = Math.min(MAX_SLOTS, Math.max(1, Number.parseInt(str(data.rowCount), 10) || 3));
    const values = this.formValues(data, rowCount);
    const roster = await this.roster(context);

    if (verb === 'poll.moreSlots') {
      const more = Math.min(MAX_SLOTS, rowCount + 3);
      while (values.rows.length < more) values.rows.push({ date: '', time: '', duration: '105' });
      return { card: pollCreateCard({ trackingId, roster, values, errors: [] }, locale) };
    }

    const errors: string[] = [];
    // Rows left empty are ignored; slot ids follow the filled rows (s1 = first filled row).
    const filled: Array<{ row: number; start: string; durationMinutes: number }> = [];
    values.rows.forEach((r, i) => {
      if (!r.date && !r.time) return;
      if (!r.date || !r.time) {
        errors.push(tr('poll.error.invalidSlotDate', { slot: tr('poll.create.slotLabel', { n: i + 1 }) }));
        return;
      }
      const time = r.time.slice(0, 5);
      filled.push({ row: i + 1, start: `${r.date}T${time}`, durationMinutes: r.duration === '' ? Number.NaN : Number(r.duration) });
    });
    if (!(PLACE_KINDS as readonly string[]).includes(values.placeKind)) errors.push(tr('poll.error.invalidPlace'));

    const byAad = new Map(roster.map((m) => [m.aadObjectId, m]));
    const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
    const required = new Set(split(values.requiredMembers));
    const chosen = [...new Set([...split(values.members), ...required])].filter((id) => byAad.has(id));
    const lines = (s: string) => s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
    const participants: Array<Omit<PollParticipantDoc, 'key'>> = [
      ...chosen.map((id) => {
        const m = byAad.get(id)!;
        return { aadObjectId: id, teamsUserId: m.teamsUserId, name: m.name, email: m.email, required: required.has(id), external: false };
      }),
      ...lines(values.externalsRequired).map((name) => ({ aadObjectId: null, teamsUserId: null, name: name.slice(0, 120), email: null, required: true, external: true })),
      ...lines(values.externalsOptional).map((name) => ({ aadObjectId: null, teamsUserId: null, name: name.slice(0, 120), email: null, required: false, external: true })),
    ];

    const redo = (messages: string[]) => ({ card: pollCreateCard({ trackingId, roster, values, errors: messages }, locale) });
    if (errors.length) return redo(errors);

    const organiser = byAad.get(me.aadObjectId ?? '') ?? null;
    const group = (context.activity.conversation.conversationType ?? 'personal') !== 'personal';
    const result = await this.deps.polls.create(
      {
        trackingId,
        conversationId: group ? context.activity.conversation.id : null,
        organiser: { aadObjectId: me.aadObjectId!, teamsUserId: me.id, name: me.name || organiser?.name || me.aadObjectId!, email: organiser?.email ?? (await this.memberEmail(context)) },
        locale,
        slots: filled.map((f) => ({ start: f.start, durationMinutes: f.durationMinutes })),
        place: { kind: values.placeKind as PlaceKind, details: values.placeDetails.trim() },
        deadline: values.deadlineDate && values.deadlineTime ? `${values.deadlineDate}T${values.deadlineTime.slice(0, 5)}` : '',
        participants,
      },
      me.aadObjectId!,
    );
    if (!result.ok) {
      const rowOf = (slotId: string) => tr('poll.create.slotLabel', { n: filled[Number(slotId.slice(1)) - 1]?.row ?? slotId });
      const messages = result.error.code === 'validation' ? validationMessages(result.error.errors, locale, rowOf) : [this.errorText(result.error, locale)];
      return redo(messages);
    }
    const poll = result.value;
    scope.log.info({ pollId: poll.pollId, trackingId, slots: poll.slots.length, participants: poll.participants.length, event: 'poll.created' }, 'poll created');
    const posted = await this.postPoll(poll, group ? context.activity.conversation.id : null);
    const state = await this.deps.polls.state(poll.pollId);
    const view = await this.viewFor(state!, me.aadObjectId, scope, posted ? undefined : { error: tr('poll.error.postFailed') });
    return { card: view };
  }

  private async memberEmail(context: TurnContext): Promise<string | null> {
    if ((context.activity.conversation.conversationType ?? 'personal') !== 'personal') return null;
    try {
      const m = await TeamsInfo.getMember(context, context.activity.from.id);
      return m.email || m.userPrincipalName || null;
    } catch {
      return null;
    }
  }

  /** Posts the shared card to the group conversation, or 1:1 to each Teams participant. */
  private async postPoll(poll: PollDoc, groupConversationId: string | null): Promise<boolean> {
    const state = await this.deps.polls.stateOf(poll);
    const locale = toSupportedLocale(poll.locale) ?? this.deps.defaultLocale;
    if (groupConversationId) {
      const result = await this.deps.messenger.send(groupConversationId, { attachments: [card(pollCard(state, { mode: 'shared', locale }))] });
      if (!result.ok || !result.activityId) {
        this.deps.logger.error({ pollId: poll.pollId, event: 'poll.postFailed' }, 'poll card not posted');
        return false;
      }
      await this.deps.polls.recordMessage(poll.pollId, groupConversationId, result.activityId);
      return true;
    }
    const cards: PollDoc['personalCards'] = [];
    for (const p of poll.participants) {
      if (!p.aadObjectId) continue;
      const pl = await this.localeOf(p.aadObjectId, poll.locale);
      const result = await this.deps.messenger.sendToUser(
        { aadObjectId: p.aadObjectId, teamsUserId: p.teamsUserId },
        { text: t(pl, 'poll.msg.newPoll', { trackingId: poll.trackingId }), attachments: [card(pollCard(state, { mode: 'participant', locale: pl, participant: p }))] },
      );
      if (result.ok && result.activityId) cards.push({ participantKey: p.key, conversationId: result.conversationId, activityId: result.activityId });
    }
    if (cards.length) await this.deps.polls.recordPersonalCards(poll.pollId, cards);
    return cards.length > 0 || !poll.participants.some((p) => p.aadObjectId);
  }

  // ---------------------------------------------------------------------------------------
  // Views

  /** The card this user should see: organiser view, their own answers, or the shared one. */
  private async viewFor(state: PollState, aad: string | undefined, scope: TurnScope, extra: { error?: string; notice?: string; values?: Record<string, string>; participant?: PollParticipantDoc } = {}) {
    const { poll } = state;
    const self = aad ? poll.participants.find((p) => p.key === participantKeyOf(aad)) : undefined;
    const mode: PollViewMode = (await this.showsOrganiserView(poll, aad)) ? 'organiser' : self ? 'participant' : 'shared';
    return pollCard(state, {
      mode,
      locale: scope.locale,
      timeZone: this.viewerZone(scope.context),
      participant: extra.participant ?? self,
      answersOpen: this.deps.polls.acceptsAnswers(poll) === null,
      error: extra.error,
      notice: extra.notice,
      values: extra.values,
    });
  }

  private async refresh(data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const state = await this.deps.polls.state(str(data.pollId));
    if (!state) return { text: scope.tr('poll.error.unknownPoll') };
    // A read checks membership like a write (the card shows the tracking id and participants): a
    // participant, whoever may manage the poll, or someone in a conversation where the card is posted.
    const me = scope.context.activity.from?.aadObjectId;
    const { poll } = state;
    const here = scope.context.activity.conversation?.id;
    const inConversation = Boolean(here) && (here === poll.conversationId || poll.personalCards.some((c) => c.conversationId === here));
    const seen = { inPoll: this.inPoll(poll, me), inConversation };
    // Roles are read only when the card's own people do not already cover the reader (refreshes come in bursts).
    const allowed = can('readPoll', { isOrganiser: false, isCoordinator: false, roles: [], ...seen }) || can('readPoll', { ...(await this.actorFor(poll.trackingId, me)).actor, ...seen });
    if (!allowed) {
      scope.log.warn({ pollId: poll.pollId, event: 'poll.refresh.refused' }, 'poll view refused');
      return { text: scope.tr('poll.error.notParticipant') };
    }
    return { card: await this.viewFor(state, me, scope) };
  }

  // ---------------------------------------------------------------------------------------
  // Answers

  private async answer(data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const { context, tr, locale } = scope;
    const me = context.activity.from.aadObjectId;
    const pollId = str(data.pollId);
    const poll = await this.deps.polls.get(pollId);
    if (!poll || !me) return { text: tr('poll.error.unknownPoll') };
    const key = str(data.participantKey) || participantKeyOf(me);
    const participant = poll.participants.find((p) => p.key === key);
    if (!participant) return { text: tr('poll.error.notParticipant') };
    // Externals are answered for by whoever manages the poll; a Teams user answers only for themself.
    const self: Actor = { isOrganiser: false, isCoordinator: false, roles: [], inPoll: poll.participants.some((p) => p.key === participantKeyOf(me)) };
    const allowed = participant.external ? await this.canManage(poll, me) : key === participantKeyOf(me) && can('answerPoll', self);
    if (!allowed) {
      scope.log.warn({ pollId, event: 'poll.answer.refused' }, 'answer refused');
      return { text: tr(participant.external ? 'poll.error.notAllowed' : 'poll.error.notParticipant') };
    }
    const values: Record<string, string> = { comment: str(data.comment) };
    const answers: Record<string, PollAnswer> = {};
    for (const s of poll.slots.filter((x) => !x.removed)) {
      const v = str(data[`slot_${s.id}`]);
      values[`slot_${s.id}`] = v;
      if (ANSWERS.has(v)) answers[s.id] = v as PollAnswer;
    }
    const result = await this.deps.polls.answer({
      pollId,
      participantKey: key,
      answers,
      comment: values.comment,
      by: me,
      requestKey: context.activity.id || randomUUID(),
    }, poll);
    if (!result.ok) {
      const state = await this.deps.polls.stateOf(poll);
      return { card: await this.viewFor(state, me, scope, { error: this.errorText(result.error, locale, poll), values, participant }) };
    }
    if (!result.value.duplicate) scope.log.info({ pollId, event: 'poll.answered' }, 'poll answered');
    // A duplicate too: the delivery that stored it may have died before the shared card showed it.
    void this.refreshShared(pollId);
    const shared = await this.recentState(pollId);
    if (!shared) return { text: tr('poll.error.unknownPoll') };
    // The shared read may predate this answer: the voter always sees their own answers as saved.
    const answersCopy = new Map(shared.answers);
    const saved = poll.slots.filter((s) => !s.removed).map((s) => ({ slotId: s.id, answer: answers[s.id] }));
    answersCopy.set(key, { pollId, participantKey: key, version: 0, answers: saved, comment: values.comment, by: me, requestKey: '', at: this.deps.clock.now() });
    const state: PollState = { ...shared, answers: answersCopy, pending: shared.pending.filter((p) => p.key !== key) };
    const notice = participant.external ? tr('poll.notice.savedFor', { name: participant.name }) : tr('poll.notice.saved');
    return { card: await this.viewFor(state, me, scope, { notice, participant }) };
  }

  /**
   * Totals for the card answered to a voter: during a burst, voters share one read of the answers
   * (at most STATE_CACHE_MS old, then reread; the voter's own answers are always shown as saved). Display only — every decision (accepting an answer,
   * "everyone answered", ranking for the organiser's choice) reads the database.
   */
  private readonly stateCache = new Map<string, { at: number; state: Promise<PollState | null> }>();
  private static readonly STATE_CACHE_MS = 1000;

  private recentState(pollId: string): Promise<PollState | null> {
    const cached = this.stateCache.get(pollId);
    if (cached && Date.now() - cached.at < PollFeature.STATE_CACHE_MS) return cached.state;
    const state = this.deps.polls.state(pollId);
    this.stateCache.set(pollId, { at: Date.now(), state });
    if (this.stateCache.size > 500) this.stateCache.delete(this.stateCache.keys().next().value!);
    return state;
  }

  // ---------------------------------------------------------------------------------------
  // Organiser actions

  private async organiserAction(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const { context, tr, locale } = scope;
    const me = context.activity.from.aadObjectId;
    const pollId = str(data.pollId);
    const poll = await this.deps.polls.get(pollId);
    if (!poll) return { text: tr('poll.error.unknownPoll') };
    if (!(await this.canManage(poll, me))) {
      scope.log.warn({ pollId, verb, event: 'poll.manage.refused' }, 'organiser action refused');
      return { text: tr('poll.error.notAllowed') };
    }
    const by = me!;
    const show = async (extra: { error?: string; notice?: string; participant?: PollParticipantDoc }): Promise<Outcome> => {
      const state = (await this.deps.polls.state(pollId))!;
      return { card: await this.viewFor(state, me, scope, extra) };
    };
    const applied = async (result: Awaited<ReturnType<PollService['close']>>, noticeKey: string): Promise<Outcome> => {
      if (!result.ok) return show({ error: this.errorText(result.error, locale, poll) });
      scope.log.info({ pollId, event: `poll.${result.value.change}` }, 'poll changed');
      this.refreshShared(pollId);
      return show({ notice: tr(noticeKey) });
    };

    switch (verb) {
      case 'poll.answerFor': {
        const participant = poll.participants.find((p) => p.key === str(data.answer_for) && p.external);
        if (!participant) return show({ error: tr('poll.error.notParticipant') });
        return show({ participant });
      }
      case 'poll.remind': {
        const closed = this.deps.polls.acceptsAnswers(poll);
        if (closed) return show({ error: this.errorText(closed, locale) });
        const count = await this.remind(poll);
        scope.log.info({ pollId, count, event: 'poll.reminded' }, 'non-respondents reminded');
        return show({ notice: tr('poll.notice.reminded', { count }) });
      }
      case 'poll.extend': {
        const deadline = `${str(data.deadline_date).trim()}T${str(data.deadline_time).trim().slice(0, 5)}`;
        return applied(await this.deps.polls.extendDeadline(pollId, deadline, by), 'poll.notice.extended');
      }
      case 'poll.addSlot': {
        const date = str(data.new_date).trim();
        const time = str(data.new_time).trim().slice(0, 5);
        const duration = str(data.new_duration).trim();
        return applied(await this.deps.polls.addSlot(pollId, { start: `${date}T${time}`, durationMinutes: duration === '' ? Number.NaN : Number(duration) }, by), 'poll.notice.slotAdded');
      }
      case 'poll.removeSlot':
        return applied(await this.deps.polls.removeSlot(pollId, str(data.remove_slot), by), 'poll.notice.slotRemoved');
      case 'poll.close':
        return applied(await this.deps.polls.close(pollId, by), 'poll.notice.closed');
      case 'poll.choose':
      case 'poll.cancel': {
        const result = verb === 'poll.choose' ? await this.deps.polls.choose(pollId, str(data.final_slot), by) : await this.deps.polls.cancel(pollId, by);
        if (!result.ok) return show({ error: this.errorText(result.error, locale, poll) });
        const decided = result.value;
        scope.log.info({ pollId, sequence: decided.icsSequence, event: `poll.${decided.status}` }, 'poll decided');
        this.refreshShared(pollId);
        // The click answers at once; the case's date and the invitations (each send may retry for
        // a minute or more) follow in the background, and the one who chose is told the outcome.
        const chooser = { aadObjectId: by, teamsUserId: context.activity.from.id ?? null };
        this.inBackground(`poll.${decided.status}`, pollId, async () => {
          const [, invitations] = await Promise.all([this.fixConcertation(decided, by), this.sendInvitations(decided)]);
          await this.reportInvitations(decided, chooser, invitations);
        });
        const noEmail = !decided.organiser.email;
        return show({ notice: tr(verb === 'poll.choose' ? 'poll.notice.decided' : 'poll.notice.cancelled'), error: noEmail ? tr('poll.error.noInvitationEmail') : undefined });
      }
      default:
        return { text: tr('error.notUnderstood') };
    }
  }

  /** 1:1 reminder to every Teams participant without an answer; returns how many were reached. */
  private async remind(poll: PollDoc): Promise<number> {
    const state = await this.deps.polls.stateOf(poll);
    let sent = 0;
    for (const p of state.pending) {
      if (!p.aadObjectId) continue; // externals: the organiser phones them
      const locale = await this.localeOf(p.aadObjectId, poll.locale);
      const result = await this.deps.messenger.sendToUser(
        { aadObjectId: p.aadObjectId, teamsUserId: p.teamsUserId },
        { text: t(locale, 'poll.msg.reminder', { trackingId: poll.trackingId, deadline: deadlineLabel(poll, locale) }) },
        poll.conversationId ?? undefined,
      );
      if (result.ok) sent++;
    }
    return sent;
  }

  private async fixConcertation(poll: PollDoc, by: string): Promise<void> {
    const fixed = this.deps.polls.concertationOf(poll);
    if (!fixed || !this.deps.onConcertationFixed) return;
    try {
      await this.deps.onConcertationFixed(fixed, by);
    } catch (err) {
      this.deps.logger.error({ pollId: poll.pollId, err: (err as Error)?.name, event: 'poll.caseUpdateFailed' }, 'case concertation update failed');
    }
  }

  /**
   * Runs work after the invoke has answered; settled() waits for it, a failure is logged (ids only).
   * One poll's jobs run in order: a cancellation never reaches someone before the invitation it cancels.
   */
  private inBackground(event: string, pollId: string, work: () => Promise<void>): void {
    const done: Promise<void> = this.perPoll
      .run(pollId, work)
      .catch((err) => this.deps.logger.error({ pollId, event: `${event}.failed`, err: (err as Error)?.name }, 'background poll work failed'))
      .finally(() => this.background.delete(done));
    this.background.add(done);
  }

  /**
   * Every Teams participant (and the organiser) gets a 1:1 message with the date and the .ics
   * invitation, once per SEQUENCE. Teams bots can send a file 1:1 only through the file-consent
   * card (the user accepts, the bot uploads to their OneDrive); data: URLs are shown for images
   * only. So the message carries the date in text plus a FileConsentCard for the .ics.
   * The sends run side by side: one slow recipient does not hold the others back.
   */
  private async sendInvitations(poll: PollDoc): Promise<InvitationOutcome> {
    const outcome: InvitationOutcome = { sent: 0, failed: [] };
    const slot = poll.slots.find((s) => s.id === poll.finalSlotId);
    if (!slot) return outcome;
    const recipients = [...poll.participants.filter((p) => p.aadObjectId)];
    if (!recipients.some((p) => p.aadObjectId === poll.organiser.aadObjectId)) {
      recipients.push({ key: participantKeyOf(poll.organiser.aadObjectId), aadObjectId: poll.organiser.aadObjectId, teamsUserId: poll.organiser.teamsUserId, name: poll.organiser.name, email: poll.organiser.email, required: true, external: false });
    }
    await Promise.all(recipients.map(async (p) => {
      if (!(await this.deps.polls.claimOnce(poll.pollId, 'invitation', `${p.key}#${poll.icsSequence}`))) return;
      const locale = await this.localeOf(p.aadObjectId, poll.locale);
      const ics = this.invitationIcs(poll, locale);
      const text = poll.status === 'cancelled'
        ? t(locale, 'poll.msg.invitationCancelled', { trackingId: poll.trackingId, slot: slotLabel(slot, locale) })
        : t(locale, 'poll.msg.invitation', { trackingId: poll.trackingId, slot: slotLabel(slot, locale), place: placeLine(poll, locale) });
      const attachments = ics
        ? [
            {
              contentType: FILE_CONSENT,
              name: `concertation-${poll.trackingId}.ics`,
              content: {
                description: t(locale, 'poll.ics.fileDescription', { trackingId: poll.trackingId }),
                sizeInBytes: Buffer.byteLength(ics, 'utf8'),
                acceptContext: { pollId: poll.pollId, sequence: poll.icsSequence },
                declineContext: { pollId: poll.pollId, sequence: poll.icsSequence },
              },
            },
          ]
        : [];
      const result = await this.deps.messenger
        .sendToUser({ aadObjectId: p.aadObjectId!, teamsUserId: p.teamsUserId }, { text, attachments }, poll.conversationId ?? undefined)
        .catch((): ProactiveResult => ({ ok: false, outcome: 'failed', error: 'send threw' }));
      if (result.ok) outcome.sent++;
      else {
        outcome.failed.push(p.name);
        this.deps.logger.warn({ pollId: poll.pollId, outcome: result.outcome, event: 'poll.invitationFailed' }, 'invitation not delivered');
      }
    }));
    return outcome;
  }

  /**
   * Tells the one who fixed (or cancelled) the date and the poll's organiser, 1:1, who got the
   * message and who must be told another way.
   */
  private async reportInvitations(poll: PollDoc, chooser: { aadObjectId: string; teamsUserId: string | null }, outcome: InvitationOutcome): Promise<void> {
    if (!outcome.sent && !outcome.failed.length) return; // nothing new was sent (same choice clicked again)
    const params = { trackingId: poll.trackingId, sent: outcome.sent, failed: outcome.failed.length, names: outcome.failed.join(', ') };
    const organiser = { aadObjectId: poll.organiser.aadObjectId, teamsUserId: poll.organiser.teamsUserId };
    for (const to of chooser.aadObjectId === organiser.aadObjectId ? [chooser] : [chooser, organiser]) {
      const locale = await this.localeOf(to.aadObjectId, poll.locale);
      const text = outcome.failed.length ? t(locale, 'poll.msg.invitationsPartly', params) : t(locale, 'poll.msg.invitationsSent', params);
      const result = await this.deps.messenger.sendToUser(to, { text }, poll.conversationId ?? undefined);
      if (!result.ok) this.deps.logger.warn({ pollId: poll.pollId, outcome: result.outcome, event: 'poll.invitationReportFailed' }, 'invitation outcome not delivered');
    }
  }

  /**
   * The participant accepted (or declined) the .ics file-consent card: Teams gives an upload URL in
   * their OneDrive; the bot puts the file there and answers with the file card. Only a participant
   * or the organiser of that poll, and only for the current SEQUENCE (an older file would mislead).
   */
  async onFileConsent(response: FileConsentCardResponse, scope: TurnScope): Promise<boolean> {
    const ctx = (response.context ?? {}) as { pollId?: unknown; sequence?: unknown };
    if (typeof ctx.pollId !== 'string') return false;
    const { context, tr } = scope;
    if (response.action === 'decline') {
      await context.sendActivity(tr('poll.ics.declined'));
      return true;
    }
    const poll = await this.deps.polls.get(ctx.pollId);
    const me = context.activity.from.aadObjectId;
    // The invitation names every participant: the poll's own people only (its creator, its participants).
    const allowed = poll && can('readPoll', { isOrganiser: Boolean(me) && poll.organiser.aadObjectId === me, isCoordinator: false, roles: [], inPoll: this.inPoll(poll, me) });
    if (!poll || !allowed) {
      scope.log.warn({ event: 'poll.icsRefused' }, 'file consent from someone outside the poll');
      await context.sendActivity(tr('poll.error.notParticipant'));
      return true;
    }
    if (ctx.sequence !== poll.icsSequence) {
      await context.sendActivity(tr('poll.ics.outdated'));
      return true;
    }
    const ics = this.invitationIcs(poll, scope.locale);
    const upload = response.uploadInfo;
    if (!ics || !upload?.uploadUrl) {
      await context.sendActivity(tr('poll.ics.uploadFailed'));
      return true;
    }
    const bytes = Buffer.from(ics, 'utf8');
    try {
      const res = await fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: { 'Content-Length': String(bytes.length), 'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
        body: bytes,
        signal: AbortSignal.timeout(15000),
      });
      if (!res.ok) throw new Error(`upload HTTP ${res.status}`);
    } catch (err) {
      scope.log.error({ event: 'poll.icsUploadFailed', err: (err as Error)?.name }, 'ics upload failed');
      await context.sendActivity(tr('poll.ics.uploadFailed'));
      return true;
    }
    await context.sendActivity({
      text: tr('poll.ics.uploaded'),
      attachments: [{ contentType: FILE_INFO, contentUrl: upload.contentUrl, name: upload.name, content: { uniqueId: upload.uniqueId, fileType: upload.fileType } }],
    });
    return true;
  }

  /** The .ics of the poll's current decision, texts in `locale`; null without organiser e-mail. */
  invitationIcs(poll: PollDoc, locale: Locale): string | null {
    return this.deps.polls.invitation(poll, {
      summary: t(locale, 'poll.ics.summary', { trackingId: poll.trackingId }),
      location: eventLocation(t(locale, `poll.place.${poll.place.kind}`), poll.place.details),
      description: t(locale, 'poll.ics.description', { trackingId: poll.trackingId, names: poll.participants.map((p) => p.name).join(', ') }),
    });
  }

  // ---------------------------------------------------------------------------------------
  // Shared card and organiser notices

  /**
   * Between two updates of a poll's shared card during a burst of answers: each update re-reads
   * every answer, and nobody reads a card that changes several times a second.
   */
  private static readonly SHARED_UPDATE_EVERY_MS = 1000;

  /** Updates the card everyone sees; a burst of calls collapses into one running + one pending update. */
  refreshShared(pollId: string): Promise<void> {
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
          await this.updateShared(pollId);
          const wait = started + PollFeature.SHARED_UPDATE_EVERY_MS - Date.now();
          if (entry.dirty && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        } while (entry.dirty);
      } catch (err) {
        this.deps.logger.error({ pollId, err: (err as Error)?.name, event: 'poll.updateFailed' }, 'shared poll card update failed');
      } finally {
        this.updating.delete(pollId);
      }
    })();
    this.updating.set(pollId, entry);
    return entry.done;
  }

  private async updateShared(pollId: string): Promise<void> {
    const state = await this.deps.polls.state(pollId);
    if (!state) return;
    const { poll } = state;
    const locale = toSupportedLocale(poll.locale) ?? this.deps.defaultLocale;
    // "Everyone has answered" is decided here, on a fresh read after the last answer of a burst.
    if (poll.status === 'open' && state.pending.length === 0 && poll.participants.length > 0) await this.tellOrganiser(state, 'allAnswered', '');
    if (poll.conversationId && poll.activityId) {
      await this.deps.messenger.update(poll.conversationId, poll.activityId, { attachments: [card(pollCard(state, { mode: 'shared', locale }))] });
    }
    for (const pc of poll.personalCards) {
      const participant = poll.participants.find((p) => p.key === pc.participantKey);
      const pl = await this.localeOf(participant?.aadObjectId ?? null, poll.locale);
      await this.deps.messenger.update(pc.conversationId, pc.activityId, { attachments: [card(pollCard(state, { mode: 'participant', locale: pl, participant }))] });
    }
  }

  /** A 1:1 notice to the organiser with the suggestion, once per (kind, key). */
  private async tellOrganiser(state: PollState, kind: 'allAnswered' | 'autoClosed', key: string): Promise<void> {
    const { poll } = state;
    if (!(await this.deps.polls.claimOnce(poll.pollId, kind, key))) return;
    const locale = await this.localeOf(poll.organiser.aadObjectId, poll.locale);
    const slot = state.suggestion ? poll.slots.find((s) => s.id === state.suggestion!.slotId) : undefined;
    const suggestion = slot && state.suggestion
      ? t(locale, 'poll.card.suggestion', { slot: slotLabel(slot, locale), reason: t(locale, `poll.reason.${state.suggestion.reason.code}`, { ...state.suggestion.reason.params, allRequiredYes: '', runnerUpSlotId: '' }) })
      : t(locale, 'poll.card.noSuggestion');
    const result = await this.deps.messenger.sendToUser(
      { aadObjectId: poll.organiser.aadObjectId, teamsUserId: poll.organiser.teamsUserId },
      { text: t(locale, kind === 'allAnswered' ? 'poll.msg.allAnswered' : 'poll.msg.autoClosed', { trackingId: poll.trackingId, suggestion }) },
      poll.conversationId ?? undefined,
    );
    if (!result.ok) this.deps.logger.warn({ pollId: poll.pollId, kind, outcome: result.outcome }, 'organiser notice not delivered');
  }

  /** Called by the scheduled job for each poll it closed at its deadline. */
  async onAutoClosed(poll: PollDoc): Promise<void> {
    await this.refreshShared(poll.pollId);
    const state = await this.deps.polls.stateOf(poll);
    await this.tellOrganiser(state, 'autoClosed', poll.deadline);
  }
}
