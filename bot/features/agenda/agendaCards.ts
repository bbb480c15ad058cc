// The agenda card (ordre du jour) of the concertation being prepared: built for a viewer, posted to
// the case conversation and kept up to date there after every change.
import { CardFactory } from 'botbuilder';
import { agendaCard } from '../../../cards/cases';
import { Locale, toSupportedLocale } from '../../../locales/i18n';
import type { AgendaViewer, CaseService } from '../../../services/cases';
import type { MemberService } from '../../../services/members';
import type { Logger } from '../../logger';
import type { ProactiveMessenger } from '../../proactive';

export interface AgendaCardsDeps {
  cases: CaseService;
  members: MemberService;
  /** Posts and updates the agenda card in the case conversation. */
  messenger?: Pick<ProactiveMessenger, 'send' | 'update'>;
  logger: Logger;
}

export interface AgendaExtra {
  error?: string;
  notice?: string;
  newPointValue?: string;
}

export class AgendaCards {
  constructor(private readonly deps: AgendaCardsDeps) {}

  /**
   * The agenda card of the concertation being prepared, or null when no date is fixed. Every view
   * carries the refresh that gives the organiser their own view in the shared conversation.
   */
  async cardFor(trackingId: string, locale: Locale, extra: AgendaExtra = {}, viewer: AgendaViewer = 'participant') {
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
  async refresh(trackingId: string): Promise<void> {
    const { cases, messenger, logger } = this.deps;
    if (!messenger) return;
    try {
      const c = await cases.get(trackingId);
      const concertation = c?.conversationId ? await cases.openConcertation(c.trackingId) : null;
      if (!c?.conversationId || !concertation) return;
      const card = await this.cardFor(c.trackingId, toSupportedLocale(c.locale) ?? 'fr');
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
}
