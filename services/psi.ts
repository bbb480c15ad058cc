// The PSI of a case: versions (insert-only, one document per save), who may read and edit it, and
// where its card was posted. Permissions: domain/caseRules.ts ('editPsi': organiser or référent)
// and domain/psi.ts (readers). Every save is audited (ids only). No botbuilder here.
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { applyPsiEdit, canReadPsi, emptyPsi, PsiContent, PsiEdit, PsiError } from '../domain/psi';
import type { AuditEntry } from '../models/audit';
import type { CaseParticipant } from '../models/caseParticipant';
import { isDuplicateKeyError } from '../models/db';
import type { PsiMessage } from '../models/psiMessage';
import type { PsiVersion } from '../models/psiVersion';
import type { CaseErrorCode, CaseService } from './cases';
import type { Clock } from './clock';

export type PsiErrorCode = CaseErrorCode | `psi.${PsiError}` | 'psi.notShared' | 'psi.unknownVersion' | 'psi.staleVersion';
export type PsiResult<T> = { ok: true; value: T } | { ok: false; code: PsiErrorCode; params?: Record<string, string> };

export interface PsiVersionView {
  trackingId: string;
  version: number;
  content: PsiContent;
  change: string;
  authorAadObjectId: string;
  authorName: string;
  savedAt: Date;
}

export interface PsiAccess {
  trackingId: string;
  conversationId: string | null;
  locale: string;
  canEdit: boolean;
  canRead: boolean;
  participants: CaseParticipant[];
}

/**
 * INTEGRATION POINT (reminders): called after every successful save with the new version, e.g.
 * `psi.onPsiSaved = (caseId, v) => reminders.schedulePsiFollowUp(caseId, psiFollowUp(v.content, v.savedAt))`
 * (domain/psi.ts psiFollowUp gives the next-concertation date from the date or periodicity, and the
 * actions' due dates). Its failure is logged by the caller, it never undoes the save.
 */
export type PsiSavedListener = (caseId: string, psiVersion: PsiVersionView) => Promise<void>;

const toView = (v: PsiVersion): PsiVersionView => ({
  trackingId: v.trackingId,
  version: v.version,
  content: { ...emptyPsi(), ...(JSON.parse(v.contentJson) as PsiContent) },
  change: v.change,
  authorAadObjectId: v.authorAadObjectId,
  authorName: v.authorName,
  savedAt: v.savedAt,
});

export class PsiService {
  /** Reminders hook, see PsiSavedListener. Set by bot/app.ts. */
  onPsiSaved: PsiSavedListener | null = null;
  /** Set by bot/features/psi.ts: posts / updates the PSI cards after a save. */
  onPsiChanged: ((trackingId: string) => Promise<void>) | null = null;

  constructor(
    private readonly models: { psiVersions: Model<PsiVersion>; psiMessages: Model<PsiMessage>; audit: Model<AuditEntry> },
    private readonly cases: CaseService,
    private readonly clock: Clock,
  ) {}

  async latest(trackingId: string): Promise<PsiVersionView | null> {
    const v = await this.models.psiVersions.findOne({ trackingId }).sort({ version: -1 }).lean();
    return v ? toView(v) : null;
  }

  async version(trackingId: string, version: number): Promise<PsiVersionView | null> {
    const v = await this.models.psiVersions.findOne({ trackingId, version }).lean();
    return v ? toView(v) : null;
  }

  /** Every version, newest first, without the content. */
  async versions(trackingId: string): Promise<Array<{ version: number; savedAt: Date; authorName: string; change: string }>> {
    const rows = await this.models.psiVersions.find({ trackingId }, { contentJson: 0 }).sort({ version: -1 }).lean();
    return rows.map((r) => ({ version: r.version, savedAt: r.savedAt, authorName: r.authorName, change: r.change }));
  }

