// Where the PSI cards go after a publish or a consent change (domain/psiReaders.ts decides who
// gets what): the full card in the case conversation only when every member there may read it,
// else a notice without content; 1:1 the full card to the actors the person shares it with, and
// "no longer shared" to those she stopped sharing with. Every delivery is noted in the access log
// (models/psiAccess.ts).
import { Attachment, CardFactory, CloudAdapter, TurnContext } from 'botbuilder';
import { psiNewVersionCard, psiRevokedCard } from '../../../cards/psi';
import type { ConversationMembers } from '../../../domain/psiReaders';
import { toSupportedLocale } from '../../../locales/i18n';
import type { PsiAccessChannel, PsiAccessEntry } from '../../../models/psiAccess';
import type { CaseService } from '../../../services/cases';
import type { PsiService } from '../../../services/psi';
import type { ConversationReferences } from '../../conversationReferences';
import type { Logger } from '../../logger';
import type { ProactiveMessenger } from '../../proactive';
import { readRoster } from '../../roster';
import type { PsiView } from './view';

/**
 * The members of the turn's conversation (AAD object ids, null for a member without one), the bot
 * left out; null when the roster cannot be read: then no one can prove that everyone there may
 * read the PSI, and no content is shown.
 */
export async function conversationMembers(context: TurnContext): Promise<Array<string | null> | null> {
  return (await readRoster(context))?.map((m) => m.aadObjectId) ?? null;
}

export interface PsiDistributionDeps {
  psi: PsiService;
  cases: CaseService;
  view: PsiView;
  messenger?: ProactiveMessenger;
  /** To read the members of the case conversation before posting the PSI there. */
  adapter?: CloudAdapter;
  botAppId?: string;
  references?: ConversationReferences;
  logger: Logger;
}

type Sent = { ok: boolean; activityId?: string; conversationId?: string };

export class PsiDistribution {
  constructor(private readonly deps: PsiDistributionDeps) {}

  /**
   * After a publish (the content or the consent changed): the case conversation gets the full card
   * when every member there may read it, else a notice that a new version exists (an earlier full
   * card there is replaced in place); each consented actor in Teams gets the full card 1:1; an
   * actor the person stopped sharing with sees their 1:1 card become "no longer shared". Each
   * delivery is noted in the access log.
   */
  async distribute(trackingId: string): Promise<void> {
    const { psi, cases, view, messenger, logger } = this.deps;
    if (!messenger) return;
    try {
      const c = await cases.get(trackingId);
      const latest = await psi.latest(trackingId);
      if (!c || !latest) return;
      const locale = toSupportedLocale(c.locale) ?? 'fr';
      const roster = c.conversationId ? await this.rosterOf(c.conversationId) : null;
      const { plan, participants, messages } = await psi.distributionPlan(c, latest, roster);
      const existing = new Map(messages.map((m) => [m.recipientKey, m]));
      const full = { attachments: [CardFactory.adaptiveCard((await view.cardFor({ trackingId: c.trackingId, canEdit: false, participants }, locale, { mode: 'posted' }))!)] };
      const notice = { attachments: [CardFactory.adaptiveCard(psiNewVersionCard({ trackingId: c.trackingId, version: latest.version, savedAt: latest.savedAt }, locale))] };
      const revokedCard = { attachments: [CardFactory.adaptiveCard(psiRevokedCard(c.trackingId, locale))] };
      const log: Array<Omit<PsiAccessEntry, 'at'>> = [];
      const note = (channel: PsiAccessChannel, aadObjectId: string | null) => log.push({ trackingId: c.trackingId, kind: 'delivered', channel, version: latest.version, aadObjectId });

      /** Updates the recipient's card in place, or posts it; true when the card is there. */
      const deliver = async (recipientKey: string, act: { attachments: Attachment[] }, send: (() => Promise<Sent>) | null, revoked = false, shownAs: 'full' | 'notice' | null = null): Promise<boolean> => {
        const old = existing.get(recipientKey);
        if (old) {
          const updated = await messenger.update(old.conversationId, old.activityId, act);
          if (updated.ok) {
            await psi.recordMessage({ trackingId: c.trackingId, recipientKey, conversationId: old.conversationId, activityId: old.activityId, version: revoked ? 0 : latest.version, revoked, view: shownAs });
            return true;
          }
          logger.warn({ trackingId: c.trackingId, outcome: updated.outcome, recipient: recipientKey.startsWith('conv:') ? 'conversation' : 'actor' }, 'psi card update failed');
        }
        if (!send) return false;
        const sent = await send();
        if (sent.ok && sent.activityId && sent.conversationId) {
          await psi.recordMessage({ trackingId: c.trackingId, recipientKey, conversationId: sent.conversationId, activityId: sent.activityId, version: latest.version, revoked: false, view: shownAs });
          return true;
        }
        logger.warn({ trackingId: c.trackingId, recipient: recipientKey.startsWith('conv:') ? 'conversation' : 'actor' }, 'psi card not delivered');
        return false;
      };

      // A card already showing this version the same way is left alone (a consent change elsewhere
      // re-runs this): no update, no new entry in the access log.
      const unchanged = (key: string, shownAs: 'full' | 'notice' | null) => {
        const m = existing.get(key);
        return Boolean(m && !m.revoked && m.version === latest.version && (shownAs === null || (m.view ?? 'full') === shownAs));
      };
      if (c.conversationId && plan.group !== 'none' && !unchanged(`conv:${c.conversationId}`, plan.group)) {
        const conv = c.conversationId;
        const act = plan.group === 'full' ? full : notice;
        if (await deliver(`conv:${conv}`, act, () => messenger.send(conv, act), false, plan.group)) {
          if (plan.group === 'full') for (const aad of roster ?? []) note('groupCard', aad);
          else note('groupNotice', null);
        }
      }
      // Actors outside Teams (or no longer in the case) get nothing from the bot: the person or
      // the référent passes the PSI on, as today.
      for (const key of plan.direct) {
        const p = participants.find((x) => x.key === key && x.aadObjectId);
        if (!p || unchanged(key, null)) continue;
        if (await deliver(key, full, () => messenger.sendToUser({ aadObjectId: p.aadObjectId!, teamsUserId: p.teamsUserId }, full, c.conversationId ?? undefined))) note('directCard', p.aadObjectId);
      }
      for (const key of plan.revoke) {
        const aad = participants.find((x) => x.key === key)?.aadObjectId ?? (key.startsWith('aad:') ? key.slice(4) : null);
        if (await deliver(key, revokedCard, null, true)) note('revokedCard', aad);
      }
      await psi.recordAccess(log);
    } catch (err) {
      logger.error({ trackingId, err: (err as Error)?.name }, 'psi distribution failed');
    }
  }

