// The case card as one user may see it: full for members, anonymised for the coordination, the
// anonymised record once the case is purged. What the user may do on it is asked of the service.
import type { CloudAdapter } from 'botbuilder';
import { brusselsDateTime, caseCard, CaseCardView } from '../../../cards/cases';
import type { StopReason } from '../../../domain/caseStatus';
import { effectiveOffsets } from '../../../domain/reminderOffsets';
import { Locale, t } from '../../../locales/i18n';
import type { Case } from '../../../models/case';
import type { CaseStatusEvent } from '../../../models/caseStatusEvent';
import type { CaseService } from '../../../services/cases';
import type { MemberService } from '../../../services/members';
import type { ConversationReferences } from '../../conversationReferences';
import type { Logger } from '../../logger';
import { readRoster } from '../../roster';

export interface CaseViewDeps {
  cases: CaseService;
  members: MemberService;
  references: ConversationReferences;
  /** For reading the roster of the case conversation (adding Teams members as participants). */
  adapter?: CloudAdapter;
  botAppId?: string;
  logger: Logger;
}

/** A Teams member of the case conversation (someone Teams knows by an AAD id). */
export interface TeamsMember {
  teamsUserId: string;
  aadObjectId: string;
  name: string;
}

/** A roster read from outside the turn waits no longer than this. */
const ROSTER_TIMEOUT_MS = 3000;

export class CaseView {
  constructor(private readonly deps: CaseViewDeps) {}

  /** The case card as this user may see it; `extra` carries what the last action said and what was typed. */
  async cardFor(trackingId: string, me: string, locale: Locale, extra: { error?: string; notice?: string; values?: Record<string, string> }) {
    const { cases, members } = this.deps;
    const access = (await cases.access(trackingId, me))!;
    const c = access.case;
    if (c.purgedAt) return this.purgedCard(c, locale);
    const [status, participants, history, next, organiser] = await Promise.all([
      cases.currentStatus(c.trackingId),
      cases.participants(c.trackingId),
      cases.history(c.trackingId),
      cases.currentConcertation(c.trackingId),
      members.get(c.organiserAadObjectId),
    ]);
    const level = access.level === 'full' ? 'full' : 'anonymised';
    const names = new Map(participants.filter((p) => p.aadObjectId).map((p) => [p.aadObjectId!, p.displayName]));
    const canManage = cases.may(access, 'manageParticipants');
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
      history: history.map((h) => historyLine(h, names.get(h.by) ?? '')),
      canChangeStatus: cases.may(access, 'changeStatus'),
      canManage,
      // The date form is the organiser's; the coordination helps with the date through the poll.
      canSchedule: canManage,
      teamsUsers: roster.filter((m) => !names.has(m.aadObjectId)).map((m) => ({ value: m.aadObjectId, title: m.name || m.aadObjectId })),
      reminderOffsets: effectiveOffsets(c.reminderOffsetsDays),
      ...extra,
    };
    return caseCard(view, locale);
  }

  /**
   * A case past its retention period: the anonymised record (status, dates, history codes) and
   * when its personal data was erased; no participant, place or action.
   */
  private async purgedCard(c: Case, locale: Locale) {
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
      history: history.map((h) => ({ ...historyLine(h, ''), note: '' })),
      canChangeStatus: false,
      canManage: false,
      canSchedule: false,
      teamsUsers: [],
      notice: t(locale, 'cases.purged.notice', { date: brusselsDateTime(c.purgedAt!, locale) }),
    };
    return caseCard(view, locale);
  }

  /** Members of the case's Teams conversation (best effort: empty when unknown or unreachable). */
  async roster(conversationId: string | null): Promise<TeamsMember[]> {
    const { adapter, references, botAppId, logger } = this.deps;
    if (!conversationId || !adapter) return [];
    const reference = await references.get(conversationId);
    if (!reference) return [];
    // Read inside the conversation's turn; null when Teams did not answer in time.
    const read: { members: TeamsMember[] | null } = { members: null };
    try {
      await adapter.continueConversationAsync(botAppId ?? '', reference, async (ctx) => {
        const roster = await readRoster(ctx, { timeoutMs: ROSTER_TIMEOUT_MS });
        read.members = roster && roster.flatMap((m) => (m.aadObjectId ? [{ teamsUserId: m.teamsUserId, aadObjectId: m.aadObjectId, name: m.name }] : []));
      });
    } catch (err) {
      logger.warn({ err: (err as Error)?.name }, 'case roster unavailable');
      return [];
    }
    if (!read.members) logger.warn({}, 'case roster unavailable');
    return read.members ?? [];
  }
}

function historyLine(h: CaseStatusEvent, byName: string): CaseCardView['history'][number] {
  return { from: h.from, to: h.to, at: h.at, byName, reason: h.reasonJson ? (JSON.parse(h.reasonJson) as StopReason) : null, note: h.note };
}
