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

const COORDINATOR = 'c0000000-0000-4000-8000-0000000000c1';
const ORGANISER = 'a0000000-0000-4000-8000-0000000000a1';
// Fictional names stored beside the figures; none may reach the report's file.
const NAMES = ['Coralie Coordination', 'Olivia Organisatrice', 'Oscar Organisateur', 'Dr Gaby Test', 'Inès Inactive', 'Sam Sanssecteur'];
const at = (iso: string) => new Date(iso);

function requestDoc(trackingId: string, submittedAt: string, requester: Record<string, unknown>, person: Record<string, unknown>) {
  return {
    trackingId, year: Number(trackingId.slice(4, 8)), seq: Number(trackingId.slice(9)), requesterAadObjectId: 'f0000000-0000-4000-8000-0000000000f1', requesterConversationId: 'a:fictional',
    locale: 'fr', answers: { requestDate: submittedAt.slice(0, 10), requester, person: { age: 70, language: 'fr', interpreterNeeded: false, ...person } },
    suggestion: { verdict: 'eligible', reasons: [] }, status: 'submitted', triageConversationId: null, triageActivityId: null, submittedAt: at(submittedAt),
  };
}
const decisionDoc = (trackingId: string, status: string, decidedAt: string, refusalReason?: string) => ({
  trackingId, status, organiserAadObjectId: status === 'no' ? null : ORGANISER, notes: '', decidedBy: COORDINATOR, decidedByName: 'Coralie Coordination', decidedAt: at(decidedAt),
  ...(refusalReason ? { refusalReason } : {}),
});
const recordDoc = (trackingId: string, date: string, revision: number, preparationHours: number) => ({
  trackingId, date, revision, organiserAadObjectId: ORGANISER, savedBy: ORGANISER, savedAt: at(`${date}T18:00:00Z`),
  dataJson: JSON.stringify({ date, consentType: 'oral', consentComment: '', preparationHours, durationHours: 1.5, place: 'home', placeOther: '', firstForOrganiser: revision === 1, personPresent: true, referentPresent: true, professionalsPresent: 2, professionalProfiles: 'médecin généraliste', relativesPresent: 1, relativesLinks: 'fille', cateringCents: 0, roomCents: 0, amountsPreApproved: false, comments: '' }),
});
const member = (aadObjectId: string, displayName: string, roles: string[], extra: Record<string, unknown> = {}) => ({
  aadObjectId, teamsUserId: null, displayName, roles, languages: ['fr'], preferredLocale: 'fr', sectors: [], active: true, updatedAt: at('2026-01-01T00:00:00Z'), updatedBy: COORDINATOR, ...extra,
});
const pollDoc = (pollId: string, rev: number, status: string, createdAt: string, revAt: string) => ({
  pollId, rev, trackingId: 'CMD-2026-0001', organiser: { aadObjectId: ORGANISER, teamsUserId: null, name: 'Olivia Organisatrice', email: null }, status, createdAt: at(createdAt), at: at(revAt), by: ORGANISER, change: status,
  participants: [{ key: `u:${ORGANISER}`, aadObjectId: ORGANISER, name: 'Olivia Organisatrice' }], slots: [], deadline: '2026-02-25T12:00', deadlineUtc: at('2026-02-25T11:00:00Z'),
});
const reminderDoc = (key: string, dueAt: string) => ({ key, rootKey: key, kind: 'meeting', subject: 'CMD-2026-0001', dueAt: at(dueAt), status: 'scheduled', payload: '{}', locale: 'fr', createdAt: at(dueAt), updatedAt: at(dueAt), updatedBy: 'scheduler' });
const outcomeDoc = (key: string, outcome: string, atIso: string) => ({ key, generation: 0, outcome, error: null, activityId: null, conversationId: null, late: false, at: at(atIso) });

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
    // Inserted as stored documents: the sector and the refusal reason may be absent (older data).
    await models.members.collection.insertMany([
      member(COORDINATOR, 'Coralie Coordination', ['coordinator']),
      member(ORGANISER, 'Olivia Organisatrice', ['organiser'], { sector: 'precarity' }),
      member('a0000000-0000-4000-8000-0000000000a2', 'Oscar Organisateur', ['organiser', 'coordinator'], { sector: 'hospital' }),
      member('a0000000-0000-4000-8000-0000000000a3', 'Inès Inactive', ['organiser'], { sector: 'elderly', active: false }),
      member('a0000000-0000-4000-8000-0000000000a4', 'Sam Sanssecteur', ['organiser']),
    ]);
    await models.requests.collection.insertMany([
      requestDoc('CMD-2026-0001', '2026-02-10T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Maison médicale fictive', sector: 'precarity' }, { interpreterNeeded: true }),
      requestDoc('CMD-2026-0002', '2026-02-11T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Hôpital fictif', sector: 'hospital' }, { mediatorNeeded: true }),
      requestDoc('CMD-2026-0003', '2026-02-12T09:00:00Z', { name: '', organisation: '' }, {}),
      requestDoc('CMD-2026-0004', '2026-02-13T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Fictive', sector: 'not-a-sector' }, {}),
      requestDoc('CMD-2025-0050', '2025-12-20T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Fictive', sector: 'precarity' }, {}),
    ]);
    await models.decisions.collection.insertMany([
      decisionDoc('CMD-2026-0001', 'yes', '2026-02-13T09:00:00Z'),
      decisionDoc('CMD-2026-0002', 'no', '2026-02-12T09:00:00Z', 'outsideBrussels'),
      decisionDoc('CMD-2026-0004', 'no', '2026-02-20T09:00:00Z'),
      decisionDoc('CMD-2025-0050', 'conditional', '2025-12-22T09:00:00Z'),
    ]);
    await models.concertationRecords.collection.insertMany([
      recordDoc('CMD-2026-0001', '2026-03-01', 1, 1),
      recordDoc('CMD-2026-0001', '2026-03-01', 2, 3), // the correction counts
      recordDoc('CMD-2025-0050', '2026-01-15', 1, 2),
      recordDoc('CMD-2025-0050', '2025-12-30', 1, 9), // before the period
    ]);
    await models.polls.collection.insertMany([
      pollDoc('p1', 1, 'open', '2026-02-20T09:00:00Z', '2026-02-20T09:00:00Z'),
      pollDoc('p1', 2, 'decided', '2026-02-20T09:00:00Z', '2026-02-23T09:00:00Z'),
      pollDoc('p2', 1, 'open', '2026-02-21T09:00:00Z', '2026-02-21T09:00:00Z'),
    ]);
    await models.reminders.collection.insertMany([
      reminderDoc('r1', '2026-02-27T08:00:00Z'),
      reminderDoc('r2', '2026-02-28T08:00:00Z'),
      reminderDoc('r3', '2026-03-01T08:00:00Z'),
      reminderDoc('r4', '2026-03-02T08:00:00Z'),
      reminderDoc('r5', '2027-01-01T08:00:00Z'),
    ]);
    await models.reminderOutcomes.collection.insertMany([
      outcomeDoc('r1', 'sent', '2026-02-27T08:00:05Z'),
      outcomeDoc('r2', 'sent', '2026-02-28T09:00:00Z'), // an hour late
      outcomeDoc('r3', 'ambiguous', '2026-03-01T08:00:05Z'),
      outcomeDoc('r4', 'stale', '2026-03-02T08:00:05Z'),
      outcomeDoc('r5', 'failed', '2027-01-01T08:00:05Z'),
    ]);
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
    // 0001: 10 → 13 February (3 days), 0002: 1, 0004: 9 → median 3; 0001: 13 February → 1 March = 16.
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
