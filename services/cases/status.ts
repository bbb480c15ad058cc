// The status of a case: an insert-only history of events (seq 0, 1, …), the current status being
// the last one. Transitions are checked by domain/caseStatus.ts.
import { CaseStatus, StopReason, transition } from '../../domain/caseStatus';
import type { CaseStatusEvent } from '../../models/caseStatusEvent';
import { isDuplicateKey } from '../../models/db';
import type { CaseAccessService } from './access';
import type { CaseResult, CaseStore } from './base';

export class CaseStatusService {
  constructor(
    private readonly store: CaseStore,
    private readonly gate: CaseAccessService,
  ) {}

  history(trackingId: string) {
    return this.store.models.caseStatusEvents.find({ trackingId }).sort({ seq: 1 }).lean();
  }

  async changeStatus(trackingId: string, to: string, by: string, reason?: StopReason, note?: string): Promise<CaseResult<CaseStatusEvent>> {
    const auth = await this.gate.authorise(trackingId, by, 'changeStatus');
    if (!auth.ok) return auth;
    return this.applyTransition(auth.value.case.trackingId, to as CaseStatus, by, reason, note);
  }

  /**
   * Inserts the next status event, the right to do so already checked; a concurrent change takes
   * the same seq and is re-validated.
   */
  async applyTransition(trackingId: string, to: CaseStatus, by: string, reason?: StopReason, note?: string): Promise<CaseResult<CaseStatusEvent>> {
    const { models, clock, events } = this.store;
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.store.currentStatus(trackingId);
      const result = transition(current.status, to, { by, at: clock.now(), reason, note });
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
        await models.caseStatusEvents.create(event);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
      if (to === 'held') {
        const latest = await this.store.currentConcertation(trackingId);
        if (latest && !latest.held) await models.concertations.updateOne({ trackingId, seq: latest.seq }, { $set: { held: true } });
      }
      await this.store.audit(by, 'case.status', trackingId, { from: event.from, to: event.to, reason: result.entry.reason?.code ?? null });
      await events.emit('case.statusChanged', { trackingId, event, by });
      return { ok: true, value: event };
    }
    return { ok: false, code: 'conflict' };
  }
}
