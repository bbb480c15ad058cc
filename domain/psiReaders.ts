/**
 * Who reads the PSI and who receives its card (seed 001 annex 2 §6, consent). Pure: no I/O.
 *
 * Decisions:
 * - Readers: the organiser, the référent(s), the person concerned, and the actors she shares it
 *   with. Other case members and the coordination do not read it (consent, professional secrecy).
 *   The organiser counts as a reader everywhere: a neutral professional who holds the PSI.
 * - The PSI card reaches, 1:1, only actors with share=true that are linked to a case participant
 *   known in Teams (aadObjectId). Actors outside Teams get it from the person / référent as today.
 * - The case's group chat shows the full card only when every member of it is a reader; otherwise
 *   a notice that a version exists, with no content (groupPsiView). An unreadable roster counts as
 *   "not every member".
 * - Consent is read from the published version AND the draft: a withdrawal holds as soon as it is
 *   saved, a new consent once published (effectiveConsent).
 * - The actors a reader sees (the PSI card's list, the network map, the tab) follow the map level
 *   (domain/networkMap.ts mapLevel): all of them for the organiser, the référent and the person in
 *   their own view; for anyone else, and wherever others read along (the card posted to the case
 *   chat, a group chat, the 1:1 card of a consented actor), the référent and the consented actors
 *   only: the person shares her PSI with them, not the names of everyone around her (visibleActors).
 */
import { MapLevel, mapActors } from './networkMap';
import type { PsiActor, PsiContent } from './psi';

/** The members of a conversation (AAD object ids; null for a member without one), or null when unknown. */
export type ConversationMembers = ReadonlyArray<string | null> | null;

export interface PsiReader {
  isOrganiser: boolean;
  roles: readonly string[];
  /** The reader's participant keys in this case ("aad:…"). */
  participantKeys: readonly string[];
}

/** Who may read the PSI (see the decisions above). */
export function canReadPsi(reader: PsiReader, content: PsiContent): boolean {
  if (reader.isOrganiser || reader.roles.includes('referent') || reader.roles.includes('personConcerned')) return true;
  return content.actors.some((a) => a.share && a.participantKey !== null && reader.participantKeys.includes(a.participantKey));
}

/** The participant keys the PSI card goes to 1:1: shared actors linked to a participant. */
export function shareTargets(content: PsiContent): string[] {
  return Array.from(new Set(content.actors.filter((a) => a.share && a.participantKey).map((a) => a.participantKey!)));
}

/** The case's people as the distribution needs them (current participants, not removed). */
export interface PsiAudience {
  organiserAadObjectId: string | null;
  participants: ReadonlyArray<{ key: string; aadObjectId: string | null; role: string }>;
}

/** The audience of a case: its organiser and its current participants. */
export const psiAudience = (c: { organiserAadObjectId: string | null }, participants: PsiAudience['participants']): PsiAudience => ({
  organiserAadObjectId: c.organiserAadObjectId,
  participants: participants.map((p) => ({ key: p.key, aadObjectId: p.aadObjectId, role: p.role })),
});

/** Whether this Teams user may read the PSI (canReadPsi, from the case's people). */
export function isPsiReader(aadObjectId: string, content: PsiContent, audience: PsiAudience): boolean {
  const mine = audience.participants.filter((p) => p.aadObjectId === aadObjectId);
  return canReadPsi({ isOrganiser: audience.organiserAadObjectId === aadObjectId, roles: mine.map((p) => p.role), participantKeys: mine.map((p) => p.key) }, content);
}

/**
 * What the case conversation may show of the PSI, given its members (aadObjectIds as the Teams
 * roster gives them; null for a member without one). The full card only when every member is a
 * reader (the organiser holds the PSI, the référent and the person read it, the others only by
 * consent). An unknown roster (null) or an empty one cannot prove that: the notice, no content.
 */
export function groupPsiView(content: PsiContent, audience: PsiAudience, roster: ConversationMembers): 'full' | 'notice' {
  if (!roster || roster.length === 0) return 'notice';
  return roster.every((aad) => aad !== null && isPsiReader(aad, content, audience)) ? 'full' : 'notice';
}

export interface PsiDistribution {
  /** The case conversation: the full card, the notice that a new version exists, or nothing (no conversation). */
  group: 'full' | 'notice' | 'none';
  /** Participant keys that get the full card 1:1: the consented actors reachable in Teams. */
  direct: string[];
  /** Participant keys whose 1:1 card must become "no longer shared" (they had one, consent is gone). */
  revoke: string[];
}

/**
 * Who gets what when a version is published or consent changes. `delivered` are the participant
 * keys holding a live (not revoked) 1:1 card. The 1:1 card goes to every consented actor linked to
 * a Teams participant, whether or not the group shows the full card (they may not be in the chat,
 * and the chat may change); actors outside Teams get it from the person or the référent.
 */
export function psiDistribution(
  content: PsiContent,
  audience: PsiAudience,
  chat: { hasConversation: boolean; roster: ConversationMembers },
  delivered: readonly string[],
): PsiDistribution {
  const inTeams = new Set(audience.participants.filter((p) => p.aadObjectId).map((p) => p.key));
  const direct = shareTargets(content).filter((k) => inTeams.has(k));
  const keep = new Set(direct);
  return {
    group: chat.hasConversation ? groupPsiView(content, audience, chat.roster) : 'none',
    direct,
    revoke: [...new Set(delivered)].filter((k) => !keep.has(k)),
  };
}

/**
 * Consent as it holds now, for reading and distributing: an actor counts as shared with only when
 * the published version says so and the unpublished draft (if any) still does, for the same
 * participant. A withdrawal saved in a draft takes effect at once; a new consent only once
 * published, with the content it goes with.
 */
export function effectiveConsent(published: PsiContent, draft: PsiContent | null): PsiContent {
  if (!draft) return published;
  const stillShared = new Set(draft.actors.filter((a) => a.share).map((a) => `${a.id}\u0000${a.participantKey ?? ''}`));
  return { ...published, actors: published.actors.map((a) => ({ ...a, share: a.share && stillShared.has(`${a.id}\u0000${a.participantKey ?? ''}`) })) };
}

/**
 * The actors a reader sees at a level: every one for 'full'; for 'shared', the référent and the
 * actors the person shares her PSI with now (`consentNow`: services' consent, so that a withdrawal
 * holds at once), as they are in the version shown.
 */
export function visibleActors(content: PsiContent, level: MapLevel, consentNow: PsiContent | null = null): PsiActor[] {
  if (level === 'full') return content.actors;
  return mapActors(consentNow ? effectiveConsent(content, consentNow) : content, 'shared');
}
