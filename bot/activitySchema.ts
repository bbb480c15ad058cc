// The shape every incoming activity must have before it reaches the adapter. Teams always sends
// these fields with these types; anything else is a malformed (or hostile) request, refused with
// 400 at the door instead of crashing deep inside botbuilder or a feature
// ("endpoint.toLowerCase is not a function"). Unknown fields pass through untouched: Teams adds
// new ones and the features ignore what they do not read. Values (what a user chose on a card)
// are checked by the features, which answer in the user's language.
import { z } from 'zod';

const id = z.string().min(1).max(1024);
// Optional fields may also be null: some channels serialise absent values that way.
const shortText = z.string().max(1024);
const optText = shortText.nullish();

const account = z
  .object({
    id,
    aadObjectId: optText,
    name: optText,
    role: optText,
  })
  .passthrough();

const conversation = z
  .object({
    id,
    conversationType: optText,
    tenantId: optText,
    isGroup: z.boolean().optional(),
    name: optText,
  })
  .passthrough();

const channelData = z
  .object({
    tenant: z.object({ id: optText }).passthrough().optional(),
  })
  .passthrough();

/** Teams' Universal Action (Action.Execute) invoke; botbuilder reads action.type, verb and data. */
const adaptiveCardAction = z
  .object({
    action: z
      .object({
        type: z.literal('Action.Execute'),
        verb: optText,
        data: z.record(z.unknown()).optional(),
      })
      .passthrough(),
    trigger: optText,
  })
  .passthrough();

const httpUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s]+$/i, 'must be an http(s) address');

export const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: optText,
    name: optText,
    channelId: optText,
    serviceUrl: httpUrl,
    timestamp: optText,
    localTimestamp: optText,
    locale: z.string().max(64).nullish(),
    text: z.string().nullish(),
    replyToId: optText,
    deliveryMode: optText,
    action: optText,
    from: account,
    recipient: account.optional(),
    conversation,
    channelData: channelData.optional(),
    attachments: z.array(z.object({ contentType: shortText }).passthrough()).max(50).optional(),
    entities: z.array(z.object({}).passthrough()).max(50).optional(),
    membersAdded: z.array(account).max(500).optional(),
    membersRemoved: z.array(account).max(500).optional(),
    value: z.unknown().optional(),
  })
  .passthrough()
  .superRefine((a, ctx) => {
    if (a.type === 'invoke' && a.name === 'adaptiveCard/action' && !adaptiveCardAction.safeParse(a.value).success) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['value'], message: 'not an Action.Execute invoke value' });
    }
  });

export type IncomingActivity = z.infer<typeof activitySchema>;

export type ActivityCheck = { ok: true; activity: IncomingActivity } | { ok: false; fields: string[] };

/**
 * Checks the body of POST /api/messages. On failure, only the names of the offending fields are
 * returned (never their values: they can be personal data, and the caller does not need them).
 */
export function checkActivity(body: unknown): ActivityCheck {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.filter((p) => typeof p === 'string').join('.') || '(body)'))].slice(0, 10);
  return { ok: false, fields };
}

/**
 * The activity with every U+0000 removed from its strings and keys. No client types it, and
 * PostgreSQL (the embedded database) can neither store nor compare it in a document: a hostile id
 * carrying one turned a lookup into a database error instead of "unknown".
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replace(/\u0000/g, '') : value) as T;
  if (Array.isArray(value)) return value.map((v) => withoutNul(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[withoutNul(k)] = withoutNul(v);
    return out as T;
  }
  return value;
}

/** What botbuilder's CloudAdapter.process() does to the dates before a turn (it is bypassed by server.ts). */
export function withDates<T extends Record<string, unknown>>(activity: T): T {
  const out: Record<string, unknown> = { ...activity };
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof out[field] === 'string') {
      out[raw] = out[field];
      out[field] = new Date(out[field] as string);
    }
  }
  return out as T;
}
