// The reminder engine's data side: planning (idempotent), re-planning and cancelling by subject,
// snooze / done, lists, and the delivery claims that make a send happen exactly once.
//
// Exactly-once on FerretDB v1 (no transactions, updates not atomic under concurrency) rests on
// three unique-index inserts, never on a read-modify-write of a shared document:
//   1. reminders.key            planning the same reminder twice inserts nothing;
//   2. reminderClaims(key, gen) inserted BEFORE the send: one instance wins a generation, the
//                               others get a duplicate-key error and do not send;
//   3. reminderOutcomes.key     the first recorded outcome wins; it stops any later claim.
// Crash recovery: a claim whose lease ran out with no outcome (the sender died between claim and
// outcome) can be taken over as generation + 1, so a reminder is never lost. Trade-off: if the
// sender died AFTER Teams accepted the message but BEFORE the outcome was written, the take-over
// sends it a second time (at-least-once in that crash window only; the Bot Connector has no
// idempotency key). The lease must be longer than the longest send (limiter wait + retries).
//
// Query shapes: on the embedded database only top-level plain equalities reach an index ($in,
// ranges, $or, regexes read the whole collection), so every query here has a selective equality
// (key, subject, rootKey, recipient, organiser, caseKey, or a due bucket). Due reminders are
// found by walking due buckets (dueMinute / dueHour / dueDay, see models/reminder.ts) from a
// shared mark instead of a range on dueAt; batches are looked up key by key, a few at a time.
import type { Model, QueryFilter } from 'mongoose';
import { isReminderKind, reminderKey, ReminderKind, snoozeUntil, SnoozeChoice } from '../domain/reminderDates';
import type { AuditEntry } from '../models/audit';
import { isDuplicateKey } from '../models/db';
import { caseKeyOf, dueBuckets, Reminder, reminderDispatchMarkModel, ReminderDispatchMark, ReminderStatus } from '../models/reminder';
import type { ReminderClaim } from '../models/reminderClaim';
import type { DeliveryOutcome, ReminderOutcome } from '../models/reminderOutcome';
import type { Clock } from './clock';

export type ReminderLocale = 'fr' | 'nl' | 'en';

export interface ReminderRecipient {
  aadObjectId?: string | null;
  teamsUserId?: string | null;
  conversationId?: string | null;
  /** A conversation the bot shares with the user, to open a 1:1 chat when there is none yet. */
  viaConversationId?: string | null;
}

export interface PlannedReminder {
  kind: ReminderKind;
  subject: string;
  dueAt: Date;
  recipient: ReminderRecipient;
  locale: ReminderLocale;
  payload?: Record<string, unknown>;
  organiserAadObjectId?: string | null;
}

export type ReminderDoc = Reminder;

export class ReminderInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReminderInputError';
  }
}

export type ClaimResult = { claimed: true; generation: number } | { claimed: false; reason: 'done' | 'busy' | 'lost' };

export interface ClaimBatch {
  /** The keys this instance won, with their generation and lease end. */
  won: Map<string, { generation: number; leaseUntil: Date }>;
  /** Keys another sender holds: to look at again when its lease ends (it may die meanwhile). */
  heldUntil: Map<string, Date>;
}

export interface DueBatch {
  due: Reminder[];
  /** The minute every bucket was read up to: store it (markDispatched) once the batch is handled. */
  upTo: string;
}

export interface ReminderServiceOptions {
  /** How long a claim protects a send in progress. Must exceed the longest send. */
  leaseMs?: number;
  /** Identifies this bot instance in claims (diagnostics only). */
  instanceId?: string;
}

const OPEN: ReminderStatus = 'scheduled';
/**
 * "Still waiting", next to a selective equality (key, subject, rootKey, a due bucket). Written as
 * $in on purpose: the embedded database then finds the rows by the selective field alone and
 * checks the status on those few; an equality on status would also be sent to PostgreSQL, which
 * intersects it with the index entry of every scheduled reminder (cost growing with them all).
 */
