// Concertation records (seed 001 annex 10) and the coordination's export of a period as CSV and
// XLSX. Records are insert-only revisions; exports are stored under a random short-lived token and
// downloaded from the bot's own HTTP server (see bot/features/records.ts). No botbuilder here.
import type { Result } from '../domain/result';
import { randomBytes } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Model } from 'mongoose';
import { ConcertationRecordData, EXPORT_COLUMNS, ExportColumn, exportRow, ExportRow, RecordError, RecordInput, recordToFeeInput, validateRecord } from '../domain/concertationRecord';
import { computeFees, FeeResult, FeeSchedule, validateFeeSchedules } from '../domain/fees';
import type { AuditEntry } from '../models/audit';
import type { ConcertationRecord } from '../models/concertationRecord';
import { isDuplicateKey } from '../models/db';
import type { ExportFile } from '../models/exportFile';
import type { Member } from '../models/member';
import type { CaseErrorCode, CaseService } from './cases';
import type { Clock } from './clock';
import type { MemberService } from './members';

export type RecordErrorCode = CaseErrorCode | `record.${RecordError}`;
export type RecordResult<T> = Result<T, RecordErrorCode>;

export interface SavedRecord {
  trackingId: string;
  revision: number;
  data: ConcertationRecordData;
}

export interface ExportResult {
  token: string;
  rows: ExportRow[];
  baseName: string;
  expiresAt: Date;
}

export const EXPORT_TTL_MS = 15 * 60_000;

/**
 * The words of an export file, in the language of the coordinator who asked for it: codes stored
 * in the records (oral, home, room, personAbsent…) become labels; `placeOther` has a {what}.
 */
export interface ExportWords {
  yes: string;
  no: string;
  consent: Record<string, string>;
  place: Record<string, string>;
  placeOther: string;
  /** Why no fee was computed (personAbsent, noScheduleForDate…); a schedule id stays as it is. */
  feeCodes: Record<string, string>;
}

export interface ExportFormat {
  headers: Record<ExportColumn, string>;
  words?: ExportWords;
}

const MONEY: ReadonlySet<ExportColumn> = new Set(['feeOrganiser', 'feeReferent', 'feeProfessionals', 'flatFeeTotal', 'catering', 'room', 'total']);
const HOURS: ReadonlySet<ExportColumn> = new Set(['preparationHours', 'durationHours']);
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A value as the reader should see it: labels for codes, euros for cents; numbers stay numbers. */
function shown(col: ExportColumn, v: string | number | boolean | null, words: ExportWords | undefined): string | number | null {
  if (v === null) return null;
  if (typeof v === 'number') return MONEY.has(col) ? Math.round(v) / 100 : v;
  if (typeof v === 'boolean') return words ? (v ? words.yes : words.no) : v ? 'yes' : 'no';
  if (!words) return v;
  if (col === 'consentType') return words.consent[v] ?? v;
  if (col === 'feeSchedule') return words.feeCodes[v] ?? v;
  if (col === 'place') {
    // The domain row says "other: <what was typed>" for a place that is neither home nor room.
    if (v.startsWith('other: ')) return words.placeOther.replace('{what}', () => v.slice(7));
    return words.place[v] ?? v;
  }
  return v;
}

/**
 * CSV for Excel with Belgian settings (the coordination's): ";" between cells, decimal comma,
 * dates as dd/mm/yyyy, UTF-8 with a BOM (accents), CRLF line ends. A text cell is quoted when it
 * holds a separator (";" or the "," Excel may read as one), a quote or a line break; a leading
 * = + - @ is neutralised (formula injection). Numbers are written as they are, unquoted.
 */
export function toCsv(rows: ExportRow[], headers: Record<ExportColumn, string>, words?: ExportWords): Buffer {
  const cellOf = (c: ExportColumn, raw: string | number | boolean | null): string | number | null => {
    const v = shown(c, raw, words);
    const day = c === 'date' && typeof v === 'string' ? ISO_DAY.exec(v) : null;
    return day ? `${day[3]}/${day[2]}/${day[1]}` : v;
  };
  const text = stringify([EXPORT_COLUMNS.map((c) => headers[c]), ...rows.map((r) => EXPORT_COLUMNS.map((c) => cellOf(c, r[c])))], {
    delimiter: ';',
    record_delimiter: 'windows',
    bom: true,
    quoted_match: ',',
    quote_record_delimiter: true,
    cast: {
      // csv-stringify's escape_formulas would also neutralise the full-width = + - @; kept as the export always was.
      string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v),
      // A decimal comma is not a separator: amounts and hours stay unquoted.
      number: (v, { column }) => ({ value: (MONEY.has(EXPORT_COLUMNS[column as number]) ? v.toFixed(2) : String(v)).replace('.', ','), quoted_match: null }),
    },
  });
  return Buffer.from(text, 'utf8');
}

