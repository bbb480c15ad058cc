// Cases: created when the coordination admits a request, then run by the organiser (participants,
// linked Teams conversation, status with history, concertation date). Every operation checks the
// actor's rights (domain/caseRules.ts) and writes the audit trail. No botbuilder here.
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { allowedTargets, CaseStatus, StopReason, transition, TransitionErrorCode } from '../domain/caseStatus';
import { Actor, can, CaseAction, ConcertationError, ConcertationInput, ParticipantError, ParticipantInput, ParticipantRole, validateConcertation, validateParticipant, viewLevel } from '../domain/caseRules';
import type { AgendaPoint } from '../models/agendaPoint';
import type { Attendance, AttendanceAnswer } from '../models/attendance';
import type { AuditEntry } from '../models/audit';
import type { Case, ConsentType } from '../models/case';
import type { CaseLink } from '../models/caseLink';
import type { CaseParticipant } from '../models/caseParticipant';
import type { CaseStatusEvent } from '../models/caseStatusEvent';
import type { Concertation } from '../models/concertation';
import { isDuplicateKey } from '../models/db';
import type { ConcertationRequest, RequestDecision } from '../models/request';
import { OffsetsError, parseOffsets, validateOffsets as validateOffsetList } from '../domain/reminderOffsets';
import type { Clock } from './clock';
import { EventBus } from './events';
import type { MemberService } from './members';

export type CaseErrorCode =
  | 'unknownCase'
  | 'notAllowed'
  | 'conflict'
  | 'alreadyLinkedElsewhere'
  | 'unknownParticipant'
  | 'alreadyParticipant'
  | 'noConcertation'
  | 'agenda.textRequired'
  | 'agenda.textTooLong'
  | 'agenda.closed'
  | 'agenda.invalidAnswer'
  | 'purged'
  | `transition.${TransitionErrorCode}`
  | `participant.${ParticipantError}`
  | `concertation.${ConcertationError}`
  | `offsets.${OffsetsError}`;

export type CaseResult<T> = { ok: true; value: T } | { ok: false; code: CaseErrorCode; params?: Record<string, string> };

export interface CaseAccess {
  case: Case;
  actor: Actor;
  level: 'full' | 'anonymised' | 'none';
}

export interface CaseSummary {
  trackingId: string;
  status: CaseStatus;
  organiserAadObjectId: string;
  conversationLinked: boolean;
  participantCount: number;
  myRoles: ParticipantRole[];
  nextConcertation: Date | null;
}


const CONSENT_OF: Record<string, ConsentType> = { written: 'written', oral: 'oral', toBuild: 'toBuild' };

export class CaseService {
  constructor(
    private readonly models: {
      cases: Model<Case>;
      caseStatusEvents: Model<CaseStatusEvent>;
      caseParticipants: Model<CaseParticipant>;
      caseLinks: Model<CaseLink>;
      concertations: Model<Concertation>;
      agendaPoints: Model<AgendaPoint>;
      attendance: Model<Attendance>;
      requests: Model<ConcertationRequest>;
      decisions: Model<RequestDecision>;
      audit: Model<AuditEntry>;
    },
    private readonly members: MemberService,
    private readonly clock: Clock,
    private readonly events: EventBus = new EventBus(),
  ) {}

  private async agendaChanged(trackingId: string): Promise<void> {
    await this.events.emit('case.agendaChanged', { trackingId });
  }

  private audit(actor: string, action: string, subject: string, details: Record<string, unknown> = {}) {
    return this.models.audit.create({ at: this.clock.now(), actor, action, subject, details });
  }

  // ---- creation -----------------------------------------------------------------------------

