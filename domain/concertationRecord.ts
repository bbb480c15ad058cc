/**
 * The concertation record (seed 001 annex 10, "outil de facturation et de mesure"), filled by the
 * organiser after each concertation, its mapping to the flat fees (domain/fees.ts) and the rows of
 * the coordination's export. Pure: no I/O, the clock is passed in.
 *
 * Decisions:
 * - Hours are decimals ("1.5" or "1,5"), preparation ≥ 0 and duration > 0, each at most 24 h.
 * - The date is a Brussels day, not in the future (the record is filled after the meeting).
 * - Free-text fields (consent comment, professionals' profiles, relatives' links, comments) must
 *   not identify the person: they go to the coordination and to billing, which know the tracking
 *   id only. They are checked with domain/anonymity.ts and refused when they look identifying.
 * - Other amounts (catering, room) are in euros with cents, ≥ 0, and must be ticked pre-approved
 *   when not zero (the seed: "montants pré-approuvés").
 * - `professionalsPresent` counts care/social professionals OTHER than the organiser and the
 *   référent (as in domain/fees.ts: one claim sheet per professional).
 * - Export: one row per concertation (latest revision of its record); the tracking id is the only
 *   reference to the person. The organiser's name is included (annex 10: the claim is theirs).
 */
import { DateTime } from 'luxon';
import { findIdentifiers } from './anonymity';
import { computeFees, FeeInput, FeeResult, FeeSchedule } from './fees';
import { inputText } from './input';
import { brusselsDay, BRUSSELS } from './time';

export const RECORD_CONSENT_TYPES = ['written', 'oral', 'other'] as const;
export type RecordConsent = (typeof RECORD_CONSENT_TYPES)[number];
export const RECORD_PLACES = ['home', 'room', 'other'] as const;
export type RecordPlace = (typeof RECORD_PLACES)[number];

export interface ConcertationRecordData {
  date: string;
  consentType: RecordConsent;
  consentComment: string;
  preparationHours: number;
  durationHours: number;
  place: RecordPlace;
  placeOther: string;
  firstForOrganiser: boolean;
  personPresent: boolean;
  referentPresent: boolean;
  professionalsPresent: number;
  professionalProfiles: string;
  relativesPresent: number;
  relativesLinks: string;
  cateringCents: number;
  roomCents: number;
  amountsPreApproved: boolean;
  comments: string;
}

/** What a card sends; note that `cateringCents` and `roomCents` are typed in euros ("25,50") and stored in cents. */
export type RecordInput = Partial<Record<keyof ConcertationRecordData, unknown>>;

export type RecordError =
  | 'invalidDate'
  | 'dateInFuture'
  | 'invalidConsent'
  | 'invalidPreparation'
  | 'negativePreparation'
  | 'invalidDuration'
  | 'negativeDuration'
  | 'durationTooLong'
  | 'invalidPlace'
  | 'placeOtherRequired'
  | 'invalidYesNo'
  | 'invalidCount'
  | 'invalidAmount'
  | 'negativeAmount'
  | 'preApprovalRequired'
  | 'textTooLong'
  | 'identifyingText';

export type RecordResult = { ok: true; value: ConcertationRecordData } | { ok: false; code: RecordError; params?: Record<string, string> };

export const MAX_HOURS = 24;
export const MAX_RECORD_TEXT = 1000;

class Refused extends Error {
  constructor(
    readonly code: RecordError,
    readonly params?: Record<string, string>,
  ) {
    super(code);
  }
}

/** "1,5" or "1.5" → 1.5; '' → NaN. */
function decimal(v: unknown): number {
  const s = inputText(v).replace(',', '.');
  if (!s || !/^-?\d+(\.\d+)?$/.test(s)) return NaN;
  return Number(s);
}

function yesNo(v: unknown, fieldName: string): boolean {
  if (v === true || v === 'yes' || v === 'true') return true;
  if (v === false || v === 'no' || v === 'false') return false;
  throw new Refused('invalidYesNo', { field: fieldName });
}

