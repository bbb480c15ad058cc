// The concertation record (annex 10) and the coordination's export, in Teams:
// - "fiche concertation CMD-…" (organiser, 1:1) → the record card, prefilled; saving shows the flat fees;
// - "export 2026-01-01 2026-12-31 [organiser]" (coordinators, 1:1) → a card with two download links.
//
// Why download links: a bot cannot attach a file to a Teams message except through the file-consent
// flow in 1:1 chats (which needs the Teams file upload and consent round-trip), and data: URLs are
// not opened by Teams for non-image files. So the files are built once, stored in the database
// under a random 192-bit token for 15 minutes, and served by this bot's own HTTP server at
// GET /exports/<token>.csv|.xlsx (any instance can serve them: they live in the shared database).
// The content is anonymised (tracking id only), the token is unguessable and short-lived.
import { AdaptiveCardInvokeResponse, CardFactory } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { exportReadyCard, recordCard } from '../../cards/records';
import { EXPORT_COLUMNS, ExportColumn, parseExportArgs, RECORD_CONSENT_TYPES, RECORD_PLACES } from '../../domain/concertationRecord';
import { inputText } from '../../domain/input';
import { brusselsDay } from '../../domain/time';
import type { Locale } from '../../locales/i18n';
import { t } from '../../locales/i18n';
import type { CaseService } from '../../services/cases';
import type { Clock } from '../../services/clock';
import { EXPORT_TTL_MS, ExportFormat, RecordErrorCode, RecordService } from '../../services/records';
import type { Logger } from '../logger';
import { cardResponse, Feature, isPersonalChat, messageResponse, TurnScope } from '../teamsBot';
import { caseErrorText } from './cases';

export interface RecordFeatureDeps {
  records: RecordService;
  cases: CaseService;
  clock: Clock;
  /** Public address of this bot (https://bot.example.org, no trailing slash: config publicBaseOf), for the download links. */
  publicBase: string;
  logger: Logger;
}

const INPUTS = [
  'date', 'consentType', 'consentComment', 'preparationHours', 'durationHours', 'place', 'placeOther', 'firstForOrganiser', 'personPresent', 'referentPresent',
  'professionalsPresent', 'professionalProfiles', 'relativesPresent', 'relativesLinks', 'cateringCents', 'roomCents', 'amountsPreApproved', 'comments',
] as const;
/** Longer than any record text (domain/concertationRecord.ts MAX_RECORD_TEXT), so that a text too long is refused, not cut. */
const MAX_INPUT = 1100;

export function recordErrorText(locale: Locale, code: RecordErrorCode, params: Record<string, string> = {}): string {
  if (!code.startsWith('record.')) return caseErrorText(locale, code as never, params);
  const p = { ...params, field: params.field ? t(locale, `records.field.${params.field.replace(/Cents$/, '')}`) : '' };
  return t(locale, `records.error.${code.slice(7)}`, p);
}

export function exportHeaders(locale: Locale): Record<ExportColumn, string> {
  return Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, t(locale, `records.col.${c}`)])) as Record<ExportColumn, string>;
}

const FEE_CODES = ['personAbsent', 'invalidDate', 'invalidCount', 'noScheduleForDate', 'ambiguousSchedule'] as const;

/** The download address of an export file (served by registerExportDownloads). */
export const exportUrl = (publicBase: string, token: string, format: 'csv' | 'xlsx'): string => `${publicBase}/exports/${token}.${format}`;
export const exportBaseName = (from: string, to: string): string => `concertations_${from}_${to}`;

/** The export file in the requester's language: headers and labels for the stored codes. */
export function exportFormat(locale: Locale): ExportFormat {
  const words = (keys: readonly string[], prefix: string) => Object.fromEntries(keys.map((k) => [k, t(locale, `${prefix}.${k}`)]));
  return {
    headers: exportHeaders(locale),
    words: {
      yes: t(locale, 'records.yes'),
      no: t(locale, 'records.no'),
      consent: words(RECORD_CONSENT_TYPES, 'records.export.consent'),
      place: words(RECORD_PLACES, 'records.place'),
      placeOther: t(locale, 'records.export.placeOther'),
      feeCodes: words(FEE_CODES, 'records.fees'),
    },
  };
}

export class RecordFeature implements Feature {
  readonly name = 'records';
  readonly commands: Feature['commands'] = {
    record: (command, scope) => this.onlyPersonal(scope, () => this.openRecord(command.arg, scope)),
    export: (command, scope) => this.onlyPersonal(scope, () => this.export(command.arg, scope)),
  };
  readonly verbs: Feature['verbs'] = {
    'record.open': (data, scope) => this.open(data, scope),
    'record.save': (data, scope) => this.save(data, scope),
  };
  constructor(private readonly deps: RecordFeatureDeps) {}

  private async onlyPersonal(scope: TurnScope, run: () => Promise<void>): Promise<void> {
    if (!isPersonalChat(scope)) {
      // Billing data never goes to a group conversation.
      await scope.context.sendActivity(scope.tr('records.onlyPersonal'));
      return;
    }
    await run();
  }

