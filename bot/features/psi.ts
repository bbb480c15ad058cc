// The PSI in Teams: "psi [CMD-…] [version]" shows it (in the case conversation the case is known),
// the card's buttons edit it a block or a row at a time into a draft (Action.Execute; the response
// card is seen by the one who clicked only), and "publish" makes the version and posts / updates
// the shared cards (domain/psi.ts psiDistribution): the full card in the case conversation only
// when every member there may read it, else a notice without content; 1:1 the full card to the
// actors the person shares it with, and "no longer shared" to those she stopped sharing with.
// Every delivery and every read is noted for the person's right to know ("psi accès CMD-…",
// organiser only, models/psiAccess.ts).
import { Attachment, CardFactory, CloudAdapter, TeamsInfo, TurnContext } from 'botbuilder';
import { MAX_ACCESS_ROWS, NEW_ITEM, NO_CHOICE, psiAccessLogCard, psiCard, PsiCardView, psiNewVersionCard, psiRevokedCard } from '../../cards/psi';
import { groupPsiView, psiDistribution, PsiAudience, PsiEdit } from '../../domain/psi';
import type { Locale } from '../../locales/i18n';
import { allTranslations, t, toSupportedLocale } from '../../locales/i18n';
import type { PsiAccessChannel, PsiAccessEntry } from '../../models/psiAccess';
import type { CaseService } from '../../services/cases';
import type { PsiAccess, PsiErrorCode, PsiService } from '../../services/psi';
import type { Command } from '../commands';
import type { ConversationReferences } from '../conversationReferences';
import type { Logger } from '../logger';
import type { ProactiveMessenger } from '../proactive';
import { cardResponse, Feature, messageResponse, TurnScope } from '../teamsBot';
import { routesOf } from '../routes';
import { caseErrorText } from './cases';

export interface PsiFeatureDeps {
  psi: PsiService;
  cases: CaseService;
  messenger?: ProactiveMessenger;
  /** To read the members of the case conversation before posting the PSI there. */
  adapter?: CloudAdapter;
  botAppId?: string;
  references?: ConversationReferences;
  logger: Logger;
}

/** A conversation's members (AAD object ids; null for a member without one), or null when unknown. */
export type Roster = Array<string | null> | null;

const ROSTER_PAGE_TIMEOUT_MS = 5000;

/**
 * Members of the conversation of `ctx`, the bot left out. Null when the roster cannot be read:
 * the caller then cannot prove that everyone there may read the PSI, and shows no content.
 */
