// Lists of cases ("mes dossiers"): a member's own cases, every case (anonymised) for the coordination.
import type { ParticipantRole } from '../../domain/caseRules';
import type { Case } from '../../models/case';
import type { CaseStore, CaseSummary } from './base';

export class CaseListService {
  constructor(private readonly store: CaseStore) {}

  /** The user's cases: as organiser or participant (any role). */
  async listFor(aadObjectId: string): Promise<CaseSummary[]> {
    const { models } = this.store;
    const mine = await models.caseParticipants.find({ aadObjectId, removed: false }).lean();
    // By equality on indexed fields only ($in and $or read the whole collection on FerretDB): the
    // cases they organise, then each case they take part in that is not among those.
    const organised = await models.cases.find({ organiserAadObjectId: aadObjectId }).lean();
    const found = new Set(organised.map((c) => c.trackingId));
    const others = await Promise.all(
      Array.from(new Set(mine.map((p) => p.trackingId)))
        .filter((id) => !found.has(id))
        .map((trackingId) => models.cases.findOne({ trackingId }).lean()),
    );
    const cases: Case[] = [...organised, ...others.flatMap((c) => (c ? [c] : []))].sort((a, b) => (a.trackingId < b.trackingId ? -1 : a.trackingId > b.trackingId ? 1 : 0));
    return Promise.all(cases.map((c) => this.summary(c, mine.filter((p) => p.trackingId === c.trackingId).map((p) => p.role))));
  }

  /** Every case, for the coordination (anonymised: the summary holds no name). */
  async listAll(): Promise<CaseSummary[]> {
    const cases = await this.store.models.cases.find({}).sort({ trackingId: 1 }).lean();
    return Promise.all(cases.map((c) => this.summary(c, [])));
  }

  /**
   * The cases this user may list: their own, or every case for the coordination (anonymised, with
   * their own roles where they have some).
   */
  async visibleTo(aadObjectId: string): Promise<{ coordination: boolean; cases: CaseSummary[] }> {
    const mine = aadObjectId ? await this.listFor(aadObjectId) : [];
    if (!(await this.store.members.isCoordinator(aadObjectId))) return { coordination: false, cases: mine };
    const roles = new Map(mine.map((c) => [c.trackingId, c.myRoles]));
    return { coordination: true, cases: (await this.listAll()).map((c) => ({ ...c, myRoles: roles.get(c.trackingId) ?? [] })) };
  }

  private async summary(c: Case, myRoles: ParticipantRole[]): Promise<CaseSummary> {
    const [status, count, next] = await Promise.all([
      this.store.currentStatus(c.trackingId),
      this.store.models.caseParticipants.find({ trackingId: c.trackingId, removed: false }).select({ _id: 1 }).lean().then((rows) => rows.length),
      this.store.currentConcertation(c.trackingId),
    ]);
    return {
      trackingId: c.trackingId,
      status: status.status,
      organiserAadObjectId: c.organiserAadObjectId,
      conversationLinked: Boolean(c.conversationId),
      participantCount: count,
      myRoles,
      nextConcertation: next && !next.held ? next.start : null,
    };
  }
}
