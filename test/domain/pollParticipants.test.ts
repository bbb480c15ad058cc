import { CaseParticipantLike, pollInviteesFromCase } from '../../domain/pollParticipants';

const p = (role: CaseParticipantLike['role'], displayName: string, aadObjectId: string | null = null, profile: string | null = null): CaseParticipantLike => ({ role, displayName, aadObjectId, profile });
const inChat = new Set(['aad-gp', 'aad-nurse', 'aad-organiser']);

describe('poll participants pre-filled from the case', () => {
  it.each<[string, CaseParticipantLike[], ReturnType<typeof pollInviteesFromCase>]>([
    ['nobody yet', [], { members: [], requiredMembers: [], externalsRequired: [], externalsOptional: [] }],
    [
      'the person and her carers are outside Teams; the person is required, carers optional',
      [p('personConcerned', 'Jo Test'), p('carer', 'Kim Test'), p('carer', 'Lou Test')],
      { members: [], requiredMembers: [], externalsRequired: ['Jo Test'], externalsOptional: ['Kim Test', 'Lou Test'] },
    ],
    [
      'Teams members of the chat are asked in Teams; the GP is required, the nurse optional; the organiser is not asked',
      [p('organiser', 'Alex Test', 'aad-organiser'), p('professional', 'Dr Gaby Test', 'aad-gp', 'gp'), p('professional', 'Ines Test', 'aad-nurse', 'homeNurse')],
      { members: ['aad-gp', 'aad-nurse'], requiredMembers: ['aad-gp'], externalsRequired: [], externalsOptional: [] },
    ],
    [
      'a Teams user who is not in this chat is answered for, like someone outside Teams',
      [p('referent', 'Sam Test', 'aad-elsewhere', 'socialWorker'), p('professional', 'Max Test', 'aad-other', 'pharmacist')],
      { members: [], requiredMembers: [], externalsRequired: ['Sam Test'], externalsOptional: ['Max Test'] },
    ],
    [
      'a carer who is the référent is required; names and members are not doubled',
      [p('referent', 'Kim Test'), p('carer', 'kim test'), p('professional', 'Dr Gaby Test', 'aad-gp', 'gp'), p('professional', 'Dr Gaby Test', 'aad-gp', 'gp'), p('carer', '  ')],
      { members: ['aad-gp'], requiredMembers: ['aad-gp'], externalsRequired: ['Kim Test'], externalsOptional: [] },
    ],
  ])('%s', (_name, participants, expected) => {
    expect(pollInviteesFromCase(participants, inChat)).toEqual(expected);
  });
});