function count(v: unknown, fieldName: string): number {
  const s = inputText(v);
  const n = s === '' ? 0 : Number(s);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new Refused('invalidCount', { field: fieldName });
  return n;
}

function cents(v: unknown, fieldName: string): number {
  const s = inputText(v);
  if (s === '') return 0;
  const n = decimal(s);
  if (Number.isNaN(n) || !/^-?\d+([.,]\d{1,2})?$/.test(s)) throw new Refused('invalidAmount', { field: fieldName });
  if (n < 0) throw new Refused('negativeAmount', { field: fieldName });
  return Math.round(n * 100);
}

function freeText(v: unknown, fieldName: string): string {
  // Read one character past the limit: a text too long is refused, not cut.
  const s = inputText(v, MAX_RECORD_TEXT + 1);
  if (s.length > MAX_RECORD_TEXT) throw new Refused('textTooLong', { field: fieldName });
  if (findIdentifiers(s).length > 0) throw new Refused('identifyingText', { field: fieldName });
  return s;
}

export function validateRecord(input: RecordInput, now: Date): RecordResult {
  try {
    const rawDate = inputText(input.date);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(rawDate) ? DateTime.fromISO(rawDate, { zone: BRUSSELS }) : null;
    if (!day || !day.isValid) throw new Refused('invalidDate');
    if (day.toISODate()! > brusselsDay(now)) throw new Refused('dateInFuture');

    const consentType = inputText(input.consentType) as RecordConsent;
    if (!RECORD_CONSENT_TYPES.includes(consentType)) throw new Refused('invalidConsent');

    const preparationHours = decimal(input.preparationHours);
    if (Number.isNaN(preparationHours)) throw new Refused('invalidPreparation');
    if (preparationHours < 0) throw new Refused('negativePreparation');
    if (preparationHours > MAX_HOURS) throw new Refused('durationTooLong', { field: 'preparationHours' });

    const durationHours = decimal(input.durationHours);
    if (Number.isNaN(durationHours)) throw new Refused('invalidDuration');
    if (durationHours <= 0) throw new Refused('negativeDuration');
    if (durationHours > MAX_HOURS) throw new Refused('durationTooLong', { field: 'durationHours' });

    const place = inputText(input.place) as RecordPlace;
    if (!RECORD_PLACES.includes(place)) throw new Refused('invalidPlace');
    const placeOther = freeText(input.placeOther, 'placeOther');
    if (place === 'other' && !placeOther) throw new Refused('placeOtherRequired');

    const cateringCents = cents(input.cateringCents, 'catering');
    const roomCents = cents(input.roomCents, 'room');
    const amountsPreApproved = input.amountsPreApproved === undefined || input.amountsPreApproved === '' ? false : yesNo(input.amountsPreApproved, 'amountsPreApproved');
    if ((cateringCents > 0 || roomCents > 0) && !amountsPreApproved) throw new Refused('preApprovalRequired');

    return {
      ok: true,
      value: {
        date: day.toISODate()!,
        consentType,
        consentComment: freeText(input.consentComment, 'consentComment'),
        preparationHours,
        durationHours,
        place,
        placeOther: place === 'other' ? placeOther : '',
        firstForOrganiser: yesNo(input.firstForOrganiser, 'firstForOrganiser'),
        personPresent: yesNo(input.personPresent, 'personPresent'),
        referentPresent: yesNo(input.referentPresent, 'referentPresent'),
        professionalsPresent: count(input.professionalsPresent, 'professionalsPresent'),
        professionalProfiles: freeText(input.professionalProfiles, 'professionalProfiles'),
        relativesPresent: count(input.relativesPresent, 'relativesPresent'),
        relativesLinks: freeText(input.relativesLinks, 'relativesLinks'),
        cateringCents,
        roomCents,
        amountsPreApproved,
        comments: freeText(input.comments, 'comments'),
      },
    };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, code: err.code, ...(err.params ? { params: err.params } : {}) };
    throw err;
  }
}

