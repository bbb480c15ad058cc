// The agenda (ordre du jour) of a case's next concertation: "ordre du jour [CMD-…]" shows it, its
// card (Action.Execute) takes attendance answers and, for the organiser, the points. Participants
// read the card posted in the case conversation; the organiser's client swaps in the organiser's
// view by refresh. Rights are checked by services/cases.ts; refusals are told here.
import { AdaptiveCardInvokeResponse, CardFactory } from 'botbuilder';
import { inputText } from '../../../domain/input';
import { t } from '../../../locales/i18n';
import type { CaseResult } from '../../../services/cases';
import type { Feature } from '../../routes';
import { cardResponse, messageResponse, TurnScope } from '../../teamsBot';
import { caseErrorText, isRefusal } from '../cases/errors';
import { AgendaCards, AgendaCardsDeps } from './agendaCards';

export type AgendaFeatureDeps = AgendaCardsDeps;

export class AgendaFeature implements Feature {
  readonly name = 'agenda';
  readonly commands: Feature['commands'] = {
    agenda: (command, scope) => this.showAgenda(command.arg, scope),
  };
  readonly verbs: Feature['verbs'] = {
    'agenda.refresh': (data, scope) => this.refreshView(data, scope),
    'agenda.attend': (data, scope) => this.attend(data, scope),
    'agenda.addPoint': (data, scope) => this.addPoint(data, scope),
    'agenda.removePoint': (data, scope) => this.removePoint(data, scope),
  };
  /** Builds the card and keeps the posted one up to date (bot/app.ts calls `cards.refresh` on `case.agendaChanged`). */
  readonly cards: AgendaCards;

  constructor(private readonly deps: AgendaFeatureDeps) {
    this.cards = new AgendaCards(deps);
  }

  /**
   * "ordre du jour [CMD-…]": the agenda card again. In the case conversation (where the id may be
   * left out) it is posted for everyone and becomes the card kept up to date; elsewhere the user
   * gets their own view.
   */
  private async showAgenda(arg: string, scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const { cases } = this.deps;
    const conversationId = context.activity.conversation.id;
    let trackingId = arg.trim().split(/\s+/)[0] ?? '';
    if (!trackingId) {
      const linked = await cases.caseForConversation(conversationId);
      if (!linked) {
        await context.sendActivity(tr('cases.agenda.missingId'));
        return;
      }
      trackingId = linked.trackingId;
    }
    const type = context.activity.conversation.conversationType;
    const reader = await cases.agendaReader(trackingId, me(scope), { conversationId, postingToShared: Boolean(type) && type !== 'personal' });
    if (!reader.ok) {
      scope.log.info({ event: 'agenda.refused', code: reader.code }, 'agenda refused');
      await context.sendActivity(caseErrorText(locale, reader.code));
      return;
    }
    const { case: c, inCaseConversation } = reader.value;
    // Posted in the case conversation, the card is everyone's: the participants' view.
    const card = await this.cards.cardFor(c.trackingId, locale, {}, inCaseConversation ? 'participant' : reader.value.viewer);
    if (!card) {
      await context.sendActivity(tr('cases.agenda.noDate', { trackingId: c.trackingId }));
      return;
    }
    const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    const concertation = await cases.openConcertation(c.trackingId);
    // The card just posted is the one in view: later changes update it rather than the old one.
    if (inCaseConversation && sent?.id && concertation) await cases.recordAgendaMessage(c.trackingId, concertation.seq, conversationId, sent.id);
  }

  /** Teams asks for the card as this user should see it (automatically for the organiser, on demand for the others). */
  private async refreshView(data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const { context, locale } = scope;
    const reader = await this.deps.cases.agendaReader(inputText(data.trackingId, 40), me(scope), { conversationId: context.activity.conversation.id });
    if (!reader.ok) {
      scope.log.info({ event: 'agenda.refresh.refused', code: reader.code }, 'agenda view refused');
      return messageResponse(caseErrorText(locale, reader.code));
    }
    const card = await this.cards.cardFor(reader.value.case.trackingId, locale, {}, reader.value.viewer);
    return card ? cardResponse(card) : messageResponse(t(locale, 'cases.error.agenda.closed'));
  }

  private async attend(data: Record<string, unknown>, scope: TurnScope) {
    const trackingId = inputText(data.trackingId, 40);
    const answer = inputText(data.answer, 5);
    const result = await this.deps.cases.respondAttendance(trackingId, Number(data.seq), answer, me(scope));
    return this.answer('agenda.attend', trackingId, result, answer === 'no' ? 'cases.agenda.done.no' : 'cases.agenda.done.yes', scope);
  }

  private async addPoint(data: Record<string, unknown>, scope: TurnScope) {
    const trackingId = inputText(data.trackingId, 40);
    const typed = inputText(data.newPoint, 1000);
    const result = await this.deps.cases.addAgendaPoint(trackingId, typed, me(scope));
    return this.answer('agenda.addPoint', trackingId, result, 'cases.agenda.done.pointAdded', scope, typed);
  }

  private async removePoint(data: Record<string, unknown>, scope: TurnScope) {
    const trackingId = inputText(data.trackingId, 40);
    const result = await this.deps.cases.removeAgendaPoint(trackingId, inputText(data.pointId, 80), me(scope));
    return this.answer('agenda.removePoint', trackingId, result, 'cases.agenda.done.pointRemoved', scope);
  }

  /** The agenda card after a change, with its notice; after an error, with the message and what was typed. */
  private async answer(verb: string, trackingId: string, result: CaseResult<unknown>, noticeKey: string, scope: TurnScope, typed = ''): Promise<AdaptiveCardInvokeResponse> {
    const { locale } = scope;
    const viewer = () => this.deps.cases.agendaViewer(trackingId, me(scope));
    if (!result.ok) {
      scope.log.info({ event: 'agenda.refused', verb, code: result.code }, 'agenda action refused');
      const text = caseErrorText(locale, result.code, result.params);
      // Members keep the card with the message and what they typed; others get a notice only.
      if (isRefusal(result.code)) return messageResponse(text);
      const card = await this.cards.cardFor(trackingId, locale, { error: text, newPointValue: typed }, await viewer());
      return card ? cardResponse(card) : messageResponse(text);
    }
    scope.log.info({ event: verb, trackingId }, 'agenda changed');
    const card = await this.cards.cardFor(trackingId, locale, { notice: t(locale, noticeKey) }, await viewer());
    return card ? cardResponse(card) : messageResponse(t(locale, noticeKey));
  }
}

const me = (scope: TurnScope): string => scope.context.activity.from.aadObjectId ?? '';
