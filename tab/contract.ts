// What the organisers' dashboard tab (a page inside Teams) and the bot's server exchange, as JSON.
// Type-only: the server (bot/tab/) and the page (tab/) both import it, nothing else.
//
// Every /api/tab/* call carries `Authorization: Bearer <Teams SSO token>` (teams-js
// authentication.getAuthToken). Refusals are bare: 401 { error: 'unauthenticated' } when the token
// is missing or invalid, 403 { error: 'forbidden' } when the person may not see it,
// 400 { error: 'badRequest', field } on a malformed parameter, 404 { error: 'notFound' }.
// Dates are ISO 8601 strings in UTC; the page shows them in Europe/Brussels.

export type TabLocale = 'fr' | 'nl' | 'en';
export type TabRole = 'coordinator' | 'organiser';

/** GET /api/tab/me */
export interface TabMe {
  displayName: string;
  roles: TabRole[];
  /** The language the bot uses for this person, when known (the page prefers the Teams context's). */
  preferredLocale: TabLocale | null;
}

/** GET /api/tab/organiser: the caller's own work as an organiser. */
export interface OrganiserView {
  cases: OrganiserCase[];
  polls: PollGrid[];
  /** Concertations from today on, soonest first. */
  concertations: UpcomingConcertation[];
  /** The caller's reminders (as organiser or recipient), from 7 days ago on, soonest first; at most 100. */
  reminders: ReminderRow[];
}

export interface OrganiserCase {
  trackingId: string; // CMD-2026-0042
  /** domain/caseStatus.ts CASE_STATUSES: inPreparation, scheduled, held, … */
  status: string;
  /** The next dated thing of the case: a concertation, else an open poll's deadline; null if none. */
  nextDate: string | null;
  nextKind: 'concertation' | 'pollDeadline' | null;
  conversationLinked: boolean;
  /** True when the caller may read the PSI of this case (GET /api/tab/cases/:id/psi answers 200). */
  psiReadable: boolean;
}

export type PollAnswerValue = 'yes' | 'ifNeedBe' | 'no';

/** An open poll as a grid: participants × slots. */
export interface PollGrid {
  pollId: string;
  trackingId: string;
  status: 'open' | 'closed' | 'decided' | 'cancelled';
  deadline: string;
  slots: Array<{ id: string; start: string; durationMinutes: number; yes: number; ifNeedBe: number; no: number }>;
  participants: Array<{
    key: string;
    name: string;
    required: boolean;
    /** slot id → answer; a slot missing here is unanswered. */
    answers: Record<string, PollAnswerValue>;
    answered: boolean;
  }>;
  /** The slot the ranking suggests (domain/pollRanking.ts), null while no slot can be suggested. */
  suggestedSlotId: string | null;
}

export interface UpcomingConcertation {
  trackingId: string;
  seq: number;
  start: string;
  durationMinutes: number | null;
  place: string | null;
}

/** delivery: scheduled (not yet due), sent, late (sent after its grace), failed, ambiguous (maybe sent), cancelled, done. */
export interface ReminderRow {
  key: string;
  trackingId: string | null;
  kind: 'meeting' | 'pollDeadline' | 'pollClose' | 'psiAction' | 'followUp' | 'standByReview';
  dueAt: string;
  delivery: 'scheduled' | 'sent' | 'late' | 'failed' | 'ambiguous' | 'cancelled' | 'done' | 'snoozed';
  sentAt: string | null;
}

/** GET /api/tab/cases/:trackingId/psi: the latest PSI and its versions (readers as in the bot). */
export interface PsiView {
  trackingId: string;
  latest: PsiVersionView | null;
  versions: Array<Omit<PsiVersionView, 'content'>>;
}

/**
 * GET /api/tab/cases/:trackingId/map?theme=light|dark[&version=N] answers image/png: the network
 * map of that version (latest by default), with the actors the reader may see; errors as TabError.
 */
export type MapTheme = 'light' | 'dark';

/** GET /api/tab/cases/:trackingId/psi/:version gives one PsiVersionView. */
export interface PsiVersionView {
  version: number;
  savedAt: string;
  authorName: string;
  change: string;
  /** domain/psi.ts PsiContent, as stored, with the actors the reader may see. */
  content: {
    needs: string;
    objectives: string;
    projects: string;
    avoid: string;
    referent: { name: string; phone: string; address: string; place: string };
    actors: Array<{ id: string; name: string; roles: string; contact: string; share: boolean; participantKey: string | null }>;
    actions: Array<{ id: string; what: string; how: string; byWhom: string; priorityWhen: string; urgentContact: boolean; dueDate: string | null }>;
    limits: string;
    note: { text: string; date: string | null };
    next: { date: string | null; periodicityMonths: number | null };
  };
}

/** GET /api/tab/coordination (coordinators): anonymised ids only. */
export interface CoordinationView {
  /** Requests submitted and not yet decided, oldest first. */
  waiting: Array<{ trackingId: string; submittedAt: string; suggestion: string; locale: string }>;
  /** Open cases per organiser. */
  byOrganiser: Array<{ organiserName: string; cases: Array<{ trackingId: string; status: string }> }>;
}

/** GET /api/tab/coordination/records?from=YYYY-MM-DD&to=YYYY-MM-DD (coordinators). */
export interface RecordsView {
  from: string;
  to: string;
  rows: Array<{ trackingId: string; date: string; organiserName: string; revision: number; fee: string | null }>;
}

/** POST /api/tab/coordination/records/export { from, to, format: 'csv' | 'xlsx' } → a download link (GET, no token: the link is the secret, as in the bot). */
export interface ExportLink {
  url: string;
  fileName: string;
  rows: number;
}

export interface TabError {
  error: 'unauthenticated' | 'forbidden' | 'badRequest' | 'notFound' | 'unavailable';
  field?: string;
}
