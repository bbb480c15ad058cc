// The PSI in Teams: "psi [CMD-…] [version]" shows it (in the case conversation the case is known),
// the card's buttons edit it a block or a row at a time into a draft (Action.Execute; the response
// card is seen by the one who clicked only), and "publish" makes the version and posts / updates
// the shared cards: the case conversation, and 1:1 ONLY the actors the person shares it with
// (domain/psi.ts shareTargets).
import { CardFactory } from 'botbuilder';
import { NEW_ITEM, NO_CHOICE, psiCard, PsiCardView, psiRevokedCard } from '../../cards/psi';
import { shareTargets, PsiEdit } from '../../domain/psi';
import type { Locale } from '../../locales/i18n';
import { t, toSupportedLocale } from '../../locales/i18n';
import type { CaseService } from '../../services/cases';
import type { PsiAccess, PsiErrorCode, PsiService } from '../../services/psi';
import type { Command } from '../commands';
import type { Logger } from '../logger';
import type { ProactiveMessenger } from '../proactive';
import { cardResponse, Feature, FeatureRoutes, messageResponse, TurnScope } from '../teamsBot';
import { caseErrorText } from './cases';

export interface PsiFeatureDeps {
  psi: PsiService;
  cases: CaseService;
  messenger?: ProactiveMessenger;
  logger: Logger;
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
  readonly routes = { commands: ['psi'], verbs: [...VERBS] } satisfies FeatureRoutes;
  constructor(private readonly deps: PsiFeatureDeps) {
    if (deps.messenger) deps.psi.onPsiChanged = (trackingId) => this.distribute(trackingId);
  }

  async onCommand(command: Command, scope: TurnScope): Promise<boolean> {
    if (command.name !== 'psi') return false;
    const { context, locale, tr } = scope;
    const me = context.activity.from.aadObjectId ?? '';
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
    if (type && type !== 'personal' && access.value.conversationId !== context.activity.conversation.id) {
      // The PSI is shown only where its readers are: the case conversation or one's own chat.
      await context.sendActivity(tr('psi.wrongConversation'));
      return true;
    }
    const card = await this.cardFor(access.value, locale, { mode: 'read', version: args.version ?? undefined });
    if (!card) {
      await context.sendActivity(tr('psi.error.unknownVersion'));
      return true;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    return true;
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
      return card ? cardResponse(card) : messageResponse(t(locale, 'psi.error.unknownVersion'));
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
   * Posts or updates the PSI card in the case conversation and in the 1:1 chat of each actor the
   * person shares it with; replaces it with a short notice for actors she no longer shares with.
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
      const card = (await this.cardFor({ trackingId: c.trackingId, canEdit: false, participants }, locale, { mode: 'posted' }))!;
      const activity = { attachments: [CardFactory.adaptiveCard(card)] };
      const existing = new Map((await psi.messages(c.trackingId)).map((m) => [m.recipientKey, m]));

      const deliver = async (recipientKey: string, send: () => Promise<{ ok: boolean; activityId?: string; conversationId?: string }>, act = activity, revoked = false) => {
        const old = existing.get(recipientKey);
        if (old) {
          const updated = await messenger.update(old.conversationId, old.activityId, act);
          if (updated.ok) {
            await psi.recordMessage({ trackingId: c.trackingId, recipientKey, conversationId: old.conversationId, activityId: old.activityId, version: revoked ? 0 : latest.version, revoked });
            return;
          }
          logger.warn({ trackingId: c.trackingId, outcome: updated.outcome }, 'psi card update failed, posting it again');
          if (revoked) return;
        }
        const sent = await send();
        if (sent.ok && sent.activityId && sent.conversationId) await psi.recordMessage({ trackingId: c.trackingId, recipientKey, conversationId: sent.conversationId, activityId: sent.activityId, version: latest.version, revoked: false });
        else logger.warn({ trackingId: c.trackingId, recipient: recipientKey.startsWith('conv:') ? 'conversation' : 'actor' }, 'psi card not delivered');
      };

      if (c.conversationId) {
        const conv = c.conversationId;
        await deliver(`conv:${conv}`, () => messenger.send(conv, activity));
      }
      // Actors outside Teams (or no longer in the case) get nothing from the bot: the person or
      // the référent passes the PSI on, as today.
      const reachable = participants.filter((x) => x.aadObjectId && shareTargets(latest.content).includes(x.key));
      const targets = new Set(reachable.map((p) => p.key));
      for (const p of reachable) {
        const key = p.key;
        await deliver(key, () => messenger.sendToUser({ aadObjectId: p.aadObjectId!, teamsUserId: p.teamsUserId }, activity, c.conversationId ?? undefined));
      }
      for (const [key, m] of existing) {
        if (key.startsWith('conv:') || targets.has(key) || m.revoked) continue;
        await deliver(key, async () => ({ ok: false }), { attachments: [CardFactory.adaptiveCard(psiRevokedCard(c.trackingId, locale))] }, true);
      }
    } catch (err) {
      logger.error({ trackingId, err: (err as Error)?.name }, 'psi distribution failed');
    }
  }
}
