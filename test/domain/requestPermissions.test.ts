import { Actor, can, CaseAction, isAssignedOrganiser } from '../../domain/permissions';

// On a request, the organiser is the one it was assigned to (isAssignedOrganiser below).
const coordinator: Actor = { isCoordinator: true, isOrganiser: false, roles: [] };
const assignedOrganiser: Actor = { isCoordinator: false, isOrganiser: true, roles: [] };
const stranger: Actor = { isCoordinator: false, isOrganiser: false, roles: [] };

describe('who may do what with a request and the organiser pool', () => {
  // action: coordinator, assigned organiser, anyone else
  const TABLE: Array<[CaseAction, boolean[]]> = [
    ['triage', [true, false, false]],
    ['setCoordination', [true, false, false]],
    ['managePool', [true, false, false]],
    ['openAssignment', [true, true, false]],
    // The coordination screens requests anonymously: it never sees who asked.
    ['viewRequesterIdentity', [false, true, false]],
    ['exportRecords', [true, false, false]],
    // The dashboard's coordination view: waiting requests, cases per organiser, the records.
    ['viewCoordination', [true, false, false]],
    // The activity report: anonymised figures across every organiser's cases.
    ['viewActivityReport', [true, false, false]],
  ];

  it.each(TABLE)('%s', (action, expected) => {
    expect([coordinator, assignedOrganiser, stranger].map((actor) => can(action, actor))).toEqual(expected);
  });

  it.each([
    ['the organiser of an admission', { status: 'yes', organiserAadObjectId: 'org-1' }, 'org-1', true],
    ['the organiser of a conditional admission', { status: 'conditional', organiserAadObjectId: 'org-1' }, 'org-1', true],
    ['another organiser', { status: 'yes', organiserAadObjectId: 'org-1' }, 'org-2', false],
    ['nobody after a refusal', { status: 'no', organiserAadObjectId: null }, 'org-1', false],
    ['nobody without an id', { status: 'yes', organiserAadObjectId: 'org-1' }, undefined, false],
    ['nobody before a decision', null, 'org-1', false],
  ] as const)('the assigned organiser is %s', (_what, decision, who, expected) => {
    expect(isAssignedOrganiser(decision, who)).toBe(expected);
  });
});
