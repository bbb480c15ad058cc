// The next concertation of a case: its date and place (one document per meeting, seq 1, 2, …) and
// when the meeting reminders go out.
import { ConcertationInput, validateConcertation } from '../../domain/caseRules';
import { isSchedulable } from '../../domain/caseStatus';
import { parseOffsets, validateOffsets } from '../../domain/reminderOffsets';
import type { Concertation } from '../../models/concertation';
import { isDuplicateKey } from '../../models/db';
import type { CaseAccessService } from './access';
import type { CaseResult, CaseStore } from './base';
import type { CaseStatusService } from './status';

export class ConcertationService {
  constructor(
    private readonly store: CaseStore,
    private readonly gate: CaseAccessService,
    private readonly status: CaseStatusService,
  ) {}

  /** The concertation being prepared (dated, not yet held), or null. */
  async openConcertation(trackingId: string): Promise<Concertation | null> {
    const latest = await this.store.currentConcertation(trackingId);
    return latest && !latest.held ? latest : null;
  }

  /**
   * Fixes (or moves) the date and place of the next concertation. Used by the organiser's card and
   * by the availability poll once a slot is chosen. Moves the case to "scheduled" when it was being
   * prepared; moving a date of a scheduled meeting keeps the status.
   */
  async setConcertation(trackingId: string, input: ConcertationInput, by: string): Promise<CaseResult<Concertation>> {
    const { models, clock, events } = this.store;
    const auth = await this.gate.authorise(trackingId, by, 'schedule');
    if (!auth.ok) return auth;
    const checked = validateConcertation(input, clock.now());
    if (!checked.ok) return { ok: false, code: `concertation.${checked.code}` };
    const id = auth.value.case.trackingId;
    const { status } = await this.store.currentStatus(id);
    if (!isSchedulable(status)) return { ok: false, code: 'transition.notAllowed', params: { from: status, to: 'scheduled' } };
    const now = clock.now();
    const fields = { start: checked.value.start, durationMinutes: checked.value.durationMinutes, place: checked.value.place, onlineLink: checked.value.onlineLink ?? null, updatedAt: now, updatedBy: by };
    let concertation: Concertation | null = null;
    for (let attempt = 0; attempt < 3 && !concertation; attempt++) {
      const latest = await this.store.currentConcertation(id);
      if (latest && !latest.held) {
        await models.concertations.updateOne({ trackingId: id, seq: latest.seq }, { $set: fields });
        concertation = { ...latest, ...fields };
        break;
      }
      const doc: Concertation = { trackingId: id, seq: (latest?.seq ?? 0) + 1, held: false, agendaConversationId: null, agendaActivityId: null, createdAt: now, ...fields };
      try {
        await models.concertations.create(doc);
        concertation = doc;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    if (!concertation) return { ok: false, code: 'conflict' };
    if (status !== 'scheduled') {
      const moved = await this.status.applyTransition(id, 'scheduled', by);
      if (!moved.ok && moved.code !== 'transition.sameStatus') return moved;
    }
    await this.store.audit(by, 'case.concertationScheduled', id, { seq: concertation.seq, start: concertation.start.toISOString(), durationMinutes: concertation.durationMinutes });
    await events.emit('case.scheduleChanged', { trackingId: id, concertation, by });
    await this.store.agendaChanged(id);
    return { ok: true, value: concertation };
  }

  /**
   * The organiser chooses when the meeting reminders go out for this case ("7, 1" = J-7 and J-1;
   * whole days 0..60, at most 5). Overwrites one field (no read-modify-write); the reminders of
   * the open concertation are re-planned by the listener.
   */
  async setReminderOffsets(trackingId: string, input: string | number[], by: string): Promise<CaseResult<number[]>> {
    const auth = await this.gate.authorise(trackingId, by, 'schedule');
    if (!auth.ok) return auth;
    const checked = typeof input === 'string' ? parseOffsets(input) : validateOffsets(input);
    if (!checked.ok) return { ok: false, code: `offsets.${checked.code}` };
    const id = auth.value.case.trackingId;
    await this.store.models.cases.updateOne({ trackingId: id }, { $set: { reminderOffsetsDays: checked.days } });
    await this.store.audit(by, 'case.reminderOffsets', id, { days: checked.days });
    await this.store.events.emit('case.reminderOffsetsChanged', { trackingId: id, days: checked.days, by });
    return { ok: true, value: checked.days };
  }
}
