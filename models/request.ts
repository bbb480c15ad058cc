// A submitted admissibility request. Anonymous about the person concerned: only the sheet's answers
// (checked by the anonymity guard) and a professional requester's own contact details are stored.
// When the person herself or a carer asks, their identity lives in requesterIdentities instead.
import { Connection, Model, Schema } from 'mongoose';
import type { AdmissibilityAnswers } from '../domain/admissibility';
import type { EligibilityResult } from '../domain/eligibility';
import { REFUSAL_REASONS, RefusalReason } from '../domain/sectors';
import { REQUESTER_ROLES, RequesterRole } from './requesterIdentity';

export type RequestStatus = 'submitted' | 'admitted' | 'conditional' | 'refused';

export interface ConcertationRequest {
  trackingId: string; // CMD-2026-0042: the only id the coordination ever sees
  year: number;
  seq: number;
  requesterAadObjectId: string;
  requesterConversationId: string;
  /** Who asked; absent on requests stored before the question existed (professionals then). */
  requesterRole?: RequesterRole;
  /** The requester's language, for telling them the decision later. */
  locale: string;
  answers: AdmissibilityAnswers;
  suggestion: EligibilityResult;
  status: RequestStatus;
  triageConversationId: string | null;
  triageActivityId: string | null;
  submittedAt: Date;
  /** The concertation date the requester was last told about ("mes demandes" shows it). */
  concertationAt?: Date | null;
}

const schema = new Schema<ConcertationRequest>(
  {
    trackingId: { type: String, required: true, unique: true },
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    requesterAadObjectId: { type: String, required: true, index: true },
    requesterConversationId: { type: String, required: true },
    requesterRole: { type: String, enum: REQUESTER_ROLES, default: 'professional' },
    locale: { type: String, default: 'fr' },
    answers: { type: Schema.Types.Mixed, required: true },
    suggestion: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, enum: ['submitted', 'admitted', 'conditional', 'refused'] },
    triageConversationId: { type: String, default: null },
    triageActivityId: { type: String, default: null },
    submittedAt: { type: Date, required: true },
    concertationAt: { type: Date, default: null },
  },
  { collection: 'requests', versionKey: false, minimize: false },
);
schema.index({ year: 1, seq: -1 }, { unique: true });
// The requests still waiting for the coordination ("submitted"): a few, however many were decided.
schema.index({ status: 1 });

export function requestModel(conn: Connection): Model<ConcertationRequest> {
  return (conn.models.ConcertationRequest as Model<ConcertationRequest> | undefined) ?? conn.model<ConcertationRequest>('ConcertationRequest', schema);
}

/** The coordination's decision: one document per request, so a second decision hits the unique index. */
export type DecisionStatus = 'yes' | 'conditional' | 'no';
export interface RequestDecision {
  trackingId: string;
  status: DecisionStatus;
  organiserAadObjectId: string | null;
  notes: string;
  /** Why a request was refused ('no'), as the activity report counts it; null otherwise and for decisions stored before. */
  refusalReason: RefusalReason | null;
  decidedBy: string;
  decidedByName: string;
  decidedAt: Date;
}

const decisionSchema = new Schema<RequestDecision>(
  {
    trackingId: { type: String, required: true, unique: true },
    status: { type: String, required: true, enum: ['yes', 'conditional', 'no'] },
    organiserAadObjectId: { type: String, default: null, index: true },
    notes: { type: String, default: '' },
    refusalReason: { type: String, enum: [...REFUSAL_REASONS, null], default: null },
    decidedBy: { type: String, required: true },
    decidedByName: { type: String, required: true },
    decidedAt: { type: Date, required: true },
  },
  { collection: 'requestDecisions', versionKey: false },
);

export function decisionModel(conn: Connection): Model<RequestDecision> {
  return (conn.models.RequestDecision as Model<RequestDecision> | undefined) ?? conn.model<RequestDecision>('RequestDecision', decisionSchema);
}

/**
 * The highest tracking-id sequence handed out in a year, as a hint: allocation starts after it and
 * walks forward over ids already taken (the unique trackingId decides), so a lagging or lost update
 * costs a retry, never a duplicate. Keyed by `_id` = the year: no query reads all of a year's requests.
 */
export interface RequestSequence {
  _id: number;
  seq: number;
  at: Date;
}

const sequenceSchema = new Schema<RequestSequence>(
  {
    _id: { type: Number, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'requestSequences', versionKey: false },
);

export function requestSequenceModel(conn: Connection): Model<RequestSequence> {
  return (conn.models.RequestSequence as Model<RequestSequence> | undefined) ?? conn.model<RequestSequence>('RequestSequence', sequenceSchema);
}
