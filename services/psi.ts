// The PSI of a case: a draft that collects the edits of a sitting, versions (insert-only, one
// document per "publish"), who may read and edit it, and where its card was posted. Only a
// published version is distributed and drives the reminders. Permissions: domain/permissions.ts
// ('editPsi': organiser or référent) and domain/psiReaders.ts (readers, what a chat may show).
// Every save is audited (ids only).
// No botbuilder here.
import type { Result } from '../domain/result';
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { applyPsiEdit, emptyPsi, PsiContent, PsiEdit, PsiError, readPsiContent } from '../domain/psi';
import { canReadPsi, ConversationMembers, effectiveConsent, groupPsiView, psiAudience, psiDistribution, PsiDistribution } from '../domain/psiReaders';
import { MapLevel, mapLevel } from '../domain/networkMap';
import type { AuditEntry } from '../models/audit';
import type { CaseParticipant } from '../models/caseParticipant';
import { isDuplicateKey } from '../models/db';
import type { PsiAccessEntry } from '../models/psiAccess';
import type { PsiMessage } from '../models/psiMessage';
import { PsiDraft, PsiVersion } from '../models/psiVersion';
import type { CaseErrorCode, CaseService } from './cases';
import type { Clock } from './clock';
import { EventBus } from './events';

export type PsiErrorCode = CaseErrorCode | `psi.${PsiError}` | 'psi.notShared' | 'psi.unknownVersion' | 'psi.staleVersion' | 'psi.noDraft';
export type PsiResult<T> = Result<T, PsiErrorCode>;

export interface PsiVersionView {
  trackingId: string;
  version: number;
  content: PsiContent;
  change: string;
  authorAadObjectId: string;
  authorName: string;
  savedAt: Date;
}

export interface PsiDraftView {
  trackingId: string;
  rev: number;
  baseVersion: number;
  content: PsiContent;
  changes: string[];
  updatedAt: Date;
  updatedByName: string;
}

export interface PsiAccess {
  trackingId: string;
  conversationId: string | null;
  locale: string;
  canEdit: boolean;
  canRead: boolean;
  /** Which actors this reader sees in their own view (domain/networkMap.ts mapLevel). */
  level: MapLevel;
  participants: CaseParticipant[];
}

const toView = (v: PsiVersion): PsiVersionView => ({
  trackingId: v.trackingId,
  version: v.version,
  content: readPsiContent(v.contentJson),
  change: v.change,
  authorAadObjectId: v.authorAadObjectId,
  authorName: v.authorName,
  savedAt: v.savedAt,
});

const draftView = (d: PsiDraft): PsiDraftView => ({
  trackingId: d._id,
  rev: d.rev,
  baseVersion: d.baseVersion,
  content: readPsiContent(d.contentJson),
  changes: d.changes,
  updatedAt: d.updatedAt,
  updatedByName: d.updatedByName,
});

export class PsiService {
  private readonly drafts: Model<PsiDraft>;

  constructor(
    private readonly models: { psiVersions: Model<PsiVersion>; psiMessages: Model<PsiMessage>; audit: Model<AuditEntry>; psiDrafts: Model<PsiDraft>; psiAccess: Model<PsiAccessEntry>; caseParticipants: Model<CaseParticipant> },
    private readonly cases: CaseService,
    private readonly clock: Clock,
    private readonly events: EventBus = new EventBus(),
  ) {
    this.drafts = models.psiDrafts;
  }

