// Why a poll cannot be opened on a case, as the case service and the request's decision say.
import type { CaseResult, CaseAccess } from '../../services/cases';
import { NewPollRefusal, PollAccess } from '../../services/pollAccess';

const ORGANISER = 'aad-organiser';
const COORDINATOR = 'aad-coordinator';
const OTHER = 'aad-other';

type Decision = { status: 'yes' | 'no'; organiserAadObjectId: string | null } | null;

function access(caseAnswer: CaseResult<CaseAccess>, request: boolean, decision: Decision): PollAccess {
  return new PollAccess({
    cases: { authorise: async () => caseAnswer },
    requests: { get: async () => (request ? { trackingId: 'CMD-2030-0001' } : null), getDecision: async () => decision },
    members: { isCoordinator: async (aad) => aad === COORDINATOR },
  });
}

const allowed: CaseResult<CaseAccess> = { ok: true, value: {} as CaseAccess };
const refused = (code: 'unknownCase' | 'notAllowed' | 'purged'): CaseResult<CaseAccess> => ({ ok: false, code });

describe('opening a poll on a case', () => {
  it.each<[string, CaseResult<CaseAccess>, boolean, Decision, string, NewPollRefusal | null]>([
    ['the case allows it', allowed, true, { status: 'yes', organiserAadObjectId: ORGANISER }, ORGANISER, null],
    ['the case refuses this user', refused('notAllowed'), true, { status: 'yes', organiserAadObjectId: ORGANISER }, OTHER, 'notAllowed'],
    ['the case is past its retention period', refused('purged'), true, { status: 'yes', organiserAadObjectId: ORGANISER }, ORGANISER, 'purged'],
    ['no such request', refused('unknownCase'), false, null, COORDINATOR, 'unknownCase'],
    ['a request not decided yet, asked by the coordination', refused('unknownCase'), true, null, COORDINATOR, 'caseNotAdmitted'],
    ['a refused request, asked by the coordination', refused('unknownCase'), true, { status: 'no', organiserAadObjectId: null }, COORDINATOR, 'caseNotAdmitted'],
    ['a request not decided yet, asked by someone else', refused('unknownCase'), true, null, OTHER, 'notAllowed'],
  ])('%s', async (_label, caseAnswer, request, decision, who, expected) => {
    expect(await access(caseAnswer, request, decision).refuseNewPoll('CMD-2030-0001', who)).toBe(expected);
  });
});
