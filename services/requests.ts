// Submitted requests: tracking-id allocation, the coordination's decision, and lookups.
// Both rest on unique indexes, not on read-modify-write (FerretDB v1 updates are not atomic).
import type { Model } from 'mongoose';
import { AdmissibilityAnswers, personFreeTexts } from '../domain/admissibility';
import { findIdentifiers } from '../domain/anonymity';
import { evaluateEligibility, EligibilityResult } from '../domain/eligibility';
import { brusselsYear } from '../domain/time';
import { isRefusalReason, RefusalReason } from '../domain/sectors';
import { formatTrackingId } from '../domain/trackingId';
import type { AuditEntry } from '../models/audit';
import { isDuplicateKey } from '../models/db';
import { ConcertationRequest, DecisionStatus, RequestDecision, RequestSequence, requestSequenceModel, RequestStatus } from '../models/request';
import { identityKeptApart, RequesterIdentity, requesterIdentityModel, RequesterRole } from '../models/requesterIdentity';
import type { Clock } from './clock';
import { EventBus } from './events';

export class AnonymityViolation extends Error {
  constructor(readonly paths: string[]) {
    super(`identifying data in ${paths.join(', ')}`);
    this.name = 'AnonymityViolation';
  }
}

export interface Requester {
  aadObjectId: string;
  conversationId: string;
  locale: string;
  /** Who is asking; a professional when not given. */
  role?: RequesterRole;
}

const NO_REQUESTER: AdmissibilityAnswers['requester'] = { name: '', organisation: '', link: '', phone: '', email: '', otherContact: '' };

/**
 * The request as the coordination may read it, and the identity kept apart: for the person herself
 * or a carer, the sheet keeps no name, link or contact (a carer's name and "sa fille" point at her).
 */
export function splitRequester(answers: AdmissibilityAnswers, role: RequesterRole): { answers: AdmissibilityAnswers; identity: Omit<RequesterIdentity, '_id' | 'createdAt'> | null } {
  if (!identityKeptApart(role)) return { answers, identity: null };
  const r = answers.requester;
  return {
    answers: { ...answers, requester: { ...NO_REQUESTER } },
    identity: { role, name: r.name, link: role === 'carer' ? r.link : '', phone: r.phone, email: r.email, otherContact: r.otherContact },
  };
}

export type IdentityReveal = { status: 'revealed'; identity: RequesterIdentity } | { status: 'none' };

export type DecisionOutcome = { status: 'decided'; decision: RequestDecision } | { status: 'alreadyDecided'; decision: RequestDecision };

const STATUS_OF: Record<DecisionStatus, RequestStatus> = { yes: 'admitted', conditional: 'conditional', no: 'refused' };

export class RequestService {
  constructor(
    private readonly requests: Model<ConcertationRequest>,
    private readonly decisions: Model<RequestDecision>,
    private readonly audit: Model<AuditEntry>,
    private readonly clock: Clock,
    private readonly events: EventBus = new EventBus(),
    // Same database as the requests unless given: a separate collection, not a separate store.
    private readonly identities: Model<RequesterIdentity> = requesterIdentityModel(requests.db),
    private readonly sequences: Model<RequestSequence> = requestSequenceModel(requests.db),
  ) {}

  /**
   * The last sequence this process handed out, per year (where the next allocation starts). A
   * high-water mark, not a cache to evict: one entry a year, and when another instance has gone
   * further the unique index makes the next submit step over the taken ids.
   */
  private readonly lastSeq = new Map<number, number>();

  /** Where to look for the next free sequence of `year`: this process's last, else the shared pointer. */
  private async seqHint(year: number): Promise<number> {
    const mine = this.lastSeq.get(year);
    if (mine !== undefined) return mine;
    const pointer = await this.sequences.findOne({ _id: year }).lean();
    if (pointer) return pointer.seq;
    // No pointer for this year yet (first request of the year, or a database from before it).
    const last = await this.requests.findOne({ year }).sort({ seq: -1 }).select({ seq: 1 }).lean();
    return last?.seq ?? 0;
  }

