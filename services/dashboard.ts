// What the organisers' dashboard tab shows, read from the services the bot uses (the same rules:
// domain/permissions.ts through CaseService / MemberService, domain/psiReaders.ts through
// PsiService). An organiser's own work; for the coordination, tracking ids and organiser names
// only, never a person's. Queries are equalities on indexed fields, one case or one person at a
// time (the embedded database reads a whole collection for anything else), and bounded.
import { DateTime } from 'luxon';
import type { PollAnswer } from '../domain/pollRanking';
import { parseLocalDateTime } from '../domain/pollSlots';
import type { PsiActor, PsiContent } from '../domain/psi';
import { visibleActors } from '../domain/psiReaders';
import type { MapLevel } from '../domain/networkMap';
import { BRUSSELS } from '../domain/time';
import { reminderCaseOf } from '../domain/reminderPayload';
import { isTrackingId } from '../domain/trackingId';
import type { PollDoc } from '../models/poll';
import type { Reminder } from '../models/reminder';
import type { CaseService, CaseSummary } from './cases';
import type { Clock } from './clock';
import type { MemberService } from './members';
import type { PollService } from './polls';
import type { PsiService } from './psi';
import { mapLimited } from './reminderStore';
import type { ReminderService } from './reminders';
import type { RequestService } from './requests';

/** Refusals, as the tab answers them: unknown → 404, not for this person → 403. */
export type DashboardResult<T> = { ok: true; value: T } | { ok: false; code: 'notFound' | 'forbidden' };

export interface DashboardCase {
  trackingId: string;
  status: string;
  nextDate: Date | null;
  nextKind: 'concertation' | 'pollDeadline' | null;
  conversationLinked: boolean;
  psiReadable: boolean;
}

export interface DashboardPoll {
  pollId: string;
  trackingId: string;
  status: PollDoc['status'];
  deadline: Date;
  slots: Array<{ id: string; start: Date; durationMinutes: number; yes: number; ifNeedBe: number; no: number }>;
  participants: Array<{ key: string; name: string; required: boolean; answers: Record<string, PollAnswer>; answered: boolean }>;
  suggestedSlotId: string | null;
}

export interface DashboardReminder {
  key: string;
  trackingId: string | null;
  kind: Reminder['kind'];
  dueAt: Date;
  delivery: 'scheduled' | 'sent' | 'late' | 'failed' | 'ambiguous' | 'cancelled' | 'done' | 'snoozed';
  sentAt: Date | null;
}

export interface OrganiserDashboard {
  cases: DashboardCase[];
  polls: DashboardPoll[];
  concertations: Array<{ trackingId: string; seq: number; start: Date; durationMinutes: number | null; place: string | null }>;
  reminders: DashboardReminder[];
}

export interface PsiVersionSummary {
  version: number;
  savedAt: Date;
  authorName: string;
  change: string;
}

export interface DashboardPsi {
  trackingId: string;
  latest: (PsiVersionSummary & { content: PsiContent }) | null;
  versions: PsiVersionSummary[];
}

/** The network map of a PSI version as the reader may see it (the picture is drawn by bot/tab). */
export interface DashboardPsiMap {
  trackingId: string;
  version: number;
  actors: PsiActor[];
  /** The case's language (the reader's own language, when known, wins). */
  locale: string;
}

export interface CoordinationDashboard {
  waiting: Array<{ trackingId: string; submittedAt: Date; suggestion: string; locale: string }>;
  byOrganiser: Array<{ organiserName: string; cases: Array<{ trackingId: string; status: string }> }>;
}

export interface DashboardDeps {
  cases: CaseService;
  polls: PollService;
  psi: PsiService;
  reminders: ReminderService;
  requests: RequestService;
  members: MemberService;
  clock: Clock;
}

export const MAX_REMINDERS = 100;
const REMINDERS_PAST_DAYS = 7;
/** Polls still to be decided: open, or closed and waiting for the organiser's choice. */
const LIVE_POLLS: ReadonlySet<PollDoc['status']> = new Set(['open', 'closed']);

const slotUtc = (local: string): Date => {
  const parsed = parseLocalDateTime(local);
  return parsed.ok ? parsed.utc : new Date(Number.NaN);
};

export class DashboardService {
  constructor(private readonly deps: DashboardDeps) {}

