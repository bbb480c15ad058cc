// The case after admission: "lier dossier" in the case's group chat or channel, "mes dossiers" in
// the personal chat, and the case card (Action.Execute) for status, date and place, participants
// and meeting reminders. Rights are checked by services/cases.ts; refusals are told here.
import { AdaptiveCardInvokeResponse, CardFactory } from 'botbuilder';
import { brusselsDateTime, caseListCard, statusLabel } from '../../../cards/cases';
import { reasonFromChoice } from '../../../domain/caseRules';
import { inputText } from '../../../domain/input';
import { inBrussels } from '../../../domain/time';
import { t } from '../../../locales/i18n';
import type { CaseAccess, CaseResult, CaseService } from '../../../services/cases';
import type { Feature, VerbHandler } from '../../routes';
import { cardResponse, isPersonalChat, messageResponse, TurnScope } from '../../teamsBot';
import { CaseView, CaseViewDeps } from './caseView';
import { caseErrorText, isRefusal } from './errors';

export type CaseFeatureDeps = CaseViewDeps;

/** A case verb's turn: the case the user may see, who they are, and what the card sent. */
interface CaseTurn {
  verb: string;
  id: string;
  me: string;
  access: CaseAccess;
  data: Record<string, unknown>;
  scope: TurnScope;
}

export class CaseFeature implements Feature {
  readonly name = 'cases';
  readonly buttons: Feature['buttons'] = { myCases: { command: 'myCases' } };
  readonly commands: Feature['commands'] = {
    linkCase: (command, scope) => this.linkCase(command.arg, scope),
    myCases: (_command, scope) => this.myCases(scope),
  };
  readonly verbs: Feature['verbs'] = {
    'case.open': this.onCase('case.open', (turn) => this.open(turn)),
    'case.status': this.onCase('case.status', (turn) => this.changeStatus(turn)),
    'case.addParticipant': this.onCase('case.addParticipant', (turn) => this.addParticipant(turn)),
    'case.removeParticipant': this.onCase('case.removeParticipant', (turn) => this.removeParticipant(turn)),
    'case.schedule': this.onCase('case.schedule', (turn) => this.schedule(turn)),
    'case.reminderOffsets': this.onCase('case.reminderOffsets', (turn) => this.setReminderOffsets(turn)),
  };
  private readonly view: CaseView;

  constructor(private readonly deps: CaseFeatureDeps) {
    this.view = new CaseView(deps);
  }

  private get cases(): CaseService {
    return this.deps.cases;
  }

  /** "lier dossier CMD-…": the group chat or channel becomes the case's conversation. */
  private async linkCase(arg: string, scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const type = context.activity.conversation.conversationType;
    if (type !== 'groupChat' && type !== 'channel') {
      await context.sendActivity(tr('cases.link.onlyGroup'));
      return;
    }
    const trackingId = arg.trim().split(/\s+/)[0] ?? '';
    if (!trackingId) {
      await context.sendActivity(tr('cases.link.missingId'));
      return;
    }
    const me = context.activity.from.aadObjectId ?? '';
    const result = await this.cases.linkConversation(trackingId, context.activity.conversation.id, me, locale);
    if (!result.ok) {
      scope.log.info({ event: 'case.link.refused', code: result.code }, 'case link refused');
      await context.sendActivity(caseErrorText(locale, result.code, result.params));
      return;
    }
    scope.log.info({ event: 'case.linked', trackingId: result.value.trackingId }, 'case conversation linked');
    await context.sendActivity(tr('cases.link.done', { trackingId: result.value.trackingId }));
  }

