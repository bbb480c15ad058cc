// The coordination's activity report (seed 001 "Résultats quantitatifs"): reads the anonymised
// rows of the period from the stored requests, decisions, concertation records, polls, reminders
// and the organiser pool, computes the figures (domain/activityReport.ts) and stores the XLSX
// under a short-lived token like the records export. Tracking ids and codes only, never a name.
//
// Each collection is read once per report (no query per case). On the embedded database a range
// or a projection still reads the whole collection: acceptable for a report asked for by hand.
import type { Model } from 'mongoose';
import { activityReport, ActivityReport, periodBounds, ReportConcertation, ReportDecisionStatus, ReportInput, ReportPoll, ReportReminder, ReportRequest } from '../domain/activityReport';
import type { ConcertationRecordData } from '../domain/concertationRecord';
import type { Result } from '../domain/result';
import { isRefusalReason, isSector, Sector } from '../domain/sectors';
import type { Locale } from '../locales/i18n';
import type { AuditEntry } from '../models/audit';
import type { ConcertationRecord } from '../models/concertationRecord';
import type { ExportFile } from '../models/exportFile';
import type { Member } from '../models/member';
import type { PollDoc } from '../models/poll';
import type { Reminder } from '../models/reminder';
import type { ReminderOutcome } from '../models/reminderOutcome';
import type { ConcertationRequest, RequestDecision } from '../models/request';
import { reportFiles } from './activityReportFile';
import type { Clock } from './clock';
import type { MemberService } from './members';
import { storeExportFile } from './records';

export interface ActivityReportModels {
  requests: Model<ConcertationRequest>;
  decisions: Model<RequestDecision>;
  concertationRecords: Model<ConcertationRecord>;
  polls: Model<PollDoc>;
  reminders: Model<Reminder>;
  reminderOutcomes: Model<ReminderOutcome>;
  members: Model<Member>;
  exportFiles: Model<ExportFile>;
  audit: Model<AuditEntry>;
}

export interface StoredReport {
  report: ActivityReport;
  /** The XLSX (and a CSV of the requests' rows) are downloaded with this token until expiresAt. */
  token: string;
  baseName: string;
  expiresAt: Date;
}