/** XLSX: dates are date cells (dd/mm/yyyy), amounts numbers in euros with a euro format, hours and counts numbers. */
export async function toXlsx(rows: ExportRow[], headers: Record<ExportColumn, string>, sheetName: string, words?: ExportWords): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CMD concertation bot';
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.columns = EXPORT_COLUMNS.map((c) => ({ header: headers[c], key: c, width: Math.max(12, headers[c].length + 2) }));
  for (const r of rows) {
    const values: Record<string, unknown> = {};
    for (const c of EXPORT_COLUMNS) {
      const v = shown(c, r[c], words);
      const day = c === 'date' && typeof v === 'string' ? ISO_DAY.exec(v) : null;
      // A calendar day, not an instant: midnight UTC is what Excel's serial date means.
      values[c] = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : v;
    }
    ws.addRow(values);
  }
  ws.getColumn('date').numFmt = 'dd/mm/yyyy';
  for (const c of EXPORT_COLUMNS) if (MONEY.has(c)) ws.getColumn(c).numFmt = '#,##0.00 "€"';
  for (const c of EXPORT_COLUMNS) if (HOURS.has(c)) ws.getColumn(c).numFmt = '0.00';
  ws.getRow(1).font = { bold: true };
  // The header row keeps the General format: a column format would apply to it too.
  for (const c of EXPORT_COLUMNS) ws.getRow(1).getCell(c).numFmt = 'General';
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Stores the files of an export under a fresh random token for EXPORT_TTL_MS (served by
 * GET /exports/<token>.csv|.xlsx, bot/features/records.ts); expired files go on the way.
 */
export async function storeExportFile(
  exportFiles: Model<ExportFile>,
  clock: Clock,
  file: { baseName: string; csv: Buffer; xlsx: Buffer; rows: number; by: string },
): Promise<{ token: string; createdAt: Date; expiresAt: Date }> {
  const now = clock.now();
  await exportFiles.deleteMany({ expiresAt: { $lt: now } });
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + EXPORT_TTL_MS);
  await exportFiles.create({ token, createdBy: file.by, createdAt: now, expiresAt, baseName: file.baseName, csv: file.csv, xlsx: file.xlsx, rows: file.rows });
  return { token, createdAt: now, expiresAt };
}

export class RecordService {
  constructor(
    private readonly models: { concertationRecords: Model<ConcertationRecord>; exportFiles: Model<ExportFile>; audit: Model<AuditEntry> },
    private readonly cases: CaseService,
    private readonly members: MemberService,
    private readonly feeSchedules: FeeSchedule[],
    private readonly clock: Clock,
  ) {
    // A typo in the tariff (overlapping periods, euros instead of cents) must stop the start, not reach a claim.
    const problems = validateFeeSchedules(feeSchedules);
    if (problems.length) throw new Error(`the fee schedules (config/fees.json) are invalid: ${JSON.stringify(problems)}`);
  }

  private parse(r: ConcertationRecord): SavedRecord {
    return { trackingId: r.trackingId, revision: r.revision, data: JSON.parse(r.dataJson) as ConcertationRecordData };
  }

  /** The latest revision of the record of that day, or null. */
  async latest(trackingId: string, date: string): Promise<SavedRecord | null> {
    const r = await this.models.concertationRecords.findOne({ trackingId, date }).sort({ revision: -1 }).lean();
    return r ? this.parse(r) : null;
  }

  /** Latest record of the case (any day), to prefill the next one. */
  async latestOfCase(trackingId: string): Promise<SavedRecord | null> {
    const r = await this.models.concertationRecords.findOne({ trackingId }).sort({ date: -1, revision: -1 }).lean();
    return r ? this.parse(r) : null;
  }

  /** First concertation of this organiser for this person: no record of an earlier day by them. */
  async isFirstForOrganiser(trackingId: string, organiser: string, date: string): Promise<boolean> {
    return (await this.models.concertationRecords.countDocuments({ trackingId, organiserAadObjectId: organiser, date: { $lt: date } })) === 0;
  }

  async authorise(trackingId: string, by: string) {
    return this.cases.authorise(trackingId, by, 'fillRecord');
  }

