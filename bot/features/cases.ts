// The case after admission: "lier dossier" in the case's group chat or channel, "mes dossiers" in
// the personal chat, the case card (Action.Execute) for status, date and place, participants, and
// the agenda card ("ordre du jour"): participants' view in the chat, organiser's view by refresh.
// Permissions are checked by services/cases.ts (domain/caseRules.ts); refusals are told here.
import { CloudAdapter, TeamsInfo, CardFactory, TurnContext } from 'botbuilder';
import { DateTime } from 'luxon';
import { agendaCard, BRUSSELS, brusselsDateTime, caseCard, caseListCard, CaseCardView, statusLabel } from '../../cards/cases';
import { reasonFromChoice } from '../../domain/caseRules';
import { can } from '../../domain/permissions';
import { effectiveOffsets } from '../../domain/reminderOffsets';
import type { StopReason } from '../../domain/caseStatus';
import type { Locale, Params } from '../../locales/i18n';
import { hasKey, t, toSupportedLocale } from '../../locales/i18n';
import type { Case } from '../../models/case';
import type { CaseErrorCode, CaseService } from '../../services/cases';
import type { MemberService } from '../../services/members';
import type { Command } from '../commands';
import type { ConversationReferences } from '../conversationReferences';
import type { Logger } from '../logger';
import type { ProactiveMessenger } from '../proactive';
import { cardResponse, Feature, messageResponse, TurnScope } from '../teamsBot';
import { routesOf } from '../routes';

export interface CaseFeatureDeps {
  cases: CaseService;
  members: MemberService;
  references: ConversationReferences;
  /** Posts and updates the agenda card in the case conversation. */
  messenger?: ProactiveMessenger;
  /** For reading the roster of the case conversation (adding Teams members as participants). */
  adapter?: CloudAdapter;
  botAppId?: string;
  logger: Logger;
}

const VERBS = new Set(['case.open', 'case.status', 'case.addParticipant', 'case.removeParticipant', 'case.schedule', 'case.reminderOffsets']);
const AGENDA_VERBS = new Set(['agenda.attend', 'agenda.addPoint', 'agenda.removePoint', 'agenda.refresh']);
type AgendaViewer = 'organiser' | 'participant';
const str = (v: unknown, max = 500): string => (typeof v === 'string' ? v.trim().slice(0, max) : typeof v === 'number' ? String(v) : '');

/**
 * After the retention purge: each card the bot posted for the case (triage, agenda, PSI, poll) becomes a
 * short notice in the case's language. Best effort: a message that cannot be updated is logged
 * (ids only) and stays as Teams keeps it.
 */
export async function replacePurgedCards(messenger: Pick<ProactiveMessenger, 'update'>, logger: Logger, trackingId: string, locale: string, cards: Array<{ conversationId: string; activityId: string }>): Promise<void> {
  const text = t(toSupportedLocale(locale) ?? 'fr', 'cases.purged.posted', { trackingId });
  for (const card of cards) {
    const result = await messenger.update(card.conversationId, card.activityId, { type: 'message', text, attachments: [] }).catch((err: Error) => ({ ok: false as const, outcome: err?.name ?? 'failed' }));
    if (!result.ok) logger.warn({ trackingId, outcome: result.outcome, event: 'retention.cardNotReplaced' }, 'posted card of a purged case not replaced');
  }
}

/** Error code → message with translated status names. */
export function caseErrorText(locale: Locale, code: CaseErrorCode, params: Record<string, string> = {}): string {
  const p: Params = { ...params };
  // An unknown status (a forged or outdated card) has no label: the message for it names none.
  if (params.from && hasKey(`cases.status.${params.from}`)) p.from = statusLabel(params.from, locale);
  if (params.to && hasKey(`cases.status.${params.to}`)) p.to = statusLabel(params.to, locale);
  return t(locale, `cases.error.${code}`, p);
}