/** A field of a stored document, absent from documents stored by older versions. */
const field = (doc: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
const sectorOf = (v: unknown): Sector | null => (isSector(v) ? v : null);

export class ActivityReportService {
  constructor(
    private readonly models: ActivityReportModels,
    private readonly members: MemberService,
    private readonly clock: Clock,
  ) {}

  /** The report covers every organiser's cases: the coordination's alone. */
  async authorise(by: string | undefined): Promise<Result<null, 'notAllowed'>> {
    return (await this.members.may('viewActivityReport', by)) ? { ok: true, value: null } : { ok: false, code: 'notAllowed' };
  }

  /** The rows the figures are computed from (any date where the domain needs it, see ReportInput). */
  async input(from: string, to: string): Promise<ReportInput> {
    const { start, end } = periodBounds(from, to);
    const m = this.models;
    const [requests, decisions, records, polls, reminders, organisers] = await Promise.all([
      m.requests.find({}, { trackingId: 1, submittedAt: 1, 'answers.requester.sector': 1, 'answers.person.interpreterNeeded': 1, 'answers.person.mediatorNeeded': 1 }).lean(),
      m.decisions.find({}, { trackingId: 1, status: 1, refusalReason: 1, decidedAt: 1 }).lean(),
      m.concertationRecords.find({}, { trackingId: 1, date: 1, revision: 1, dataJson: 1 }).lean(),
      m.polls.find({ createdAt: { $gte: start, $lt: end } }, { pollId: 1, createdAt: 1, status: 1, at: 1 }).lean(),
      m.reminders.find({ dueAt: { $gte: start, $lt: end } }, { key: 1, dueAt: 1 }).lean(),
      m.members.find({ roles: 'organiser' }, { active: 1, sector: 1 }).lean(),
    ]);
    const outcomes = reminders.length ? await m.reminderOutcomes.find({ key: { $in: reminders.map((r) => r.key) } }, { key: 1, outcome: 1, at: 1 }).lean() : [];

    const decisionOf = new Map(decisions.map((d) => [d.trackingId, d]));
    const reportRequests: ReportRequest[] = requests.map((r) => {
      const d = decisionOf.get(r.trackingId);
      const reason = field(d, 'refusalReason');
      return {
        trackingId: r.trackingId,
        submittedAt: new Date(r.submittedAt),
        sector: sectorOf(field(r, 'answers', 'requester', 'sector')),
        interpreterNeeded: field(r, 'answers', 'person', 'interpreterNeeded') === true || field(r, 'answers', 'person', 'mediatorNeeded') === true,
        decision: d ? { status: d.status as ReportDecisionStatus, refusalReason: isRefusalReason(reason) ? reason : null, decidedAt: new Date(d.decidedAt) } : null,
      };
    });

    // The latest revision of each case's record of a day is the concertation as held.
    const latest = new Map<string, (typeof records)[number]>();
    for (const r of records) {
      const key = `${r.trackingId}|${r.date}`;
      const seen = latest.get(key);
      if (!seen || seen.revision < r.revision) latest.set(key, r);
    }
    const concertations: ReportConcertation[] = [...latest.values()].map((r) => {
      const d = JSON.parse(r.dataJson) as ConcertationRecordData;
      return {
        trackingId: r.trackingId,
        date: r.date,
        preparationHours: d.preparationHours,
        durationHours: d.durationHours,
        personPresent: d.personPresent,
        referentPresent: d.referentPresent,
        professionalsPresent: d.professionalsPresent,
        relativesPresent: d.relativesPresent,
      };
    });

    // A poll is a chain of revisions: created once, decided at its first "decided" revision.
    const pollsById = new Map<string, ReportPoll>();
    for (const p of polls) {
      const poll = pollsById.get(p.pollId) ?? { createdAt: new Date(p.createdAt), decidedAt: null };
      if (p.status === 'decided' && (!poll.decidedAt || p.at < poll.decidedAt)) poll.decidedAt = new Date(p.at);
      pollsById.set(p.pollId, poll);
    }

    const outcomeOf = new Map(outcomes.map((o) => [o.key, o]));
    const reportReminders: ReportReminder[] = reminders.map((r) => {
      const o = outcomeOf.get(r.key);
      // 'ambiguous': Teams did not confirm it; 'stale': no longer needed (neither sent nor failed).
      const outcome = o?.outcome === 'sent' ? 'sent' : o?.outcome === 'failed' || o?.outcome === 'ambiguous' ? 'failed' : null;
      return { dueAt: new Date(r.dueAt), outcomeAt: o ? new Date(o.at) : null, outcome };
    });

    return {
      from,
      to,
      requests: reportRequests,
      concertations,
      polls: [...pollsById.values()],
      reminders: reportReminders,
      organisers: organisers.filter((o) => o.active !== false).map((o) => ({ sector: sectorOf(field(o, 'sector')) })),
    };
  }

  /** Computes the report, builds its files in the reader's language and stores them (authorise first). */
  async create(from: string, to: string, locale: Locale, by: string): Promise<StoredReport> {
    const report = activityReport(await this.input(from, to));
    const files = await reportFiles(report, locale);
    const stored = await storeExportFile(this.models.exportFiles, this.clock, { baseName: files.baseName, csv: files.csv, xlsx: files.xlsx, rows: report.requestRows.length, by });
    await this.models.audit.create({ at: stored.createdAt, actor: by, action: 'report.created', subject: 'report', details: { from, to, requests: report.requestRows.length, concertations: report.concertationRows.length } });
    return { report, token: stored.token, baseName: files.baseName, expiresAt: stored.expiresAt };
  }
}
