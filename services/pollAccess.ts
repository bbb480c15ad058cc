// Who may do what with a poll: the case's rule set (domain/permissions.ts), asked through the case
// service for everything that depends on the case (organiser, coordination), and on the poll
// itself for what the poll alone says (its participants, its creator, where its card is posted).
import { Actor, can } from '../domain/permissions';
import type { PollDoc, PollParticipantDoc } from '../models/poll';
import type { RequestDecision } from '../models/request';
import type { CaseService } from './cases';
import type { MemberService } from './members';
import { participantKeyOf } from './polls';

/** Why a poll cannot be opened on a case. */
export type NewPollRefusal = 'unknownCase' | 'notAllowed' | 'caseNotAdmitted' | 'purged';

export interface PollAccessDeps {
  cases: Pick<CaseService, 'authorise'>;
  /** The request and its decision (services/requests.ts), when no case is there to ask. */
  requests: {
    get(trackingId: string): PromiseLike<object | null>;
    getDecision(trackingId: string): PromiseLike<Pick<RequestDecision, 'organiserAadObjectId'> | null>;
  };
  members: Pick<MemberService, 'isCoordinator'>;
}

/** Someone known only by what the poll says about them (no case roles read). */
const bare = (seen: Partial<Actor>): Actor => ({ isOrganiser: false, isCoordinator: false, roles: [], ...seen });

export class PollAccess {
  constructor(private readonly deps: PollAccessDeps) {}

  /** Why `aad` may not open a poll on the case (create form, creation), or null when allowed. */
  async refuseNewPoll(trackingId: string, aad: string | undefined): Promise<NewPollRefusal | null> {
    const auth = await this.deps.cases.authorise(trackingId, aad, 'managePoll');
    if (auth.ok) return null;
    if (auth.code === 'purged') return 'purged'; // past its retention period: a poll would store names again
    if (auth.code !== 'unknownCase') return 'notAllowed';
    // No case to open: a request not (yet) admitted, or none at all. Whoever could run the case's
    // polls learns which; anyone else is refused as for any case.
    if (!(await this.deps.requests.get(trackingId))) return 'unknownCase';
    const decision = await this.deps.requests.getDecision(trackingId);
    const actor = bare({ isOrganiser: Boolean(aad) && decision?.organiserAadObjectId === aad, isCoordinator: Boolean(aad) && (await this.deps.members.isCoordinator(aad)) });
    return can('managePoll', actor) ? 'caseNotAdmitted' : 'notAllowed';
  }

  /** Whether `aad` manages the poll: the organiser's view, its actions, the final choice. */
  async mayManage(poll: PollDoc, aad: string | undefined): Promise<boolean> {
    return (await this.deps.cases.authorise(poll.trackingId, aad, 'managePoll')).ok;
  }

  /**
   * Whether `aad` may read the poll's card from the conversation `here`: a participant, whoever
   * manages the poll, or someone in a conversation where the card is posted.
   */
  async mayRead(poll: PollDoc, aad: string | undefined, here: string | undefined): Promise<boolean> {
    const inConversation = Boolean(here) && (here === poll.conversationId || poll.personalCards.some((c) => c.conversationId === here));
    // Case roles are read only when the card's own people do not already cover the reader (refreshes come in bursts).
    if (can('readPoll', bare({ inPoll: inPoll(poll, aad), inConversation }))) return true;
    return (await this.deps.cases.authorise(poll.trackingId, aad, 'readPoll')).ok;
  }

  /**
   * Why `aad` may not answer for `participant`, or null: those outside Teams are answered for by
   * whoever manages the poll; a Teams user answers only for themself.
   */
  async refuseAnswer(poll: PollDoc, participant: PollParticipantDoc, aad: string): Promise<'notAllowed' | 'notParticipant' | null> {
    if (participant.external) return (await this.mayManage(poll, aad)) ? null : 'notAllowed';
    return participant.key === participantKeyOf(aad) && can('answerPoll', bare({ inPoll: inPoll(poll, aad) })) ? null : 'notParticipant';
  }

  /** The invitation names every participant: for the poll's own people only (its creator, its participants). */
  mayReceiveInvitation(poll: PollDoc, aad: string | undefined): boolean {
    return can('readPoll', bare({ isOrganiser: Boolean(aad) && poll.organiser.aadObjectId === aad, inPoll: inPoll(poll, aad) }));
  }
}

function inPoll(poll: PollDoc, aad: string | undefined): boolean {
  return Boolean(aad) && poll.participants.some((p) => p.key === participantKeyOf(aad!));
}
