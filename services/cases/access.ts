// The case itself and who may do what on it: created when the coordination admits a request,
// read by tracking id, and every check of a right made here, against domain/permissions.ts.
import { Actor, can, CaseAction, ParticipantRole, viewLevel } from '../../domain/caseRules';
import type { Case, ConsentType } from '../../models/case';
import { isDuplicateKey } from '../../models/db';
import type { RequestDecision } from '../../models/request';
import { CaseAccess, CaseResult, CaseStore, insertIgnoringDuplicate, normaliseTrackingId } from './base';

const CONSENT_OF: Record<string, ConsentType> = { written: 'written', oral: 'oral', toBuild: 'toBuild' };

/** Reads of a card posted to a conversation: whoever is in that conversation already sees it there. */
const SHARED_CARD_READS: ReadonlySet<CaseAction> = new Set(['readAgenda', 'readPoll', 'actOnReminder']);

/** What the actor's rights depend on besides the case: where the request comes from, the poll, the reminder. */
export interface AccessContext {
  /** The conversation the request comes from: in the case's own, a shared card is already in view. */
  conversationId?: string | null;
  inPoll?: boolean;
  isRecipient?: boolean;
}

export class CaseAccessService {
  constructor(private readonly store: CaseStore) {}

  /**
   * Creates the case of an admitted ('yes') or conditional request. Idempotent: the unique
   * trackingId makes a second call (retry, second instance) a no-op that returns the existing case.
   */
  async createFromDecision(decision: Pick<RequestDecision, 'trackingId' | 'status' | 'organiserAadObjectId' | 'decidedBy'>): Promise<Case | null> {
    const { models, members, clock } = this.store;
    if (decision.status === 'no' || !decision.organiserAadObjectId) return null;
    const existing = await models.cases.findOne({ trackingId: decision.trackingId }).lean();
    if (existing) return existing;
    const request = await models.requests.findOne({ trackingId: decision.trackingId }).lean();
    const consent = request?.answers?.checklist?.consent;
    const now = clock.now();
    const doc: Case = {
      trackingId: decision.trackingId,
      organiserAadObjectId: decision.organiserAadObjectId,
      consentType: CONSENT_OF[consent ?? ''] ?? 'other',
      consentNote: '',
      conversationId: null,
      locale: request?.locale ?? 'fr',
      createdAt: now,
      createdBy: decision.decidedBy,
    };
    try {
      await models.cases.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return (await models.cases.findOne({ trackingId: decision.trackingId }).lean())!;
    }
    const organiser = await members.get(decision.organiserAadObjectId);
    await insertIgnoringDuplicate(models.caseParticipants, {
      trackingId: doc.trackingId,
      key: `aad:${decision.organiserAadObjectId}`,
      role: 'organiser',
      profile: null,
      aadObjectId: decision.organiserAadObjectId,
      teamsUserId: organiser?.teamsUserId ?? null,
      displayName: organiser?.displayName ?? decision.organiserAadObjectId,
      contact: '',
      relation: '',
      addedBy: decision.decidedBy,
      addedAt: now,
      removed: false,
      removedBy: null,
      removedAt: null,
    });
    await insertIgnoringDuplicate(models.caseStatusEvents, {
      trackingId: doc.trackingId,
      seq: 0,
      from: null,
      to: 'inPreparation',
      by: decision.decidedBy,
      at: now,
      reasonJson: null,
      note: '',
    });
    await this.store.audit(decision.decidedBy, 'case.created', doc.trackingId, { organiser: decision.organiserAadObjectId, decision: decision.status });
    return doc;
  }

  /** The case, or null. Reading never creates one (whoever reads it). */
  async get(trackingId: string): Promise<Case | null> {
    return this.store.models.cases.findOne({ trackingId: normaliseTrackingId(trackingId) }).lean();
  }

  /**
   * The case; when the hook after the decision did not run, it is created now, but only for the
   * assigned organiser or a coordinator, who would see it anyway: anyone else's read writes nothing.
   */
  private async getOrRecover(trackingId: string, aadObjectId: string | undefined): Promise<Case | null> {
    const existing = await this.get(trackingId);
    if (existing || !aadObjectId) return existing;
    const decision = await this.store.models.decisions.findOne({ trackingId: normaliseTrackingId(trackingId) }).lean();
    if (!decision || (decision.organiserAadObjectId !== aadObjectId && !(await this.store.members.isCoordinator(aadObjectId)))) return null;
    return this.createFromDecision(decision);
  }

  /** The case as this user stands in it: organiser, coordinator, roles, and how much they see. */
  async access(trackingId: string, aadObjectId: string | undefined): Promise<CaseAccess | null> {
    const { models, members } = this.store;
    const c = await this.getOrRecover(trackingId, aadObjectId);
    if (!c) return null;
    const roles = aadObjectId
      ? ((await models.caseParticipants.find({ trackingId: c.trackingId, aadObjectId, removed: false }).lean()).map((p) => p.role).filter((r) => r !== 'organiser') as ParticipantRole[])
      : [];
    const actor: Actor = {
      isOrganiser: Boolean(aadObjectId) && c.organiserAadObjectId === aadObjectId,
      isCoordinator: await members.isCoordinator(aadObjectId),
      roles,
    };
    return { case: c, actor, level: viewLevel(actor) };
  }

  /** Access check in one call: the case and actor when allowed, the refusal code otherwise. */
  async authorise(trackingId: string, aadObjectId: string | undefined, action: CaseAction, context: AccessContext = {}): Promise<CaseResult<CaseAccess>> {
    const a = await this.access(trackingId, aadObjectId);
    if (!a) return { ok: false, code: 'unknownCase' };
    // Past retention a shared card shows nothing and nobody is a member any more: whoever still has
    // the card is told why it is empty (that the case was closed long ago is no personal data).
    if (a.case.purgedAt && SHARED_CARD_READS.has(action)) return { ok: false, code: 'purged' };
    if (!can(action, actorIn(a, context))) return { ok: false, code: 'notAllowed' };
    // Past its retention period a case is an anonymised record: it can be seen, never changed again.
    if (a.case.purgedAt && action !== 'view') return { ok: false, code: 'purged' };
    return { ok: true, value: a };
  }

  /** The rights of an access already read, for a card that shows or hides its controls. */
  may(a: CaseAccess, action: CaseAction): boolean {
    return !(a.case.purgedAt && action !== 'view') && can(action, a.actor);
  }
}

function actorIn(a: CaseAccess, context: AccessContext): Actor {
  const inConversation = Boolean(context.conversationId) && a.case.conversationId === context.conversationId;
  return { ...a.actor, inConversation, inPoll: context.inPoll, isRecipient: context.isRecipient };
}
