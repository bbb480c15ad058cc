// Every card template, imported so the compiler carries it into the build.

import activityReport from './activityReport.json';
import agenda from './agenda.json';
import assignment from './assignment.json';
import caseDetail from './caseDetail.json';
import caseList from './caseList.json';
import exportReady from './exportReady.json';
import help from './help.json';
import planPoll from './planPoll.json';
import poll from './poll.json';
import pollCreate from './pollCreate.json';
import pool from './pool.json';
import psi from './psi.json';
import psiAccessLog from './psiAccessLog.json';
import psiMap from './psiMap.json';
import psiNewVersion from './psiNewVersion.json';
import psiNotice from './psiNotice.json';
import record from './record.json';
import reminder from './reminder.json';
import reminderList from './reminderList.json';
import requestList from './requestList.json';
import requestQuestion from './requestQuestion.json';
import requestResume from './requestResume.json';
import requestSummary from './requestSummary.json';
import triage from './triage.json';
import triageWaiting from './triageWaiting.json';

export const TEMPLATES = {
  activityReport,
  agenda,
  assignment,
  caseDetail,
  caseList,
  exportReady,
  help,
  planPoll,
  poll,
  pollCreate,
  pool,
  psi,
  psiAccessLog,
  psiMap,
  psiNewVersion,
  psiNotice,
  record,
  reminder,
  reminderList,
  requestList,
  requestQuestion,
  requestResume,
  requestSummary,
  triage,
  triageWaiting,
} as const;

export type TemplateName = keyof typeof TEMPLATES;
