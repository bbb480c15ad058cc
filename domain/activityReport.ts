/**
 * The activity report's figures (seed 001, "Résultats quantitatifs") for a period, from anonymised
 * rows: tracking ids, sectors, dates and counts, never a name. Pure: no I/O; the words are in
 * locales/report.
 *
 * Decisions:
 * - The period is a range of Brussels days, both ends included.
 * - What puts a row in the period: a request by the day it was submitted (its decision counts with
 *   it, whenever it was taken: the inclusions are those of the period's requests); a concertation
 *   by its day (the record's date); a poll by the day it was created; a reminder by the day it was
 *   due. The organisers are the pool as it is when the report runs (the pool keeps no history).
 * - Columns: the total, one per sector (domain/sectors.ts) and "no sector" (the person herself or a
 *   carer asked, or data stored before the sector was asked). A concertation counts in the sector
 *   of its case's request (the case's id is the request's tracking id); one without a known request
 *   has no sector. An organiser counts in her sector; one without, in "no sector".
 * - Accepted = admitted or admitted with conditions; refused = not admitted, counted per reason
 *   ('other' for a refusal stored without one); pending = not decided yet.
 * - Participants ("intervenants") of a concertation: the organiser, the person if present, the
 *   référent if present, the professionals and the relatives present (domain/concertationRecord.ts).
 * - A concertation "with an interpreter": its case's request said an interpreter or an intercultural
 *   mediator is needed (the record does not say who came).
 * - Averages: preparation and duration in whole minutes, participants to one decimal; days between
 *   two events are Brussels calendar days (a decision the day of the request: 0).
 * - Medians: of an even count, the mean of the two middle values (so a half day may show).
 *   Request → decision over the period's decided requests; decision → first concertation over the
 *   period's accepted requests with a concertation (the first ever recorded for the case, whenever);
 *   a poll's days to decision over the period's decided polls.
 * - Reminders: sent or failed as their delivery's final outcome says ("not confirmed" counts as
 *   failed; one still waiting or made unnecessary counts in neither); late = sent more than
 *   REPORT_LATE_MINUTES after it was due (the bot's default grace before a reminder says it is late).
 * - Nothing to average or to take the median of: null (shown "—").
 */
import { DateTime } from 'luxon';
import { isLate } from './reminderDates';
import { REFUSAL_REASONS, RefusalReason, Sector, SECTORS } from './sectors';
import { brusselsDay, BRUSSELS } from './time';

export const REPORT_LATE_MINUTES = 15;

export type ReportDecisionStatus = 'yes' | 'conditional' | 'no';

export interface ReportRequest {
  trackingId: string;
  submittedAt: Date;
  sector: Sector | null;
  /** An interpreter or an intercultural mediator is needed. */
  interpreterNeeded: boolean;
  decision: { status: ReportDecisionStatus; refusalReason: RefusalReason | null; decidedAt: Date } | null;
}

/** One concertation held: the latest revision of its record. */
export interface ReportConcertation {
  trackingId: string;
  /** Brussels day, 'YYYY-MM-DD'. */
  date: string;
  preparationHours: number;
  durationHours: number;
  personPresent: boolean;
  referentPresent: boolean;
  professionalsPresent: number;
  relativesPresent: number;
}

export interface ReportPoll {
  createdAt: Date;
  decidedAt: Date | null;
}

export interface ReportReminder {
  dueAt: Date;
  /** When the final outcome was recorded (the send, for a sent one). */
  outcomeAt: Date | null;
  outcome: 'sent' | 'failed' | null;
}

export interface ReportOrganiser {
  sector: Sector | null;
}

/**
 * Everything the report reads. Requests and concertations of any date: a concertation of the
 * period may belong to an older request (its sector), a request of the period may have its first
 * concertation later. Polls and reminders may be narrowed to the period beforehand.
 */
export interface ReportInput {
  from: string;
  to: string;
  requests: readonly ReportRequest[];
  concertations: readonly ReportConcertation[];
  polls: readonly ReportPoll[];
  reminders: readonly ReportReminder[];
  organisers: readonly ReportOrganiser[];
}

