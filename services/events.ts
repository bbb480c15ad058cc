// Domain events: a service says what happened once it is stored; whoever cares (reminders, the
// agenda card, the requester's notice) listens. One failure policy for all of them: a listener's
// failure is reported (logged and audited by the composition root) and never undoes, delays past
// itself, or hides the action that raised the event.
import type { CaseStatusEvent } from '../models/caseStatusEvent';
import type { CaseParticipant } from '../models/caseParticipant';
import type { Concertation } from '../models/concertation';
import type { RequestDecision } from '../models/request';
import type { ConcertationFixed, PollChange } from './polls';
import type { PsiVersionView } from './psi';

/** Every event, its name and what it carries (identifiers and stored documents, never display text). */
export interface DomainEvents {
  /** The coordination decided a request (admitted, refused, or redirected). */
  'request.decided': RequestDecision;
  'case.scheduleChanged': { trackingId: string; concertation: Concertation; by: string };
  'case.statusChanged': { trackingId: string; event: CaseStatusEvent; by: string };
  'case.participantAdded': { trackingId: string; participant: CaseParticipant; by: string };
  'case.participantRemoved': { trackingId: string; participant: CaseParticipant; by: string };
  'case.reminderOffsetsChanged': { trackingId: string; days: number[]; by: string };
  /** Something the agenda card shows changed (date, participants, points, attendance). */
  'case.agendaChanged': { trackingId: string };
  /** A poll change was stored (created, answered, extended, closed, …). */
  'poll.changed': PollChange;
  /** The organiser fixed (or changed, or cancelled) the poll's final slot. */
  'poll.concertationFixed': { fixed: ConcertationFixed; by: string };
  'psi.saved': { trackingId: string; version: PsiVersionView };
  /** The PSI shown in the case conversation changed (a new version or a draft edit). */
  'psi.changed': { trackingId: string };
  /** Who the person shares her PSI with may have changed. */
  'psi.consentChanged': { trackingId: string };
}

export type EventName = keyof DomainEvents;
export type Listener<K extends EventName> = (payload: DomainEvents[K]) => Promise<unknown> | unknown;
/** Told of each listener that failed: the event, its payload, the error. Must not throw. */
export type ListenerFailure = <K extends EventName>(event: K, payload: DomainEvents[K], err: unknown) => Promise<void> | void;

export class EventBus {
  private readonly listeners = new Map<EventName, Array<Listener<never>>>();

  constructor(private readonly onFailure: ListenerFailure = () => undefined) {}

  /** Adds a listener; the returned function removes it. */
  on<K extends EventName>(event: K, listener: Listener<K>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(event, list);
    return () => {
      const at = list.indexOf(listener as Listener<never>);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /**
   * Runs the event's listeners one after the other, in the order they were added, and resolves once
   * all have finished (so what they do is done when the user's turn answers). Never rejects.
   */
  async emit<K extends EventName>(event: K, payload: DomainEvents[K]): Promise<void> {
    for (const listener of [...(this.listeners.get(event) ?? [])] as Array<Listener<K>>) {
      try {
        await listener(payload);
      } catch (err) {
        try {
          await this.onFailure(event, payload, err);
        } catch {
          // The failure report itself failed (database down): the action still stands.
        }
      }
    }
  }
}

/** The case or poll an event is about, for the audit trail of a failed listener. */
export function subjectOf(payload: DomainEvents[EventName]): string {
  const p = payload as { trackingId?: string; poll?: { pollId?: string }; fixed?: { pollId?: string } };
  return p.trackingId ?? p.poll?.pollId ?? p.fixed?.pollId ?? '';
}