  private async openRecord(arg: string, scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const me = context.activity.from.aadObjectId ?? '';
    const trackingId = arg.trim().split(/\s+/)[0] ?? '';
    if (!trackingId) {
      await context.sendActivity(tr('records.missingId'));
      return;
    }
    const auth = await this.deps.records.authorise(trackingId, me);
    if (!auth.ok) {
      scope.log.info({ event: 'record.refused', code: auth.code }, 'record refused');
      await context.sendActivity(recordErrorText(locale, auth.code));
      return;
    }
    const values = await this.prefill(auth.value.case.trackingId, auth.value.case.organiserAadObjectId, auth.value.case.consentType);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(recordCard({ trackingId: auth.value.case.trackingId, values }, locale))] });
  }

  /** The last concertation's date (or today), the case's consent, "first" from earlier records. */
  private async prefill(trackingId: string, organiser: string, consent: string): Promise<Record<string, string>> {
    const now = this.deps.clock.now();
    const last = await this.deps.cases.currentConcertation(trackingId);
    const lastDay = brusselsDay(last && last.start.getTime() <= now.getTime() ? last.start : now);
    const existing = await this.deps.records.latest(trackingId, lastDay);
    if (existing) {
      const d = existing.data;
      return {
        ...Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)])),
        cateringCents: (d.cateringCents / 100).toFixed(2),
        roomCents: (d.roomCents / 100).toFixed(2),
      };
    }
    const first = await this.deps.records.isFirstForOrganiser(trackingId, organiser, lastDay);
    return {
      date: lastDay,
      consentType: consent === 'written' || consent === 'oral' ? consent : 'other',
      firstForOrganiser: first ? 'yes' : 'no',
      personPresent: 'yes',
      referentPresent: 'yes',
      professionalsPresent: '0',
      relativesPresent: '0',
      place: 'home',
      amountsPreApproved: 'no',
    };
  }

  /** From the case card: the record card replaces it for the organiser who clicked (only them). */
  private async open(data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const auth = await this.deps.records.authorise(inputText(data.trackingId, 40), scope.context.activity.from.aadObjectId ?? '');
    if (!auth.ok) return messageResponse(recordErrorText(scope.locale, auth.code));
    const c = auth.value.case;
    return cardResponse(recordCard({ trackingId: c.trackingId, values: await this.prefill(c.trackingId, c.organiserAadObjectId, c.consentType) }, scope.locale));
  }

  /** Saves the record and shows its flat fees; refused input comes back with what was typed. */
  private async save(data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const { locale } = scope;
    const trackingId = inputText(data.trackingId, 40);
    const values: Record<string, string> = {};
    for (const k of INPUTS) if (k in data) values[k] = inputText(data[k], MAX_INPUT);
    const result = await this.deps.records.save(trackingId, values, scope.context.activity.from.aadObjectId ?? '');
    if (!result.ok) {
      scope.log.info({ event: 'record.save.refused', code: result.code }, 'record refused');
      if (result.code === 'notAllowed' || result.code === 'unknownCase') return messageResponse(recordErrorText(locale, result.code));
      return cardResponse(recordCard({ trackingId, values, error: recordErrorText(locale, result.code, result.params) }, locale));
    }
    scope.log.info({ event: 'record.saved', trackingId: result.value.trackingId, revision: result.value.revision }, 'record saved');
    const fees = this.deps.records.fees(result.value.data);
    return cardResponse(recordCard({ trackingId: result.value.trackingId, values, fees, notice: t(locale, 'records.saved', { date: result.value.data.date }) }, locale));
  }

  private async export(arg: string, scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    const me = context.activity.from.aadObjectId ?? '';
    if (!(await this.deps.records.authoriseExport(me)).ok) {
      scope.log.info({ event: 'export.refused' }, 'export refused: not a coordinator');
      await context.sendActivity(tr('records.export.onlyCoordination'));
      return;
    }
    const args = parseExportArgs(arg);
    if (!args.ok) {
      await context.sendActivity(tr(`records.export.error.${args.code}`));
      return;
    }
    let organiserId: string | undefined;
    let organiserName = '';
    if (args.organiser) {
      const found = await this.deps.records.matchOrganisers(args.organiser);
      if (found.length !== 1) {
        await context.sendActivity(found.length ? tr('records.export.error.ambiguousOrganiser', { names: found.map((m) => m.displayName).join(', ') }) : tr('records.export.error.unknownOrganiser'));
        return;
      }
      organiserId = found[0].aadObjectId;
      organiserName = found[0].displayName;
    }
    const rows = await this.deps.records.rows(args.from, args.to, organiserId);
    const file = await this.deps.records.createExport(rows, exportFormat(locale), exportBaseName(args.from, args.to), me, { from: args.from, to: args.to, organiser: organiserId ?? null });
    scope.log.info({ event: 'export.created', rows: rows.length }, 'export created');
    const [csvUrl, xlsxUrl] = [exportUrl(this.deps.publicBase, file.token, 'csv'), exportUrl(this.deps.publicBase, file.token, 'xlsx')];
    const card = exportReadyCard({ from: args.from, to: args.to, organiser: organiserName, rows: rows.length, csvUrl, xlsxUrl, minutes: Math.round(EXPORT_TTL_MS / 60_000) }, locale);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  }
}

/** GET /exports/<token>.csv|.xlsx on the bot's restify server. */
export function registerExportDownloads(server: Server, records: RecordService, logger: Logger): void {
  server.get('/exports/:file', async (req: Request, res: Response) => {
    const m = /^([A-Za-z0-9_-]{20,64})\.(csv|xlsx)$/.exec(String(req.params.file ?? ''));
    const file = m ? await records.download(m[1], m[2] as 'csv' | 'xlsx') : null;
    if (!file) {
      res.send(404, { error: 'unknown or expired export' });
      return;
    }
    logger.info({ event: 'export.downloaded', format: m![2] }, 'export downloaded');
    res.writeHead(200, {
      'Content-Type': m![2] === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Content-Length': file.body.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(file.body);
  });
}