  /** "mes dossiers" in the personal chat: the user's cases, or every case (anonymised) for the coordination. */
  private async myCases(scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    if (!isPersonalChat(scope)) {
      await context.sendActivity(tr('cases.onlyPersonal'));
      return;
    }
    const visible = await this.cases.visibleTo(context.activity.from.aadObjectId ?? '');
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(caseListCard(visible.cases, locale, visible.coordination))] });
  }

  /** A case verb: the user must see the case; the handler's own change is checked again by the service. */
  private onCase(verb: string, handle: (turn: CaseTurn) => Promise<AdaptiveCardInvokeResponse>): VerbHandler {
    return async (data, scope) => {
      const me = scope.context.activity.from.aadObjectId ?? '';
      const access = await this.cases.authorise(inputText(data.trackingId, 40), me, 'view');
      if (!access.ok) {
        scope.log.info({ event: 'case.refused', verb, code: access.code }, 'case action refused');
        return messageResponse(caseErrorText(scope.locale, access.code));
      }
      return handle({ verb, id: access.value.case.trackingId, me, access: access.value, data, scope });
    };
  }

  /** The case card after an action: with its notice, or with the error and what was typed (refusals: a notice only). */
  private async answer(turn: CaseTurn, result: CaseResult<unknown>, notice: string, values: Record<string, string> = {}) {
    const { verb, id, me, scope } = turn;
    if (!result.ok) {
      scope.log.info({ event: 'case.action.refused', verb, code: result.code }, 'case action refused');
      if (isRefusal(result.code)) return messageResponse(caseErrorText(scope.locale, result.code));
      return cardResponse(await this.view.cardFor(id, me, scope.locale, { error: caseErrorText(scope.locale, result.code, result.params), values }));
    }
    scope.log.info({ event: verb, trackingId: id }, 'case changed');
    return cardResponse(await this.view.cardFor(id, me, scope.locale, { notice }));
  }

  private async open({ id, me, scope }: CaseTurn) {
    return cardResponse(await this.view.cardFor(id, me, scope.locale, {}));
  }

  private async changeStatus(turn: CaseTurn) {
    const { data } = turn;
    const { locale } = turn.scope;
    const values = { statusTo: inputText(data.statusTo, 40), reason: inputText(data.reason, 80), reasonText: inputText(data.reasonText), statusNote: inputText(data.statusNote) };
    const reason = reasonFromChoice(values.reason, values.reasonText);
    const result = await this.cases.changeStatus(turn.id, values.statusTo, turn.me, reason, values.statusNote || undefined);
    return this.answer(turn, result, result.ok ? t(locale, 'cases.done.status', { status: statusLabel(result.value.to, locale) }) : '', values);
  }

  private async addParticipant(turn: CaseTurn) {
    const { data } = turn;
    const values = { pRole: inputText(data.pRole, 40), pProfile: inputText(data.pProfile, 40), pName: inputText(data.pName, 200), pContact: inputText(data.pContact), pRelation: inputText(data.pRelation, 120), pTeamsUser: inputText(data.pTeamsUser, 300) };
    // A Teams member of the case conversation: their ids come from the roster, never from the card.
    const member = values.pTeamsUser ? (await this.view.roster(turn.access.case.conversationId)).find((m) => m.aadObjectId === values.pTeamsUser) : undefined;
    const result = await this.cases.addParticipant(
      turn.id,
      { role: values.pRole, profile: values.pProfile || null, displayName: values.pName || member?.name || '', contact: values.pContact, relation: values.pRelation, aadObjectId: member?.aadObjectId ?? null, teamsUserId: member?.teamsUserId ?? null },
      turn.me,
    );
    return this.answer(turn, result, t(turn.scope.locale, 'cases.done.participantAdded'), values);
  }

  private async removeParticipant(turn: CaseTurn) {
    const result = await this.cases.removeParticipant(turn.id, inputText(turn.data.key, 200), turn.me);
    return this.answer(turn, result, t(turn.scope.locale, 'cases.done.participantRemoved'));
  }

  private async schedule(turn: CaseTurn) {
    const { data, scope } = turn;
    const values = { sDate: inputText(data.sDate, 20), sTime: inputText(data.sTime, 10), sDuration: inputText(data.sDuration, 10), sPlace: inputText(data.sPlace), sLink: inputText(data.sLink) };
    const start = inBrussels(`${values.sDate}T${values.sTime}`);
    const duration = values.sDuration === '' ? NaN : Number(values.sDuration);
    const result = await this.cases.setConcertation(turn.id, { start: start.isValid ? start.toJSDate() : new Date(NaN), durationMinutes: duration, place: values.sPlace, onlineLink: values.sLink || null }, turn.me);
    return this.answer(turn, result, result.ok ? t(scope.locale, 'cases.done.scheduled', { date: brusselsDateTime(result.value.start, scope.locale) }) : '', values);
  }

  /** Meeting reminder offsets (organiser only; checked and re-planned by the service). */
  private async setReminderOffsets(turn: CaseTurn) {
    const values = { rOffsets: inputText(turn.data.rOffsets, 100) };
    const result = await this.cases.setReminderOffsets(turn.id, values.rOffsets, turn.me);
    return this.answer(turn, result, result.ok ? t(turn.scope.locale, 'cases.reminders.done', { list: result.value.join(', '), count: Math.max(...result.value) }) : '', values);
  }
}