export class CaseFeature implements Feature {
  readonly name = 'cases';
  readonly buttons: Feature['buttons'] = { myCases: { command: 'myCases' } };
  readonly commands: Feature['commands'] = {linkCase: (command, scope) => this.onCommand(command, scope), myCases: (command, scope) => this.onCommand(command, scope), agenda: (command, scope) => this.onCommand(command, scope) };
  readonly verbs: Feature['verbs'] = routesOf([...VERBS, ...AGENDA_VERBS], (verb) => async (data, scope) => (await this.onCardAction(verb, data, scope)) ?? messageResponse(scope.tr('error.notUnderstood')));
  constructor(private readonly deps: CaseFeatureDeps) {}

  async onCommand(command: Command, scope: TurnScope): Promise<boolean> {
    if (command.name === 'linkCase') {
      await this.linkCase(command.arg, scope);
      return true;
    }
    if (command.name === 'myCases') {
      await this.myCases(scope);
      return true;
    }
    if (command.name === 'agenda') {
      await this.showAgenda(command.arg, scope);
      return true;
    }
    return false;
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
    const me = context.activity.from.aadObjectId ?? '';
    let trackingId = arg.trim().split(/\s+/)[0] ?? '';
    if (!trackingId) {
      const linked = await cases.caseForConversation(conversationId);
      if (!linked) {
        await context.sendActivity(tr('cases.agenda.missingId'));
        return;
      }
      trackingId = linked.trackingId;
    }
    const allowed = await this.mayReadAgenda(trackingId, me, conversationId);
    if (!allowed.ok) {
      scope.log.info({ event: 'agenda.refused', code: allowed.code }, 'agenda refused');
      await context.sendActivity(caseErrorText(locale, allowed.code));
      return;
    }
    const c = allowed.value;
    const inCaseConversation = c.conversationId === conversationId;
    const type = context.activity.conversation.conversationType;
    if (!inCaseConversation && type && type !== 'personal') {
      // Another group chat is not the case's: its members must not see the case's participants.
      await context.sendActivity(tr('cases.agenda.wrongConversation'));
      return;
    }
    const viewer = inCaseConversation ? 'participant' : await this.viewerOf(c.trackingId, me);
    const card = await this.agendaCardFor(c.trackingId, locale, {}, viewer);
    if (!card) {
      await context.sendActivity(tr('cases.agenda.noDate', { trackingId: c.trackingId }));
      return;
    }
    const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    const concertation = await cases.openConcertation(c.trackingId);
    // The card just posted is the one in view: later changes update it rather than the old one.
    if (inCaseConversation && sent?.id && concertation) await cases.recordAgendaMessage(c.trackingId, concertation.seq, conversationId, sent.id);
  }

  /** Case members read the agenda anywhere; anyone in the case conversation already sees it there (domain/permissions.ts). */
  private async mayReadAgenda(trackingId: string, me: string, conversationId: string): Promise<{ ok: true; value: Case } | { ok: false; code: CaseErrorCode }> {
    const access = await this.deps.cases.access(trackingId, me);
    if (!access) return { ok: false, code: 'unknownCase' };
    // Past retention the agenda is gone and nobody is a member any more: whoever still has the card
    // is told why it is empty (that the case was closed long ago is no personal data).
    if (access.case.purgedAt) return { ok: false, code: 'purged' };
    const inConversation = Boolean(conversationId) && access.case.conversationId === conversationId;
    if (!can('readAgenda', { ...access.actor, inConversation })) return { ok: false, code: 'notAllowed' };
    return { ok: true, value: access.case };
  }

