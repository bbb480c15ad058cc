import { isAssignedOrganiser, mayOnRequest, REQUEST_ACTIONS, RequestAction, RequestActor } from '../../domain/requestRules';

const coordinator: RequestActor = { isCoordinator: true, isAssignedOrganiser: false };
const assignedOrganiser: RequestActor = { isCoordinator: false, isAssignedOrganiser: true };
const stranger: RequestActor = { isCoordinator: false, isAssignedOrganiser: false };

describe('who may do what with a request and the organiser pool', () => {
  // action: coordinator, assigned organiser, anyone else
  const TABLE: Array<[RequestAction, boolean[]]> = [
    ['triage', [true, false, false]],
    ['setCoordination', [true, false, false]],
    ['managePool', [true, false, false]],
    ['openAssignment', [true, true, false]],
    // The coordination screens requests anonymously: it never sees who asked.
    ['viewRequesterIdentity', [false, true, false]],
  ];

  it('covers every action', () => {
    expect(TABLE.map(([a]) => a).sort()).toEqual([...REQUEST_ACTIONS].sort());
  });

  it.each(TABLE)('%s', (action, expected) => {
    expect([coordinator, assignedOrganiser, stranger].map((actor) => mayOnRequest(action, actor))).toEqual(expected);
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
