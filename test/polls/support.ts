// Helpers for the poll tests: an admitted fictional case, Teams activities in a group chat.
import { DateTime } from 'luxon';
import type { RunningApp } from '../support/app';
import { post, PostResult } from '../support/app';
import { invokeActivity, messageActivity, personal } from '../support/harness';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const ORGANISER = { id: '29:fictional-organiser', aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Alex Test' };
export const userN = (n: number) => ({
  id: `29:fictional-participant-${n}`,
  aadObjectId: `00000000-0000-4000-8000-${String(100000 + n).padStart(12, '0')}`,
  name: `Participant Test ${n}`,
  email: `participant${n}@example.org`,
});

/** Brussels wall-clock date and time `days` from now at `hour`:00. */
export function localIn(days: number, hour = 10): { date: string; time: string } {
  const d = DateTime.now().setZone('Europe/Brussels').plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  return { date: d.toFormat('yyyy-MM-dd'), time: d.toFormat('HH:mm') };
}

let seq = 0;
export async function admittedCase(running: RunningApp, organiserAad = ORGANISER.aadObjectId): Promise<string> {
  const n = ++seq + Math.floor(Math.random() * 1000) * 10;
  const trackingId = `CMD-2026-${String(n).padStart(4, '0')}`;
  await running.app.models.requests.create({
    trackingId,
    year: 2026,
    seq: n,
    requesterAadObjectId: '00000000-0000-4000-8000-0000000000ff',
    requesterConversationId: 'a:fictional-requester',
    locale: 'fr',
    answers: { person: { language: 'fr' } },
    suggestion: { verdict: 'eligible', reasons: [] },
    status: 'submitted',
    triageConversationId: null,
    triageActivityId: null,
    submittedAt: new Date(),
  } as never);
  await running.app.models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: organiserAad, notes: '', decidedBy: 'coord', decidedByName: 'Coordination Test', decidedAt: new Date() });
  return trackingId;
}

const groupChat = (id: string) => ({ id, conversationType: 'groupChat', isGroup: true, tenantId: TENANT });

export function groupMessage(text: string | undefined, serviceUrl: string, conversationId: string, from: Record<string, unknown> = ORGANISER, over: Record<string, unknown> = {}) {
  return messageActivity(text, { serviceUrl, from, conversation: groupChat(conversationId), ...over });
}

/** An Action.Execute click with replies expected in the response (see postInvoke). */
export function invoke(verb: string, data: Record<string, unknown>, serviceUrl: string, conversationId: string, from: Record<string, unknown> = ORGANISER, over: Record<string, unknown> = {}) {
  return invokeActivity(verb, data, { serviceUrl, from, conversation: groupChat(conversationId), deliveryMode: 'expectReplies', ...over });
}

/** Creation form values: slots (date/time/duration), deadline, members, externals. */
export function createData(trackingId: string, opts: { slots: Array<{ date: string; time: string; duration?: string }>; deadline: { date: string; time: string }; members: string[]; required?: string[]; externalsRequired?: string; placeKind?: string }) {
  const data: Record<string, unknown> = {
    trackingId,
    rowCount: String(Math.max(3, opts.slots.length)),
    placeKind: opts.placeKind ?? 'home',
    placeDetails: '',
    deadline_date: opts.deadline.date,
    deadline_time: opts.deadline.time,
    members: opts.members.join(','),
    requiredMembers: (opts.required ?? []).join(','),
    externalsRequired: opts.externalsRequired ?? '',
    externalsOptional: '',
  };
  opts.slots.forEach((s, i) => {
    data[`slot${i + 1}_date`] = s.date;
    data[`slot${i + 1}_time`] = s.time;
    data[`slot${i + 1}_duration`] = s.duration ?? '105';
  });
  return data;
}

/** Posts an invoke; with expectReplies the invoke response arrives as an invokeResponse activity: returns its body. */
export async function postInvoke(url: string, activity: unknown): Promise<PostResult> {
  const res = await post(url, activity);
  const invokeResponse = res.body.activities?.find((a) => a.type === 'invokeResponse');
  return { status: invokeResponse?.value?.status ?? res.status, body: invokeResponse?.value?.body ?? res.body };
}

/** Waits until `check` returns a truthy value (polled), or fails with `what` after `timeoutMs`. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A 1:1 message from `user` to the bot: the bot then knows their personal conversation. */
export function personalMessage(text: string, serviceUrl: string, user: { id: string; aadObjectId: string; name: string }) {
  return messageActivity(text, { serviceUrl, from: user, conversation: { ...personal(user), id: `a:personal-${user.aadObjectId}` } });
}