/** The record → the flat-fee rule's input. */
export function recordToFeeInput(r: ConcertationRecordData): FeeInput {
  return {
    date: r.date,
    firstForOrganiser: r.firstForOrganiser,
    referentPresent: r.referentPresent,
    professionalsPresent: r.professionalsPresent,
    personPresent: r.personPresent,
  };
}

export const EXPORT_COLUMNS = [
  'trackingId',
  'date',
  'organiser',
  'consentType',
  'consentComment',
  'preparationHours',
  'durationHours',
  'place',
  'firstForOrganiser',
  'personPresent',
  'referentPresent',
  'professionalsPresent',
  'professionalProfiles',
  'relativesPresent',
  'relativesLinks',
  'feeOrganiser',
  'feeReferent',
  'feeProfessionals',
  'flatFeeTotal',
  'catering',
  'room',
  'amountsPreApproved',
  'total',
  'feeSchedule',
  'comments',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** One export row; amounts in cents (null when the fee could not be computed), booleans as such. */
export type ExportRow = Record<ExportColumn, string | number | boolean | null>;

export function exportRow(trackingId: string, organiserName: string, r: ConcertationRecordData, schedules: FeeSchedule[]): { row: ExportRow; fees: FeeResult } {
  const fees = computeFees(recordToFeeInput(r), schedules);
  const sum = (roles: string[]): number | null => (fees.ok ? fees.lines.filter((l) => roles.includes(l.role)).reduce((s, l) => s + l.totalCents, 0) : null);
  const flat = fees.ok ? fees.totalCents : null;
  return {
    fees,
    row: {
      trackingId,
      date: r.date,
      organiser: organiserName,
      consentType: r.consentType,
      consentComment: r.consentComment,
      preparationHours: r.preparationHours,
      durationHours: r.durationHours,
      place: r.place === 'other' ? `other: ${r.placeOther}` : r.place,
      firstForOrganiser: r.firstForOrganiser,
      personPresent: r.personPresent,
      referentPresent: r.referentPresent,
      professionalsPresent: r.professionalsPresent,
      professionalProfiles: r.professionalProfiles,
      relativesPresent: r.relativesPresent,
      relativesLinks: r.relativesLinks,
      feeOrganiser: sum(['organiserFirst', 'organiserFollowing']),
      feeReferent: sum(['referent']),
      feeProfessionals: sum(['professional']),
      flatFeeTotal: flat,
      catering: r.cateringCents,
      room: r.roomCents,
      amountsPreApproved: r.amountsPreApproved,
      total: flat === null ? null : flat + r.cateringCents + r.roomCents,
      feeSchedule: fees.ok ? fees.scheduleId ?? fees.code : fees.code,
      comments: r.comments,
    },
  };
}

export type ExportArgsError = 'missingDates' | 'invalidDate' | 'fromAfterTo' | 'periodTooLong';

/** "2026-01-01 2026-12-31 [organiser words…]" → the period and the organiser filter. */
export function parseExportArgs(arg: string): { ok: true; from: string; to: string; organiser: string } | { ok: false; code: ExportArgsError } {
  const words = (arg ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { ok: false, code: 'missingDates' };
  const [from, to] = words.map((w) => (/^\d{4}-\d{2}-\d{2}$/.test(w) ? DateTime.fromISO(w, { zone: BRUSSELS }) : null));
  if (!from?.isValid || !to?.isValid) return { ok: false, code: 'invalidDate' };
  if (from > to) return { ok: false, code: 'fromAfterTo' };
  if (to.diff(from, 'years').years > 5) return { ok: false, code: 'periodTooLong' };
  return { ok: true, from: from.toISODate()!, to: to.toISODate()!, organiser: words.slice(2).join(' ') };
}