  /** Who the caller is to the dashboard: their roles (members), their name and language when known. */
  async me(aadObjectId: string): Promise<{ displayName: string | null; roles: Array<'coordinator' | 'organiser'>; preferredLocale: 'fr' | 'nl' | 'en' | null }> {
    const { members } = this.deps;
    const [member, coordinator] = await Promise.all([members.get(aadObjectId), members.isCoordinator(aadObjectId)]);
    const organiser = Boolean(member?.active && member.roles.includes('organiser'));
    const roles = [...(coordinator ? (['coordinator'] as const) : []), ...(organiser ? (['organiser'] as const) : [])];
    return { displayName: member?.displayName ?? null, roles, preferredLocale: member?.preferredLocale ?? null };
  }

  /** The caller's work as an organiser: the cases they organise, their live polls, dates and reminders. */
  async organiser(aadObjectId: string): Promise<OrganiserDashboard> {
    const { cases, polls, psi, clock } = this.deps;
    const now = clock.now();
    const today = DateTime.fromJSDate(now, { zone: BRUSSELS }).startOf('day').toJSDate();
    const mine = (await cases.listFor(aadObjectId)).filter((c) => c.organiserAadObjectId === aadObjectId);
    const perCase = await mapLimited(mine, 4, async (c: CaseSummary) => {
      const [all, concertation, access] = await Promise.all([polls.forTrackingId(c.trackingId), cases.currentConcertation(c.trackingId), psi.access(c.trackingId, aadObjectId)]);
      const grids = await Promise.all(all.filter((p) => LIVE_POLLS.has(p.status)).map((p) => this.grid(p)));
      const upcoming = concertation && !concertation.held && concertation.start.getTime() >= today.getTime() ? concertation : null;
      const deadline = grids.filter((g) => g.status === 'open' && g.deadline.getTime() >= now.getTime()).sort((a, b) => a.deadline.getTime() - b.deadline.getTime())[0];
      const row: DashboardCase = {
        trackingId: c.trackingId,
        status: c.status,
        nextDate: upcoming?.start ?? deadline?.deadline ?? null,
        nextKind: upcoming ? 'concertation' : deadline ? 'pollDeadline' : null,
        conversationLinked: c.conversationLinked,
        psiReadable: access.ok && access.value.canRead,
      };
      const meeting = upcoming && { trackingId: c.trackingId, seq: upcoming.seq, start: upcoming.start, durationMinutes: upcoming.durationMinutes ?? null, place: upcoming.place || null };
      return { row, grids, meeting };
    });
    return {
      cases: perCase.map((p) => p.row),
      polls: perCase.flatMap((p) => p.grids).sort((a, b) => a.deadline.getTime() - b.deadline.getTime()),
      concertations: perCase.flatMap((p) => (p.meeting ? [p.meeting] : [])).sort((a, b) => a.start.getTime() - b.start.getTime()),
      reminders: await this.reminders(aadObjectId, now),
    };
  }

  /** A poll as participants × slots, with the ranking's suggestion (domain/pollRanking.ts). */
  private async grid(poll: PollDoc): Promise<DashboardPoll> {
    const state = await this.deps.polls.stateOf(poll);
    const active = poll.slots.filter((s) => !s.removed);
    const activeIds = new Set(active.map((s) => s.id));
    const totals = new Map(state.ranking.map((r) => [r.slotId, r.totals]));
    return {
      pollId: poll.pollId,
      trackingId: poll.trackingId,
      status: poll.status,
      deadline: poll.deadlineUtc,
      slots: active.map((s) => ({ id: s.id, start: slotUtc(s.start), durationMinutes: s.durationMinutes, yes: totals.get(s.id)?.yes ?? 0, ifNeedBe: totals.get(s.id)?.ifNeedBe ?? 0, no: totals.get(s.id)?.no ?? 0 })),
      participants: poll.participants.map((p) => {
        const set = state.answers.get(p.key);
        const answers = Object.fromEntries((set?.answers ?? []).filter((a) => activeIds.has(a.slotId)).map((a) => [a.slotId, a.answer]));
        return { key: p.key, name: p.name, required: p.required, answers, answered: Boolean(set) };
      }),
      suggestedSlotId: state.suggestion && activeIds.has(state.suggestion.slotId) ? state.suggestion.slotId : null,
    };
  }

  /** The caller's reminders (recipient or organiser) from a week ago on, with their delivery outcome. */
  private async reminders(aadObjectId: string, now: Date): Promise<DashboardReminder[]> {
    const from = new Date(now.getTime() - REMINDERS_PAST_DAYS * 86_400_000);
    const { reminders } = this.deps;
    const rows = await reminders.lists.recentFor(aadObjectId, from, MAX_REMINDERS);
    // The outcome is recorded first and the reminder's status follows it: a due reminder still
    // "scheduled" may already have one (a pass cut between the two), which is the truth.
    return mapLimited(rows, 8, async (r): Promise<DashboardReminder> => {
      const caseId = reminderCaseOf(r);
      const outcome = r.status === 'scheduled' && r.dueAt.getTime() <= now.getTime() ? await reminders.delivery.outcomeOf(r.key) : null;
      const status = outcome ? (outcome.outcome === 'stale' ? 'cancelled' : outcome.outcome) : r.status;
      const late = outcome ? outcome.late : r.late;
      return {
        key: r.key,
        trackingId: isTrackingId(caseId) ? caseId : null,
        kind: r.kind,
        dueAt: r.dueAt,
        delivery: status === 'sent' && late ? 'late' : status,
        sentAt: r.sentAt ?? (outcome?.outcome === 'sent' ? outcome.at : null),
      };
    });
  }

