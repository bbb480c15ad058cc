// Requests for a concertation: the requester's guided sheet (1:1), the coordination's triage
// (Action.Execute on a card posted to the coordination conversation), and the notifications.
import { ActivityTypes, CardFactory, TeamsInfo, TurnContext } from 'botbuilder';
import { DialogSet } from 'botbuilder-dialogs';
import { concertationDateText, requestListCard } from '../../cards/request';
import { assignmentCard, OrganiserOption, triageCard, triageWaitingCard } from '../../cards/triage';
import { RequestDialog, REQUEST_DIALOG_ID } from '../../dialogs/requestDialog';
import { can } from '../../domain/permissions';
import { Locale, t, toSupportedLocale } from '../../locales/i18n';
import type { Member } from '../../models/member';
import type { ConcertationRequest, DecisionStatus } from '../../models/request';
import type { Clock } from '../../services/clock';
import type { DraftStore } from '../../services/drafts';
import type { MemberService } from '../../services/members';
import type { RequestService } from '../../services/requests';
import { COORDINATION_CONVERSATION, COORDINATION_LOCALE, SettingsService } from '../../services/settings';
import type { Command } from '../commands';
import type { ConversationReferences } from '../conversationReferences';
import type { Logger } from '../logger';
import type { ProactiveMessenger } from '../proactive';
import { cardResponse, Feature, messageResponse, TurnScope } from '../teamsBot';
import { routesOf } from '../routes';

export interface RequestFeatureDeps {
  drafts: DraftStore;
  requests: RequestService;
  members: MemberService;
  settings: SettingsService;
  references: ConversationReferences;
  messenger: ProactiveMessenger;
  clock: Clock;
  draftExpiryDays: number;
  defaultLocale: Locale;
  logger: Logger;
}

// A Map, not an object: a verb typed by a client (`constructor`, `__proto__`...) must find nothing.
const VERBS: ReadonlyMap<string, DecisionStatus> = new Map([['triage.yes', 'yes'], ['triage.conditional', 'conditional'], ['triage.no', 'no']]);
/** On the notice posted while the organiser pool is empty: shows the triage card once it is not. */
const SHOW_VERB = 'triage.show';
/** On the assignment card: the contact of a requester kept apart (the person herself, a carer). */
const CONTACT_VERB = 'requester.contact';
const card = (content: object) => CardFactory.adaptiveCard(content);

export class RequestFeature implements Feature {
  readonly name = 'requests';
  readonly buttons: Feature['buttons'] = { newRequest: { command: 'newRequest' } };
  readonly commands: Feature['commands'] = {newRequest: (command, scope) => this.onCommand(command, scope), cancel: (command, scope) => this.onCommand(command, scope), setCoordination: (command, scope) => this.onCommand(command, scope), myRequests: (command, scope) => this.onCommand(command, scope) };
  readonly verbs: Feature['verbs'] = routesOf([...VERBS.keys(), SHOW_VERB, CONTACT_VERB], (verb) => async (data, scope) => (await this.onCardAction(verb, data, scope)) ?? messageResponse(scope.tr('error.notUnderstood')));
  readonly submits: Feature['submits'] = routesOf(['openCase'], () => (value, scope) => this.onSubmit(value, scope));
  private sheet: RequestDialog | null = null;
  constructor(private readonly deps: RequestFeatureDeps) {}

  addDialogs(dialogs: DialogSet): void {
    dialogs.add(
      (this.sheet = new RequestDialog({
        drafts: this.deps.drafts,
        requests: this.deps.requests,
        clock: this.deps.clock,
        draftExpiryDays: this.deps.draftExpiryDays,
        onSubmitted: (request) => this.postTriage(request),
      })),
    );
  }

  async onCommand(command: Command, scope: TurnScope): Promise<boolean> {
    const { context, tr, dialogs } = scope;
    switch (command.name) {
      case 'newRequest': {
        if (context.activity.conversation.conversationType && context.activity.conversation.conversationType !== 'personal') {
          await context.sendActivity(tr('request.onlyPersonal'));
          return true;
        }
        const dc = await dialogs.createContext(context);
        if (dc.activeDialog?.id === REQUEST_DIALOG_ID && this.sheet) {
          await this.sheet.offerResume(dc);
          return true;
        }
        await dc.cancelAllDialogs();
        await dc.beginDialog(REQUEST_DIALOG_ID, { prefill: await this.prefill(context) });
        return true;
      }
      case 'cancel': {
        const dc = await dialogs.createContext(context);
        if (dc.activeDialog?.id === REQUEST_DIALOG_ID) {
          await this.deps.drafts.discard(context.activity.from.aadObjectId || context.activity.from.id);
          await dc.cancelAllDialogs();
          await context.sendActivity(tr('request.cancelled'));
          return true;
        }
        if (dc.activeDialog) return false;
        await context.sendActivity(tr('request.nothingToCancel'));
        return true;
      }
      case 'setCoordination':
        await this.setCoordination(scope);
        return true;
      case 'myRequests':
        await this.myRequests(scope);
        return true;
      default:
        return false;
    }
  }

