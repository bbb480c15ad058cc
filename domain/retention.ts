/**
 * Retention of a closed case: once a case has been stopped for the retention period
 * (the stop plus N months, CASE_RETENTION_MONTHS), the personal data in it is purged and only the
 * anonymised record stays: tracking id, status history without free text, concertation dates and
 * durations, the concertation records (annex 10, billing) and the categorical answers of the
 * anonymous sheet (figures). Pure: no I/O, the clock is passed in.
 *
 * Decisions:
 * - Only a STOPPED case is ever purged: stand-by is reviewed after six months and may go on, and
 *   a reactivated case is running again (its clock restarts at its next stop).
 * - The period runs from the latest stop (the status event that stopped it) in Brussels calendar
 *   months: 31 January + 1 month is 28/29 February, as a person counts it.
 * - 0 months purges at the next run after the stop (tests, or a policy of no retention).
 * - A stop reason keeps its codes (figures: why cases stop) and loses its free text.
 */
import { DateTime } from 'luxon';
import type { AdmissibilityAnswers } from './admissibility';
import { personFreeTexts } from './admissibility';
import type { CaseStatus } from './caseStatus';
import { BRUSSELS } from './time';

export interface RetentionFacts {
  /** The case's current status (its latest status event). */
  status: CaseStatus;
  /** When the latest status event happened (for a stopped case: the stop). */
  statusAt: Date;
  /** Set once the case was purged. */
  purgedAt: Date | null;
}

/** When a case stopped at `stoppedAt` reaches the end of its retention period. */
export function retentionEnd(stoppedAt: Date, months: number): Date {
  return DateTime.fromJSDate(stoppedAt).setZone(BRUSSELS).plus({ months }).toJSDate();
}

/** Whether the case's personal data is due for purging at `now`. */
export function isDueForPurge(facts: RetentionFacts, now: Date, months: number): boolean {
  if (facts.purgedAt) return false;
  if (facts.status !== 'stopped') return false;
  if (!Number.isInteger(months) || months < 0) return false;
  return retentionEnd(facts.statusAt, months).getTime() <= now.getTime();
}

/** A stored stop / stand-by reason (JSON) with its codes only: free text ("other", notes) removed. */
export function reasonWithoutFreeText(reasonJson: string | null): string | null {
  if (!reasonJson) return null;
  let reason: unknown;
  try {
    reason = JSON.parse(reasonJson);
  } catch {
    return null;
  }
  if (!reason || typeof reason !== 'object') return null;
  const { code, subCode } = reason as { code?: unknown; subCode?: unknown };
  if (typeof code !== 'string') return null;
  // "other" is free text by definition; its text becomes empty but the code stays countable.
  if (code === 'other') return JSON.stringify({ code, text: '' });
  return JSON.stringify(typeof subCode === 'string' ? { code, subCode } : { code });
}

/** Requester fields that identify or reach a person (the organisation stays: figures by sector). */
const REQUESTER_IDENTITY = ['name', 'phone', 'email', 'otherContact', 'link'] as const;

/**
 * The anonymous sheet as kept after the purge: the requester's identity and contact and every
 * free text about the person are emptied; categories (age, commune, living place, impacts,
 * consent, network…) stay for the activity figures. Returns a copy.
 */
export function anonymisedAnswers(answers: AdmissibilityAnswers): AdmissibilityAnswers {
  const copy = JSON.parse(JSON.stringify(answers ?? {})) as AdmissibilityAnswers;
  if (copy.requester && typeof copy.requester === 'object') {
    for (const k of REQUESTER_IDENTITY) if (typeof copy.requester[k] === 'string') copy.requester[k] = '';
  }
  let texts: Array<{ path: string }> = [];
  try {
    texts = personFreeTexts(copy);
  } catch {
    // A partial sheet (older data) lacks some sections: blank what is there, field by field below.
  }
  const paths = new Set([...texts.map((f) => f.path), ...FREE_TEXT_PATHS]);
  for (const path of paths) blankPath(copy as unknown as Record<string, unknown>, path.split('.'));
  return copy;
}

/** The free-text fields of the sheet, also blanked when personFreeTexts cannot read a partial sheet. */
const FREE_TEXT_PATHS = [
  'person.livingPlaceOther',
  'person.situation',
  'person.previousConcertationsNotes',
  'person.languageOther',
  'analysis.impactExplanation',
  'analysis.networkNeedExplanation',
  'analysis.networkProblemExplanation',
  'checklist.consentNotes',
  'checklist.availableNotes',
  'checklist.networkNotes',
];

function blankPath(node: Record<string, unknown>, keys: string[]): void {
  let current: unknown = node;
  for (const key of keys.slice(0, -1)) {
    if (!current || typeof current !== 'object') return;
    current = (current as Record<string, unknown>)[key];
  }
  const last = keys[keys.length - 1];
  if (current && typeof current === 'object' && typeof (current as Record<string, unknown>)[last] === 'string') (current as Record<string, unknown>)[last] = '';
}
