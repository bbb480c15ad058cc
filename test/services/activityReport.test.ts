// The activity report on the real database: documents stored as the bot stores them (and as older
// versions did, without a sector or a refusal reason), the figures the report reads from them, and
// the XLSX read back with exceljs: its sheets in the reader's language, and no name anywhere in it.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Connection } from 'mongoose';
import { createModels, initModels, Models } from '../../models';
import { connectDatabase } from '../../models/db';
import { ActivityReportService } from '../../services/activityReport';
import { ManualClock } from '../../services/clock';
import { MemberService } from '../../services/members';
import { RecordService } from '../../services/records';
import { testMongoUri, uniqueDbName } from '../support/db';
import { COORDINATOR, NAMES, ORGANISER, seedReportYear } from '../support/reportDocs';

describe('the activity report on the database', () => {
  let conn: Connection;
  let models: Models;
  let service: ActivityReportService;
  let records: RecordService;
  const clock = new ManualClock();

  beforeAll(async () => {
    conn = await connectDatabase(testMongoUri(), uniqueDbName('report'));
    models = createModels(conn);
    await initModels(models);
    const members = new MemberService(models.members, models.audit, clock);
    service = new ActivityReportService(models, members, clock);
    records = new RecordService(models, {} as never, members, [], clock);
    await seedReportYear(conn.db!);
  });
  afterAll(async () => {
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  it('is the coordination’s alone', async () => {
    expect((await service.authorise(COORDINATOR)).ok).toBe(true);
    expect(await service.authorise(ORGANISER)).toEqual({ ok: false, code: 'notAllowed' });
    expect((await service.authorise(undefined)).ok).toBe(false);
  });

  it('computes the figures of the period from the stored documents', async () => {
    const { report } = await service.create('2026-01-01', '2026-12-31', 'fr', COORDINATOR);
    const { total, precarity, hospital, elderly, none } = report.columns;
    // Organisers: the three active ones (precarity, hospital, no sector); the inactive one is out.
    expect([total.organisers, precarity.organisers, hospital.organisers, elderly.organisers, none.organisers]).toEqual([3, 1, 1, 0, 1]);
    // Requests of 2026: 0001 (precarity, yes), 0002 (hospital, no: outside Brussels), 0003 (no sector, pending),
    // 0004 (an unknown sector is no sector; refused without a reason: 'other').
    expect([total.requests, total.accepted, total.refused, total.pending]).toEqual([4, 1, 2, 1]);
    expect(total.refusedBy).toEqual({ noNeed: 0, outsideBrussels: 1, consentDoubt: 0, other: 1 });
    expect([precarity.requests, hospital.requests, none.requests]).toEqual([1, 1, 2]);
    // Concertations of 2026: 0001 on 1 March (revision 2: 3 h of preparation) and 2025-0050 on 15 January (2 h).
    expect([total.concertations, precarity.concertations]).toEqual([2, 2]);
    expect(total.averagePreparationMinutes).toBe(150);
    expect(total.averageDurationMinutes).toBe(90);
    expect(total.averageParticipants).toBe(6); // organiser, person, référent, 2 professionals, 1 relative
    expect(total.interpreterConcertations).toBe(1);
    // 0001: 10 → 13 February (3 days), 0002: 1, 0004: 13 → 20 February (7) → median 3; 0001: 13 February → 1 March = 16.
    expect([report.medianDaysToDecision, report.medianDaysDecisionToFirstConcertation, report.medianPollDaysToDecision]).toEqual([3, 16, 3]);
    // r1 sent, r2 sent late, r3 unconfirmed (failed), r4 no longer needed, r5 next year.
    expect(report.reminders).toEqual({ sent: 2, late: 1, failed: 1 });
    expect(await models.audit.countDocuments({ action: 'report.created' })).toBeGreaterThan(0);
  });

  it.each([
    ['fr', ['Chiffres', 'Demandes', 'Concertations'], 'Demandes d\'inclusion'],
    ['nl', ['Cijfers', 'Aanvragen', 'Overleggen'], 'Aanvragen tot inclusie'],
  ] as const)('stores an XLSX in %s with the figures and the rows behind them, and no name', async (locale, sheets, requestsLabel) => {
    const stored = await service.create('2026-01-01', '2026-12-31', locale, COORDINATOR);
    const file = await records.download(stored.token, 'xlsx');
    expect(file?.fileName).toBe(`${stored.baseName}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file!.body as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(sheets);
    const figures = wb.worksheets[0];
    const rowOf = (label: string) => figures.getSheetValues().find((r) => Array.isArray(r) && r[1] === label) as unknown[];
    // Label, total, the eight sectors, no sector.
    expect(rowOf(requestsLabel).slice(1)).toEqual([requestsLabel, 4, 1, 0, 0, 0, 0, 0, 1, 0, 2]);
    const requests = wb.worksheets[1];
    expect(requests.rowCount).toBe(5);
    expect(requests.getColumn(1).values.slice(2)).toEqual(['CMD-2026-0001', 'CMD-2026-0002', 'CMD-2026-0003', 'CMD-2026-0004']);
    expect(wb.worksheets[2].getColumn(1).values.slice(2)).toEqual(['CMD-2025-0050', 'CMD-2026-0001']);
    // No name anywhere in the file's XML (cells, shared strings, properties).
    const zip = await JSZip.loadAsync(file!.body);
    const xml = (await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join('\n');
    for (const name of NAMES) expect(xml).not.toContain(name);
    expect(xml).not.toContain('Maison médicale fictive');
    const csv = (await records.download(stored.token, 'csv'))!.body.toString('utf8');
    expect(csv).toContain('CMD-2026-0002');
    for (const name of NAMES) expect(csv).not.toContain(name);
  });
});
