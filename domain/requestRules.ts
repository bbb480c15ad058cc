/**
 * Who may do what with a request for a concertation and with the organiser pool. Pure: no I/O;
 * services/members.ts answers `may(action, who, decision)` with it, and no feature decides.
 *
 * Decisions:
 * - The coordination (coordinators, roles stored, never inferred) screens the requests: it triages
 *   them, names the conversation where they are posted, and keeps the organiser pool.
 * - The assignment card of an admitted request is for the organiser it was given to, and for the
 *   coordination that gave it.
 * - Who asked (the person herself, a carer) is shown to the assigned organiser only: the rule is
 *   the case rule set's (domain/permissions.ts, 'viewRequesterIdentity').
 */
import { can } from './permissions';

export const REQUEST_ACTIONS = ['triage', 'setCoordination', 'managePool', 'openAssignment', 'viewRequesterIdentity'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

export interface RequestActor {
  isCoordinator: boolean;
  /** The organiser an admitted (or conditionally admitted) request was assigned to. */
  isAssignedOrganiser: boolean;
}

/** The decision on a request, as far as permissions go. */
export interface AssignmentFacts {
  status: 'yes' | 'conditional' | 'no';
  organiserAadObjectId: string | null;
}

/** Whether `who` is the organiser the request was assigned to (a refused request has none). */
export const isAssignedOrganiser = (decision: AssignmentFacts | null | undefined, who: string | undefined): boolean =>
  Boolean(who) && decision != null && decision.status !== 'no' && decision.organiserAadObjectId === who;

export function mayOnRequest(action: RequestAction, actor: RequestActor): boolean {
  switch (action) {
    case 'triage':
    case 'setCoordination':
    case 'managePool':
      return actor.isCoordinator;
    case 'openAssignment':
      return actor.isAssignedOrganiser || actor.isCoordinator;
    case 'viewRequesterIdentity':
      return can('viewRequesterIdentity', { isOrganiser: actor.isAssignedOrganiser, isCoordinator: actor.isCoordinator, roles: [] });
    default:
      return false;
  }
}