  /** Whoever may edit the agenda gets the organiser's view (same rule as the edits themselves). */
  private async viewerOf(trackingId: string, me: string): Promise<AgendaViewer> {
    return (await this.deps.cases.authorise(trackingId, me, 'editAgenda')).ok ? 'organiser' : 'participant';
  }

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
    const result = await this.deps.cases.linkConversation(trackingId, context.activity.conversation.id, me, locale);
    if (!result.ok) {
      scope.log.info({ event: 'case.link.refused', code: result.code }, 'case link refused');
      await context.sendActivity(caseErrorText(locale, result.code, result.params));
      return;
    }
    scope.log.info({ event: 'case.linked', trackingId: result.value.trackingId }, 'case conversation linked');
    await context.sendActivity(tr('cases.link.done', { trackingId: result.value.trackingId }));
  }

  private async myCases(scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const type = context.activity.conversation.conversationType;
    if (type && type !== 'personal') {
      await context.sendActivity(tr('cases.onlyPersonal'));
      return;
    }
    const me = context.activity.from.aadObjectId ?? '';
    const mine = me ? await this.deps.cases.listFor(me) : [];
    const coordinator = await this.deps.members.isCoordinator(me);
    let items = mine;
    if (coordinator) {
      const roles = new Map(mine.map((c) => [c.trackingId, c.myRoles]));
      items = (await this.deps.cases.listAll()).map((c) => ({ ...c, myRoles: roles.get(c.trackingId) ?? [] }));
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(caseListCard(items, locale, coordinator))] });
  }

  async onCardAction(verb: string, data: Record<string, unknown>, scope: TurnScope) {
    if (AGENDA_VERBS.has(verb)) return this.onAgendaAction(verb, data, scope);
    if (!VERBS.has(verb)) return null;
    const { context, locale } = scope;
    const me = context.activity.from.aadObjectId ?? '';
    const trackingId = str(data.trackingId, 40);
    const access = await this.deps.cases.authorise(trackingId, me, 'view');
    if (!access.ok) {
      scope.log.info({ event: 'case.refused', verb, code: access.code }, 'case action refused');
      return messageResponse(caseErrorText(locale, access.code));
    }
    const id = access.value.case.trackingId;
    const done = async (result: { ok: true } | { ok: false; code: CaseErrorCode; params?: Record<string, string> }, notice: string, values: Record<string, string> = {}) => {
      if (!result.ok) {
        scope.log.info({ event: 'case.action.refused', verb, code: result.code }, 'case action refused');
        if (result.code === 'notAllowed' || result.code === 'unknownCase' || result.code === 'purged') return messageResponse(caseErrorText(locale, result.code));
        return cardResponse(await this.caseCardFor(id, me, scope, { error: caseErrorText(locale, result.code, result.params), values }));
      }
      scope.log.info({ event: verb, trackingId: id }, 'case changed');
      return cardResponse(await this.caseCardFor(id, me, scope, { notice }));
    };

    switch (verb) {
      case 'case.open':
        return cardResponse(await this.caseCardFor(id, me, scope, {}));
      case 'case.status': {
        const values = { statusTo: str(data.statusTo, 40), reason: str(data.reason, 80), reasonText: str(data.reasonText), statusNote: str(data.statusNote) };
        const reason: StopReason | undefined = reasonFromChoice(values.reason, values.reasonText);
        const result = await this.deps.cases.changeStatus(id, values.statusTo, me, reason, values.statusNote || undefined);
        return done(result, result.ok ? t(locale, 'cases.done.status', { status: statusLabel(result.value.to, locale) }) : '', values);
      }
      case 'case.addParticipant': {
        const values = { pRole: str(data.pRole, 40), pProfile: str(data.pProfile, 40), pName: str(data.pName, 200), pContact: str(data.pContact), pRelation: str(data.pRelation, 120), pTeamsUser: str(data.pTeamsUser, 300) };
        let aadObjectId: string | null = null;
        let teamsUserId: string | null = null;
        let name = values.pName;
        if (values.pTeamsUser) {
          const member = (await this.roster(access.value.case.conversationId)).find((m) => m.aadObjectId === values.pTeamsUser);
          if (member) {
            aadObjectId = member.aadObjectId;
            teamsUserId = member.id;
            name = name || member.name;
          }
        }
        const result = await this.deps.cases.addParticipant(id, { role: values.pRole, profile: values.pProfile || null, displayName: name, contact: values.pContact, relation: values.pRelation, aadObjectId, teamsUserId }, me);
        return done(result, t(locale, 'cases.done.participantAdded'), values);
      }
      case 'case.removeParticipant': {
        const result = await this.deps.cases.removeParticipant(id, str(data.key, 200), me);
        return done(result, t(locale, 'cases.done.participantRemoved'));
      }
      case 'case.schedule': {
        const values = { sDate: str(data.sDate, 20), sTime: str(data.sTime, 10), sDuration: str(data.sDuration, 10), sPlace: str(data.sPlace), sLink: str(data.sLink) };
        const start = DateTime.fromISO(`${values.sDate}T${values.sTime}`, { zone: BRUSSELS });
        const duration = values.sDuration === '' ? NaN : Number(values.sDuration);
        const result = await this.deps.cases.setConcertation(id, { start: start.isValid ? start.toJSDate() : new Date(NaN), durationMinutes: duration, place: values.sPlace, onlineLink: values.sLink || null }, me);
        return done(result, result.ok ? t(locale, 'cases.done.scheduled', { date: brusselsDateTime(result.value.start, locale) }) : '', values);
      }
      case 'case.reminderOffsets': {
        // Meeting reminder offsets (organiser only; checked and re-planned by the service).
        const values = { rOffsets: str(data.rOffsets, 100) };
        const result = await this.deps.cases.setReminderOffsets(id, values.rOffsets, me);
        return done(result, result.ok ? t(locale, 'cases.reminders.done', { list: result.value.join(', ') }) : '', values);
      }
      default:
        return null;
    }
  }

  private async onAgendaAction(verb: string, data: Record<string, unknown>, scope: TurnScope) {
    const { context, locale } = scope;
    const me = context.activity.from.aadObjectId ?? '';
    const trackingId = str(data.trackingId, 40);
    const { cases } = this.deps;
    if (verb === 'agenda.refresh') {
      // Teams asks for the card as this user should see it (automatically for the organiser,
      // on demand for the others).
      const allowed = await this.mayReadAgenda(trackingId, me, context.activity.conversation.id);
      if (!allowed.ok) {
        scope.log.info({ event: 'agenda.refresh.refused', code: allowed.code }, 'agenda view refused');
        return messageResponse(caseErrorText(locale, allowed.code));
      }
      const card = await this.agendaCardFor(allowed.value.trackingId, locale, {}, await this.viewerOf(allowed.value.trackingId, me));
      return card ? cardResponse(card) : messageResponse(t(locale, 'cases.error.agenda.closed'));
    }
    let result: { ok: true } | { ok: false; code: CaseErrorCode; params?: Record<string, string> };
    let notice = '';
    let typed = '';
    if (verb === 'agenda.attend') {
      const answer = str(data.answer, 5);
      result = await cases.respondAttendance(trackingId, Number(data.seq), answer, me);
      notice = answer === 'no' ? 'cases.agenda.done.no' : 'cases.agenda.done.yes';
    } else if (verb === 'agenda.addPoint') {
      typed = str(data.newPoint, 1000);
      result = await cases.addAgendaPoint(trackingId, typed, me);
      notice = 'cases.agenda.done.pointAdded';
    } else {
      result = await cases.removeAgendaPoint(trackingId, str(data.pointId, 80), me);
      notice = 'cases.agenda.done.pointRemoved';
    }
    if (!result.ok) {
      scope.log.info({ event: 'agenda.refused', verb, code: result.code }, 'agenda action refused');
      const text = caseErrorText(locale, result.code, result.params);
      // Members keep the card with the message and what they typed; others get a notice only.
      if (result.code === 'notAllowed' || result.code === 'unknownCase' || result.code === 'purged') return messageResponse(text);
      const card = await this.agendaCardFor(trackingId, locale, { error: text, newPointValue: typed }, await this.viewerOf(trackingId, me));
      return card ? cardResponse(card) : messageResponse(text);
    }
    scope.log.info({ event: verb, trackingId }, 'agenda changed');
    const card = await this.agendaCardFor(trackingId, locale, { notice: t(locale, notice) }, await this.viewerOf(trackingId, me));
    return card ? cardResponse(card) : messageResponse(t(locale, notice));
  }

  /**
   * The agenda card of the concertation being prepared, or null when no date is fixed. Every view
   * carries the refresh that gives the organiser their own view in the shared conversation.
   */
  async agendaCardFor(trackingId: string, locale: Locale, extra: { error?: string; notice?: string; newPointValue?: string } = {}, viewer: AgendaViewer = 'participant') {
    const { cases, members } = this.deps;
    const c = await cases.get(trackingId);
    const concertation = c ? await cases.openConcertation(c.trackingId) : null;
    if (!c || !concertation) return null;
    const [participants, points, answers] = await Promise.all([
      cases.participants(c.trackingId),
      cases.agendaPoints(c.trackingId, concertation.seq),
      cases.attendanceOf(c.trackingId, concertation.seq),
    ]);
    return agendaCard(
      {
        trackingId: c.trackingId,
        seq: concertation.seq,
        start: concertation.start,
        durationMinutes: concertation.durationMinutes,
        place: concertation.place,
        onlineLink: concertation.onlineLink,
        participants: participants.map((p) => ({ role: p.role, profile: p.profile, displayName: p.displayName, inTeams: Boolean(p.aadObjectId), answer: p.aadObjectId ? answers.get(p.aadObjectId) ?? null : null })),
        points: points.map((p) => ({ pointId: p.pointId, text: p.text })),
        viewer,
        refreshUserIds: [participants.find((p) => p.aadObjectId === c.organiserAadObjectId)?.teamsUserId ?? (await members.get(c.organiserAadObjectId))?.teamsUserId ?? ''],
        ...extra,
      },
      locale,
    );
  }

  /** Posts the agenda card to the case conversation, or updates the posted one in place. */
  async refreshAgenda(trackingId: string): Promise<void> {
    const { cases, messenger, logger } = this.deps;
    if (!messenger) return;
    try {
      const c = await cases.get(trackingId);
      const concertation = c?.conversationId ? await cases.openConcertation(c.trackingId) : null;
      if (!c?.conversationId || !concertation) return;
      const card = await this.agendaCardFor(c.trackingId, toSupportedLocale(c.locale) ?? 'fr');
      if (!card) return;
      const activity = { attachments: [CardFactory.adaptiveCard(card)] };
      if (concertation.agendaActivityId && concertation.agendaConversationId === c.conversationId) {
        const updated = await messenger.update(c.conversationId, concertation.agendaActivityId, activity);
        if (updated.ok) return;
        logger.warn({ trackingId: c.trackingId, outcome: updated.outcome }, 'agenda card update failed, posting it again');
      }
      const sent = await messenger.send(c.conversationId, activity);
      if (sent.ok && sent.activityId) await cases.recordAgendaMessage(c.trackingId, concertation.seq, c.conversationId, sent.activityId);
      else logger.error({ trackingId: c.trackingId, outcome: sent.ok ? 'noActivityId' : sent.outcome }, 'agenda card not posted');
    } catch (err) {
      logger.error({ trackingId, err: (err as Error)?.name }, 'agenda refresh failed');
    }
  }

  /** The case card as this user may see it (full for members, anonymised for the coordination). */
  async caseCardFor(trackingId: string, me: string, scope: TurnScope, extra: { error?: string; notice?: string; values?: Record<string, string> }) {
    const { cases, members } = this.deps;
    const access = (await cases.access(trackingId, me))!;
    const c = access.case;
    if (c.purgedAt) return this.purgedCaseCard(c, scope);
    const [status, participants, history, next, organiser] = await Promise.all([
      cases.currentStatus(c.trackingId),
      cases.participants(c.trackingId),
      cases.history(c.trackingId),
      cases.currentConcertation(c.trackingId),
      members.get(c.organiserAadObjectId),
    ]);
    const level = access.level === 'full' ? 'full' : 'anonymised';
    const names = new Map(participants.filter((p) => p.aadObjectId).map((p) => [p.aadObjectId!, p.displayName]));
    const canManage = level === 'full' && access.actor.isOrganiser;
    const roster = canManage ? await this.roster(c.conversationId) : [];
    const view: CaseCardView = {
      trackingId: c.trackingId,
      level,
      status: status.status,
      organiserName: organiser?.displayName ?? '',
      consentType: c.consentType,
      conversationLinked: Boolean(c.conversationId),
      next: next && !next.held ? next : null,
      participants: participants.map((p) => ({ key: p.key, role: p.role, profile: p.profile, displayName: p.displayName, contact: p.contact, relation: p.relation })),
      history: history.map((h) => ({ from: h.from, to: h.to, at: h.at, byName: names.get(h.by) ?? '', reason: h.reasonJson ? (JSON.parse(h.reasonJson) as StopReason) : null, note: h.note })),
      canChangeStatus: access.actor.isOrganiser || access.actor.roles.includes('referent'),
      canManage,
      canSchedule: canManage,
      teamsUsers: roster.filter((m) => !names.has(m.aadObjectId)).map((m) => ({ value: m.aadObjectId, title: m.name || m.aadObjectId })),
      reminderOffsets: effectiveOffsets(c.reminderOffsetsDays),
      ...extra,
    };
    return caseCard(view, scope.locale);
  }

  /**
   * A case past its retention period: the anonymised record (status, dates, history codes) and
   * when its personal data was erased; no participant, place or action.
   */
  private async purgedCaseCard(c: Case, scope: TurnScope) {
    const { cases, members } = this.deps;
    const [status, history, next, organiser] = await Promise.all([cases.currentStatus(c.trackingId), cases.history(c.trackingId), cases.currentConcertation(c.trackingId), members.get(c.organiserAadObjectId)]);
    const view: CaseCardView = {
      trackingId: c.trackingId,
      level: 'anonymised',
      status: status.status,
      organiserName: organiser?.displayName ?? '',
      consentType: c.consentType,
      conversationLinked: false,
      next: next && !next.held ? next : null,
      participants: [],
      history: history.map((h) => ({ from: h.from, to: h.to, at: h.at, byName: '', reason: h.reasonJson ? (JSON.parse(h.reasonJson) as StopReason) : null, note: '' })),
      canChangeStatus: false,
      canManage: false,
      canSchedule: false,
      teamsUsers: [],
      notice: t(scope.locale, 'cases.purged.notice', { date: brusselsDateTime(c.purgedAt!, scope.locale) }),
    };
    return caseCard(view, scope.locale);
  }

  /** Members of the case's Teams conversation (best effort: empty when unknown or unreachable). */
  private async roster(conversationId: string | null): Promise<Array<{ id: string; aadObjectId: string; name: string }>> {
    const { adapter, references } = this.deps;
    if (!conversationId || !adapter) return [];
    const reference = await references.get(conversationId);
    if (!reference) return [];
    let members: Array<{ id: string; aadObjectId: string; name: string }> = [];
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        adapter.continueConversationAsync(this.deps.botAppId ?? '', reference, async (ctx: TurnContext) => {
          const page = await TeamsInfo.getPagedMembers(ctx, 200);
          members = (page.members ?? []).filter((m) => m.aadObjectId).map((m) => ({ id: m.id, aadObjectId: m.aadObjectId!, name: m.name ?? '' }));
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 3000);
        }),
      ]);
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error)?.name }, 'case roster unavailable');
    } finally {
      clearTimeout(timer);
    }
    return members;
  }
}
