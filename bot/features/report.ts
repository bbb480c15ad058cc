// The coordination's activity report in Teams: "rapport 2026-01-01 2026-12-31" (FR),
// "verslag …" (NL), "report …" (EN), in the 1:1 chat → a card with the key figures, a chart and a
// link to the full table (XLSX), downloaded like the records export (GET /exports/<token>.xlsx,
// short-lived token; bot/features/records.ts). The period is read as the export reads it (two
// dates year-month-day, start not after end, five years at most); anything after the dates is
// refused rather than ignored, so a mistyped period is never reported as another one.
import { CardFactory } from 'botbuilder';
import { activityReportCard } from '../../cards/activityReport';
import { parseExportArgs } from '../../domain/concertationRecord';
import type { ActivityReportService } from '../../services/activityReport';
import { EXPORT_TTL_MS } from '../../services/records';
import { isPersonalChat, type Feature, type TurnScope } from '../teamsBot';
import { exportUrl } from './records';

export interface ReportFeatureDeps {
  reports: ActivityReportService;
  /** Public address of this bot (config publicBaseOf), for the download link. */
  publicBase: string;
  /** How long reminders are kept (config): the card says older ones are not counted. */
  reminderRetentionDays: number;
}

export class ReportFeature implements Feature {
  readonly name = 'report';
  readonly commands: Feature['commands'] = {
    report: (command, scope) => this.report(command.arg, scope),
  };

  constructor(private readonly deps: ReportFeatureDeps) {}

  private async report(arg: string, scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    // The download link works for whoever holds it: it is never posted in a group.
    if (!isPersonalChat(scope)) {
      await context.sendActivity(tr('report.onlyPersonal'));
      return;
    }
    const me = context.activity.from.aadObjectId;
    if (!(await this.deps.reports.authorise(me)).ok) {
      scope.log.info({ event: 'report.refused' }, 'report refused: not a coordinator');
      await context.sendActivity(tr('report.error.notAllowed'));
      return;
    }
    const args = parseExportArgs(arg);
    if (!args.ok || args.organiser) {
      await context.sendActivity(tr(`report.error.${args.ok ? 'tooManyWords' : args.code}`));
      return;
    }
    const stored = await this.deps.reports.create(args.from, args.to, locale, me!);
    scope.log.info({ event: 'report.created', requests: stored.report.requestRows.length, concertations: stored.report.concertationRows.length }, 'activity report created');
    const card = activityReportCard({ report: stored.report, xlsxUrl: exportUrl(this.deps.publicBase, stored.token, 'xlsx'), minutes: Math.round(EXPORT_TTL_MS / 60_000), reminderRetentionDays: this.deps.reminderRetentionDays }, locale);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  }
}
