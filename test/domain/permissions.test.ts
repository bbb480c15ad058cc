import { Actor, can, CASE_ACTIONS, CaseAction, viewLevel } from '../../domain/permissions';
import * as caseRules from '../../domain/caseRules';

const organiser: Actor = { isOrganiser: true, isCoordinator: false, roles: [] };
const referent: Actor = { isOrganiser: false, isCoordinator: false, roles: ['referent'] };
const professional: Actor = { isOrganiser: false, isCoordinator: false, roles: ['professional'] };
const person: Actor = { isOrganiser: false, isCoordinator: false, roles: ['personConcerned'] };
const coordinator: Actor = { isOrganiser: false, isCoordinator: true, roles: [] };
const pollParticipant: Actor = { isOrganiser: false, isCoordinator: false, roles: [], inPoll: true };
const stranger: Actor = { isOrganiser: false, isCoordinator: false, roles: [] };
const ACTORS = { organiser, referent, professional, person, coordinator, pollParticipant, stranger };

describe('who may do what on a case (one rule set: case, poll, agenda, PSI, record)', () => {
  // action: organiser, referent, professional, person, coordinator, pollParticipant, stranger
  const TABLE: Array<[CaseAction, boolean[]]> = [
    ['view', [true, true, true, true, true, false, false]],
    ['changeStatus', [true, true, false, false, false, false, false]],
    ['editPsi', [true, true, false, false, false, false, false]],
    ['manageParticipants', [true, false, false, false, false, false, false]],
    ['schedule', [true, false, false, false, true, false, false]],
    ['managePoll', [true, false, false, false, true, false, false]],
    ['answerPoll', [false, false, false, false, false, true, false]],
    ['editAgenda', [true, false, false, false, false, false, false]],
    ['fillRecord', [true, false, false, false, false, false, false]],
    ['readPsiAccessLog', [true, false, false, false, false, false, false]],
    ['linkConversation', [true, false, false, false, true, false, false]],
    ['respondAttendance', [true, true, true, true, false, false, false]],
    ['readAgenda', [true, true, true, true, false, false, false]],
    ['readPoll', [true, false, false, false, true, true, false]],
    ['actOnReminder', [true, false, false, false, true, false, false]],
    ['viewRequesterIdentity', [true, false, false, false, false, false, false]],
    ['triage', [false, false, false, false, true, false, false]],
    ['setCoordination', [false, false, false, false, true, false, false]],
    ['managePool', [false, false, false, false, true, false, false]],
    ['exportRecords', [false, false, false, false, true, false, false]],
    ['viewCoordination', [false, false, false, false, true, false, false]],
    ['viewActivityReport', [false, false, false, false, true, false, false]],
    ['openAssignment', [true, false, false, false, true, false, false]],
  ];

  it.each(TABLE)('%s', (action, expected) => {
    expect(Object.values(ACTORS).map((a) => can(action, a))).toEqual(expected);
  });

  it('covers every action', () => {
    expect(TABLE.map(([a]) => a).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  // The bug this rule set fixes: a coordinator picked the poll's final slot and the case refused the date.
  it.each(Object.entries(ACTORS))('whoever may manage a poll may set the case date (%s)', (_name, actor) => {
    if (can('managePoll', actor)) expect(can('schedule', actor)).toBe(true);
  });

  it('a Teams participant of the poll answers it only for themself; participants outside Teams are answered by a manager', () => {
    expect(can('answerPoll', { ...coordinator, inPoll: false })).toBe(false);
    expect(can('managePoll', pollParticipant)).toBe(false);
  });

  // Shared cards: a member of the conversation the card was posted in reads what is already in view there.
  const inChat = (a: Actor): Actor => ({ ...a, inConversation: true });
  it.each([
    ['readAgenda', 'stranger in the case conversation', inChat(stranger), true],
    ['readAgenda', 'coordinator outside the case conversation (anonymised view only)', coordinator, false],
    ['readAgenda', 'coordinator in the case conversation', inChat(coordinator), true],
    ['readAgenda', 'poll participant who is not in the case', pollParticipant, false],
    ['readPoll', 'stranger in the conversation where the poll is posted', inChat(stranger), true],
    ['readPoll', 'referent not invited to the poll, elsewhere', referent, false],
    ['readPoll', 'referent not invited to the poll, in its conversation', inChat(referent), true],
    ['actOnReminder', 'the recipient', { ...stranger, isRecipient: true } as Actor, true],
    ['actOnReminder', 'a member of the chat the reminder was posted in', inChat(stranger), true],
    ['actOnReminder', 'a referent who is not the recipient', referent, false],
    ['view', 'stranger in the case conversation (the case card is not posted there)', inChat(stranger), false],
  ] as Array<[CaseAction, string, Actor, boolean]>)('%s: %s → %s', (action, _n, actor, allowed) => expect(can(action, actor)).toBe(allowed));

  it.each([
    ['organiser', organiser, 'full'],
    ['referent', referent, 'full'],
    ['coordinator', coordinator, 'anonymised'],
    ['coordinator who is also a participant', { ...coordinator, roles: ['carer'] } as Actor, 'full'],
    ['poll participant only', pollParticipant, 'none'],
    ['stranger', stranger, 'none'],
  ])('%s sees the case %s', (_n, actor, level) => expect(viewLevel(actor)).toBe(level));

  it('the case rules use the same functions (no second copy)', () => {
    expect(caseRules.can).toBe(can);
    expect(caseRules.viewLevel).toBe(viewLevel);
  });
});