  /** Best effort: a lagging pointer only makes the next cold allocation try a few taken ids. */
  private async moveSeqPointer(year: number, seq: number): Promise<void> {
    this.lastSeq.set(year, Math.max(seq, this.lastSeq.get(year) ?? 0));
    try {
      await this.sequences.updateOne({ _id: year, seq: { $lt: seq } }, { $set: { seq, at: this.clock.now() } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the pointer is already further on
    }
  }

  /**
   * Stores the request under the next free CMD-<year>-<seq>; concurrent submits retry on the unique
   * index. The identity of a requester who is the person or a carer goes to its own collection.
   */
  async submit(given: AdmissibilityAnswers, requester: Requester): Promise<ConcertationRequest> {
    const leaks = personFreeTexts(given).filter((f) => findIdentifiers(f.text).length > 0);
    if (leaks.length) throw new AnonymityViolation(leaks.map((l) => l.path));
    const role = requester.role ?? 'professional';
    const { answers, identity } = splitRequester(given, role);
    const suggestion: EligibilityResult = evaluateEligibility(answers);
    const now = this.clock.now();
    const year = brusselsYear(now);
    // Next free id after the hint: a taken one (another submit, another instance) fails on the unique
    // index and the next is tried, so concurrent submits get consecutive ids without a gap.
    let seq = await this.seqHint(year);
    for (let attempt = 0; attempt < 100; attempt++) {
      seq++;
      const doc: ConcertationRequest = {
        trackingId: formatTrackingId(year, seq),
        year,
        seq,
        requesterAadObjectId: requester.aadObjectId,
        requesterConversationId: requester.conversationId,
        requesterRole: role,
        locale: requester.locale,
        answers,
        suggestion,
        status: 'submitted',
        triageConversationId: null,
        triageActivityId: null,
        submittedAt: now,
      };
      try {
        await this.requests.create(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
      await this.moveSeqPointer(year, seq).catch(() => undefined);
      if (identity) {
        try {
          // Replace, not insert: a request withdrawn after a failed write may have left one under this id.
          await this.identities.replaceOne({ _id: doc.trackingId }, { _id: doc.trackingId, ...identity, createdAt: now }, { upsert: true });
        } catch (err) {
          // Without its identity the request could never be answered: withdraw it (the draft is kept).
          await this.requests.deleteOne({ trackingId: doc.trackingId });
          throw err;
        }
      }
      await this.audit.create({ at: now, actor: requester.aadObjectId, action: 'request.submitted', subject: doc.trackingId, details: { suggestion: suggestion.suggestion, requesterRole: role } });
      return doc;
    }
    throw new Error('could not allocate a tracking id');
  }

  get(trackingId: string) {
    return this.requests.findOne({ trackingId }).lean();
  }

  /**
   * The identity of a requester who is the person or a carer, for a reader the caller has already
   * checked (domain/permissions.ts, 'viewRequesterIdentity'). Every reveal is audited: who saw it, when.
   */
  async revealIdentity(trackingId: string, reader: string): Promise<IdentityReveal> {
    const identity = await this.identities.findOne({ _id: trackingId }).lean();
    if (!identity) return { status: 'none' };
    await this.audit.create({ at: this.clock.now(), actor: reader, action: 'requester.identityRevealed', subject: trackingId, details: { role: identity.role } });
    return { status: 'revealed', identity };
  }

  async getDecision(trackingId: string): Promise<RequestDecision | null> {
    return withReason(await this.decisions.findOne({ trackingId }).lean());
  }

  /** A requester's own requests, newest first ("mes demandes"). */
  listFor(requesterAadObjectId: string, limit = 20) {
    return this.requests.find({ requesterAadObjectId }).sort({ submittedAt: -1 }).limit(limit).lean();
  }

  /**
   * Records the concertation date the requester is about to be told; false when they already
   * know this one (a schedule change that kept the date, or the same event heard twice).
   */
  async recordConcertationDate(trackingId: string, start: Date): Promise<boolean> {
    const res = await this.requests.updateOne({ trackingId, concertationAt: { $ne: start } }, { $set: { concertationAt: start } });
    return res.modifiedCount > 0;
  }

  /** Requests not yet shown to the coordination (none configured, or posting failed). */
  untriaged() {
    return this.requests.find({ triageActivityId: null, status: 'submitted' }).sort({ submittedAt: 1 }).lean();
  }

  /** Requests waiting for the coordination's decision, oldest first (by the indexed status; bounded). */
  waiting(limit = 200) {
    return this.requests.find({ status: 'submitted' }).sort({ submittedAt: 1 }).limit(limit).lean();
  }

  async recordTriageMessage(trackingId: string, conversationId: string, activityId: string): Promise<void> {
    await this.requests.updateOne({ trackingId }, { $set: { triageConversationId: conversationId, triageActivityId: activityId } });
  }

  /** The first decision wins: the decision document's unique trackingId makes a second insert fail. */
  async decide(input: Omit<RequestDecision, 'decidedAt' | 'refusalReason'> & { refusalReason?: RefusalReason | null }): Promise<DecisionOutcome> {
    const decision: RequestDecision = { ...input, refusalReason: input.status === 'no' ? input.refusalReason ?? null : null, decidedAt: this.clock.now() };
    try {
      await this.decisions.create(decision);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.decisions.findOne({ trackingId: input.trackingId }).lean();
      return { status: 'alreadyDecided', decision: withReason(existing)! };
    }
    await this.requests.updateOne({ trackingId: input.trackingId }, { $set: { status: STATUS_OF[input.status] } });
    await this.audit.create({
      at: decision.decidedAt,
      actor: input.decidedBy,
      action: 'request.decided',
      subject: input.trackingId,
      details: { status: input.status, organiser: input.organiserAadObjectId, ...(decision.refusalReason ? { refusalReason: decision.refusalReason } : {}) },
    });
    // A refused request gets no organiser, so nobody may ever read who asked: erase it now rather
    // than keep it until a retention period that, without a case, would never start.
    if (input.status === 'no') {
      const erased = await this.identities.deleteOne({ _id: input.trackingId });
      if (erased.deletedCount) {
        await this.audit.create({ at: decision.decidedAt, actor: input.decidedBy, action: 'requester.identityErased', subject: input.trackingId, details: { reason: 'refused' } });
      }
    }
    // The case opens from it (idempotent: CaseService.get also opens it when first asked).
    await this.events.emit('request.decided', decision);
    return { status: 'decided', decision };
  }

  /**
   * Open cases per organiser (admitted or conditional requests assigned to them). Given the pool's
   * ids, one lookup per organiser by their indexed id: the triage card costs the same however many
   * requests were ever decided. Without ids, every decision is read (the pool overview).
   */
  async openCasesByOrganiser(organiserIds?: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const count = (id: string | null) => id && counts.set(id, (counts.get(id) ?? 0) + 1);
    if (!organiserIds) {
      const rows = await this.decisions.find({ status: { $in: ['yes', 'conditional'] }, organiserAadObjectId: { $ne: null } }).select({ organiserAadObjectId: 1 }).lean();
      for (const r of rows) count(r.organiserAadObjectId);
      return counts;
    }
    const perOrganiser = await Promise.all(
      [...new Set(organiserIds)].map((organiserAadObjectId) => this.decisions.find({ organiserAadObjectId }).select({ organiserAadObjectId: 1, status: 1 }).lean()),
    );
    for (const r of perOrganiser.flat()) if (r.status === 'yes' || r.status === 'conditional') count(r.organiserAadObjectId);
    return counts;
  }
}

/** Decisions stored before the refusal reason existed read as having none. */
function withReason(d: RequestDecision | null): RequestDecision | null {
  return d ? { ...d, refusalReason: isRefusalReason(d.refusalReason) ? d.refusalReason : null } : null;
}