export async function readRoster(ctx: TurnContext): Promise<Roster> {
  const members: Array<string | null> = [];
  let token: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    for (let page = 0; page < 20; page++) {
      const result = await Promise.race([
        TeamsInfo.getPagedMembers(ctx, 500, token),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), ROSTER_PAGE_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      for (const m of result.members ?? []) {
        if (m.id === ctx.activity.recipient?.id || m.id?.startsWith('28:')) continue;
        members.push(m.aadObjectId || null);
      }
      token = result.continuationToken;
      if (!token) return members;
    }
    return null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

const audienceOf = (c: { organiserAadObjectId: string }, participants: PsiAccess['participants']): PsiAudience => ({
  organiserAadObjectId: c.organiserAadObjectId,
  participants: participants.map((p) => ({ key: p.key, aadObjectId: p.aadObjectId, role: p.role })),
});

/** "accès CMD-…" / "toegang CMD-…" / "access CMD-…": the access log, in any of the languages. */
export function parseAccessArgs(arg: string): string | null {
  const norm = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  const words = allTranslations('psi.accessWord').flatMap((w) => w.split('|')).map(norm).filter(Boolean).sort((a, b) => b.length - a.length);
  const text = norm(arg ?? '');
  const word = words.find((w) => text === w || text.startsWith(`${w} `));
  if (!word) return null;
  return (arg ?? '').trim().split(/\s+/).slice(word.split(' ').length).join(' ').trim();
}

const VERBS = new Set(['psi.open', 'psi.edit', 'psi.view', 'psi.saveSections', 'psi.saveAction', 'psi.removeAction', 'psi.saveActor', 'psi.removeActor', 'psi.share', 'psi.publish', 'psi.discard']);
const str = (v: unknown, max = 2100): string => (typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** Refusal text: case codes from the case feature, PSI codes from locales/psi. */
export function psiErrorText(locale: Locale, code: PsiErrorCode, params: Record<string, string> = {}): string {
  return code.startsWith('psi.') ? t(locale, `psi.error.${code.slice(4)}`, params) : caseErrorText(locale, code as never, params);
}

/** "CMD-2026-0001 3" / "v3 CMD-2026-0001" / "" → tracking id and version. */
export function parsePsiArgs(arg: string): { trackingId: string; version: number | null } {
  let trackingId = '';
  let version: number | null = null;
  for (const w of (arg ?? '').trim().split(/\s+/).filter(Boolean)) {
    const v = /^v?(\d{1,4})$/i.exec(w);
    if (v) version = Number(v[1]);
    else if (!trackingId) trackingId = w;
  }
  return { trackingId, version };
}

const INPUT_KEYS = [
  'needs', 'objectives', 'projects', 'avoid', 'referentName', 'referentPhone', 'referentAddress', 'referentPlace', 'limits', 'noteText', 'noteDate', 'nextDate', 'periodicity',
  'rowId', 'what', 'how', 'byWhom', 'priorityWhen', 'dueDate', 'urgentContact',
  'actorId', 'participantKey', 'actorName', 'actorRoles', 'actorContact', 'actorShare', 'shareWith',
];

export class PsiFeature implements Feature {
  readonly name = 'psi';
  readonly commands: Feature['commands'] = {psi: (command, scope) => this.onCommand(command, scope) };
  readonly verbs: Feature['verbs'] = routesOf([...VERBS], (verb) => async (data, scope) => (await this.onCardAction(verb, data, scope)) ?? messageResponse(scope.tr('error.notUnderstood')));
  constructor(private readonly deps: PsiFeatureDeps) {}

  async onCommand(command: Command, scope: TurnScope): Promise<boolean> {
    if (command.name !== 'psi') return false;
    const { context, locale, tr } = scope;
    const me = context.activity.from.aadObjectId ?? '';
    const accessArg = parseAccessArgs(command.arg);
    if (accessArg !== null) return this.showAccessLog(accessArg, scope);
    const args = parsePsiArgs(command.arg);
    let trackingId = args.trackingId;
    if (!trackingId) {
      const linked = await this.deps.cases.caseForConversation(context.activity.conversation.id);
      if (!linked) {
        await context.sendActivity(tr('psi.missingId'));
        return true;
      }
      trackingId = linked.trackingId;
    }
    const access = await this.deps.psi.authoriseRead(trackingId, me);
    if (!access.ok) {
      scope.log.info({ event: 'psi.refused', code: access.code }, 'psi refused');
      await context.sendActivity(psiErrorText(locale, access.code, access.params));
      return true;
    }
    const type = context.activity.conversation.conversationType;
    // The other members of the case chat, when the card is shown there: they receive it too.
    let alsoShownTo: Array<string | null> = [];
    if (type && type !== 'personal') {
      if (access.value.conversationId !== context.activity.conversation.id) {
        // The PSI is shown only where its readers are: the case conversation or one's own chat.
        await context.sendActivity(tr('psi.wrongConversation'));
        return true;
      }
      // A reply here is read by every member: the content only when all of them may read it.
      const latest = await this.deps.psi.latest(access.value.trackingId);
      const consent = await this.deps.psi.consent(access.value.trackingId);
      const c = await this.deps.cases.get(access.value.trackingId);
      const roster = await readRoster(context);
      if (latest && consent && c && groupPsiView(consent, audienceOf(c, access.value.participants), roster) === 'notice') {
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(psiNewVersionCard({ trackingId: latest.trackingId, version: latest.version, savedAt: latest.savedAt }, locale, 'psi.sentPrivately'))] });
        return true;
      }
      alsoShownTo = (roster ?? []).filter((m) => m !== me);
    }
    const card = await this.cardFor(access.value, locale, { mode: 'read', version: args.version ?? undefined });
    if (!card) {
      await context.sendActivity(tr('psi.error.unknownVersion'));
      return true;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    await this.noteRead(access.value.trackingId, me, 'command', args.version ?? undefined, scope, alsoShownTo);
    return true;
  }

  /** "psi accès [CMD-…]": who read or received which version and when, for the case's organiser, 1:1 only. */
  private async showAccessLog(arg: string, scope: TurnScope): Promise<boolean> {
    const { context, locale, tr } = scope;
    const type = context.activity.conversation.conversationType;
    if (type && type !== 'personal') {
      // Who the person shares her PSI with is hers to know, not the chat's.
      await context.sendActivity(tr('psi.access.onlyPersonal'));
      return true;
    }
    const trackingId = parsePsiArgs(arg).trackingId;
    if (!trackingId) {
      await context.sendActivity(tr('psi.missingId'));
      return true;
    }
    const log = await this.deps.psi.accessLog(trackingId, context.activity.from.aadObjectId);
    if (!log.ok) {
      scope.log.info({ event: 'psi.accessLog.refused', code: log.code }, 'psi access log refused');
      await context.sendActivity(psiErrorText(locale, log.code, log.params));
      return true;
    }
    const { entries, names } = log.value;
    const rows = entries.map((e: PsiAccessEntry) => ({ at: e.at, who: e.aadObjectId ? names.get(e.aadObjectId) ?? tr('psi.access.unknownPerson') : null, channel: e.channel, version: e.version }));
    scope.log.info({ event: 'psi.accessLog', trackingId: log.value.trackingId, entries: entries.length, shown: Math.min(entries.length, MAX_ACCESS_ROWS) }, 'psi access log shown');
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(psiAccessLogCard({ trackingId: log.value.trackingId, rows }, locale))] });
    return true;
  }

  /**
   * Notes that `aadObjectId` was shown a version (the latest when none is named), and that the other
   * members of the chat it was shown in received it. Never fails the turn.
   */
  private async noteRead(trackingId: string, aadObjectId: string, channel: PsiAccessChannel, version: number | undefined, scope: TurnScope, alsoShownTo: Array<string | null> = []): Promise<void> {
    try {
      const v = version !== undefined && Number.isFinite(version) ? version : (await this.deps.psi.latest(trackingId))?.version;
      const others = alsoShownTo.filter((m): m is string => Boolean(m)).map((m) => ({ trackingId, kind: 'delivered' as const, channel: 'groupCard' as const, version: v ?? 0, aadObjectId: m }));
      if (v) await this.deps.psi.recordAccess([{ trackingId, kind: 'read', channel, version: v, aadObjectId }, ...others]);
    } catch (err) {
      scope.log.warn({ event: 'psi.accessNotRecorded', err: (err as Error)?.name }, 'psi read not recorded');
    }
  }

  async onCardAction(verb: string, data: Record<string, unknown>, scope: TurnScope) {
    if (!VERBS.has(verb)) return null;
    const { context, locale } = scope;
    const me = context.activity.from.aadObjectId ?? '';
    const trackingId = str(data.trackingId, 40);
    const access = await this.deps.psi.authoriseRead(trackingId, me);
    if (!access.ok) {
      scope.log.info({ event: 'psi.refused', verb, code: access.code }, 'psi action refused');
      return messageResponse(psiErrorText(locale, access.code, access.params));
    }
    const a = access.value;
    if (verb === 'psi.open' || verb === 'psi.view' || verb === 'psi.edit') {
      if (verb === 'psi.edit' && !a.canEdit) return messageResponse(psiErrorText(locale, 'notAllowed'));
      const version = verb === 'psi.view' ? Number(data.version) : undefined;
      const mode = verb === 'psi.edit' ? 'edit' : 'read';
      const card = await this.cardFor(a, locale, { mode, version });
      if (!card) return messageResponse(t(locale, 'psi.error.unknownVersion'));
      await this.noteRead(a.trackingId, me, verb === 'psi.open' ? 'open' : verb === 'psi.view' ? 'view' : 'edit', version, scope);
      return cardResponse(card);
    }
    if (!a.canEdit) {
      scope.log.info({ event: 'psi.refused', verb, code: 'notAllowed' }, 'psi edit refused');
      return messageResponse(psiErrorText(locale, 'notAllowed'));
    }

    const values: Record<string, string> = {};
    for (const k of INPUT_KEYS) if (k in data) values[k] = str(data[k]);
    // The card's placeholders for "new row / new actor / none" mean an empty choice.
    const choice = (k: string) => (values[k] === NEW_ITEM || values[k] === NO_CHOICE ? '' : values[k] ?? '');
    const { psi } = this.deps;
    if (verb === 'psi.publish' || verb === 'psi.discard') {
      const result = verb === 'psi.publish' ? await psi.publish(a.trackingId, me) : await psi.discard(a.trackingId, me);
      if (!result.ok) {
        scope.log.info({ event: `${verb}.refused`, code: result.code }, 'psi publish refused');
        const card = await this.cardFor(a, locale, { mode: 'edit', error: psiErrorText(locale, result.code, result.params) });
        return card ? cardResponse(card) : messageResponse(psiErrorText(locale, result.code));
      }
      if (result.value) {
        scope.log.info({ event: 'psi.published', trackingId: a.trackingId, version: result.value.version }, 'psi published');
        return cardResponse((await this.cardFor(a, locale, { mode: 'read', notice: t(locale, 'psi.saved', { version: result.value.version }) }))!);
      }
      scope.log.info({ event: 'psi.discarded', trackingId: a.trackingId }, 'psi draft discarded');
      return cardResponse((await this.cardFor(a, locale, { mode: 'edit', notice: t(locale, 'psi.draftDiscarded') }))!);
    }
    let edit: PsiEdit;
    switch (verb) {
      case 'psi.saveSections':
        edit = { kind: 'sections', input: { ...values, periodicity: choice('periodicity') } };
        break;
      case 'psi.saveAction':
        edit = { kind: 'saveAction', newId: psi.newId(), input: { id: choice('rowId'), what: values.what, how: values.how, byWhom: values.byWhom, priorityWhen: values.priorityWhen, dueDate: values.dueDate, urgentContact: values.urgentContact } };
        break;
      case 'psi.removeAction':
        edit = { kind: 'removeAction', id: str(data.rowId, 40) };
        break;
      case 'psi.saveActor': {
        // An actor linked to a case participant takes the participant's name when none is typed.
        const p = a.participants.find((x) => x.key === choice('participantKey'));
        edit = { kind: 'saveActor', newId: psi.newId(), input: { id: choice('actorId'), name: values.actorName || p?.displayName || '', roles: values.actorRoles, contact: values.actorContact || p?.contact || '', share: values.actorShare, participantKey: choice('participantKey') } };
        break;
      }
      case 'psi.removeActor':
        edit = { kind: 'removeActor', id: str(data.actorId, 40) };
        break;
      default:
        edit = { kind: 'share', actorIds: (values.shareWith ?? '').split(',') };
    }
    const num = (v: unknown) => (v === undefined || v === '' ? undefined : Number(v));
    const result = await psi.save(a.trackingId, edit, me, { baseVersion: num(data.baseVersion), baseRev: num(data.baseRev) });
    if (!result.ok) {
      scope.log.info({ event: 'psi.save.refused', verb, code: result.code }, 'psi save refused');
      if (result.code === 'notAllowed' || result.code === 'unknownCase') return messageResponse(psiErrorText(locale, result.code));
      const card = await this.cardFor(a, locale, { mode: 'edit', error: psiErrorText(locale, result.code, result.params), values });
      return card ? cardResponse(card) : messageResponse(psiErrorText(locale, result.code));
    }
    scope.log.info({ event: 'psi.draftSaved', trackingId: a.trackingId, rev: result.value.rev }, 'psi draft saved');
    const card = await this.cardFor(a, locale, { mode: 'edit', notice: t(locale, 'psi.draftSaved') });
    return cardResponse(card!);
  }

  /** The PSI card of a version (latest by default); null when that version does not exist. */
  async cardFor(access: Pick<PsiAccess, 'trackingId' | 'canEdit' | 'participants'>, locale: Locale, opts: { mode: PsiCardView['mode']; version?: number; error?: string; notice?: string; values?: Record<string, string> }) {
    const { psi } = this.deps;
    const latest = await psi.latest(access.trackingId);
    const wanted = opts.version !== undefined && Number.isFinite(opts.version) ? opts.version : latest?.version;
    const shown = wanted ? (wanted === latest?.version ? latest : await psi.version(access.trackingId, wanted)) : null;
    if (opts.version !== undefined && !shown) return null;
    const previous = shown && shown.version > 1 ? await psi.version(access.trackingId, shown.version - 1) : null;
    // Only editors ever see the draft (never on the posted card).
    const draft = access.canEdit && opts.mode !== 'posted' ? await psi.draft(access.trackingId) : null;
    return psiCard(
      {
        trackingId: access.trackingId,
        shown: shown ? { version: shown.version, content: shown.content, authorName: shown.authorName, savedAt: shown.savedAt } : null,
        previous: previous?.content ?? null,
        latestVersion: latest?.version ?? 0,
        draft: draft ? { rev: draft.rev, content: draft.content, updatedAt: draft.updatedAt, authorName: draft.updatedByName } : null,
        mode: opts.mode,
        canEdit: access.canEdit,
        versions: await psi.versions(access.trackingId),
        participants: access.participants.map((p) => ({ key: p.key, displayName: p.displayName, role: p.role, profile: p.profile })),
        error: opts.error,
        notice: opts.notice,
        values: opts.values,
      },
      locale,
    );
  }

  /**
   * After a publish (the content or the consent changed): the case conversation gets the full card
   * when every member there may read it, else a notice that a new version exists (an earlier full
   * card there is replaced in place); each consented actor in Teams gets the full card 1:1; an
   * actor the person stopped sharing with sees their 1:1 card become "no longer shared". Each
   * delivery is noted in the access log.
   */
  async distribute(trackingId: string): Promise<void> {
    const { psi, cases, messenger, logger } = this.deps;
    if (!messenger) return;
    try {
      const c = await cases.get(trackingId);
      const latest = await psi.latest(trackingId);
      if (!c || !latest) return;
      const locale = toSupportedLocale(c.locale) ?? 'fr';
      const participants = await cases.participants(c.trackingId);
      const messages = await psi.messages(c.trackingId);
      const existing = new Map(messages.map((m) => [m.recipientKey, m]));
      const delivered = messages.filter((m) => !m.recipientKey.startsWith('conv:') && !m.revoked).map((m) => m.recipientKey);
      const roster = c.conversationId ? await this.rosterOf(c.conversationId) : null;
      const consent = (await psi.consent(c.trackingId)) ?? latest.content;
      const plan = psiDistribution(consent, audienceOf(c, participants), { hasConversation: Boolean(c.conversationId), roster }, delivered);
      const full = { attachments: [CardFactory.adaptiveCard((await this.cardFor({ trackingId: c.trackingId, canEdit: false, participants }, locale, { mode: 'posted' }))!)] };
      const notice = { attachments: [CardFactory.adaptiveCard(psiNewVersionCard({ trackingId: c.trackingId, version: latest.version, savedAt: latest.savedAt }, locale))] };
      const revokedCard = { attachments: [CardFactory.adaptiveCard(psiRevokedCard(c.trackingId, locale))] };
      const log: Array<Omit<PsiAccessEntry, 'at'>> = [];
      const note = (channel: PsiAccessChannel, aadObjectId: string | null) => log.push({ trackingId: c.trackingId, kind: 'delivered', channel, version: latest.version, aadObjectId });

      /** Updates the recipient's card in place, or posts it; true when the card is there. */
      const deliver = async (recipientKey: string, act: { attachments: Attachment[] }, send: (() => Promise<{ ok: boolean; activityId?: string; conversationId?: string }>) | null, revoked = false, view: 'full' | 'notice' | null = null): Promise<boolean> => {
        const old = existing.get(recipientKey);
        if (old) {
          const updated = await messenger.update(old.conversationId, old.activityId, act);
          if (updated.ok) {
            await psi.recordMessage({ trackingId: c.trackingId, recipientKey, conversationId: old.conversationId, activityId: old.activityId, version: revoked ? 0 : latest.version, revoked, view });
            return true;
          }
          logger.warn({ trackingId: c.trackingId, outcome: updated.outcome, recipient: recipientKey.startsWith('conv:') ? 'conversation' : 'actor' }, 'psi card update failed');
        }
        if (!send) return false;
        const sent = await send();
        if (sent.ok && sent.activityId && sent.conversationId) {
          await psi.recordMessage({ trackingId: c.trackingId, recipientKey, conversationId: sent.conversationId, activityId: sent.activityId, version: latest.version, revoked: false, view });
          return true;
        }
        logger.warn({ trackingId: c.trackingId, recipient: recipientKey.startsWith('conv:') ? 'conversation' : 'actor' }, 'psi card not delivered');
        return false;
      };

      // A card already showing this version the same way is left alone (a consent change elsewhere
      // re-runs this): no update, no new entry in the access log.
      const unchanged = (key: string, view: 'full' | 'notice' | null) => {
        const m = existing.get(key);
        return Boolean(m && !m.revoked && m.version === latest.version && (view === null || (m.view ?? 'full') === view));
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
      const consent = await psi.consent(c.trackingId);
      if (!latest || !consent) return;
      const participants = await cases.participants(c.trackingId);
      if (groupPsiView(consent, audienceOf(c, participants), await this.rosterOf(conversationId)) === 'full') return;
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
  private async rosterOf(conversationId: string): Promise<Roster> {
    const { adapter, references, botAppId } = this.deps;
    if (!adapter || !references) return null;
    const reference = await references.get(conversationId);
    if (!reference) return null;
    let roster: Roster = null;
    try {
      await adapter.continueConversationAsync(botAppId ?? '', reference, async (ctx) => {
        roster = await readRoster(ctx);
      });
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error)?.name }, 'psi: case conversation roster unavailable');
    }
    return roster;
  }
}