  /**
   * The PSI of a case for someone who may read it (domain/psiReaders.ts, as in the bot): the latest
   * version (or `version`) and the list of versions, with the actors the reader may see. Each read
   * is noted for the person's right to know.
   */
  async psi(trackingId: string, aadObjectId: string, version?: number): Promise<DashboardResult<DashboardPsi>> {
    const { psi } = this.deps;
    const access = await psi.authoriseRead(trackingId, aadObjectId);
    if (!access.ok) return { ok: false, code: access.code === 'unknownCase' ? 'notFound' : 'forbidden' };
    const id = access.value.trackingId;
    const [shown, versions] = await Promise.all([version === undefined ? psi.latest(id) : psi.version(id, version), psi.versions(id)]);
    if (version !== undefined && !shown) return { ok: false, code: 'notFound' };
    if (shown) await psi.recordAccess([{ trackingId: id, kind: 'read', channel: 'tab', version: shown.version, aadObjectId }]);
    return {
      ok: true,
      value: {
        trackingId: id,
        latest: shown && { version: shown.version, savedAt: shown.savedAt, authorName: shown.authorName, change: shown.change, content: { ...shown.content, actors: await this.actorsFor(shown.content, access.value) } },
        versions,
      },
    };
  }

  /**
   * The actors of a PSI version's network map (latest by default) at the reader's level
   * (domain/psiReaders.ts visibleActors); notFound before the first version. Each view is noted as
   * a reading in the tab, like the PSI's (the map is part of it).
   */
  async psiMap(trackingId: string, aadObjectId: string, version?: number): Promise<DashboardResult<DashboardPsiMap>> {
    const { psi } = this.deps;
    const access = await psi.authoriseRead(trackingId, aadObjectId);
    if (!access.ok) return { ok: false, code: access.code === 'unknownCase' ? 'notFound' : 'forbidden' };
    const { trackingId: id, locale } = access.value;
    const shown = version === undefined ? await psi.latest(id) : await psi.version(id, version);
    if (!shown) return { ok: false, code: 'notFound' };
    const actors = await this.actorsFor(shown.content, access.value);
    await psi.recordAccess([{ trackingId: id, kind: 'read', channel: 'tab', version: shown.version, aadObjectId }]);
    return { ok: true, value: { trackingId: id, version: shown.version, actors, locale } };
  }

  /** The actors this reader sees in a version (domain/psiReaders.ts visibleActors). */
  private async actorsFor(content: PsiContent, access: { trackingId: string; level: MapLevel }): Promise<PsiActor[]> {
    return visibleActors(content, access.level, access.level === 'shared' ? await this.deps.psi.consent(access.trackingId) : null);
  }

  /** The coordination's overview: requests waiting for a decision, open cases per organiser (ids only). */
  async coordination(aadObjectId: string): Promise<DashboardResult<CoordinationDashboard>> {
    const { members, requests, cases } = this.deps;
    if (!(await members.may('viewCoordination', aadObjectId))) return { ok: false, code: 'forbidden' };
    const [waiting, all] = await Promise.all([requests.waiting(), cases.listAll()]);
    const open = all.filter((c) => c.status !== 'stopped');
    const byOrganiser = new Map<string, Array<{ trackingId: string; status: string }>>();
    for (const c of open) byOrganiser.set(c.organiserAadObjectId, [...(byOrganiser.get(c.organiserAadObjectId) ?? []), { trackingId: c.trackingId, status: c.status }]);
    const names = await members.namesOf([...byOrganiser.keys()]);
    return {
      ok: true,
      value: {
        waiting: waiting.map((r) => ({ trackingId: r.trackingId, submittedAt: r.submittedAt, suggestion: r.suggestion?.suggestion ?? '', locale: r.locale })),
        byOrganiser: [...byOrganiser]
          .map(([id, list]) => ({ organiserName: names.get(id) ?? '', cases: list }))
          .sort((a, b) => a.organiserName.localeCompare(b.organiserName)),
      },
    };
  }
}