  async onSubmit(value: Record<string, unknown>, scope: TurnScope): Promise<boolean> {
    if (value.action !== 'openCase' || typeof value.trackingId !== 'string') return false;
    const { context, tr, locale } = scope;
    const request = await this.deps.requests.get(value.trackingId);
    const decision = request ? await this.deps.requests.getDecision(request.trackingId) : null;
    if (!request || !decision) {
      await context.sendActivity(tr('case.unknown'));
      return true;
    }
    const me = context.activity.from.aadObjectId;
    if (decision.organiserAadObjectId !== me && !(await this.deps.members.isCoordinator(me))) {
      await context.sendActivity(tr('case.notAllowed'));
      return true;
    }
    await context.sendActivity({ attachments: [card(assignmentCard(request, decision, locale))] });
    return true;
  }

  /** "mes demandes": the requester's own requests with their status, in their 1:1 chat only. */
  private async myRequests(scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const type = context.activity.conversation.conversationType;
    if (type && type !== 'personal') {
      await context.sendActivity(tr('request.list.onlyPersonal'));
      return;
    }
    const me = context.activity.from.aadObjectId || context.activity.from.id;
    const [mine, draft] = await Promise.all([this.deps.requests.listFor(me), this.deps.drafts.load(me)]);
    if (!mine.length) {
      await context.sendActivity(draft.status === 'found' ? `${tr('request.list.empty')}\n\n${tr('request.list.draft')}` : tr('request.list.empty'));
      return;
    }
    await context.sendActivity({ attachments: [card(requestListCard(mine, locale, draft.status === 'found'))] });
  }

  /**
   * Tells the requester (1:1, in their language) that the concertation date of their request is
   * fixed or has moved: the tracking id and the date, nothing else. Meant for the case's schedule
   * hook; never throws (the date is stored whatever happens to this message).
   */
  async notifyRequesterDateFixed(trackingId: string, start: Date): Promise<void> {
    try {
      const request = await this.deps.requests.get(trackingId);
      if (!request || request.status === 'refused') return;
      if (!(await this.deps.requests.recordConcertationDate(trackingId, start))) return;
      const locale = await this.requesterLocale(request as ConcertationRequest);
      const result = await this.deps.messenger.send(request.requesterConversationId, { text: t(locale, 'request.dateFixed', { trackingId, date: concertationDateText(start, locale) }) });
      if (!result.ok) this.deps.logger.warn({ trackingId, outcome: result.outcome }, 'requester not told the concertation date');
    } catch (err) {
      this.deps.logger.error({ trackingId, err: (err as Error)?.name }, 'requester date notice failed');
    }
  }

  private async requesterLocale(request: ConcertationRequest): Promise<Locale> {
    const ref = await this.deps.references.get(request.requesterConversationId);
    return toSupportedLocale(request.locale) ?? toSupportedLocale(ref?.locale) ?? this.deps.defaultLocale;
  }

