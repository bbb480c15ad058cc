// What the parts of the case service share: the result and access shapes, the collections, and the
// few reads every part needs (current status, latest concertation) and the audit trail.
import type { Model } from 'mongoose';
import type { Actor, ConcertationError, ParticipantError, ParticipantRole } from '../../domain/caseRules';
import type { CaseStatus, TransitionErrorCode } from '../../domain/caseStatus';
import type { OffsetsError } from '../../domain/reminderOffsets';
import type { AgendaPoint } from '../../models/agendaPoint';
import type { Attendance } from '../../models/attendance';
import type { AuditEntry } from '../../models/audit';
import type { Case } from '../../models/case';
import type { CaseLink } from '../../models/caseLink';
import type { CaseParticipant } from '../../models/caseParticipant';
import type { CaseStatusEvent } from '../../models/caseStatusEvent';
import type { Concertation } from '../../models/concertation';
import { isDuplicateKey } from '../../models/db';
import type { ConcertationRequest, RequestDecision } from '../../models/request';
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import type { MemberService } from '../members';

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
  | 'agenda.wrongConversation'
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

export interface CaseModels {
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
}

/** What every part of the case service is built on. */
export class CaseStore {
  constructor(
    readonly models: CaseModels,
    readonly members: MemberService,
    readonly clock: Clock,
    readonly events: EventBus,
  ) {}

  audit(actor: string, action: string, subject: string, details: Record<string, unknown> = {}) {
    return this.models.audit.create({ at: this.clock.now(), actor, action, subject, details });
  }

  /** The agenda card shows it: the bot updates the posted card. */
  async agendaChanged(trackingId: string): Promise<void> {
    await this.events.emit('case.agendaChanged', { trackingId });
  }

  async currentStatus(trackingId: string): Promise<{ status: CaseStatus; seq: number }> {
    const last = await this.models.caseStatusEvents.findOne({ trackingId }).sort({ seq: -1 }).lean();
    return last ? { status: last.to, seq: last.seq } : { status: 'inPreparation', seq: -1 };
  }

  /** The latest concertation of the case (held or not), or null. */
  currentConcertation(trackingId: string) {
    return this.models.concertations.findOne({ trackingId }).sort({ seq: -1 }).lean();
  }
}

/** Inserts unless the unique key already holds it (a retry or a second instance did it first). */
export async function insertIgnoringDuplicate<T>(model: Model<T>, doc: T): Promise<void> {
  try {
    await model.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** "cmd-2026-0001" → "CMD-2026-0001"; anything else is kept (and will not be found). */
export function normaliseTrackingId(raw: string): string {
  return (raw ?? '').trim().toUpperCase();
}
