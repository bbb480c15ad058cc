/**
 * Who a new availability poll asks, pre-filled from the case's participants.
 * Pure: the caller passes the case's participants and the Teams members of the conversation.
 *
 * Decisions:
 * - The organiser runs the poll and is not asked.
 * - Required (they weigh on the suggestion): the person concerned (her presence is the rule), the
 *   référent and the GP; everybody else is optional. The organiser can change all of it on the form.
 * - A participant who is a Teams member of this conversation answers in Teams; everyone else (the
 *   person, carers, professionals outside Teams or outside this chat) is an "outside Teams"
 *   participant the organiser answers for.
 */
import type { ParticipantRole } from './caseRules';

export interface CaseParticipantLike {
  role: ParticipantRole;
  profile: string | null;
  aadObjectId: string | null;
  displayName: string;
}

export interface PollInvitees {
  /** AAD object ids of the conversation's members to ask in Teams. */
  members: string[];
  /** Those of `members` who are required. */
  requiredMembers: string[];
  /** Names of the participants outside Teams. */
  externalsRequired: string[];
  externalsOptional: string[];
}

export function isRequiredAtConcertation(p: Pick<CaseParticipantLike, 'role' | 'profile'>): boolean {
  return p.role === 'personConcerned' || p.role === 'referent' || p.profile === 'gp';
}

export function pollInviteesFromCase(participants: readonly CaseParticipantLike[], conversationMembers: ReadonlySet<string>): PollInvitees {
  const out: PollInvitees = { members: [], requiredMembers: [], externalsRequired: [], externalsOptional: [] };
  const seenMembers = new Set<string>();
  const seenNames = new Set<string>();
  for (const p of participants) {
    if (p.role === 'organiser') continue;
    const required = isRequiredAtConcertation(p);
    if (p.aadObjectId && conversationMembers.has(p.aadObjectId)) {
      if (seenMembers.has(p.aadObjectId)) continue;
      seenMembers.add(p.aadObjectId);
      out.members.push(p.aadObjectId);
      if (required) out.requiredMembers.push(p.aadObjectId);
      continue;
    }
    const name = p.displayName.trim();
    const key = name.toLocaleLowerCase('fr');
    if (!name || seenNames.has(key)) continue;
    seenNames.add(key);
    (required ? out.externalsRequired : out.externalsOptional).push(name);
  }
  return out;
}