const WAITING = { $in: [OPEN] };
/** Due buckets exist only while a reminder waits: the passes' probes never read delivered ones. */
const LEAVES_BUCKETS = { $unset: { dueMinute: 1, dueHour: 1, dueDay: 1 } } as const;
/** Due reminders nobody is sure reached their recipient: they stay in the organiser's list. */
const UNDELIVERED: ReminderStatus[] = ['failed', 'ambiguous'];
const MAX_LIST = 50;
const MAX_PAGED_LIST = 5000;
/** Per-key lookups and updates run this many at a time (a batch is up to a few hundred keys). */
const KEY_PARALLEL = 16;
/** Bucket probes run this many at a time (a catch-up after a long stop walks many). */
const PROBE_PARALLEL = 8;
/**
 * Minutes before the mark read again by every pass: a reminder planned into a minute while a pass
 * was reading it, or by an instance whose clock is a little behind, is still found.
 */
export const DISPATCH_OVERLAP_MINUTES = 5;
const MARK_ID = 'dispatch';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const minuteOf = (d: Date): string => d.toISOString().slice(0, 16);
const minuteStart = (minute: string): number => Date.parse(`${minute}:00.000Z`);

interface Probe {
  field: 'dueMinute' | 'dueHour' | 'dueDay';
  value: string;
  /** The first minute the bucket covers. */
  from: string;
}

/** The buckets covering the minutes from `from` to `to` (inclusive): whole days and hours as one probe each. */
export function bucketsBetween(from: number, to: number): Probe[] {
  const probes: Probe[] = [];
  for (let t = from; t <= to; ) {
    const iso = new Date(t).toISOString();
    if (iso.slice(11, 16) === '00:00' && t + DAY - MINUTE <= to) {
      probes.push({ field: 'dueDay', value: iso.slice(0, 10), from: iso.slice(0, 16) });
      t += DAY;
    } else if (iso.slice(14, 16) === '00' && t + HOUR - MINUTE <= to) {
      probes.push({ field: 'dueHour', value: iso.slice(0, 13), from: iso.slice(0, 16) });
      t += HOUR;
    } else {
      probes.push({ field: 'dueMinute', value: iso.slice(0, 16), from: iso.slice(0, 16) });
      t += MINUTE;
    }
  }
  return probes;
}

