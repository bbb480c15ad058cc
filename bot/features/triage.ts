// The coordination's triage: it names its conversation ("coordination ici"), where each request's
// triage card is posted; the card's buttons (Action.Execute) admit or refuse the request and assign
// an organiser. The assigned organiser opens the assignment card and may see who asked.
import { ActivityTypes, AdaptiveCardInvokeResponse } from 'botbuilder';
import { assignmentCard, triageCard, triageWaitingCard } from '../../cards/triage';
import { inputText } from '../../domain/input';
import { isRefusalReason } from '../../domain/sectors';
import { t, tn } from '../../locales/i18n';
import type { ConcertationRequest, DecisionStatus } from '../../models/request';
import type { MemberService } from '../../services/members';
import type { RequestService } from '../../services/requests';
import { COORDINATION_CONVERSATION, COORDINATION_LOCALE, SettingsService } from '../../services/settings';
import { cardResponse, Feature, messageResponse, TurnScope } from '../teamsBot';
import { card, Coordination } from './coordination';

export interface TriageFeatureDeps {
  requests: RequestService;
  members: MemberService;
  settings: SettingsService;
  coordination: Coordination;
}

export class TriageFeature implements Feature {
  readonly name = 'triage';
  readonly commands: Feature['commands'] = {
    setCoordination: (_command, scope) => this.setCoordination(scope),
  };
  readonly verbs: Feature['verbs'] = {
    'triage.yes': (data, scope) => this.decide('yes', data, scope),
    'triage.conditional': (data, scope) => this.decide('conditional', data, scope),
    'triage.no': (data, scope) => this.decide('no', data, scope),
    /** On the notice posted while the organiser pool is empty: shows the triage card once it is not. */
    'triage.show': (data, scope) => this.showWaiting(data, scope),
    /** On the assignment card: the contact of a requester kept apart (the person herself, a carer). */
    'requester.contact': (data, scope) => this.requesterContact(data, scope),
  };
  readonly submits: Feature['submits'] = {
    openCase: (value, scope) => this.openAssignment(value, scope),
  };
  constructor(private readonly deps: TriageFeatureDeps) {}

  /** "coordination ici": this conversation receives the triage cards, the waiting requests first. */
  private async setCoordination(scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const me = context.activity.from.aadObjectId;
    if (!(await this.deps.members.may('setCoordination', me))) {
      await context.sendActivity(tr('coordination.notCoordinator'));
      return;
    }
    await this.deps.members.upsert({ aadObjectId: me!, teamsUserId: context.activity.from.id, displayName: context.activity.from.name || me! }, {}, me!);
    await this.deps.settings.set(COORDINATION_CONVERSATION, context.activity.conversation.id, me!);
    await this.deps.settings.set(COORDINATION_LOCALE, locale, me!);
    await context.sendActivity(tr('coordination.set'));
    const posted = await this.deps.coordination.postPending();
    if (posted) await context.sendActivity(tn(locale, 'coordination.pendingPosted', posted));
  }

  /** The assignment card again, for the assigned organiser or the coordination. */
  private async openAssignment(value: Record<string, unknown>, scope: TurnScope): Promise<boolean> {
    if (typeof value.trackingId !== 'string') return false;
    const { context, tr, locale } = scope;
    const request = await this.deps.requests.get(value.trackingId);
    const decision = request ? await this.deps.requests.getDecision(request.trackingId) : null;
    if (!request || !decision) {
      await context.sendActivity(tr('case.unknown'));
      return true;
    }
    if (!(await this.deps.members.may('openAssignment', context.activity.from.aadObjectId, decision))) {
      await context.sendActivity(tr('case.notAllowed'));
      return true;
    }
    await context.sendActivity({ attachments: [card(assignmentCard(request, decision, locale))] });
    return true;
  }

  /**
   * "Voir ses coordonnées" on the assignment card: the assigned organiser gets the card again with
   * the requester's contact (audited by the service); anyone else is refused in their own language,
   * with the same words whether or not the request exists.
   */
  private async requesterContact(data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const me = scope.context.activity.from.aadObjectId;
    const trackingId = typeof data.trackingId === 'string' ? data.trackingId : '';
    const [request, decision] = trackingId ? await Promise.all([this.deps.requests.get(trackingId), this.deps.requests.getDecision(trackingId)]) : [null, null];
    const allowed = await this.deps.members.may('viewRequesterIdentity', me, decision);
    if (!request || !decision || !allowed) {
      scope.log.warn({ verb: 'requester.contact' }, 'requester contact refused');
      return messageResponse(scope.tr('assignment.requester.notAllowed'));
    }
    const revealed = await this.deps.requests.revealIdentity(request.trackingId, me!);
    const contact = revealed.status === 'revealed' ? { identity: revealed.identity } : { error: scope.tr('assignment.requester.none') };
    return cardResponse(assignmentCard(request as ConcertationRequest, decision, scope.locale, contact));
  }