  /** What this user may do with the case's PSI; refusal codes for unknown cases and strangers. */
  async access(trackingId: string, aadObjectId: string | undefined): Promise<PsiResult<PsiAccess>> {
    const auth = await this.cases.authorise(trackingId, aadObjectId, 'view');
    if (!auth.ok) return auth;
    const { case: c, actor } = auth.value;
    const editAuth = await this.cases.authorise(c.trackingId, aadObjectId, 'editPsi');
    const participants = await this.cases.participants(c.trackingId);
    const myKeys = participants.filter((p) => p.aadObjectId && p.aadObjectId === aadObjectId).map((p) => p.key);
    const latest = await this.latest(c.trackingId);
    const canRead = canReadPsi({ isOrganiser: actor.isOrganiser, roles: actor.roles, participantKeys: myKeys }, latest?.content ?? emptyPsi());
    return { ok: true, value: { trackingId: c.trackingId, conversationId: c.conversationId, locale: c.locale, canEdit: editAuth.ok, canRead: canRead || editAuth.ok, participants } };
  }

  /** Access for reading, refused with 'psi.notShared' to members the person did not share it with. */
  async authoriseRead(trackingId: string, aadObjectId: string | undefined): Promise<PsiResult<PsiAccess>> {
    const a = await this.access(trackingId, aadObjectId);
    if (!a.ok) return a;
    if (!a.value.canRead) return { ok: false, code: 'psi.notShared' };
    return a;
  }

  /**
   * Applies one edit to the latest version and inserts the next version. A concurrent save takes
   * the same number: the edit is re-applied on the newer content. The section block replaces
   * several texts at once, so it is refused ('psi.staleVersion') when someone saved since the
   * version the editor was looking at (`baseVersion`).
   */
  async save(trackingId: string, edit: PsiEdit, by: string, opts: { baseVersion?: number } = {}): Promise<PsiResult<PsiVersionView>> {
    const auth = await this.cases.authorise(trackingId, by, 'editPsi');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const participants = await this.cases.participants(id);
    const participantKeys = new Set(participants.map((p) => p.key));
    const authorName = participants.find((p) => p.aadObjectId === by)?.displayName ?? '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.latest(id);
      const current = latest?.version ?? 0;
      if (edit.kind === 'sections' && opts.baseVersion !== undefined && opts.baseVersion !== current) return { ok: false, code: 'psi.staleVersion' };
      const applied = applyPsiEdit(latest?.content ?? emptyPsi(), edit, { now: this.clock.now(), participantKeys });
      if (!applied.ok) return { ok: false, code: `psi.${applied.code}` };
      const doc: PsiVersion = {
        trackingId: id,
        version: current + 1,
        contentJson: JSON.stringify(applied.content),
        change: edit.kind,
        authorAadObjectId: by,
        authorName,
        savedAt: this.clock.now(),
      };
      try {
        await this.models.psiVersions.create(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        continue;
      }
      await this.models.audit.create({ at: doc.savedAt, actor: by, action: 'psi.saved', subject: id, details: { version: doc.version, change: edit.kind } });
      const view = toView(doc);
      // The hooks never undo a save: a failure is written to the audit trail (no personal data).
      for (const [name, hook] of [['onPsiSaved', () => this.onPsiSaved?.(id, view)], ['onPsiChanged', () => this.onPsiChanged?.(id)]] as const) {
        try {
          await hook();
        } catch (err) {
          await this.models.audit.create({ at: this.clock.now(), actor: 'system', action: 'psi.hookFailed', subject: id, details: { hook: name, error: (err as Error)?.name ?? 'Error' } });
        }
      }
      return { ok: true, value: view };
    }
    return { ok: false, code: 'conflict' };
  }

  /** New ids for rows and actors (kept stable across versions so the diff matches rows by id). */
  newId(): string {
    return randomUUID().slice(0, 8);
  }

  messages(trackingId: string) {
    return this.models.psiMessages.find({ trackingId }).lean();
  }

  async recordMessage(m: Omit<PsiMessage, 'updatedAt'>): Promise<void> {
    const { trackingId, recipientKey, ...rest } = m;
    await this.models.psiMessages.updateOne({ trackingId, recipientKey }, { $set: { ...rest, updatedAt: this.clock.now() } }, { upsert: true });
  }
}