  /**
   * Creates the case of an admitted ('yes') or conditional request. Idempotent: the unique
   * trackingId makes a second call (retry, second instance) a no-op that returns the existing case.
   */
  async createFromDecision(decision: Pick<RequestDecision, 'trackingId' | 'status' | 'organiserAadObjectId' | 'decidedBy'>): Promise<Case | null> {
    if (decision.status === 'no' || !decision.organiserAadObjectId) return null;
    const existing = await this.models.cases.findOne({ trackingId: decision.trackingId }).lean();
    if (existing) return existing;
    const request = await this.models.requests.findOne({ trackingId: decision.trackingId }).lean();
    const consent = request?.answers?.checklist?.consent;
    const now = this.clock.now();
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
      await this.models.cases.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return (await this.models.cases.findOne({ trackingId: decision.trackingId }).lean())!;
    }
    const organiser = await this.members.get(decision.organiserAadObjectId);
    await this.insertIgnoringDuplicate(this.models.caseParticipants, {
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
    await this.insertIgnoringDuplicate(this.models.caseStatusEvents, {
      trackingId: doc.trackingId,
      seq: 0,
      from: null,
      to: 'inPreparation',
      by: decision.decidedBy,
      at: now,
      reasonJson: null,
      note: '',
    });
    await this.audit(decision.decidedBy, 'case.created', doc.trackingId, { organiser: decision.organiserAadObjectId, decision: decision.status });
    return doc;
  }

  private async insertIgnoringDuplicate<T>(model: Model<T>, doc: T): Promise<void> {
    try {
      await model.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** The case, or null. Reading never creates one (whoever reads it). */
  async get(trackingId: string): Promise<Case | null> {
    return this.models.cases.findOne({ trackingId: normaliseTrackingId(trackingId) }).lean();
  }

  /**
   * The case; when the hook after the decision did not run, it is created now, but only for the
   * assigned organiser or a coordinator, who would see it anyway: anyone else's read writes nothing.
   */
  private async getOrRecover(trackingId: string, aadObjectId: string | undefined): Promise<Case | null> {
    const existing = await this.get(trackingId);
    if (existing || !aadObjectId) return existing;
    const decision = await this.models.decisions.findOne({ trackingId: normaliseTrackingId(trackingId) }).lean();
    if (!decision || (decision.organiserAadObjectId !== aadObjectId && !(await this.members.isCoordinator(aadObjectId)))) return null;
    return this.createFromDecision(decision);
  }

  // ---- access -------------------------------------------------------------------------------

  async access(trackingId: string, aadObjectId: string | undefined): Promise<CaseAccess | null> {
    const c = await this.getOrRecover(trackingId, aadObjectId);
    if (!c) return null;
    const roles = aadObjectId
      ? ((await this.models.caseParticipants.find({ trackingId: c.trackingId, aadObjectId, removed: false }).lean()).map((p) => p.role).filter((r) => r !== 'organiser') as ParticipantRole[])
      : [];
    const actor: Actor = {
      isOrganiser: Boolean(aadObjectId) && c.organiserAadObjectId === aadObjectId,
      isCoordinator: await this.members.isCoordinator(aadObjectId),
      roles,
    };
    return { case: c, actor, level: viewLevel(actor) };
  }

  /** Access check in one call: the case and actor when allowed, the refusal code otherwise. */
  async authorise(trackingId: string, aadObjectId: string | undefined, action: CaseAction): Promise<CaseResult<CaseAccess>> {
    const a = await this.access(trackingId, aadObjectId);
    if (!a) return { ok: false, code: 'unknownCase' };
    if (!can(action, a.actor)) return { ok: false, code: 'notAllowed' };
    // Past its retention period a case is an anonymised record: it can be seen, never changed again.
    if (a.case.purgedAt && action !== 'view') return { ok: false, code: 'purged' };
    return { ok: true, value: a };
  }

  // ---- status -------------------------------------------------------------------------------

  async currentStatus(trackingId: string): Promise<{ status: CaseStatus; seq: number }> {
    const last = await this.models.caseStatusEvents.findOne({ trackingId }).sort({ seq: -1 }).lean();
    return last ? { status: last.to, seq: last.seq } : { status: 'inPreparation', seq: -1 };
  }

  history(trackingId: string) {
    return this.models.caseStatusEvents.find({ trackingId }).sort({ seq: 1 }).lean();
  }

  async allowedStatusTargets(trackingId: string): Promise<readonly CaseStatus[]> {
    return allowedTargets((await this.currentStatus(trackingId)).status);
  }

  async changeStatus(trackingId: string, to: string, by: string, reason?: StopReason, note?: string): Promise<CaseResult<CaseStatusEvent>> {
    const auth = await this.authorise(trackingId, by, 'changeStatus');
    if (!auth.ok) return auth;
    return this.applyTransition(auth.value.case.trackingId, to as CaseStatus, by, reason, note);
  }

  /** Inserts the next status event; a concurrent change takes the same seq and is re-validated. */
  private async applyTransition(trackingId: string, to: CaseStatus, by: string, reason?: StopReason, note?: string): Promise<CaseResult<CaseStatusEvent>> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.currentStatus(trackingId);
      const result = transition(current.status, to, { by, at: this.clock.now(), reason, note });
      if (!result.ok) return { ok: false, code: `transition.${result.code}`, params: result.params };
      const event: CaseStatusEvent = {
        trackingId,
        seq: current.seq + 1,
        from: result.entry.from,
        to: result.entry.to,
        by,
        at: result.entry.at,
        reasonJson: result.entry.reason ? JSON.stringify(result.entry.reason) : null,
        note: result.entry.note ?? '',
      };
      try {
        await this.models.caseStatusEvents.create(event);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
      if (to === 'held') {
        const latest = await this.currentConcertation(trackingId);
        if (latest && !latest.held) await this.models.concertations.updateOne({ trackingId, seq: latest.seq }, { $set: { held: true } });
      }
      await this.audit(by, 'case.status', trackingId, { from: event.from, to: event.to, reason: result.entry.reason?.code ?? null });
      await this.events.emit('case.statusChanged', { trackingId, event, by });
      return { ok: true, value: event };
    }
    return { ok: false, code: 'conflict' };
  }

  // ---- conversation -------------------------------------------------------------------------

  async linkConversation(trackingId: string, conversationId: string, by: string, locale = 'fr'): Promise<CaseResult<Case>> {
    const auth = await this.authorise(trackingId, by, 'linkConversation');
    if (!auth.ok) return auth;
    const c = auth.value.case;
    try {
      await this.models.caseLinks.create({ conversationId, trackingId: c.trackingId, linkedBy: by, linkedAt: this.clock.now() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const link = await this.models.caseLinks.findOne({ conversationId }).lean();
      if (link && link.trackingId !== c.trackingId) return { ok: false, code: 'alreadyLinkedElsewhere', params: { trackingId: link.trackingId } };
    }
    // A case has one conversation: linking a new one moves it (the old link is released).
    if (c.conversationId && c.conversationId !== conversationId) await this.models.caseLinks.deleteOne({ conversationId: c.conversationId, trackingId: c.trackingId });
    await this.models.cases.updateOne({ trackingId: c.trackingId }, { $set: { conversationId, locale } });
    await this.audit(by, 'case.conversationLinked', c.trackingId, { conversationId });
    await this.agendaChanged(c.trackingId);
    return { ok: true, value: { ...c, conversationId, locale } };
  }

  async caseForConversation(conversationId: string): Promise<Case | null> {
    const link = await this.models.caseLinks.findOne({ conversationId }).lean();
    return link ? this.models.cases.findOne({ trackingId: link.trackingId }).lean() : null;
  }

  // ---- participants -------------------------------------------------------------------------

  participants(trackingId: string) {
    return this.models.caseParticipants.find({ trackingId, removed: false }).sort({ addedAt: 1 }).lean();
  }

  async addParticipant(trackingId: string, input: ParticipantInput & { teamsUserId?: string | null }, by: string): Promise<CaseResult<CaseParticipant>> {
    const auth = await this.authorise(trackingId, by, 'manageParticipants');
    if (!auth.ok) return auth;
    const checked = validateParticipant(input);
    if (!checked.ok) return { ok: false, code: `participant.${checked.code}` };
    const id = auth.value.case.trackingId;
    const aad = typeof input.aadObjectId === 'string' && input.aadObjectId.trim() ? input.aadObjectId.trim() : null;
    const now = this.clock.now();
    const doc: CaseParticipant = {
      trackingId: id,
      key: aad ? `aad:${aad}` : `ext:${randomUUID()}`,
      role: checked.role,
      profile: checked.profile,
      aadObjectId: aad,
      teamsUserId: aad ? input.teamsUserId ?? null : null,
      displayName: input.displayName.trim(),
      contact: (input.contact ?? '').trim().slice(0, 500),
      relation: (input.relation ?? '').trim().slice(0, 120),
      addedBy: by,
      addedAt: now,
      removed: false,
      removedBy: null,
      removedAt: null,
    };
    try {
      await this.models.caseParticipants.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.models.caseParticipants.findOne({ trackingId: id, key: doc.key }).lean();
      if (existing && !existing.removed) return { ok: false, code: 'alreadyParticipant' };
      // Re-adding someone removed earlier: bring the same record back with the new role.
      const { trackingId: _t, key: _k, ...rest } = doc;
      await this.models.caseParticipants.updateOne({ trackingId: id, key: doc.key }, { $set: rest });
    }
    await this.audit(by, 'case.participantAdded', id, { key: doc.key, role: doc.role, profile: doc.profile });
    await this.events.emit('case.participantAdded', { trackingId: id, participant: doc, by });
    await this.agendaChanged(id);
    return { ok: true, value: doc };
  }

  async removeParticipant(trackingId: string, key: string, by: string): Promise<CaseResult<CaseParticipant>> {
    const auth = await this.authorise(trackingId, by, 'manageParticipants');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const p = await this.models.caseParticipants.findOne({ trackingId: id, key, removed: false }).lean();
    if (!p || p.role === 'organiser') return { ok: false, code: 'unknownParticipant' };
    await this.models.caseParticipants.updateOne({ trackingId: id, key }, { $set: { removed: true, removedBy: by, removedAt: this.clock.now() } });
    await this.audit(by, 'case.participantRemoved', id, { key, role: p.role });
    await this.events.emit('case.participantRemoved', { trackingId: id, participant: p, by });
    await this.agendaChanged(id);
    return { ok: true, value: p };
  }

  // ---- lists --------------------------------------------------------------------------------

  /** The user's cases: as organiser or participant (any role). */
  async listFor(aadObjectId: string): Promise<CaseSummary[]> {
    const mine = await this.models.caseParticipants.find({ aadObjectId, removed: false }).lean();
    // By equality on indexed fields only ($in and $or read the whole collection on FerretDB): the
    // cases they organise, then each case they take part in that is not among those.
    const organised = await this.models.cases.find({ organiserAadObjectId: aadObjectId }).lean();
    const found = new Set(organised.map((c) => c.trackingId));
    const others = await Promise.all(
      Array.from(new Set(mine.map((p) => p.trackingId)))
        .filter((id) => !found.has(id))
        .map((trackingId) => this.models.cases.findOne({ trackingId }).lean()),
    );
    const cases: Case[] = [...organised, ...others.flatMap((c) => (c ? [c] : []))].sort((a, b) => (a.trackingId < b.trackingId ? -1 : a.trackingId > b.trackingId ? 1 : 0));
    return Promise.all(cases.map((c) => this.summary(c, mine.filter((p) => p.trackingId === c.trackingId).map((p) => p.role))));
  }

  /** Every case, for the coordination (anonymised: the summary holds no name). */
  async listAll(): Promise<CaseSummary[]> {
    const cases = await this.models.cases.find({}).sort({ trackingId: 1 }).lean();
    return Promise.all(cases.map((c) => this.summary(c, [])));
  }

  private async summary(c: Case, myRoles: ParticipantRole[]): Promise<CaseSummary> {
    const [status, count, next] = await Promise.all([
      this.currentStatus(c.trackingId),
      this.models.caseParticipants.find({ trackingId: c.trackingId, removed: false }).select({ _id: 1 }).lean().then((rows) => rows.length),
      this.currentConcertation(c.trackingId),
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

  // ---- concertation date --------------------------------------------------------------------

  /** The latest concertation of the case (held or not), or null. */
  currentConcertation(trackingId: string) {
    return this.models.concertations.findOne({ trackingId }).sort({ seq: -1 }).lean();
  }

  /**
   * Fixes (or moves) the date and place of the next concertation. Used by the organiser's card and
   * by the availability poll once a slot is chosen. Moves the case to "scheduled" when it was being
   * prepared; moving a date of a scheduled meeting keeps the status.
   */
  async setConcertation(trackingId: string, input: ConcertationInput, by: string): Promise<CaseResult<Concertation>> {
    const auth = await this.authorise(trackingId, by, 'schedule');
    if (!auth.ok) return auth;
    const checked = validateConcertation(input, this.clock.now());
    if (!checked.ok) return { ok: false, code: `concertation.${checked.code}` };
    const id = auth.value.case.trackingId;
    const { status } = await this.currentStatus(id);
    if (!['inPreparation', 'reactivated', 'followUp', 'scheduled'].includes(status)) {
      return { ok: false, code: 'transition.notAllowed', params: { from: status, to: 'scheduled' } };
    }
    const now = this.clock.now();
    const fields = { start: checked.value.start, durationMinutes: checked.value.durationMinutes, place: checked.value.place, onlineLink: checked.value.onlineLink ?? null, updatedAt: now, updatedBy: by };
    let concertation: Concertation | null = null;
    for (let attempt = 0; attempt < 3 && !concertation; attempt++) {
      const latest = await this.currentConcertation(id);
      if (latest && !latest.held) {
        await this.models.concertations.updateOne({ trackingId: id, seq: latest.seq }, { $set: fields });
        concertation = { ...latest, ...fields };
        break;
      }
      const doc: Concertation = { trackingId: id, seq: (latest?.seq ?? 0) + 1, held: false, agendaConversationId: null, agendaActivityId: null, createdAt: now, ...fields };
      try {
        await this.models.concertations.create(doc);
        concertation = doc;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    if (!concertation) return { ok: false, code: 'conflict' };
    if (status !== 'scheduled') {
      const moved = await this.applyTransition(id, 'scheduled', by);
      if (!moved.ok && moved.code !== 'transition.sameStatus') return moved;
    }
    await this.audit(by, 'case.concertationScheduled', id, { seq: concertation.seq, start: concertation.start.toISOString(), durationMinutes: concertation.durationMinutes });
    await this.events.emit('case.scheduleChanged', { trackingId: id, concertation: concertation!, by });
    await this.agendaChanged(id);
    return { ok: true, value: concertation };
  }

  // ---- meeting reminder offsets -------------------------------------------------------------

  /**
   * The organiser chooses when the meeting reminders go out for this case ("7, 1" = J-7 and J-1;
   * whole days 0..60, at most 5). Overwrites one field (no read-modify-write); the reminders of
   * the open concertation are re-planned by the listener.
   */
  async setReminderOffsets(trackingId: string, input: string | number[], by: string): Promise<CaseResult<number[]>> {
    const auth = await this.authorise(trackingId, by, 'schedule');
    if (!auth.ok) return auth;
    const checked = typeof input === 'string' ? parseOffsets(input) : validateOffsetList(input);
    if (!checked.ok) return { ok: false, code: `offsets.${checked.code}` };
    const id = auth.value.case.trackingId;
    await this.models.cases.updateOne({ trackingId: id }, { $set: { reminderOffsetsDays: checked.days } });
    await this.audit(by, 'case.reminderOffsets', id, { days: checked.days });
    await this.events.emit('case.reminderOffsetsChanged', { trackingId: id, days: checked.days, by });
    return { ok: true, value: checked.days };
  }

  // ---- agenda (ordre du jour) and attendance -------------------------------------------------

  /** The concertation being prepared (dated, not yet held), or null. */
  async openConcertation(trackingId: string): Promise<Concertation | null> {
    const latest = await this.currentConcertation(trackingId);
    return latest && !latest.held ? latest : null;
  }

  agendaPoints(trackingId: string, concertationSeq: number) {
    return this.models.agendaPoints.find({ trackingId, concertationSeq, removed: false }).sort({ addedAt: 1 }).lean();
  }

  async addAgendaPoint(trackingId: string, text: string, by: string): Promise<CaseResult<AgendaPoint>> {
    const auth = await this.authorise(trackingId, by, 'editAgenda');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const clean = typeof text === 'string' ? text.trim() : '';
    if (!clean) return { ok: false, code: 'agenda.textRequired' };
    if (clean.length > 300) return { ok: false, code: 'agenda.textTooLong' };
    const concertation = await this.openConcertation(id);
    if (!concertation) return { ok: false, code: 'noConcertation' };
    const point: AgendaPoint = { trackingId: id, concertationSeq: concertation.seq, pointId: randomUUID(), text: clean, addedBy: by, addedAt: this.clock.now(), removed: false, removedBy: null };
    await this.models.agendaPoints.create(point);
    await this.audit(by, 'case.agendaPointAdded', id, { seq: concertation.seq, pointId: point.pointId });
    await this.agendaChanged(id);
    return { ok: true, value: point };
  }

  async removeAgendaPoint(trackingId: string, pointId: string, by: string): Promise<CaseResult<AgendaPoint>> {
    const auth = await this.authorise(trackingId, by, 'editAgenda');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const point = await this.models.agendaPoints.findOne({ trackingId: id, pointId, removed: false }).lean();
    if (!point) return { ok: false, code: 'agenda.closed' };
    await this.models.agendaPoints.updateOne({ pointId }, { $set: { removed: true, removedBy: by } });
    await this.audit(by, 'case.agendaPointRemoved', id, { seq: point.concertationSeq, pointId });
    await this.agendaChanged(id);
    return { ok: true, value: point };
  }

  async respondAttendance(trackingId: string, concertationSeq: number, answer: string, by: string): Promise<CaseResult<Attendance>> {
    const auth = await this.authorise(trackingId, by, 'respondAttendance');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    if (answer !== 'yes' && answer !== 'no') return { ok: false, code: 'agenda.invalidAnswer' };
    const concertation = await this.openConcertation(id);
    // A click on the card of an earlier (held or replaced) meeting must not count for the next one.
    if (!concertation || concertation.seq !== concertationSeq) return { ok: false, code: 'agenda.closed' };
    const doc: Attendance = { trackingId: id, concertationSeq, aadObjectId: by, answer: answer as AttendanceAnswer, at: this.clock.now() };
    await this.models.attendance.create(doc);
    await this.audit(by, 'case.attendance', id, { seq: concertationSeq, answer });
    await this.agendaChanged(id);
    return { ok: true, value: doc };
  }

  /** Latest answer per participant (AAD object id → answer). */
  async attendanceOf(trackingId: string, concertationSeq: number): Promise<Map<string, AttendanceAnswer>> {
    const rows = await this.models.attendance.find({ trackingId, concertationSeq }).sort({ at: 1, _id: 1 }).lean();
    const answers = new Map<string, AttendanceAnswer>();
    for (const r of rows) answers.set(r.aadObjectId, r.answer);
    return answers;
  }

  async recordAgendaMessage(trackingId: string, seq: number, conversationId: string, activityId: string): Promise<void> {
    await this.models.concertations.updateOne({ trackingId, seq }, { $set: { agendaConversationId: conversationId, agendaActivityId: activityId } });
  }
}

/** "cmd-2026-0001" → "CMD-2026-0001"; anything else is kept (and will not be found). */
export function normaliseTrackingId(raw: string): string {
  return (raw ?? '').trim().toUpperCase();
}
