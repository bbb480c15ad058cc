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
import type { Model } from 'mongoose';
import { isReminderKind, reminderKey, ReminderKind, snoozeUntil, SnoozeChoice } from '../domain/reminderDates';
import type { AuditEntry } from '../models/audit';
import { isDuplicateKeyError } from '../models/db';
import type { Reminder, ReminderStatus } from '../models/reminder';
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

export interface ReminderServiceOptions {
  /** How long a claim protects a send in progress. Must exceed the longest send. */
  leaseMs?: number;
  /** Identifies this bot instance in claims (diagnostics only). */
  instanceId?: string;
}

const OPEN: ReminderStatus[] = ['scheduled'];
/** Due reminders nobody is sure reached their recipient: they stay in the organiser's list. */
const UNDELIVERED: ReminderStatus[] = ['failed', 'ambiguous'];
const MAX_LIST = 50;
const MAX_PAGED_LIST = 5000;

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
    const already = new Set((await this.reminders.find({ key: { $in: docs.map((d) => d.key) } }).select({ key: 1 }).lean()).map((r) => r.key));
    const existing: string[] = [];
    const fresh: Reminder[] = [];
    const seen = new Set<string>();
    for (const d of docs) {
      if (already.has(d.key) || seen.has(d.key)) existing.push(d.key);
      else {
        seen.add(d.key);
        fresh.push(d);
      }
    }
    // One unordered insert; a key planned meanwhile by someone else fails alone (unique index).
    const lost = await insertIgnoringDuplicates(this.reminders, fresh);
    const inserted = fresh.filter((_, i) => !lost.has(i)).map((d) => d.key);
    existing.push(...fresh.filter((_, i) => lost.has(i)).map((d) => d.key));
    if (existing.length) {
      await this.reminders.updateMany({ key: { $in: existing }, status: 'cancelled' }, { $set: { status: 'scheduled', updatedAt: this.clock.now(), updatedBy: by } });
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
    const open = await this.reminders.find({ subject, status: { $in: OPEN } }).select({ key: 1, rootKey: 1 }).lean();
    // A snoozed copy belongs to its root: it stays when its root stays.
    const stale = open.filter((r) => !keep.has(r.key) && !keep.has(r.rootKey)).map((r) => r.key);
    if (stale.length) {
      await this.reminders.updateMany({ key: { $in: stale }, status: { $in: OPEN } }, { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by } });
    }
    const planned = await this.plan(next, by);
    await this.log(by, 'reminders.replanned', subject, { cancelled: stale.length, inserted: planned.inserted.length });
    return { cancelled: stale.length, ...planned };
  }

  /** The subject is gone (meeting cancelled, case stopped, action done): nothing more is sent. */
  async cancelSubject(subject: string, by = 'system'): Promise<number> {
    const res = await this.reminders.updateMany({ subject, status: { $in: OPEN } }, { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by } });
    await this.log(by, 'reminders.cancelled', subject, { count: res.modifiedCount ?? 0 });
    return res.modifiedCount ?? 0;
  }

  /** Cancels one person's reminders of a subject (a participant removed from a case). */
  async cancelForRecipient(subject: string, aadObjectId: string, by = 'system'): Promise<number> {
    const res = await this.reminders.updateMany(
      { subject, recipientAadObjectId: aadObjectId, status: { $in: OPEN } },
      { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by } },
    );
    return res.modifiedCount ?? 0;
  }

  get(key: string) {
    return this.reminders.findOne({ key }).lean();
  }

  async cancel(key: string, by: string): Promise<Reminder | null> {
    await this.reminders.updateOne({ key, status: { $in: OPEN } }, { $set: { status: 'cancelled', updatedAt: this.clock.now(), updatedBy: by } });
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
      if (!isDuplicateKeyError(err)) throw err;
    }
    await this.reminders.updateOne({ key, status: { $in: ['scheduled', 'sent', ...UNDELIVERED] } }, { $set: { status: 'snoozed', updatedAt: this.clock.now(), updatedBy: by } });
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
    await this.reminders.updateOne({ key }, { $set: { status: 'done', updatedAt: now, updatedBy: by } });
    await this.reminders.updateMany({ rootKey: r.rootKey, key: { $ne: key }, status: { $in: OPEN } }, { $set: { status: 'done', updatedAt: now, updatedBy: by } });
    await this.log(by, 'reminder.done', key, {});
    return this.get(key);
  }

  /** A user's upcoming reminders (as recipient). */
  upcomingFor(aadObjectId: string) {
    return this.reminders.find({ recipientAadObjectId: aadObjectId, status: { $in: OPEN } }).sort({ dueAt: 1 }).limit(MAX_LIST).lean();
  }

  /** An organiser's cases' reminders: upcoming ones, and the failed or unconfirmed ones (so they stay visible). */
  upcomingForOrganiser(aadObjectId: string) {
    return this.reminders
      .find({ organiserAadObjectId: aadObjectId, status: { $in: [...OPEN, ...UNDELIVERED] } })
      .sort({ dueAt: 1 })
      .limit(MAX_LIST)
      .lean();
  }

  /**
   * What "my reminders" shows: the user's upcoming reminders and, for an organiser, their cases'
   * upcoming ones, each once. The failed and unconfirmed reminders of the cases someone organises
   * are shown to them even without the organiser role (nothing undelivered may stay unseen).
   * Paged by the card, so the cap is only a safety net.
   */
  listFor(aadObjectId: string, asOrganiser: boolean) {
    const mine = { recipientAadObjectId: aadObjectId, status: { $in: OPEN } };
    const organised = { organiserAadObjectId: aadObjectId, status: { $in: asOrganiser ? [...OPEN, ...UNDELIVERED] : UNDELIVERED } };
    const query = { $or: [mine, organised] };
    return this.reminders.find(query).sort({ dueAt: 1, key: 1 }).limit(MAX_PAGED_LIST).lean();
  }

  /** Reminders due at `now` and not yet delivered, oldest first. */
  dueNow(now: Date, limit = 500) {
    return this.reminders.find({ status: 'scheduled', dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).lean();
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
      if (isDuplicateKeyError(err)) return { claimed: false, reason: 'lost' };
      throw err;
    }
    // A late outcome from a previous generation may have landed between the check and the insert.
    if (generation > 0 && (await this.outcomes.exists({ key }))) return { claimed: false, reason: 'done' };
    return { claimed: true, generation };
  }

  /**
   * Claims a batch in a few round trips: outcomes and claims read with $in, new claims inserted
   * unordered (each duplicate fails alone), then our own inserts read back. Returns the keys this
   * instance won, with their generation and lease end. Reminders whose outcome exists but whose
   * status was not updated (crash between the two writes) are repaired on the way.
   */
  async claimMany(keys: string[]): Promise<Map<string, { generation: number; leaseUntil: Date }>> {
    const won = new Map<string, { generation: number; leaseUntil: Date }>();
    if (!keys.length) return won;
    const now = this.clock.now();
    const done = (await this.outcomes.find({ key: { $in: keys } }).lean()) as ReminderOutcome[];
    if (done.length) await this.applyOutcomes(done);
    const doneKeys = new Set(done.map((o) => o.key));
    const open = keys.filter((k) => !doneKeys.has(k));
    const latest = new Map<string, ReminderClaim>();
    for (const c of (await this.claims.find({ key: { $in: open } }).lean()) as ReminderClaim[]) {
      const prev = latest.get(c.key);
      if (!prev || c.generation > prev.generation) latest.set(c.key, c);
    }
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const docs: ReminderClaim[] = [];
    for (const key of open) {
      const last = latest.get(key);
      if (last && last.leaseUntil > now) continue; // someone is sending it
      docs.push({ key, generation: last ? last.generation + 1 : 0, instanceId: this.instanceId, claimedAt: now, leaseUntil });
    }
    if (!docs.length) return won;
    const lost = await insertIgnoringDuplicates(this.claims, docs);
    docs.forEach((d, i) => {
      if (!lost.has(i)) won.set(d.key, { generation: d.generation, leaseUntil: d.leaseUntil });
    });
    // A late outcome of a taken-over generation may have landed meanwhile.
    const retaken = [...won.entries()].filter(([, v]) => v.generation > 0).map(([k]) => k);
    if (retaken.length) for (const o of await this.outcomes.find({ key: { $in: retaken } }).select({ key: 1 }).lean()) won.delete(o.key);
    return won;
  }

  /** Current statuses of some reminders (one query). */
  async statuses(keys: string[]): Promise<Map<string, ReminderStatus>> {
    const rows = await this.reminders.find({ key: { $in: keys } }).select({ key: 1, status: 1 }).lean();
    return new Map(rows.map((r) => [r.key, r.status]));
  }

  /** One-shot action on a reminder (e.g. "plan a concertation" clicked twice): true the first time only. */
  async once(key: string, action: string): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.claims.create({ key: `${key}#${action}`, generation: 0, instanceId: this.instanceId, claimedAt: now, leaseUntil: now });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Frees a one-shot action whose effect failed, so it can be tried again. */
  async releaseOnce(key: string, action: string): Promise<void> {
    await this.claims.deleteOne({ key: `${key}#${action}`, generation: 0 });
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
      if (isDuplicateKeyError(err)) return null;
      throw err;
    }
  }

  /** Records many outcomes in one insert; returns those that won (first outcome of their key). */
  async recordOutcomes(outcomes: ReminderOutcome[]): Promise<ReminderOutcome[]> {
    const lost = await insertIgnoringDuplicates(this.outcomes, outcomes);
    return outcomes.filter((_, i) => !lost.has(i));
  }

  /**
   * Brings reminders' statuses in line with their outcomes, grouped in few updates. Only a
   * reminder still waiting takes the delivery status (a concurrent cancel / done / snooze wins).
   */
  async applyOutcomes(outcomes: ReminderOutcome[]): Promise<void> {
    const now = this.clock.now();
    const groups = new Map<string, { set: Partial<Reminder>; keys: string[] }>();
    for (const o of outcomes) {
      const set: Partial<Reminder> =
        o.outcome === 'sent'
          ? { status: 'sent', sentAt: now, late: o.late, lastError: null, attempts: o.generation + 1 }
          : { status: o.outcome === 'ambiguous' ? 'ambiguous' : 'failed', lastError: `${o.outcome}: ${o.error ?? ''}`.slice(0, 200), late: o.late, attempts: o.generation + 1 };
      const id = o.outcome === 'sent' ? `sent:${o.late}:${o.generation}` : `undelivered:${o.key}`;
      const g = groups.get(id);
      if (g) g.keys.push(o.key);
      else groups.set(id, { set, keys: [o.key] });
    }
    for (const { set, keys } of groups.values()) {
      await this.reminders.updateMany({ key: { $in: keys }, status: 'scheduled' }, { $set: { ...set, updatedAt: now, updatedBy: 'system' } });
    }
  }

  outcomeOf(key: string) {
    return this.outcomes.findOne({ key }).lean();
  }

  /** Retention: delivered / cancelled / done reminders older than `days`, with their claims and outcomes. */
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
    if (!isDuplicateKeyError(err)) throw err;
  }
  // The server did not say which ones failed: one by one (the inserted ones fail as duplicates now,
  // so only documents whose key was absent before are told apart by their own insert).
  throw new Error('duplicate key without per-document detail');
}
