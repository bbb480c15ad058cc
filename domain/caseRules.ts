/**
 * Rules of a case once admitted (DOMAIN.md "Who uses the product", "Lifecycle of a case"):
 * participants and their roles and the checks on a concertation's date; who may do what is
 * domain/permissions.ts. Pure: no I/O, the clock is passed in.
 */

import type { StopReason } from './caseStatus';

export const PARTICIPANT_ROLES = ['personConcerned', 'carer', 'referent', 'organiser', 'professional'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const PROFESSIONAL_PROFILES = ['gp', 'socialWorker', 'homeNurse', 'psychiatrist', 'pharmacist', 'physiotherapist', 'other'] as const;
export type ProfessionalProfile = (typeof PROFESSIONAL_PROFILES)[number];

export interface ParticipantInput {
  role: string;
  profile?: string | null;
  displayName: string;
  contact?: string;
  relation?: string;
  aadObjectId?: string | null;
}

export type ParticipantError =
  | 'unknownRole'
  | 'unknownProfile'
  | 'profileRequired'
  | 'nameRequired'
  | 'nameTooLong'
  | 'organiserNotAddable';

export const MAX_NAME_LENGTH = 120;
export const MAX_TEXT_LENGTH = 500;

const isRole = (r: string): r is ParticipantRole => (PARTICIPANT_ROLES as readonly string[]).includes(r);
const isProfile = (p: string): p is ProfessionalProfile => (PROFESSIONAL_PROFILES as readonly string[]).includes(p);

export function validateParticipant(input: ParticipantInput): { ok: true; role: ParticipantRole; profile: ProfessionalProfile | null } | { ok: false; code: ParticipantError } {
  const role = typeof input.role === 'string' ? input.role : '';
  if (!isRole(role)) return { ok: false, code: 'unknownRole' };
  // The organiser is the one assigned by the coordination, never added by hand.
  if (role === 'organiser') return { ok: false, code: 'organiserNotAddable' };
  const name = typeof input.displayName === 'string' ? input.displayName.trim() : '';
  if (!name) return { ok: false, code: 'nameRequired' };
  if (name.length > MAX_NAME_LENGTH) return { ok: false, code: 'nameTooLong' };
  const profile = typeof input.profile === 'string' && input.profile.trim() ? input.profile.trim() : null;
  if (profile !== null && !isProfile(profile)) return { ok: false, code: 'unknownProfile' };
  if (role === 'professional' && profile === null) return { ok: false, code: 'profileRequired' };
  // A profile only makes sense for professionals and référents (a référent may be a professional or a carer).
  return { ok: true, role, profile: role === 'professional' || role === 'referent' ? profile : null };
}

// Who may do what lives in domain/permissions.ts (one rule set for cases, polls, agenda and PSI);
// re-exported here for the callers that already import it from the case rules.
export { can, CASE_ACTIONS, viewLevel } from './permissions';
export type { Actor, CaseAction } from './permissions';

/** When and where a concertation meets (stored by models/concertation.ts, shown on the case and agenda cards). */
export interface ConcertationSlot {
  start: Date;
  durationMinutes: number;
  place: string;
  onlineLink: string | null;
}

export interface ConcertationInput {
  start: Date;
  durationMinutes: number;
  place: string;
  onlineLink?: string | null;
}

export type ConcertationError =
  | 'invalidDate'
  | 'dateInPast'
  | 'invalidDuration'
  | 'durationTooLong'
  | 'placeRequired'
  | 'placeTooLong'
  | 'invalidLink';

/** A meeting longer than this is a typo (minutes typed as hours…). */
export const MAX_DURATION_MINUTES = 8 * 60;

export function validateConcertation(input: ConcertationInput, now: Date): { ok: true; value: ConcertationInput } | { ok: false; code: ConcertationError } {
  if (!(input.start instanceof Date) || Number.isNaN(input.start.getTime())) return { ok: false, code: 'invalidDate' };
  if (input.start.getTime() <= now.getTime()) return { ok: false, code: 'dateInPast' };
  const d = input.durationMinutes;
  if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) return { ok: false, code: 'invalidDuration' };
  if (d > MAX_DURATION_MINUTES) return { ok: false, code: 'durationTooLong' };
  const place = typeof input.place === 'string' ? input.place.trim() : '';
  const link = typeof input.onlineLink === 'string' ? input.onlineLink.trim() : '';
  // Online only is fine (the place is then "online"), but something must say where to go.
  if (!place && !link) return { ok: false, code: 'placeRequired' };
  if (place.length > MAX_TEXT_LENGTH) return { ok: false, code: 'placeTooLong' };
  if (link && !/^https:\/\/[^\s]+$/i.test(link)) return { ok: false, code: 'invalidLink' };
  return { ok: true, value: { start: input.start, durationMinutes: d, place, onlineLink: link || null } };
}

/** Stop / stand-by reasons as flat choice values for a card ("noLongerMeetsCriteria.leftBrussels"). */
export const REASON_CHOICES = [
  'noLongerMeetsCriteria.leftBrussels',
  'noLongerMeetsCriteria.untraceable',
  'noLongerMeetsCriteria.consentWithdrawn',
  'success',
  'negativeEffects',
  'noImprovement',
  'other',
] as const;

/** Builds the StopReason from a card's choice and free text; undefined when nothing was chosen. */
export function reasonFromChoice(choice: unknown, text: unknown): StopReason | undefined {
  const c = typeof choice === 'string' ? choice.trim() : '';
  const note = typeof text === 'string' && text.trim() ? text.trim().slice(0, MAX_TEXT_LENGTH) : undefined;
  if (!c) return undefined;
  const [code, sub] = c.split('.');
  if (code === 'other') return { code: 'other', text: note ?? '' };
  if (code === 'noLongerMeetsCriteria') return { code, subCode: sub as never, ...(note ? { note } : {}) };
  // Unknown codes are passed on: domain/caseStatus.ts refuses them as invalidReason.
  return { code: code as 'success', ...(note ? { note } : {}) };
}