/** Runs `fn` on each item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function recipientId(r: ReminderRecipient): string {
  const id = r.aadObjectId || r.conversationId;
  if (!id) throw new ReminderInputError('a reminder needs a recipient: a Teams user (aadObjectId) or a conversation');
  return id;
}

export function keyOf(p: PlannedReminder): string {
  return reminderKey(p.kind, p.subject, p.dueAt, recipientId(p.recipient));
}

export function payloadOf(r: Pick<Reminder, 'payload'>): Record<string, unknown> {
  try {
    const v = JSON.parse(r.payload) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export class ReminderService {
  private readonly leaseMs: number;
  readonly instanceId: string;
  private readonly marks: Model<ReminderDispatchMark>;

  constructor(
    private readonly reminders: Model<Reminder>,
    private readonly claims: Model<ReminderClaim>,
    private readonly outcomes: Model<ReminderOutcome>,
    private readonly audit: Model<AuditEntry>,
    private readonly clock: Clock,
    options: ReminderServiceOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.instanceId = options.instanceId ?? `instance-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.marks = reminderDispatchMarkModel(reminders.db);
  }

  private validate(p: PlannedReminder): void {
    if (!isReminderKind(p.kind)) throw new ReminderInputError(`unknown reminder kind "${String(p.kind)}"`);
    if (!p.subject) throw new ReminderInputError('a reminder needs a subject');
    if (!(p.dueAt instanceof Date) || Number.isNaN(p.dueAt.getTime())) throw new ReminderInputError('a reminder needs a valid dueAt');
    recipientId(p.recipient);
  }

  private toDoc(p: PlannedReminder, by: string, key = keyOf(p), rootKey = key): Reminder {
    const now = this.clock.now();
    return {
      key,
      rootKey,
      kind: p.kind,
      subject: p.subject,
      recipientAadObjectId: p.recipient.aadObjectId ?? null,
      recipientTeamsUserId: p.recipient.teamsUserId ?? null,
      recipientConversationId: p.recipient.aadObjectId ? null : (p.recipient.conversationId ?? null),
      viaConversationId: p.recipient.viaConversationId ?? null,
      locale: p.locale,
      dueAt: p.dueAt,
      ...dueBuckets(p.dueAt, now),
      caseKey: caseKeyOf(p.subject),
      payload: JSON.stringify(p.payload ?? {}),
      status: 'scheduled',
      organiserAadObjectId: p.organiserAadObjectId ?? null,
      attempts: 0,
      lastError: null,
      sentAt: null,
      late: false,
      createdAt: now,
      updatedAt: now,
      updatedBy: by,
    };
  }

  /**
   * Plans reminders. Idempotent: a key that exists already is left as it is, except a cancelled
   * one, which is planned again (a meeting moved back to its first date).
   */
  async plan(reminders: PlannedReminder[], by = 'system'): Promise<{ inserted: string[]; existing: string[] }> {
    reminders.forEach((p) => this.validate(p));
    const docs = reminders.map((p) => this.toDoc(p, by));
    const existing: string[] = [];
    const fresh: Reminder[] = [];
    const dueAt = new Map<string, Date>();
    for (const d of docs) {
      if (dueAt.has(d.key)) existing.push(d.key);
      else {
        dueAt.set(d.key, d.dueAt);
        fresh.push(d);
      }
    }
    // One unordered insert, no read first: a key that exists (planned before, or meanwhile by
    // someone else) fails alone on the unique index.
    const lost = await insertIgnoringDuplicates(this.reminders, fresh);
    const inserted = fresh.filter((_, i) => !lost.has(i)).map((d) => d.key);
    existing.push(...fresh.filter((_, i) => lost.has(i)).map((d) => d.key));
    if (existing.length) {
      const now = this.clock.now();
      // Put back in a bucket the pass has not walked past yet.
      await mapLimited([...new Set(existing)], KEY_PARALLEL, (key) =>
        this.reminders.updateOne({ key, status: { $in: ['cancelled'] } }, { $set: { status: 'scheduled', ...dueBuckets(dueAt.get(key)!, now), updatedAt: now, updatedBy: by } }),
      );
    }
    return { inserted, existing };
  }

  /**
   * The subject changed (meeting moved, action re-dated, participants changed): the unsent
   * reminders of the subject that are not in the new set are cancelled, the new ones planned.
   * Reminders of the new set that exist already (same key) are neither doubled nor cancelled.
   */
  async replanSubject(subject: string, next: PlannedReminder[], by = 'system'): Promise<{ cancelled: number; inserted: string[]; existing: string[] }> {
    next.forEach((p) => this.validate(p));
    if (next.some((p) => p.subject !== subject)) throw new ReminderInputError('every new reminder must have the re-planned subject');
    const keep = new Set(next.map(keyOf));
    const open = await this.reminders.find({ subject, status: WAITING }).select({ key: 1, rootKey: 1 }).lean();
    // A snoozed copy belongs to its root: it stays when its root stays.
    const stale = open.filter((r) => !keep.has(r.key) && !keep.has(r.rootKey)).map((r) => r.key);
    if (stale.length) {
      await this.reminders.updateMany({ subject, status: WAITING, key: { $in: stale } }, { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
    }
    const planned = await this.plan(next, by);
    await this.log(by, 'reminders.replanned', subject, { cancelled: stale.length, inserted: planned.inserted.length });
    return { cancelled: stale.length, ...planned };
  }

  /** The subject is gone (meeting cancelled, case stopped, action done): nothing more is sent. */
  async cancelSubject(subject: string, by = 'system'): Promise<number> {
    const res = await this.reminders.updateMany({ subject, status: WAITING }, { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
    await this.log(by, 'reminders.cancelled', subject, { count: res.modifiedCount ?? 0 });
    return res.modifiedCount ?? 0;
  }

  /** Cancels one person's reminders of a subject (a participant removed from a case). */
  async cancelForRecipient(subject: string, aadObjectId: string, by = 'system'): Promise<number> {
    const res = await this.reminders.updateMany(
      { subject, recipientAadObjectId: aadObjectId, status: WAITING },
      { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS },
    );
    return res.modifiedCount ?? 0;
  }

  get(key: string) {
    return this.reminders.findOne({ key }).lean();
  }

  async cancel(key: string, by: string): Promise<Reminder | null> {
    await this.reminders.updateOne({ key, status: WAITING }, { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
    await this.log(by, 'reminder.cancelled', key, {});
    return this.get(key);
  }

  /**
   * Snooze: a new reminder (its own key, so its own exactly-once delivery) at `until`; the
   * snoozed one is marked so and no longer sent. Snoozing twice to the same moment is a no-op.
   */
  async snooze(key: string, until: Date, by: string): Promise<Reminder | null> {
    const r = await this.get(key);
    if (!r) return null;
    const child: Reminder = {
      ...this.toDoc(
        {
          kind: r.kind,
          subject: r.subject,
          dueAt: until,
          recipient: { aadObjectId: r.recipientAadObjectId, teamsUserId: r.recipientTeamsUserId, conversationId: r.recipientConversationId, viaConversationId: r.viaConversationId },
          locale: r.locale,
          organiserAadObjectId: r.organiserAadObjectId,
        },
        by,
        `${r.rootKey}~snooze:${until.toISOString()}`,
        r.rootKey,
      ),
      payload: r.payload,
    };
    try {
      await this.reminders.create(child);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    await this.reminders.updateOne({ key, status: { $in: ['scheduled', 'sent', ...UNDELIVERED] } }, { $set: { status: 'snoozed', updatedAt: this.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
    await this.log(by, 'reminder.snoozed', key, { until: until.toISOString() });
    return this.get(child.key);
  }

  snoozeFor(key: string, choice: SnoozeChoice, by: string) {
    return this.snooze(key, snoozeUntil(this.clock.now(), choice), by);
  }

  /** Done: this reminder and every pending snooze of it. */
  async markDone(key: string, by: string): Promise<Reminder | null> {
    const r = await this.get(key);
    if (!r) return null;
    const now = this.clock.now();
    await this.reminders.updateOne({ key }, { $set: { status: 'done', updatedAt: now, updatedBy: by }, ...LEAVES_BUCKETS });
    await this.reminders.updateMany({ rootKey: r.rootKey, status: WAITING, key: { $ne: key } }, { $set: { status: 'done', updatedAt: now, updatedBy: by }, ...LEAVES_BUCKETS });
    await this.log(by, 'reminder.done', key, {});
    return this.get(key);
  }

  /** A user's upcoming reminders (as recipient). */
  upcomingFor(aadObjectId: string): Promise<Reminder[]> {
    return this.findEach([{ recipientAadObjectId: aadObjectId, status: WAITING }], MAX_LIST);
  }

  /** An organiser's cases' reminders: upcoming ones, and the failed or unconfirmed ones (so they stay visible). */
  upcomingForOrganiser(aadObjectId: string): Promise<Reminder[]> {
    return this.findEach([{ organiserAadObjectId: aadObjectId, status: { $in: [OPEN, ...UNDELIVERED] } }], MAX_LIST);
  }

  /**
   * What "my reminders" shows: the user's upcoming reminders and, for an organiser, their cases'
   * upcoming ones, each once. The failed and unconfirmed reminders of the cases someone organises
   * are shown to them even without the organiser role (nothing undelivered may stay unseen).
   * Paged by the card, so the cap is only a safety net.
   */
  listFor(aadObjectId: string, asOrganiser: boolean): Promise<Reminder[]> {
    const organised = { organiserAadObjectId: aadObjectId, status: { $in: asOrganiser ? [OPEN, ...UNDELIVERED] : UNDELIVERED } };
    return this.findEach([{ recipientAadObjectId: aadObjectId, status: WAITING }, organised], MAX_PAGED_LIST);
  }

  /**
   * The union of a few queries, each on one person (read through that index, unlike one $or; the
   * status as $in, checked on that person's reminders only: delivered ones are purged after the
   * retention, scheduled and failed ones of everyone are many more), by due time, each once.
   */
  private async findEach(filters: Array<QueryFilter<Reminder>>, limit: number): Promise<Reminder[]> {
    const lists = await Promise.all(filters.map((f) => this.reminders.find(f).sort({ dueAt: 1, key: 1 }).limit(limit).lean() as Promise<Reminder[]>));
    const byKey = new Map<string, Reminder>();
    for (const r of lists.flat()) byKey.set(r.key, r);
    return [...byKey.values()]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit);
  }

  /**
   * Scheduled reminders due now, oldest bucket first: the due buckets from a few minutes before
   * the shared mark up to the current minute, one equality probe each (after a long stop, whole
   * past days and hours are one probe each). A bucket that fills the batch is read again by the
   * next pass (`upTo` stays on it).
   */
  async dueBatch(limit = 500): Promise<DueBatch> {
    const now = this.clock.now();
    const nowMinute = minuteStart(minuteOf(now));
    const mark = await this.marks.findOne({ _id: MARK_ID }).lean();
    // A clock moved back behind the mark reads from its own minute.
    const from = Math.min(mark ? minuteStart(mark.minute) : nowMinute, nowMinute) - DISPATCH_OVERLAP_MINUTES * MINUTE;
    if (!mark) await this.bucketUnbucketed(from, now);
    const probes = bucketsBetween(from, nowMinute);
    const due: Reminder[] = [];
    for (let i = 0; i < probes.length; i += PROBE_PARALLEL) {
      const chunk = probes.slice(i, i + PROBE_PARALLEL);
      const found = await Promise.all(chunk.map((p) => this.reminders.find({ [p.field]: p.value, status: WAITING }).sort({ dueAt: 1 }).limit(limit).lean() as Promise<Reminder[]>));
      for (let j = 0; j < chunk.length; j++) {
        const room = limit - due.length;
        due.push(...found[j].filter((r) => r.dueAt.getTime() <= now.getTime()).slice(0, room));
        if (found[j].length >= room) return { due, upTo: chunk[j].from };
      }
    }
    return { due, upTo: minuteOf(now) };
  }

  /**
   * First pass on a database (no mark yet): scheduled reminders stored without buckets (before
   * they existed) or in buckets behind the first walk are put in the current minute. Reads every
   * scheduled reminder once, never again while the mark exists.
   */
  private async bucketUnbucketed(from: number, now: Date): Promise<void> {
    const rows = (await this.reminders.find({ status: OPEN }).select({ key: 1, subject: 1, dueAt: 1, dueMinute: 1, caseKey: 1 }).lean()) as Reminder[];
    const behind = rows.filter((r) => !r.dueMinute || !r.caseKey || minuteStart(r.dueMinute) < from);
    await mapLimited(behind, KEY_PARALLEL, (r) => this.reminders.updateOne({ key: r.key, status: WAITING }, { $set: { ...dueBuckets(r.dueAt, now), caseKey: caseKeyOf(r.subject) } }));
  }

  /** The batch read up to `upTo` is handled: the next pass (of any instance) starts from there. */
  async markDispatched(upTo: string): Promise<void> {
    const set = { minute: upTo, updatedAt: this.clock.now(), by: this.instanceId };
    try {
      await this.marks.updateOne({ _id: MARK_ID }, { $set: set }, { upsert: true });
    } catch (err) {
      // Two first passes created it at once: the later one updates it.
      if (!isDuplicateKey(err)) throw err;
      await this.marks.updateOne({ _id: MARK_ID }, { $set: set });
    }
  }

  /**
   * Puts scheduled reminders the pass could not finish (held by another sender, or its own send
   * died) in the bucket of the given moment, so a pass looks at them again then: the mark moves on
   * whatever happens to them.
   */
  async lookAgainAt(when: Map<string, Date>): Promise<void> {
    const now = this.clock.now();
    await mapLimited([...when], KEY_PARALLEL, ([key, at]) => this.reminders.updateOne({ key, status: WAITING }, { $set: dueBuckets(at, now) }));
  }

  /** Claims the delivery of a reminder: the insert decides, not a read. */
  async claim(key: string): Promise<ClaimResult> {
    if (await this.outcomes.exists({ key })) return { claimed: false, reason: 'done' };
    const now = this.clock.now();
    const last = await this.claims.findOne({ key }).sort({ generation: -1 }).lean();
    if (last && last.leaseUntil > now) return { claimed: false, reason: 'busy' };
    const generation = last ? last.generation + 1 : 0;
    try {
      await this.claims.create({ key, generation, instanceId: this.instanceId, claimedAt: now, leaseUntil: new Date(now.getTime() + this.leaseMs) });
    } catch (err) {
      if (isDuplicateKey(err)) return { claimed: false, reason: 'lost' };
      throw err;
    }
    // A late outcome from a previous generation may have landed between the check and the insert.
    if (generation > 0 && (await this.outcomes.exists({ key }))) return { claimed: false, reason: 'done' };
    return { claimed: true, generation };
  }

  /**
   * Claims a batch. Generation 0 by one unordered insert, without reading first: an outcome is
   * only ever written under a claim, so a key whose generation 0 is free has no outcome. The keys
   * whose insert failed are looked at one by one: done (its outcome exists; a status not updated
   * after a crash is repaired on the way), held by a sender whose lease runs, or taken over as
   * the next generation.
   */
  async claimMany(keys: string[]): Promise<ClaimBatch> {
    const won = new Map<string, { generation: number; leaseUntil: Date }>();
    const heldUntil = new Map<string, Date>();
    if (!keys.length) return { won, heldUntil };
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const first: ReminderClaim[] = [...new Set(keys)].map((key) => ({ key, generation: 0, instanceId: this.instanceId, claimedAt: now, leaseUntil }));
    const lost = await insertIgnoringDuplicates(this.claims, first);
    const done: ReminderOutcome[] = [];
    first.forEach((d, i) => {
      if (!lost.has(i)) won.set(d.key, { generation: 0, leaseUntil });
    });
    const taken = first.filter((_, i) => lost.has(i)).map((d) => d.key);
    await mapLimited(taken, KEY_PARALLEL, async (key) => {
      const res = await this.claimTaken(key, now, leaseUntil);
      if (res.state === 'won') won.set(key, { generation: res.generation, leaseUntil });
      else if (res.state === 'done') done.push(res.outcome);
      else heldUntil.set(key, res.until);
    });
    if (done.length) await this.applyOutcomes(done);
    return { won, heldUntil };
  }

  /** A key whose generation 0 exists. */
  private async claimTaken(
    key: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<{ state: 'won'; generation: number } | { state: 'done'; outcome: ReminderOutcome } | { state: 'held'; until: Date }> {
    const outcome = (await this.outcomes.findOne({ key }).lean()) as ReminderOutcome | null;
    if (outcome) return { state: 'done', outcome };
    const last = (await this.claims.findOne({ key }).sort({ generation: -1 }).lean()) as ReminderClaim | null;
    if (last && last.leaseUntil > now) return { state: 'held', until: last.leaseUntil };
    const generation = last ? last.generation + 1 : 0;
    try {
      await this.claims.create({ key, generation, instanceId: this.instanceId, claimedAt: now, leaseUntil });
    } catch (err) {
      if (isDuplicateKey(err)) return { state: 'held', until: leaseUntil };
      throw err;
    }
    // A late outcome of a taken-over generation may have landed meanwhile.
    const late = (await this.outcomes.findOne({ key }).lean()) as ReminderOutcome | null;
    return late ? { state: 'done', outcome: late } : { state: 'won', generation };
  }

  /** Current statuses of some reminders (key by key, a few at a time). */
  async statuses(keys: string[]): Promise<Map<string, ReminderStatus>> {
    const rows = await mapLimited(keys, KEY_PARALLEL, (key) => this.reminders.findOne({ key }).select({ key: 1, status: 1 }).lean());
    return new Map(rows.filter((r): r is NonNullable<typeof r> => Boolean(r)).map((r) => [r.key, r.status]));
  }

  /** One-shot action on a reminder (e.g. "plan a concertation" clicked twice): true the first time only. */
  async once(key: string, action: string): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.claims.create({ key: `${key}#${action}`, generation: 0, instanceId: this.instanceId, claimedAt: now, leaseUntil: now });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Frees a one-shot action whose effect failed, so it can be tried again. */
  async releaseOnce(key: string, action: string): Promise<void> {
    // Generation as $in: the key alone reaches the index (every claim has a generation 0).
    await this.claims.deleteOne({ key: `${key}#${action}`, generation: { $in: [0] } });
  }

  /**
   * Records the delivery outcome (insert, right after the send); only the first outcome of a key
   * counts (returns false for a later one). The reminder's status follows with applyOutcomes.
   */
  async recordOutcome(
    key: string,
    generation: number,
    result: { outcome: DeliveryOutcome; error?: string | null; activityId?: string | null; conversationId?: string | null; late: boolean },
  ): Promise<ReminderOutcome | null> {
    const doc: ReminderOutcome = {
      key,
      generation,
      outcome: result.outcome,
      error: result.error ? result.error.slice(0, 200) : null,
      activityId: result.activityId ?? null,
      conversationId: result.conversationId ?? null,
      late: result.late,
      at: this.clock.now(),
    };
    try {
      await this.outcomes.create(doc);
      return doc;
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  /** Records many outcomes in one insert; returns those that won (first outcome of their key). */
  async recordOutcomes(outcomes: ReminderOutcome[]): Promise<ReminderOutcome[]> {
    const lost = await insertIgnoringDuplicates(this.outcomes, outcomes);
    return outcomes.filter((_, i) => !lost.has(i));
  }

  /**
   * Brings reminders' statuses in line with their outcomes (key by key, a few at a time). Only a
   * reminder still waiting takes the delivery status (a concurrent cancel / done / snooze wins).
   */
  async applyOutcomes(outcomes: ReminderOutcome[]): Promise<void> {
    const now = this.clock.now();
    await mapLimited(outcomes, KEY_PARALLEL, (o) => {
      const set: Partial<Reminder> =
        o.outcome === 'sent'
          ? { status: 'sent', sentAt: now, late: o.late, lastError: null, attempts: o.generation + 1 }
          : { status: o.outcome === 'ambiguous' ? 'ambiguous' : 'failed', lastError: `${o.outcome}: ${o.error ?? ''}`.slice(0, 200), late: o.late, attempts: o.generation + 1 };
      return this.reminders.updateOne({ key: o.key, status: WAITING }, { $set: { ...set, updatedAt: now, updatedBy: 'system' }, ...LEAVES_BUCKETS });
    });
  }

  outcomeOf(key: string) {
    return this.outcomes.findOne({ key }).lean();
  }

  /**
   * Retention: delivered / cancelled / done reminders older than `days`, with their claims and
   * outcomes. Reads the whole collection (range on updatedAt): run by the daily purge job only.
   */
  async purgeOlderThan(days: number): Promise<number> {
    const before = new Date(this.clock.now().getTime() - days * 86_400_000);
    const old = await this.reminders
      .find({ status: { $in: ['sent', 'cancelled', 'done', 'snoozed'] }, updatedAt: { $lt: before } })
      .select({ key: 1 })
      .limit(5000)
      .lean();
    if (!old.length) return 0;
    const keys = old.map((r) => r.key);
    await this.outcomes.deleteMany({ key: { $in: keys } });
    await this.claims.deleteMany({ key: { $in: keys } });
    // One-shot action claims of those reminders ("<key>#action").
    await this.claims.deleteMany({ key: { $in: keys.map((k) => `${k}#planConcertation`) } });
    const res = await this.reminders.deleteMany({ key: { $in: keys } });
    return res.deletedCount ?? 0;
  }

  private async log(actor: string, action: string, subject: string, details: Record<string, unknown>): Promise<void> {
    await this.audit.create({ at: this.clock.now(), actor, action, subject, details });
  }
}

/**
 * Inserts documents unordered, each duplicate key failing alone. Returns the indexes of the
 * documents that were NOT inserted because their unique key exists. Other errors are thrown.
 */
export async function insertIgnoringDuplicates<T>(model: Model<T>, docs: T[]): Promise<Set<number>> {
  const lost = new Set<number>();
  if (!docs.length) return lost;
  try {
    await model.collection.insertMany(docs.map((d) => ({ ...d })) as never[], { ordered: false });
    return lost;
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ code?: number; index?: number }>;
    if (list.length && list.every((e) => e.code === 11000 && typeof e.index === 'number')) {
      for (const e of list) lost.add(e.index!);
      return lost;
    }
    if (!isDuplicateKey(err)) throw err;
  }
  // The server did not say which ones failed: one by one (the inserted ones fail as duplicates now,
  // so only documents whose key was absent before are told apart by their own insert).
  throw new Error('duplicate key without per-document detail');
}
