import type { Connection } from 'mongoose';
import { auditModel } from './audit';
import { agendaPointModel } from './agendaPoint';
import { attendanceModel } from './attendance';
import { caseModel } from './case';
import { caseLinkModel } from './caseLink';
import { caseParticipantModel } from './caseParticipant';
import { caseStatusEventModel } from './caseStatusEvent';
import { concertationModel } from './concertation';
import { concertationRecordModel } from './concertationRecord';
import { conversationReferenceModel } from './conversationReference';
import { exportFileModel } from './exportFile';
import { psiAccessModel } from './psiAccess';
import { psiMessageModel } from './psiMessage';
import { psiDraftModel, psiVersionModel } from './psiVersion';
import { draftModel } from './draft';
import { memberModel } from './member';
import { pollModel } from './poll';
import { pollAnswerModel, pollNoticeModel } from './pollAnswer';
import { decisionModel, requestModel } from './request';
import { requesterIdentityModel } from './requesterIdentity';
import { reminderModel } from './reminder';
import { reminderClaimModel } from './reminderClaim';
import { reminderOutcomeModel } from './reminderOutcome';
import { seenActivityModel } from './seenActivity';
import { settingModel } from './setting';

export function createModels(conn: Connection) {
  return {
    conversationReferences: conversationReferenceModel(conn),
    members: memberModel(conn),
    requests: requestModel(conn),
    decisions: decisionModel(conn),
    requesterIdentities: requesterIdentityModel(conn),
    drafts: draftModel(conn),
    settings: settingModel(conn),
    audit: auditModel(conn),
    reminders: reminderModel(conn),
    reminderClaims: reminderClaimModel(conn),
    reminderOutcomes: reminderOutcomeModel(conn),
    cases: caseModel(conn),
    caseStatusEvents: caseStatusEventModel(conn),
    caseParticipants: caseParticipantModel(conn),
    caseLinks: caseLinkModel(conn),
    concertations: concertationModel(conn),
    agendaPoints: agendaPointModel(conn),
    attendance: attendanceModel(conn),
    polls: pollModel(conn),
    pollAnswers: pollAnswerModel(conn),
    pollNotices: pollNoticeModel(conn),
    psiVersions: psiVersionModel(conn),
    psiDrafts: psiDraftModel(conn),
    psiMessages: psiMessageModel(conn),
    psiAccess: psiAccessModel(conn),
    concertationRecords: concertationRecordModel(conn),
    exportFiles: exportFileModel(conn),
    seenActivities: seenActivityModel(conn),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Builds every index before serving: correctness rests on the unique ones. */
export async function initModels(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m) => (m as { init(): Promise<unknown> }).init()));
}
