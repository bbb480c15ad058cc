/**
 * Who may do what: ONE rule set for requests and the coordination's work, and for a case, its
 * availability polls, agenda, PSI and record (DOMAIN.md "Who uses the product"). Pure: no I/O. The case service asks
 * `can()` for every case and agenda action (CaseService.authorise, services/cases/access.ts) and the
 * poll feature asks the same rules, so a poll decision can never be refused by the case.
 *
 * Decisions:
 * - The organiser runs the case: participants, date, agenda, record.
 * - Stand-by / stop is a concerted decision of organiser and référent; both edit the PSI.
 * - The coordination (Brusano) sees cases anonymised and changes nothing in a case, except linking
 *   its conversation and helping with the date: it may run the availability poll for the organiser,
 *   and whoever may pick the poll's final slot may set the case's date (managePoll ⇒ schedule).
 * - Who read or received which PSI version (the person's right to know) is shown by the organiser,
 *   the neutral holder of the PSI; the référent edits the PSI but does not audit its readers.
 * - Answering a poll is for its participants (in Teams, for themselves); those outside Teams are
 *   answered for by whoever manages the poll.
 * - Reading a shared card (agenda, poll, a reminder posted to a chat) is for the case's members and
 *   for the members of the conversation the card was posted in (they see it there already); a
 *   refresh or click from anyone else gets a "not for you" notice and no content. The agenda names
 *   the participants, so the coordination (anonymised view) does not read it outside that chat.
 */

import type { ParticipantRole } from './caseRules';

export const CASE_ACTIONS = [
  'view',
  'changeStatus',
  'manageParticipants',
  'linkConversation',
  'schedule',
  'managePoll',
  'answerPoll',
  'editAgenda',
  'respondAttendance',
  'editPsi',
  'readAgenda',
  'readPoll',
  'actOnReminder',
  'readPsiAccessLog',
  'fillRecord',
  'viewRequesterIdentity',
  // Requests and the coordination's work (no case yet, or across cases).
  'triage',
  'setCoordination',
  'managePool',
  'openAssignment',
  'exportRecords',
  'viewCoordination',
  'viewActivityReport',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface Actor {
  /** The case's organiser (assigned by the coordination). */
  isOrganiser: boolean;
  isCoordinator: boolean;
  /** Roles held as a (non-removed) participant of this case. */
  roles: readonly ParticipantRole[];
  /** A participant of the poll in question (answerPoll only). */
  inPoll?: boolean;
  /** The request comes from a conversation where the card in question is posted (shared-card reads). */
  inConversation?: boolean;
  /** The one a reminder was sent to (actOnReminder only). */
  isRecipient?: boolean;
}

export function can(action: CaseAction, actor: Actor): boolean {
  const referent = actor.roles.includes('referent');
  const participant = actor.isOrganiser || actor.roles.length > 0;
  switch (action) {
    case 'view':
      return participant || actor.isCoordinator;
    case 'changeStatus':
    case 'editPsi':
      return actor.isOrganiser || referent;
    case 'manageParticipants':
    case 'editAgenda':
    case 'fillRecord': // the concertation record (annex 10) is the organiser's claim
    case 'readPsiAccessLog':
      return actor.isOrganiser;
    case 'schedule':
    case 'managePoll':
    case 'linkConversation':
      return actor.isOrganiser || actor.isCoordinator;
    case 'answerPoll':
      return actor.inPoll === true;
    case 'respondAttendance':
      return participant;
    case 'readAgenda':
      return participant || actor.inConversation === true;
    case 'readPoll':
      return actor.inPoll === true || actor.isOrganiser || actor.isCoordinator || actor.inConversation === true;
    case 'actOnReminder':
      return actor.isRecipient === true || actor.isOrganiser || actor.isCoordinator || actor.inConversation === true;
    // The person herself or a carer asked: only the organiser assigned after admission may see who
    // (never the coordination, which screens the request anonymously; never another member).
    case 'viewRequesterIdentity':
      return actor.isOrganiser;
    // The coordination (coordinators: roles stored, never inferred) screens the requests, names the
    // conversation where they are posted, keeps the organiser pool, and exports the records. The
    // dashboard's coordination view (waiting requests, cases per organiser, records) is theirs too,
    // and the activity report (anonymised figures across every organiser's cases).
    case 'triage':
    case 'setCoordination':
    case 'managePool':
    case 'exportRecords':
    case 'viewCoordination':
    case 'viewActivityReport':
      return actor.isCoordinator;
    // The assignment card of an admitted request: the organiser it was given to, and the coordination.
    case 'openAssignment':
      return actor.isOrganiser || actor.isCoordinator;
    default:
      return false;
  }
}

/** The decision on a request, as far as permissions go. */
export interface AssignmentFacts {
  status: 'yes' | 'conditional' | 'no';
  organiserAadObjectId: string | null;
}

/** Whether `who` is the organiser the request was assigned to (a refused request has none): the request's `isOrganiser`. */
export const isAssignedOrganiser = (decision: AssignmentFacts | null | undefined, who: string | undefined): boolean =>
  Boolean(who) && decision != null && decision.status !== 'no' && decision.organiserAadObjectId === who;

/** What a viewer sees: members see the case, the coordination only anonymised data. */
export function viewLevel(actor: Actor): 'full' | 'anonymised' | 'none' {
  if (actor.isOrganiser || actor.roles.length > 0) return 'full';
  return actor.isCoordinator ? 'anonymised' : 'none';
}
