// What a reminder carries besides its kind and time: the JSON payload planned with it (tracking
// id, dates, title, place, poll…) and the case its subject belongs to.
import { inputText } from './input';

/** The payload stored with a reminder; `{}` when it is not a JSON object (never throws). */
export function payloadOf(r: { payload: string }): Record<string, unknown> {
  try {
    const v = JSON.parse(r.payload) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The case a subject belongs to: the subject up to its first "#" (`<trackingId>#meeting-2`). */
export const caseKeyOf = (subject: string): string => subject.split('#')[0];

/** The case a reminder belongs to: the tracking id of its payload, else the one of its subject. */
export function reminderCaseOf(r: { subject: string; payload: string }): string {
  return inputText(payloadOf(r).trackingId) || caseKeyOf(r.subject);
}
