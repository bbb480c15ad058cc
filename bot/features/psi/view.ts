// What the PSI features share: the card of a version as a reader or an editor sees it, the refusal
// texts, and the note that someone was shown the PSI (the person's right to know who read it).
import { psiCard, PsiCardView } from '../../../cards/psi';
import { psiMapCard } from '../../../cards/psiMap';
import { visibleActors } from '../../../domain/psiReaders';
import type { MapLevel } from '../../../domain/networkMap';
import type { Locale } from '../../../locales/i18n';
import { t } from '../../../locales/i18n';
import type { PsiAccessChannel } from '../../../models/psiAccess';
import type { PsiAccess, PsiErrorCode, PsiService } from '../../../services/psi';
import type { Logger } from '../../logger';
import { caseErrorText } from '../cases';

/** Refusal text: case codes from the case feature, PSI codes from locales/psi. */
export function psiErrorText(locale: Locale, code: PsiErrorCode, params: Record<string, string> = {}): string {
  return code.startsWith('psi.') ? t(locale, `psi.error.${code.slice(4)}`, params) : caseErrorText(locale, code as never, params);
}

export interface PsiCardOptions {
  mode: PsiCardView['mode'];
  version?: number;
  error?: string;
  notice?: string;
  values?: Record<string, string>;
  /** Shown in a group chat: every member reads it, so only what consented actors may see. */
  inGroup?: boolean;
  /** An actor picked to change (the edit view's form shows its values). */
  pickActorId?: string;
}

type CardAccess = Pick<PsiAccess, 'trackingId' | 'canEdit' | 'participants'> & { level?: MapLevel };

export class PsiView {
  constructor(private readonly psi: PsiService) {}

  /** The PSI card of a version (latest by default); null when that version does not exist. */
  async cardFor(access: CardAccess, locale: Locale, opts: PsiCardOptions) {
    const { psi } = this;
    const latest = await psi.latest(access.trackingId);
    const wanted = opts.version !== undefined && Number.isFinite(opts.version) ? opts.version : latest?.version;
    const shown = wanted ? (wanted === latest?.version ? latest : await psi.version(access.trackingId, wanted)) : null;
    if (opts.version !== undefined && !shown) return null;
    const previous = shown && shown.version > 1 ? await psi.version(access.trackingId, shown.version - 1) : null;
    // Only editors ever see the draft (never on the posted card).
    const draft = access.canEdit && opts.mode !== 'posted' ? await psi.draft(access.trackingId) : null;
    const level = this.levelOf(access, opts);
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
        level,
        consentNow: level === 'shared' ? await psi.consent(access.trackingId) : null,
        pickActorId: opts.pickActorId,
      },
      locale,
    );
  }

  /** 'full' only for a reader who has it in their own view (never on a posted card or in a group). */
  private levelOf(access: CardAccess, opts: Pick<PsiCardOptions, 'mode' | 'inGroup'>): MapLevel {
    return opts.mode === 'posted' || opts.inGroup ? 'shared' : (access.level ?? 'shared');
  }

  /**
   * The network map card of a version (latest by default) at the reader's level; 'noVersion' when
   * that version does not exist, 'noPsi' before the first one.
   */
  async mapCardFor(access: CardAccess, locale: Locale, opts: { version?: number; inGroup?: boolean }) {
    const { psi } = this;
    const latest = await psi.latest(access.trackingId);
    if (!latest) return 'noPsi' as const;
    const shown = opts.version === undefined || opts.version === latest.version ? latest : await psi.version(access.trackingId, opts.version);
    if (!shown) return 'noVersion' as const;
    const level = this.levelOf(access, { mode: 'read', inGroup: opts.inGroup });
    const actors = visibleActors(shown.content, level, level === 'shared' ? await psi.consent(access.trackingId) : null);
    return psiMapCard({ trackingId: access.trackingId, version: shown.version, savedAt: shown.savedAt, actors }, locale);
  }

  /**
   * Notes that `aadObjectId` was shown a version (the latest when none is named), and that the other
   * members of the chat it was shown in received it. Never fails the turn.
   */
  async noteRead(trackingId: string, aadObjectId: string, channel: PsiAccessChannel, version: number | undefined, log: Logger, alsoShownTo: ReadonlyArray<string | null> = []): Promise<void> {
    try {
      const v = version !== undefined && Number.isFinite(version) ? version : (await this.psi.latest(trackingId))?.version;
      const others = alsoShownTo.filter((m): m is string => Boolean(m)).map((m) => ({ trackingId, kind: 'delivered' as const, channel: 'groupCard' as const, version: v ?? 0, aadObjectId: m }));
      if (v) await this.psi.recordAccess([{ trackingId, kind: 'read', channel, version: v, aadObjectId }, ...others]);
    } catch (err) {
      log.warn({ event: 'psi.accessNotRecorded', err: (err as Error)?.name }, 'psi read not recorded');
    }
  }
}