  /**
   * Someone joined a conversation (Teams conversationUpdate). When it is a case conversation that
   * shows the full PSI card and not every member may read it any more, the card gives way to the
   * notice, in place. The 1:1 cards do not change: consent did not.
   */
  async onMembersAdded(conversationId: string): Promise<void> {
    const { psi, cases, messenger, logger } = this.deps;
    if (!messenger) return;
    try {
      const c = await cases.caseForConversation(conversationId);
      if (!c || c.conversationId !== conversationId) return;
      const shown = (await psi.messages(c.trackingId)).find((m) => m.recipientKey === `conv:${conversationId}`);
      if (!shown || shown.view === 'notice') return;
      const latest = await psi.latest(c.trackingId);
      if (!latest) return;
      if ((await psi.groupView(c.trackingId, await this.rosterOf(conversationId))) !== 'notice') return;
      const locale = toSupportedLocale(c.locale) ?? 'fr';
      const notice = { attachments: [CardFactory.adaptiveCard(psiNewVersionCard({ trackingId: c.trackingId, version: latest.version, savedAt: latest.savedAt }, locale))] };
      const updated = await messenger.update(shown.conversationId, shown.activityId, notice);
      if (!updated.ok) {
        logger.error({ trackingId: c.trackingId, outcome: updated.outcome }, 'psi card in the case conversation not replaced by the notice');
        return;
      }
      await psi.recordMessage({ trackingId: c.trackingId, recipientKey: shown.recipientKey, conversationId: shown.conversationId, activityId: shown.activityId, version: latest.version, revoked: false, view: 'notice' });
      await psi.recordAccess([{ trackingId: c.trackingId, kind: 'delivered', channel: 'groupNotice', version: latest.version, aadObjectId: null }]);
      logger.info({ event: 'psi.groupCardWithdrawn', trackingId: c.trackingId }, 'psi card in the case conversation replaced by the notice');
    } catch (err) {
      logger.error({ err: (err as Error)?.name }, 'psi check after members added failed');
    }
  }

  /** Members of the case conversation, read through its stored reference; null when unknown. */
  private async rosterOf(conversationId: string): Promise<ConversationMembers> {
    const { adapter, references, botAppId } = this.deps;
    if (!adapter || !references) return null;
    const reference = await references.get(conversationId);
    if (!reference) return null;
    let roster: ConversationMembers = null;
    try {
      await adapter.continueConversationAsync(botAppId ?? '', reference, async (ctx) => {
        roster = await conversationMembers(ctx);
      });
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error)?.name }, 'psi: case conversation roster unavailable');
    }
    return roster;
  }
}