  /** The coordinator behind a triage click and the request it is about; a notice when either is not. */
  private async triageTarget(verb: string, data: Record<string, unknown>, scope: TurnScope) {
    if (!(await this.deps.members.may('triage', scope.context.activity.from.aadObjectId))) {
      scope.log.warn({ verb }, 'triage refused: not a coordinator');
      return { refusal: messageResponse(scope.tr('triage.error.notCoordinator')) };
    }
    // The triage card speaks the coordination's language, whoever clicks.
    const locale = await this.deps.coordination.locale();
    const request = await this.deps.requests.get(typeof data.trackingId === 'string' ? data.trackingId : '');
    if (!request) return { refusal: messageResponse(t(locale, 'triage.error.unknownRequest')) };
    return { request: request as ConcertationRequest, locale };
  }

  /** "Afficher la demande" on the waiting notice: the triage card in its place, for everyone. */
  private async showWaiting(data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const target = await this.triageTarget('triage.show', data, scope);
    if (!target.request) return target.refusal;
    const { request, locale } = target;
    const existing = await this.deps.requests.getDecision(request.trackingId);
    if (existing) return cardResponse(await this.deps.coordination.decidedCard(request, existing, locale));
    const organisers = await this.deps.coordination.organiserOptions(request.answers.person.language);
    if (!organisers.length) return cardResponse(triageWaitingCard(request, locale, t(locale, 'triage.waiting.stillEmpty')));
    const content = triageCard({ request, decision: null, organisers }, locale);
    const { context } = scope;
    const activityId = context.activity.replyToId;
    if (activityId && !request.triageActivityId) {
      await this.deps.requests.recordTriageMessage(request.trackingId, context.activity.conversation.id, activityId);
      await this.updateForEveryone(scope, activityId, content);
    }
    return cardResponse(content);
  }

  /** Admit, admit on conditions or refuse: the first decision wins; the requester and the organiser are told. */
  private async decide(status: DecisionStatus, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const target = await this.triageTarget(`triage.${status}`, data, scope);
    if (!target.request) return target.refusal;
    const { request, locale } = target;
    const { context } = scope;
    const organiserId = inputText(data.organiser);
    const notes = inputText(data.notes, 2000);
    const reason = inputText(data.refusalReason);

    const existing = await this.deps.requests.getDecision(request.trackingId);
    if (existing) return cardResponse(await this.deps.coordination.decidedCard(request, existing, locale));

    const organisers = await this.deps.coordination.organiserOptions(request.answers.person.language);
    const redo = (errorKey: string) =>
      cardResponse(triageCard({ request, decision: null, organisers, error: t(locale, errorKey), organiserValue: organiserId, notesValue: notes, refusalReasonValue: reason }, locale));
    if (status !== 'no' && !organisers.length) return redo('triage.error.poolEmpty');
    if (status !== 'no' && !organiserId) return redo('triage.error.organiserRequired');
    if (status !== 'no' && !organisers.some((o) => o.aadObjectId === organiserId)) return redo('triage.error.organiserUnknown');
    // The activity report counts refusals by reason; "other" is only understood with the notes.
    if (status === 'no' && !isRefusalReason(reason)) return redo('triage.error.refusalReasonRequired');
    if (status === 'no' && reason === 'other' && !notes) return redo('triage.error.refusalNotesRequired');

    const me = context.activity.from.aadObjectId!;
    const outcome = await this.deps.requests.decide({
      trackingId: request.trackingId,
      status,
      organiserAadObjectId: status === 'no' ? null : organiserId,
      notes,
      refusalReason: status === 'no' && isRefusalReason(reason) ? reason : null,
      decidedBy: me,
      decidedByName: context.activity.from.name || me,
    });
    const decidedCard = await this.deps.coordination.decidedCard(request, outcome.decision, locale);
    if (outcome.status === 'alreadyDecided') return cardResponse(decidedCard);

    // Everyone in the coordination conversation sees the decision, not only the one who clicked.
    if (request.triageActivityId && request.triageConversationId) await this.updateForEveryone(scope, request.triageActivityId, decidedCard);
    await this.deps.coordination.notifyDecision(request, outcome.decision);
    return cardResponse(decidedCard);
  }

  private async updateForEveryone(scope: TurnScope, activityId: string, content: object): Promise<void> {
    const { context } = scope;
    await context
      .updateActivity({ type: ActivityTypes.Message, id: activityId, conversation: context.activity.conversation, attachments: [card(content)] })
      .catch((err: Error) => scope.log.warn({ err: err?.name }, 'triage card update for everyone failed'));
  }
}
