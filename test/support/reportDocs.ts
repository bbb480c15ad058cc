// A year of the coordination's activity as the bot stores it (and as older versions stored it:
// without a sector or a refusal reason), for the activity report's tests on the database and
// through the built bot. Fictional people; their names must never reach the report.
import type { Db } from 'mongodb';

export const COORDINATOR = 'c0000000-0000-4000-8000-0000000000c1';
export const ORGANISER = 'a0000000-0000-4000-8000-0000000000a1';
// Fictional names stored beside the figures; none may reach the report's file.
export const NAMES = ['Coralie Coordination', 'Olivia Organisatrice', 'Oscar Organisateur', 'Dr Gaby Test', 'Inès Inactive', 'Sam Sanssecteur'];
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
// A final status: a running bot's dispatcher leaves them alone.
const reminderDoc = (key: string, dueAt: string, status: string) => ({ key, rootKey: key, kind: 'meeting', subject: 'CMD-2026-0001', dueAt: at(dueAt), status, payload: '{}', locale: 'fr', createdAt: at(dueAt), updatedAt: at(dueAt), updatedBy: 'scheduler' });
const outcomeDoc = (key: string, outcome: string, atIso: string) => ({ key, generation: 0, outcome, error: null, activityId: null, conversationId: null, late: false, at: at(atIso) });

/**
 * Stores the year 2026 the tests expect: 3 active organisers (precarity, hospital, no sector),
 * 4 requests (1 accepted, 2 refused, 1 pending), 2 concertations, a decided poll, 4 reminders.
 */
export async function seedReportYear(db: Db): Promise<void> {
  // Inserted as stored documents: the sector and the refusal reason may be absent (older data).
  await db.collection('members').insertMany([
    member(COORDINATOR, 'Coralie Coordination', ['coordinator']),
    member(ORGANISER, 'Olivia Organisatrice', ['organiser'], { sector: 'precarity' }),
    member('a0000000-0000-4000-8000-0000000000a2', 'Oscar Organisateur', ['organiser', 'coordinator'], { sector: 'hospital' }),
    member('a0000000-0000-4000-8000-0000000000a3', 'Inès Inactive', ['organiser'], { sector: 'elderly', active: false }),
    member('a0000000-0000-4000-8000-0000000000a4', 'Sam Sanssecteur', ['organiser']),
  ]);
  await db.collection('requests').insertMany([
    requestDoc('CMD-2026-0001', '2026-02-10T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Maison médicale fictive', sector: 'precarity' }, { interpreterNeeded: true }),
    requestDoc('CMD-2026-0002', '2026-02-11T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Hôpital fictif', sector: 'hospital' }, { mediatorNeeded: true }),
    requestDoc('CMD-2026-0003', '2026-02-12T09:00:00Z', { name: '', organisation: '' }, {}),
    requestDoc('CMD-2026-0004', '2026-02-13T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Fictive', sector: 'not-a-sector' }, {}),
    requestDoc('CMD-2025-0050', '2025-12-20T09:00:00Z', { name: 'Dr Gaby Test', organisation: 'Fictive', sector: 'precarity' }, {}),
  ]);
  await db.collection('requestDecisions').insertMany([
    decisionDoc('CMD-2026-0001', 'yes', '2026-02-13T09:00:00Z'),
    decisionDoc('CMD-2026-0002', 'no', '2026-02-12T09:00:00Z', 'outsideBrussels'),
    decisionDoc('CMD-2026-0004', 'no', '2026-02-20T09:00:00Z'),
    decisionDoc('CMD-2025-0050', 'conditional', '2025-12-22T09:00:00Z'),
  ]);
  await db.collection('concertationRecords').insertMany([
    recordDoc('CMD-2026-0001', '2026-03-01', 1, 1),
    recordDoc('CMD-2026-0001', '2026-03-01', 2, 3), // the correction counts
    recordDoc('CMD-2025-0050', '2026-01-15', 1, 2),
    recordDoc('CMD-2025-0050', '2025-12-30', 1, 9), // before the period
  ]);
  await db.collection('polls').insertMany([
    pollDoc('p1', 1, 'open', '2026-02-20T09:00:00Z', '2026-02-20T09:00:00Z'),
    pollDoc('p1', 2, 'decided', '2026-02-20T09:00:00Z', '2026-02-23T09:00:00Z'),
    pollDoc('p2', 1, 'open', '2026-02-21T09:00:00Z', '2026-02-21T09:00:00Z'),
  ]);
  await db.collection('reminders').insertMany([
    reminderDoc('r1', '2026-02-27T08:00:00Z', 'sent'),
    reminderDoc('r2', '2026-02-28T08:00:00Z', 'sent'),
    reminderDoc('r3', '2026-03-01T08:00:00Z', 'ambiguous'),
    reminderDoc('r4', '2026-03-02T08:00:00Z', 'cancelled'),
    reminderDoc('r5', '2027-01-01T08:00:00Z', 'failed'),
  ]);
  await db.collection('reminderOutcomes').insertMany([
    outcomeDoc('r1', 'sent', '2026-02-27T08:00:05Z'),
    outcomeDoc('r2', 'sent', '2026-02-28T09:00:00Z'), // an hour late
    outcomeDoc('r3', 'ambiguous', '2026-03-01T08:00:05Z'),
    outcomeDoc('r4', 'stale', '2026-03-02T08:00:05Z'),
    outcomeDoc('r5', 'failed', '2027-01-01T08:00:05Z'),
  ]);
}