  /** The export covers every organiser's claims: the coordination's alone. */
  async authoriseExport(by: string | undefined): Promise<RecordResult<null>> {
    return (await this.members.may('exportRecords', by)) ? { ok: true, value: null } : { ok: false, code: 'notAllowed' };
  }

  /** The flat fees of a record under the schedule of its date. */
  fees(data: ConcertationRecordData): FeeResult {
    return computeFees(recordToFeeInput(data), this.feeSchedules);
  }

  async save(trackingId: string, input: RecordInput, by: string): Promise<RecordResult<SavedRecord>> {
    const auth = await this.authorise(trackingId, by);
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const checked = validateRecord(input, this.clock.now());
    if (!checked.ok) return { ok: false, code: `record.${checked.code}`, params: checked.params };
    for (let attempt = 0; attempt < 5; attempt++) {
      const previous = await this.latest(id, checked.value.date);
      const doc: ConcertationRecord = {
        trackingId: id,
        date: checked.value.date,
        revision: (previous?.revision ?? 0) + 1,
        organiserAadObjectId: auth.value.case.organiserAadObjectId,
        dataJson: JSON.stringify(checked.value),
        savedBy: by,
        savedAt: this.clock.now(),
      };
      try {
        await this.models.concertationRecords.create(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
      await this.models.audit.create({ at: doc.savedAt, actor: by, action: 'record.saved', subject: id, details: { date: doc.date, revision: doc.revision } });
      return { ok: true, value: { trackingId: id, revision: doc.revision, data: checked.value } };
    }
    return { ok: false, code: 'conflict' };
  }

  /** Organisers whose name (accents and case ignored) or AAD id matches the filter. */
  async matchOrganisers(filter: string): Promise<Member[]> {
    const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
    const wanted = norm(filter);
    const all = await this.members.all();
    return all.filter((m) => m.roles.includes('organiser') && (m.aadObjectId.toLowerCase() === wanted || norm(m.displayName).includes(wanted)));
  }

  /** Rows of the period (latest revision per case and day), sorted by date then tracking id. */
  async rows(from: string, to: string, organiserAadObjectId?: string): Promise<ExportRow[]> {
    return (await this.revisions(from, to, organiserAadObjectId)).map((r) => r.row);
  }

  /** The same rows with the revision each one is (the dashboard shows it). */
  async revisions(from: string, to: string, organiserAadObjectId?: string): Promise<Array<{ row: ExportRow; revision: number }>> {
    const query: Record<string, unknown> = { date: { $gte: from, $lte: to } };
    if (organiserAadObjectId) query.organiserAadObjectId = organiserAadObjectId;
    const docs = await this.models.concertationRecords.find(query).sort({ date: 1, trackingId: 1, revision: 1 }).lean();
    const latest = new Map<string, ConcertationRecord>();
    for (const d of docs) latest.set(`${d.trackingId}|${d.date}`, d);
    const names = new Map((await this.members.all()).map((m) => [m.aadObjectId, m.displayName]));
    return [...latest.values()].map((d) => ({ row: exportRow(d.trackingId, names.get(d.organiserAadObjectId) ?? '', JSON.parse(d.dataJson) as ConcertationRecordData, this.feeSchedules).row, revision: d.revision }));
  }

  /** Builds both files and stores them under a fresh token (coordinators only: authoriseExport first). */
  async createExport(rows: ExportRow[], format: ExportFormat, baseName: string, by: string, meta: Record<string, unknown>): Promise<ExportResult> {
    const [csv, xlsx] = [toCsv(rows, format.headers, format.words), await toXlsx(rows, format.headers, baseName, format.words)];
    const stored = await storeExportFile(this.models.exportFiles, this.clock, { baseName, csv, xlsx, rows: rows.length, by });
    await this.models.audit.create({ at: stored.createdAt, actor: by, action: 'record.exported', subject: 'records', details: { ...meta, rows: rows.length } });
    return { token: stored.token, rows, baseName, expiresAt: stored.expiresAt };
  }

  /** The file of a valid, unexpired token, or null. */
  async download(token: string, format: 'csv' | 'xlsx'): Promise<{ body: Buffer; fileName: string } | null> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
    const f = await this.models.exportFiles.findOne({ token }).lean();
    if (!f || f.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    const body = format === 'csv' ? f.csv : f.xlsx;
    return { body: Buffer.isBuffer(body) ? body : Buffer.from((body as { buffer: ArrayBuffer }).buffer), fileName: `${f.baseName}.${format}` };
  }
}