export const NO_SECTOR = 'none' as const;
export type ReportColumn = 'total' | Sector | typeof NO_SECTOR;
export const REPORT_COLUMNS: readonly ReportColumn[] = ['total', ...SECTORS, NO_SECTOR];

export interface ColumnFigures {
  organisers: number;
  requests: number;
  accepted: number;
  refused: number;
  refusedBy: Record<RefusalReason, number>;
  pending: number;
  concertations: number;
  averagePreparationMinutes: number | null;
  averageDurationMinutes: number | null;
  interpreterConcertations: number;
  averageParticipants: number | null;
}

export interface RequestRow {
  trackingId: string;
  sector: Sector | null;
  submitted: string;
  decision: ReportDecisionStatus | null;
  refusalReason: RefusalReason | null;
  decided: string | null;
  daysToDecision: number | null;
  firstConcertation: string | null;
  daysToFirstConcertation: number | null;
  /** Concertations of the case held in the period. */
  concertations: number;
  interpreterNeeded: boolean;
}

export interface ConcertationRow {
  trackingId: string;
  date: string;
  sector: Sector | null;
  preparationHours: number;
  durationHours: number;
  participants: number;
  interpreterNeeded: boolean;
}

export interface ActivityReport {
  from: string;
  to: string;
  columns: Record<ReportColumn, ColumnFigures>;
  medianDaysToDecision: number | null;
  medianDaysDecisionToFirstConcertation: number | null;
  medianPollDaysToDecision: number | null;
  reminders: { sent: number; late: number; failed: number };
  requestRows: RequestRow[];
  concertationRows: ConcertationRow[];
}

/** The number of participants ("intervenants") of a concertation, see Decisions. */
export const participantsOf = (c: ReportConcertation): number => 1 + (c.personPresent ? 1 : 0) + (c.referentPresent ? 1 : 0) + c.professionalsPresent + c.relativesPresent;

/** Brussels calendar days from one day to another ('YYYY-MM-DD'). */
export const daysBetween = (fromDay: string, toDay: string): number =>
  Math.round(DateTime.fromISO(toDay, { zone: BRUSSELS }).diff(DateTime.fromISO(fromDay, { zone: BRUSSELS }), 'days').days);

