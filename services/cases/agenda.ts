// The agenda (ordre du jour) of the concertation being prepared: its points, who comes, and who
// may read it where.
import { randomUUID } from 'node:crypto';
import type { AgendaPoint } from '../../models/agendaPoint';
import type { Attendance, AttendanceAnswer } from '../../models/attendance';
import type { Case } from '../../models/case';
import type { AccessContext, CaseAccessService } from './access';
import type { CaseResult, CaseStore } from './base';
import type { ConcertationService } from './concertation';

/** The points controls are the organiser's view; everyone else reads the participants' view. */
export type AgendaViewer = 'organiser' | 'participant';

export const MAX_POINT_LENGTH = 300;

export interface AgendaReader {
  case: Case;
  viewer: AgendaViewer;
  /** The request comes from the case's own conversation. */
  inCaseConversation: boolean;
}

export class AgendaService {
  constructor(
    private readonly store: CaseStore,
    private readonly gate: CaseAccessService,
    private readonly concertations: ConcertationService,
  ) {}

  /**
   * Who may read the agenda, and which view they get. Case members read it anywhere; anyone in the
   * case conversation already sees it there. `postingTo` names a group chat or channel the card is
   * about to be posted in for everyone: unless it is the case's own, its members must not see the
   * case's participants.
   */
  async reader(trackingId: string, aadObjectId: string, context: AccessContext & { postingToShared?: boolean }): Promise<CaseResult<AgendaReader>> {
    const allowed = await this.gate.authorise(trackingId, aadObjectId, 'readAgenda', context);
    if (!allowed.ok) return allowed;
    const c = allowed.value.case;
    const inCaseConversation = Boolean(context.conversationId) && c.conversationId === context.conversationId;
    if (context.postingToShared && !inCaseConversation) return { ok: false, code: 'agenda.wrongConversation' };
    return { ok: true, value: { case: c, viewer: await this.viewerOf(c.trackingId, aadObjectId), inCaseConversation } };
  }

  /** Whoever may edit the agenda gets the organiser's view (same rule as the edits themselves). */
  async viewerOf(trackingId: string, aadObjectId: string): Promise<AgendaViewer> {
    return (await this.gate.authorise(trackingId, aadObjectId, 'editAgenda')).ok ? 'organiser' : 'participant';
  }

  agendaPoints(trackingId: string, concertationSeq: number) {
    return this.store.models.agendaPoints.find({ trackingId, concertationSeq, removed: false }).sort({ addedAt: 1 }).lean();
  }

  async addAgendaPoint(trackingId: string, text: string, by: string): Promise<CaseResult<AgendaPoint>> {
    const auth = await this.gate.authorise(trackingId, by, 'editAgenda');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const clean = typeof text === 'string' ? text.trim() : '';
    if (!clean) return { ok: false, code: 'agenda.textRequired' };
    if (clean.length > MAX_POINT_LENGTH) return { ok: false, code: 'agenda.textTooLong' };
    const concertation = await this.concertations.openConcertation(id);
    if (!concertation) return { ok: false, code: 'noConcertation' };
    const point: AgendaPoint = { trackingId: id, concertationSeq: concertation.seq, pointId: randomUUID(), text: clean, addedBy: by, addedAt: this.store.clock.now(), removed: false, removedBy: null };
    await this.store.models.agendaPoints.create(point);
    await this.store.audit(by, 'case.agendaPointAdded', id, { seq: concertation.seq, pointId: point.pointId });
    await this.store.agendaChanged(id);
    return { ok: true, value: point };
  }

  async removeAgendaPoint(trackingId: string, pointId: string, by: string): Promise<CaseResult<AgendaPoint>> {
    const { models } = this.store;
    const auth = await this.gate.authorise(trackingId, by, 'editAgenda');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const point = await models.agendaPoints.findOne({ trackingId: id, pointId, removed: false }).lean();
    if (!point) return { ok: false, code: 'agenda.closed' };
    await models.agendaPoints.updateOne({ pointId }, { $set: { removed: true, removedBy: by } });
    await this.store.audit(by, 'case.agendaPointRemoved', id, { seq: point.concertationSeq, pointId });
    await this.store.agendaChanged(id);
    return { ok: true, value: point };
  }

  async respondAttendance(trackingId: string, concertationSeq: number, answer: string, by: string): Promise<CaseResult<Attendance>> {
    const auth = await this.gate.authorise(trackingId, by, 'respondAttendance');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    if (answer !== 'yes' && answer !== 'no') return { ok: false, code: 'agenda.invalidAnswer' };
    const concertation = await this.concertations.openConcertation(id);
    // A click on the card of an earlier (held or replaced) meeting must not count for the next one.
    if (!concertation || concertation.seq !== concertationSeq) return { ok: false, code: 'agenda.closed' };
    const doc: Attendance = { trackingId: id, concertationSeq, aadObjectId: by, answer, at: this.store.clock.now() };
    await this.store.models.attendance.create(doc);
    await this.store.audit(by, 'case.attendance', id, { seq: concertationSeq, answer });
    await this.store.agendaChanged(id);
    return { ok: true, value: doc };
  }

  /** Latest answer per participant (AAD object id → answer). */
  async attendanceOf(trackingId: string, concertationSeq: number): Promise<Map<string, AttendanceAnswer>> {
    const rows = await this.store.models.attendance.find({ trackingId, concertationSeq }).sort({ at: 1, _id: 1 }).lean();
    const answers = new Map<string, AttendanceAnswer>();
    for (const r of rows) answers.set(r.aadObjectId, r.answer);
    return answers;
  }

  /** Where the agenda card in view was posted, so that later changes update it in place. */
  async recordAgendaMessage(trackingId: string, seq: number, conversationId: string, activityId: string): Promise<void> {
    await this.store.models.concertations.updateOne({ trackingId, seq }, { $set: { agendaConversationId: conversationId, agendaActivityId: activityId } });
  }
}
