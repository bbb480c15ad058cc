// The members of the conversation a turn comes from, read from Teams (one reader for the whole bot).
// A roster is a convenience (pre-filled forms, who may read a card): when Teams is slow or fails,
// the caller goes on without it rather than making the user wait.
import { teamsGetTeamInfo, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { PagedMembersResult } from 'botframework-schema';

export interface RosterMember {
  teamsUserId: string;
  /** Null for someone Teams knows only by their Teams id (a guest or a federated user). */
  aadObjectId: string | null;
  name: string;
  email: string | null;
}

export interface RosterOptions {
  /** The whole read, all pages, gives up after this long (the request in flight is aborted). */
  timeoutMs?: number;
  pageSize?: number;
  /** A larger roster than this many pages is not read (the caller goes on without it). */
  maxPages?: number;
}

const DEFAULTS: Required<RosterOptions> = { timeoutMs: 5000, pageSize: 500, maxPages: 20 };

/**
 * The people in the turn's conversation (the bot and other bots left out), or null when Teams did
 * not answer in time, failed, or the roster is larger than `maxPages` pages.
 */
export async function readRoster(context: TurnContext, options: RosterOptions = {}): Promise<RosterMember[] | null> {
  const { timeoutMs, pageSize, maxPages } = { ...DEFAULTS, ...options };
  const client = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
  // In a team channel the roster is the team's.
  const conversationId = teamsGetTeamInfo(context.activity)?.id ?? context.activity.conversation?.id;
  if (!client || !conversationId) return null;
  const abortSignal = AbortSignal.timeout(timeoutMs);
  const members: RosterMember[] = [];
  let continuationToken: string | undefined;
  try {
    for (let page = 0; page < maxPages; page++) {
      const result: PagedMembersResult = await client.conversations.getConversationPagedMembers(conversationId, {
        pageSize,
        abortSignal,
        continuationToken: continuationToken as string, // typed as required, absent on the first page (as TeamsInfo sends it)
      });
      for (const m of result.members ?? []) {
        if (m.id === context.activity.recipient?.id || m.id?.startsWith('28:')) continue;
        const aad = (m as { aadObjectId?: string }).aadObjectId || null;
        const extra = m as { givenName?: string; email?: string; userPrincipalName?: string };
        members.push({ teamsUserId: m.id, aadObjectId: aad, name: m.name || extra.givenName || aad || '', email: extra.email || extra.userPrincipalName || null });
      }
      continuationToken = result.continuationToken;
      if (!continuationToken) return members;
    }
    return null;
  } catch {
    return null;
  }
}

/** One member's Teams account (name and e-mail), or null when Teams did not answer in time. */
export async function readMember(context: TurnContext, teamsUserId: string, timeoutMs = 1500): Promise<{ name?: string; email?: string } | null> {
  const client = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
  const conversationId = teamsGetTeamInfo(context.activity)?.id ?? context.activity.conversation?.id;
  if (!client || !conversationId) return null;
  try {
    const m = (await client.conversations.getConversationMember(conversationId, teamsUserId, { abortSignal: AbortSignal.timeout(timeoutMs) })) as { name?: string; email?: string };
    return { name: m?.name || undefined, email: m?.email || undefined };
  } catch {
    return null;
  }
}