/** The median, the mean of the two middle values for an even count; null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const mean = (values: readonly number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const roundTo = (v: number | null, decimals: number): number | null => (v === null ? null : Math.round(v * 10 ** decimals) / 10 ** decimals);

/** The instants a period of Brussels days covers: [start, end). */
export function periodBounds(from: string, to: string): { start: Date; end: Date } {
  return {
    start: DateTime.fromISO(from, { zone: BRUSSELS }).startOf('day').toJSDate(),
    end: DateTime.fromISO(to, { zone: BRUSSELS }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

const emptyColumn = (): ColumnFigures => ({
  organisers: 0,
  requests: 0,
  accepted: 0,
  refused: 0,
  refusedBy: Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<RefusalReason, number>,
  pending: 0,
  concertations: 0,
  averagePreparationMinutes: null,
  averageDurationMinutes: null,
  interpreterConcertations: 0,
  averageParticipants: null,
});

export function activityReport(input: ReportInput): ActivityReport {
  const inPeriod = (day: string) => day >= input.from && day <= input.to;
  const columns = Object.fromEntries(REPORT_COLUMNS.map((c) => [c, emptyColumn()])) as Record<ReportColumn, ColumnFigures>;
  const both = (sector: Sector | null): ColumnFigures[] => [columns.total, columns[sector ?? NO_SECTOR]];

  for (const o of input.organisers) for (const col of both(o.sector)) col.organisers++;

  const requestOf = new Map(input.requests.map((r) => [r.trackingId, r]));
  const firstConcertation = new Map<string, string>();
  for (const c of input.concertations) {
    const seen = firstConcertation.get(c.trackingId);
    if (!seen || c.date < seen) firstConcertation.set(c.trackingId, c.date);
  }

  const concertationRows: ConcertationRow[] = input.concertations
    .filter((c) => inPeriod(c.date))
    .map((c) => {
      const r = requestOf.get(c.trackingId);
      return { trackingId: c.trackingId, date: c.date, sector: r?.sector ?? null, preparationHours: c.preparationHours, durationHours: c.durationHours, participants: participantsOf(c), interpreterNeeded: r?.interpreterNeeded ?? false };
    })
    .sort((a, b) => a.date.localeCompare(b.date) || a.trackingId.localeCompare(b.trackingId));
  const heldInPeriod = new Map<string, number>();
  for (const c of concertationRows) heldInPeriod.set(c.trackingId, (heldInPeriod.get(c.trackingId) ?? 0) + 1);

  const averages = new Map<ColumnFigures, { prep: number[]; duration: number[]; participants: number[] }>();
  for (const c of concertationRows) {
    for (const col of both(c.sector)) {
      col.concertations++;
      if (c.interpreterNeeded) col.interpreterConcertations++;
      const a = averages.get(col) ?? { prep: [], duration: [], participants: [] };
      a.prep.push(c.preparationHours * 60);
      a.duration.push(c.durationHours * 60);
      a.participants.push(c.participants);
      averages.set(col, a);
    }
  }
  for (const [col, a] of averages) {
    col.averagePreparationMinutes = roundTo(mean(a.prep), 0);
    col.averageDurationMinutes = roundTo(mean(a.duration), 0);
    col.averageParticipants = roundTo(mean(a.participants), 1);
  }

  const requestRows: RequestRow[] = input.requests
    .map((r) => ({ r, submitted: brusselsDay(r.submittedAt) }))
    .filter(({ submitted }) => inPeriod(submitted))
    .map(({ r, submitted }) => {
      const d = r.decision;
      const decided = d ? brusselsDay(d.decidedAt) : null;
      const accepted = d !== null && d.status !== 'no';
      const first = accepted ? firstConcertation.get(r.trackingId) ?? null : null;
      return {
        trackingId: r.trackingId,
        sector: r.sector,
        submitted,
        decision: d?.status ?? null,
        refusalReason: d?.status === 'no' ? d.refusalReason ?? 'other' : null,
        decided,
        daysToDecision: decided ? daysBetween(submitted, decided) : null,
        firstConcertation: first,
        daysToFirstConcertation: decided && first ? daysBetween(decided, first) : null,
        concertations: heldInPeriod.get(r.trackingId) ?? 0,
        interpreterNeeded: r.interpreterNeeded,
      };
    })
    .sort((a, b) => a.submitted.localeCompare(b.submitted) || a.trackingId.localeCompare(b.trackingId));

  for (const row of requestRows) {
    for (const col of both(row.sector)) {
      col.requests++;
      if (row.decision === null) col.pending++;
      else if (row.decision === 'no') {
        col.refused++;
        col.refusedBy[row.refusalReason ?? 'other']++;
      } else col.accepted++;
    }
  }

  const pollDays = input.polls
    .filter((p) => inPeriod(brusselsDay(p.createdAt)) && p.decidedAt)
    .map((p) => daysBetween(brusselsDay(p.createdAt), brusselsDay(p.decidedAt!)));

  const reminders = { sent: 0, late: 0, failed: 0 };
  for (const r of input.reminders) {
    if (!inPeriod(brusselsDay(r.dueAt))) continue;
    if (r.outcome === 'failed') reminders.failed++;
    if (r.outcome === 'sent') {
      reminders.sent++;
      if (r.outcomeAt && isLate(r.dueAt, r.outcomeAt, REPORT_LATE_MINUTES * 60_000)) reminders.late++;
    }
  }

  const numbers = (vs: Array<number | null>) => vs.filter((v): v is number => v !== null);
  return {
    from: input.from,
    to: input.to,
    columns,
    medianDaysToDecision: median(numbers(requestRows.map((r) => r.daysToDecision))),
    medianDaysDecisionToFirstConcertation: median(numbers(requestRows.map((r) => r.daysToFirstConcertation))),
    medianPollDaysToDecision: median(pollDays),
    reminders,
    requestRows,
    concertationRows,
  };
}
