// The delivery side of the reminder engine: which reminders are due (due buckets walked from a
// mark shared by the instances) and the claims and outcomes that make a send happen exactly once.
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
// Due reminders are found by walking due buckets (dueMinute / dueHour / dueDay, see
// models/reminder.ts) from a shared mark instead of a range on dueAt; batches are looked up key by
// key, a few at a time.
import { isDuplicateKey } from '../models/db';
import { caseKeyOf } from '../domain/reminderPayload';
import { dueBuckets, Reminder, ReminderStatus } from '../models/reminder';
import type { ReminderClaim } from '../models/reminderClaim';
import type { DeliveryOutcome, ReminderOutcome } from '../models/reminderOutcome';
import { insertIgnoringDuplicates, KEY_PARALLEL, LEAVES_BUCKETS, mapLimited, OPEN, ReminderCollections, WAITING } from './reminderStore';

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

export class ReminderDelivery {
  constructor(
    private readonly store: ReminderCollections,
    /** How long a claim protects a send in progress. Must exceed the longest send. */
    private readonly leaseMs: number,
    /** Identifies this bot instance in claims (diagnostics only). */
    readonly instanceId: string,
  ) {}

  /**
   * Scheduled reminders due now, oldest bucket first: the due buckets from a few minutes before
   * the shared mark up to the current minute, one equality probe each (after a long stop, whole
   * past days and hours are one probe each). A bucket that fills the batch is read again by the
   * next pass (`upTo` stays on it).
   */
  async dueBatch(limit = 500): Promise<DueBatch> {
    const now = this.store.clock.now();
    const nowMinute = minuteStart(minuteOf(now));
    const mark = await this.store.marks.findOne({ _id: MARK_ID }).lean();
    // A clock moved back behind the mark reads from its own minute.
    const from = Math.min(mark ? minuteStart(mark.minute) : nowMinute, nowMinute) - DISPATCH_OVERLAP_MINUTES * MINUTE;
    if (!mark) await this.bucketUnbucketed(from, now);
    const probes = bucketsBetween(from, nowMinute);
    const due: Reminder[] = [];
    for (let i = 0; i < probes.length; i += PROBE_PARALLEL) {
      const chunk = probes.slice(i, i + PROBE_PARALLEL);
      const found = await Promise.all(chunk.map((p) => this.store.reminders.find({ [p.field]: p.value, status: WAITING }).sort({ dueAt: 1 }).limit(limit).lean() as Promise<Reminder[]>));
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
    const { reminders } = this.store;
    const rows = (await reminders.find({ status: OPEN }).select({ key: 1, subject: 1, dueAt: 1, dueMinute: 1, caseKey: 1 }).lean()) as Reminder[];
    const behind = rows.filter((r) => !r.dueMinute || !r.caseKey || minuteStart(r.dueMinute) < from);
    await mapLimited(behind, KEY_PARALLEL, (r) => reminders.updateOne({ key: r.key, status: WAITING }, { $set: { ...dueBuckets(r.dueAt, now), caseKey: caseKeyOf(r.subject) } }));
  }

  /** The batch read up to `upTo` is handled: the next pass (of any instance) starts from there. */
  async markDispatched(upTo: string): Promise<void> {
    const set = { minute: upTo, updatedAt: this.store.clock.now(), by: this.instanceId };
    try {
      await this.store.marks.updateOne({ _id: MARK_ID }, { $set: set }, { upsert: true });
    } catch (err) {
      // Two first passes created it at once: the later one updates it.
      if (!isDuplicateKey(err)) throw err;
      await this.store.marks.updateOne({ _id: MARK_ID }, { $set: set });
    }
  }

  /**
   * Puts scheduled reminders the pass could not finish (held by another sender, or its own send
   * died) in the bucket of the given moment, so a pass looks at them again then: the mark moves on
   * whatever happens to them.
   */
  async lookAgainAt(when: Map<string, Date>): Promise<void> {
    const now = this.store.clock.now();
    await mapLimited([...when], KEY_PARALLEL, ([key, at]) => this.store.reminders.updateOne({ key, status: WAITING }, { $set: dueBuckets(at, now) }));
  }

  /** Claims the delivery of a reminder: the insert decides, not a read. */
  async claim(key: string): Promise<ClaimResult> {
    const { claims, outcomes, clock } = this.store;
    if (await outcomes.exists({ key })) return { claimed: false, reason: 'done' };
    const now = clock.now();
    const last = await claims.findOne({ key }).sort({ generation: -1 }).lean();
    if (last && last.leaseUntil > now) return { claimed: false, reason: 'busy' };
    const generation = last ? last.generation + 1 : 0;
    try {
      await claims.create({ key, generation, instanceId: this.instanceId, claimedAt: now, leaseUntil: new Date(now.getTime() + this.leaseMs) });
    } catch (err) {
      if (isDuplicateKey(err)) return { claimed: false, reason: 'lost' };
      throw err;
    }
    // A late outcome from a previous generation may have landed between the check and the insert.
    if (generation > 0 && (await outcomes.exists({ key }))) return { claimed: false, reason: 'done' };
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
    const now = this.store.clock.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const first: ReminderClaim[] = [...new Set(keys)].map((key) => ({ key, generation: 0, instanceId: this.instanceId, claimedAt: now, leaseUntil }));
    const lost = await insertIgnoringDuplicates(this.store.claims, first);
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
    const { claims, outcomes } = this.store;
    const outcome = (await outcomes.findOne({ key }).lean()) as ReminderOutcome | null;
    if (outcome) return { state: 'done', outcome };
    const last = (await claims.findOne({ key }).sort({ generation: -1 }).lean()) as ReminderClaim | null;
    if (last && last.leaseUntil > now) return { state: 'held', until: last.leaseUntil };
    const generation = last ? last.generation + 1 : 0;
    try {
      await claims.create({ key, generation, instanceId: this.instanceId, claimedAt: now, leaseUntil });
    } catch (err) {
      if (isDuplicateKey(err)) return { state: 'held', until: leaseUntil };
      throw err;
    }
    // A late outcome of a taken-over generation may have landed meanwhile.
    const late = (await outcomes.findOne({ key }).lean()) as ReminderOutcome | null;
    return late ? { state: 'done', outcome: late } : { state: 'won', generation };
  }

  /** Current statuses of some reminders (key by key, a few at a time). */
  async statuses(keys: string[]): Promise<Map<string, ReminderStatus>> {
    const rows = await mapLimited(keys, KEY_PARALLEL, (key) => this.store.reminders.findOne({ key }).select({ key: 1, status: 1 }).lean());
    return new Map(rows.filter((r): r is NonNullable<typeof r> => Boolean(r)).map((r) => [r.key, r.status]));
  }

  /**
   * Records the delivery outcome (insert, right after the send); only the first outcome of a key
   * counts (returns null for a later one). The reminder's status follows with applyOutcomes.
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
      at: this.store.clock.now(),
    };
    try {
      await this.store.outcomes.create(doc);
      return doc;
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  /** Records many outcomes in one insert; returns those that won (first outcome of their key). */
  async recordOutcomes(outcomes: ReminderOutcome[]): Promise<ReminderOutcome[]> {
    const lost = await insertIgnoringDuplicates(this.store.outcomes, outcomes);
    return outcomes.filter((_, i) => !lost.has(i));
  }

  /**
   * Brings reminders' statuses in line with their outcomes (key by key, a few at a time). Only a
   * reminder still waiting takes the delivery status (a concurrent cancel / done / snooze wins).
   */
  async applyOutcomes(outcomes: ReminderOutcome[]): Promise<void> {
    const now = this.store.clock.now();
    await mapLimited(outcomes, KEY_PARALLEL, (o) => {
      const set: Partial<Reminder> =
        o.outcome === 'sent'
          ? { status: 'sent', sentAt: now, late: o.late, lastError: null, attempts: o.generation + 1 }
          : { status: o.outcome === 'ambiguous' ? 'ambiguous' : 'failed', lastError: `${o.outcome}: ${o.error ?? ''}`.slice(0, 200), late: o.late, attempts: o.generation + 1 };
      return this.store.reminders.updateOne({ key: o.key, status: WAITING }, { $set: { ...set, updatedAt: now, updatedBy: 'system' }, ...LEAVES_BUCKETS });
    });
  }

  outcomeOf(key: string) {
    return this.store.outcomes.findOne({ key }).lean();
  }
}