  /** The unpublished edits, or null when the PSI is as last published. */
  async draft(trackingId: string): Promise<PsiDraftView | null> {
    const d = await this.drafts.findOne({ _id: trackingId }).lean();
    return d ? draftView(d as PsiDraft) : null;
  }

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
    const consent = await this.consent(c.trackingId);
    const canRead = canReadPsi({ isOrganiser: actor.isOrganiser, roles: actor.roles, participantKeys: myKeys }, consent ?? emptyPsi());
    return { ok: true, value: { trackingId: c.trackingId, conversationId: c.conversationId, locale: c.locale, canEdit: editAuth.ok, canRead: canRead || editAuth.ok, level: mapLevel(actor), participants } };
  }

  /** The published PSI with consent as it holds now (domain/psi.ts effectiveConsent); null before any version. */
  async consent(trackingId: string): Promise<PsiContent | null> {
    const [latest, draft] = await Promise.all([this.latest(trackingId), this.draft(trackingId)]);
    return latest ? effectiveConsent(latest.content, draft?.content ?? null) : null;
  }

  /**
   * What a conversation of the case may show of the PSI, given its members: the full card only when
   * every one of them may read it (domain/psiReaders.ts groupPsiView); null before any version.
   */
  async groupView(trackingId: string, members: ConversationMembers): Promise<'full' | 'notice' | null> {
    const [c, consent] = await Promise.all([this.cases.get(trackingId), this.consent(trackingId)]);
    if (!c || !consent) return null;
    return groupPsiView(consent, psiAudience(c, await this.cases.participants(c.trackingId)), members);
  }

  /**
   * Who gets what now that `latest` is published or consent changed (domain/psiReaders.ts
   * psiDistribution), with the case's participants and the cards already posted.
   */
  async distributionPlan(c: { trackingId: string; organiserAadObjectId: string; conversationId: string | null }, latest: PsiVersionView, members: ConversationMembers) {
    const participants = await this.cases.participants(c.trackingId);
    const messages = await this.messages(c.trackingId);
    const delivered = messages.filter((m) => !m.recipientKey.startsWith('conv:') && !m.revoked).map((m) => m.recipientKey);
    const consent = (await this.consent(c.trackingId)) ?? latest.content;
    const plan: PsiDistribution = psiDistribution(consent, psiAudience(c, participants), { hasConversation: Boolean(c.conversationId), roster: members }, delivered);
    return { plan, participants, messages };
  }

  /** Access for reading, refused with 'psi.notShared' to members the person did not share it with. */
  async authoriseRead(trackingId: string, aadObjectId: string | undefined): Promise<PsiResult<PsiAccess>> {
    const a = await this.access(trackingId, aadObjectId);
    if (!a.ok) return a;
    if (!a.value.canRead) return { ok: false, code: 'psi.notShared' };
    return a;
  }

  /**
   * Applies one edit to the draft (started from the latest version when there is none). Nothing is
   * published: the card shows the draft to its editors until publish() makes it a version. Two
   * editors saving at once both land (compare-and-set on `rev`, the edit re-applied on the newer
   * draft). The section block replaces several texts at once, so it is refused ('psi.staleVersion')
   * when the draft or the version changed since the editor's card (`baseRev`, `baseVersion`).
   */
  async save(trackingId: string, edit: PsiEdit, by: string, opts: { baseVersion?: number; baseRev?: number } = {}): Promise<PsiResult<PsiDraftView>> {
    const auth = await this.cases.authorise(trackingId, by, 'editPsi');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const participants = await this.cases.participants(id);
    const participantKeys = new Set(participants.map((p) => p.key));
    const authorName = participants.find((p) => p.aadObjectId === by)?.displayName ?? '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const [latest, draft] = await Promise.all([this.latest(id), this.drafts.findOne({ _id: id }).lean()]);
      const current = latest?.version ?? 0;
      const rev = draft?.rev ?? 0;
      if (edit.kind === 'sections' && ((opts.baseVersion !== undefined && opts.baseVersion !== current) || (opts.baseRev !== undefined && opts.baseRev !== rev))) return { ok: false, code: 'psi.staleVersion' };
      const base = draft ? draftView(draft as PsiDraft).content : latest?.content ?? emptyPsi();
      const applied = applyPsiEdit(base, edit, { now: this.clock.now(), participantKeys });
      if (!applied.ok) return { ok: false, code: `psi.${applied.code}` };
      const now = this.clock.now();
      const changes = [...new Set([...(draft?.changes ?? []), edit.kind])];
      const fields = { contentJson: JSON.stringify(applied.content), changes, updatedAt: now, updatedBy: by, updatedByName: authorName };
      let doc: PsiDraft;
      if (!draft) {
        doc = { _id: id, rev: 1, baseVersion: current, ...fields };
        try {
          await this.drafts.create(doc);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          continue;
        }
      } else {
        doc = { ...(draft as PsiDraft), ...fields, rev: rev + 1 };
        const updated = await this.drafts.updateOne({ _id: id, rev }, { $set: { ...fields, rev: rev + 1 } });
        if (updated.matchedCount === 0) continue;
      }
      await this.models.audit.create({ at: now, actor: by, action: 'psi.draftSaved', subject: id, details: { rev: doc.rev, change: edit.kind } });
      if (edit.kind === 'share' || edit.kind === 'saveActor' || edit.kind === 'removeActor') {
        await this.events.emit('psi.consentChanged', { trackingId: id });
      }
      return { ok: true, value: draftView(doc) };
    }
    return { ok: false, code: 'conflict' };
  }

  /**
   * Makes the draft the next version; its distribution and reminders follow the 'psi.saved' and 'psi.changed' events.
   * Two publishes at once: the version index lets one win; the other finds the draft gone or
   * already published.
   */
  async publish(trackingId: string, by: string): Promise<PsiResult<PsiVersionView>> {
    const auth = await this.cases.authorise(trackingId, by, 'editPsi');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const participants = await this.cases.participants(id);
    const authorName = participants.find((p) => p.aadObjectId === by)?.displayName ?? '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const [latest, draft] = await Promise.all([this.models.psiVersions.findOne({ trackingId: id }).sort({ version: -1 }).lean(), this.drafts.findOne({ _id: id }).lean()]);
      if (!draft) return { ok: false, code: 'psi.noDraft' };
      if (latest && draft.contentJson === latest.contentJson) {
        // Nothing new (edits undone, or another publish of this draft won the race): no version.
        await this.drafts.deleteOne({ _id: id, rev: draft.rev });
        return { ok: false, code: 'psi.noDraft' };
      }
      const doc: PsiVersion = {
        trackingId: id,
        version: (latest?.version ?? 0) + 1,
        contentJson: draft.contentJson,
        change: draft.changes.join(',') || 'sections',
        authorAadObjectId: by,
        authorName,
        savedAt: this.clock.now(),
      };
      try {
        await this.models.psiVersions.create(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
      // Only this revision is consumed: an edit saved meanwhile stays as the next draft.
      await this.drafts.deleteOne({ _id: id, rev: draft.rev });
      await this.models.audit.create({ at: doc.savedAt, actor: by, action: 'psi.saved', subject: id, details: { version: doc.version, change: doc.change } });
      const view = toView(doc);
      await this.events.emit('psi.saved', { trackingId: id, version: view });
      await this.events.emit('psi.changed', { trackingId: id });
      return { ok: true, value: view };
    }
    return { ok: false, code: 'conflict' };
  }

  /** Drops the unpublished edits (the PSI stays as last published). */
  async discard(trackingId: string, by: string): Promise<PsiResult<null>> {
    const auth = await this.cases.authorise(trackingId, by, 'editPsi');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const gone = await this.drafts.deleteOne({ _id: id });
    if (!gone.deletedCount) return { ok: false, code: 'psi.noDraft' };
    await this.models.audit.create({ at: this.clock.now(), actor: by, action: 'psi.draftDiscarded', subject: id, details: {} });
    // A withdrawal that was only in the draft is undone with it: consent is as published again.
    await this.events.emit('psi.consentChanged', { trackingId: id });
    return { ok: true, value: null };
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

  /**
   * Notes deliveries and reads of the PSI (models/psiAccess.ts). The caller has already shown or
   * sent the PSI; a failure here is the caller's to log, it never takes back what was shown.
   */
  async recordAccess(entries: Array<Omit<PsiAccessEntry, 'at'>>): Promise<void> {
    if (!entries.length) return;
    const at = this.clock.now();
    await this.models.psiAccess.insertMany(entries.map((e) => ({ ...e, at })));
  }

  /** Who read or received which version and when, newest first: for the case's organiser only. */
  async accessLog(trackingId: string, by: string | undefined): Promise<PsiResult<{ trackingId: string; entries: PsiAccessEntry[]; names: Map<string, string> }>> {
    const auth = await this.cases.authorise(trackingId, by, 'readPsiAccessLog');
    if (!auth.ok) return auth;
    const c = auth.value.case;
    const entries = (await this.models.psiAccess.find({ trackingId: c.trackingId }).lean()) as PsiAccessEntry[];
    // Sorted here: FerretDB v1 indexes only _id, and a case's log stays small.
    entries.sort((a, b) => b.at.getTime() - a.at.getTime());
    await this.models.audit.create({ at: this.clock.now(), actor: by ?? '', action: 'psi.accessLogShown', subject: c.trackingId, details: { entries: entries.length } });
    // Names of everyone who was ever a participant: a reader removed since still shows by name.
    const everyone = await this.models.caseParticipants.find({ trackingId: c.trackingId }).lean();
    const names = new Map(everyone.filter((p) => p.aadObjectId).map((p) => [p.aadObjectId!, p.displayName]));
    return { ok: true, value: { trackingId: c.trackingId, entries, names } };
  }
}