  /** Teams profile: the name comes with the activity; the e-mail needs a roster call (best effort). */
  private async prefill(context: TurnContext): Promise<{ name?: string; email?: string }> {
    const name = context.activity.from?.name || undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const member = await Promise.race([
        TeamsInfo.getMember(context, context.activity.from.id),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 1500);
        }),
      ]);
      return { name: member?.name || name, email: member?.email || undefined };
    } catch {
      return { name };
    } finally {
      clearTimeout(timer);
    }
  }

  private async setCoordination(scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const me = context.activity.from.aadObjectId;
    if (!(await this.deps.members.isCoordinator(me))) {
      await context.sendActivity(tr('coordination.notCoordinator'));
      return;
    }
    await this.deps.members.upsert({ aadObjectId: me!, teamsUserId: context.activity.from.id, displayName: context.activity.from.name || me! }, {}, me!);
    await this.deps.settings.set(COORDINATION_CONVERSATION, context.activity.conversation.id, me!);
    await this.deps.settings.set(COORDINATION_LOCALE, locale, me!);
    await context.sendActivity(tr('coordination.set'));
    const pending = await this.deps.requests.untriaged();
    let posted = 0;
    for (const request of pending) if (await this.postTriage(request as ConcertationRequest)) posted++;
    if (posted) await context.sendActivity(tr('coordination.pendingPosted', { count: posted }));
  }

  private async coordinationLocale(): Promise<Locale> {
    return toSupportedLocale(await this.deps.settings.get(COORDINATION_LOCALE)) ?? this.deps.defaultLocale;
  }

  private async organiserOptions(language: string | undefined): Promise<OrganiserOption[]> {
    const lang = language === 'fr' || language === 'nl' || language === 'en' ? language : undefined;
    let pool: Member[] = lang ? await this.deps.members.organisers({ language: lang }) : [];
    if (!pool.length) pool = await this.deps.members.organisers();
    const open = await this.deps.requests.openCasesByOrganiser(pool.map((m) => m.aadObjectId));
    return pool.map((m) => ({ aadObjectId: m.aadObjectId, displayName: m.displayName, languages: m.languages, openCases: open.get(m.aadObjectId) ?? 0 }));
  }

  /**
   * Shows a request to the coordination: the triage card, or, while nobody is in the organiser pool,
   * a notice asking to add organisers (the request keeps waiting for triage). Returns whether
   * something reached the coordination conversation. The requester is never told about the
   * coordination's set-up: their confirmation already says the request is registered.
   */
  async postTriage(request: ConcertationRequest): Promise<boolean> {
    const conversationId = await this.deps.settings.get(COORDINATION_CONVERSATION);
    if (!conversationId) {
      this.deps.logger.warn({ trackingId: request.trackingId }, 'request waits: no coordination conversation set');
      return false;
    }
    const locale = await this.coordinationLocale();
    const organisers = await this.organiserOptions(request.answers.person.language);
    const content = organisers.length ? triageCard({ request, decision: null, organisers }, locale) : triageWaitingCard(request, locale);
    const result = await this.deps.messenger.send(conversationId, { attachments: [card(content)] });
    if (!result.ok || !result.activityId) {
      this.deps.logger.error({ trackingId: request.trackingId, outcome: result.ok ? 'noActivityId' : result.outcome }, 'triage card not posted');
      return false;
    }
    if (organisers.length) await this.deps.requests.recordTriageMessage(request.trackingId, conversationId, result.activityId);
    else this.deps.logger.warn({ trackingId: request.trackingId }, 'request waits: organiser pool empty');
    return true;
  }

  /** "Afficher la demande" on the waiting notice: the triage card in its place, for everyone. */
  private async showWaiting(request: ConcertationRequest, scope: TurnScope, locale: Locale) {
    const existing = await this.deps.requests.getDecision(request.trackingId);
    if (existing) return cardResponse(await this.decidedCard(request, existing, locale));
    const organisers = await this.organiserOptions(request.answers.person.language);
    if (!organisers.length) return cardResponse(triageWaitingCard(request, locale, t(locale, 'triage.waiting.stillEmpty')));
    const content = triageCard({ request, decision: null, organisers }, locale);
    const { context } = scope;
    const activityId = context.activity.replyToId;
    if (activityId && !request.triageActivityId) {
      await this.deps.requests.recordTriageMessage(request.trackingId, context.activity.conversation.id, activityId);
      await context.updateActivity({ type: ActivityTypes.Message, id: activityId, conversation: context.activity.conversation, attachments: [card(content)] }).catch((err: Error) =>
        scope.log.warn({ err: err?.name }, 'triage card update for everyone failed'),
      );
    }
    return cardResponse(content);
  }

  /**
   * "Voir ses coordonnées" on the assignment card: the assigned organiser gets the card again with
   * the requester's contact (audited by the service); anyone else is refused in their own language,
   * with the same words whether or not the request exists.
   */
  private async requesterContact(data: Record<string, unknown>, scope: TurnScope) {
    const me = scope.context.activity.from.aadObjectId;
    const trackingId = typeof data.trackingId === 'string' ? data.trackingId : '';
    const [request, decision] = trackingId ? await Promise.all([this.deps.requests.get(trackingId), this.deps.requests.getDecision(trackingId)]) : [null, null];
    const actor = {
      isOrganiser: Boolean(me) && decision?.status !== 'no' && decision?.organiserAadObjectId === me,
      isCoordinator: await this.deps.members.isCoordinator(me),
      roles: [],
    };
    if (!request || !decision || !can('viewRequesterIdentity', actor)) {
      scope.log.warn({ verb: CONTACT_VERB }, 'requester contact refused');
      return messageResponse(scope.tr('assignment.requester.notAllowed'));
    }
    const revealed = await this.deps.requests.revealIdentity(request.trackingId, me!);
    const contact = revealed.status === 'revealed' ? { identity: revealed.identity } : { error: scope.tr('assignment.requester.none') };
    return cardResponse(assignmentCard(request as ConcertationRequest, decision, scope.locale, contact));
  }

  async onCardAction(verb: string, data: Record<string, unknown>, scope: TurnScope) {
    if (verb === CONTACT_VERB) return this.requesterContact(data, scope);
    const status = VERBS.get(verb);
    if (!status && verb !== SHOW_VERB) return null;
    const { context } = scope;
    const locale = await this.coordinationLocale();
    const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
    const me = context.activity.from.aadObjectId;
    if (!(await this.deps.members.isCoordinator(me))) {
      scope.log.warn({ verb }, 'triage refused: not a coordinator');
      return messageResponse(scope.tr('triage.error.notCoordinator'));
    }
    const trackingId = typeof data.trackingId === 'string' ? data.trackingId : '';
    const request = await this.deps.requests.get(trackingId);
    if (!request) return messageResponse(tr('triage.error.unknownRequest'));
    if (!status) return this.showWaiting(request as ConcertationRequest, scope, locale);
    const organiserId = typeof data.organiser === 'string' ? data.organiser.trim() : '';
    const notes = typeof data.notes === 'string' ? data.notes.trim().slice(0, 2000) : '';

    const existing = await this.deps.requests.getDecision(trackingId);
    if (existing) return cardResponse(await this.decidedCard(request, existing, locale));

    const organisers = await this.organiserOptions(request.answers.person.language);
    const redo = (errorKey: string) =>
      cardResponse(triageCard({ request, decision: null, organisers, error: tr(errorKey), organiserValue: organiserId, notesValue: notes }, locale));
    if (status !== 'no' && !organisers.length) return redo('triage.error.poolEmpty');
    if (status !== 'no' && !organiserId) return redo('triage.error.organiserRequired');
    if (status !== 'no' && !organisers.some((o) => o.aadObjectId === organiserId)) return redo('triage.error.organiserUnknown');
    if (status === 'no' && !notes) return redo('triage.error.reasonRequired');

    const outcome = await this.deps.requests.decide({
      trackingId,
      status,
      organiserAadObjectId: status === 'no' ? null : organiserId,
      notes,
      decidedBy: me!,
      decidedByName: context.activity.from.name || me!,
    });
    const decidedCard = await this.decidedCard(request, outcome.decision, locale);
    if (outcome.status === 'alreadyDecided') return cardResponse(decidedCard);

    // Everyone in the coordination conversation sees the decision, not only the one who clicked.
    if (request.triageActivityId && request.triageConversationId) {
      await context.updateActivity({ type: ActivityTypes.Message, id: request.triageActivityId, conversation: context.activity.conversation, attachments: [card(decidedCard)] }).catch((err: Error) =>
        scope.log.warn({ err: err?.name }, 'triage card update for everyone failed'),
      );
    }
    await this.notifyDecision(request as ConcertationRequest, outcome.decision);
    return cardResponse(decidedCard);
  }

  private async decidedCard(request: ConcertationRequest, decision: Parameters<typeof triageCard>[0]['decision'] & object, locale: Locale) {
    const organiser = decision.organiserAadObjectId ? await this.deps.members.get(decision.organiserAadObjectId) : null;
    return triageCard({ request, decision: { ...decision, organiserName: organiser?.displayName ?? '' }, organisers: [] }, locale);
  }

  private async notifyDecision(request: ConcertationRequest, decision: { status: DecisionStatus; organiserAadObjectId: string | null; notes: string; decidedByName: string; trackingId: string; decidedBy: string; decidedAt: Date }) {
    const organiser = decision.organiserAadObjectId ? await this.deps.members.get(decision.organiserAadObjectId) : null;
    const requesterLocale = await this.requesterLocale(request);
    await this.deps.messenger.send(request.requesterConversationId, {
      text: t(requesterLocale, `decision.requester.${decision.status}`, { trackingId: request.trackingId, organiser: organiser?.displayName ?? '', reason: decision.notes }),
    });
    if (organiser) {
      const organiserRef = await this.deps.references.personalFor(organiser.aadObjectId);
      const organiserLocale = (await this.deps.members.localeOf(organiser.aadObjectId, organiserRef?.locale)) ?? this.deps.defaultLocale;
      const via = (await this.deps.settings.get(COORDINATION_CONVERSATION)) ?? undefined;
      await this.deps.messenger.sendToUser(organiser, { attachments: [card(assignmentCard(request, decision as never, organiserLocale))] }, via);
    }
  }
}
