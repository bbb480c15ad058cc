// The reminder engine's planning side: planning (idempotent), re-planning and cancelling by
// subject, snooze / done, one-shot actions. The other sides have their own files, reached through
// this service: due reminders, claims and outcomes (services/reminderDelivery.ts), "my reminders"
// (services/reminderLists.ts), retention (services/reminderRetention.ts); the shared query rules
// are services/reminderStore.ts.
import type { Model } from 'mongoose';
import { isReminderKind, reminderKey, ReminderKind, snoozeUntil, SnoozeChoice } from '../domain/reminderDates';
import { caseKeyOf } from '../domain/reminderPayload';
import type { Locale } from '../locales/i18n';
import type { AuditEntry } from '../models/audit';
import { isDuplicateKey } from '../models/db';
import { dueBuckets, Reminder, reminderDispatchMarkModel } from '../models/reminder';
import type { ReminderClaim } from '../models/reminderClaim';
import type { ReminderOutcome } from '../models/reminderOutcome';
import type { Clock } from './clock';
import { ReminderDelivery } from './reminderDelivery';
import { ReminderLists } from './reminderLists';
import { purgeRemindersOlderThan } from './reminderRetention';
import { insertIgnoringDuplicates, KEY_PARALLEL, LEAVES_BUCKETS, mapLimited, onceKey, OneShotAction, ReminderCollections, UNDELIVERED, WAITING } from './reminderStore';

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
  locale: Locale;
  payload?: Record<string, unknown>;
  organiserAadObjectId?: string | null;
}

export class ReminderInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReminderInputError';
  }
}

export interface ReminderServiceOptions {
  /** How long a claim protects a send in progress. Must exceed the longest send. */
  leaseMs?: number;
  /** Identifies this bot instance in claims (diagnostics only). */
  instanceId?: string;
}

export function recipientId(r: ReminderRecipient): string {
  const id = r.aadObjectId || r.conversationId;
  if (!id) throw new ReminderInputError('a reminder needs a recipient: a Teams user (aadObjectId) or a conversation');
  return id;
}

export function keyOf(p: PlannedReminder): string {
  return reminderKey(p.kind, p.subject, p.dueAt, recipientId(p.recipient));
}

export class ReminderService {
  private readonly store: ReminderCollections;
  /** Due reminders, delivery claims and outcomes: what the dispatch job works with. */
  readonly delivery: ReminderDelivery;
  /** "My reminders": a person's and an organiser's reminders. */
  readonly lists: ReminderLists;

  constructor(
    reminders: Model<Reminder>,
    claims: Model<ReminderClaim>,
    outcomes: Model<ReminderOutcome>,
    audit: Model<AuditEntry>,
    clock: Clock,
    options: ReminderServiceOptions = {},
  ) {
    this.store = { reminders, claims, outcomes, audit, clock, marks: reminderDispatchMarkModel(reminders.db) };
    const instanceId = options.instanceId ?? `instance-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.delivery = new ReminderDelivery(this.store, options.leaseMs ?? 15 * 60_000, instanceId);
    this.lists = new ReminderLists(reminders);
  }

  private validate(p: PlannedReminder): void {
    if (!isReminderKind(p.kind)) throw new ReminderInputError(`unknown reminder kind "${String(p.kind)}"`);
    if (!p.subject) throw new ReminderInputError('a reminder needs a subject');
    if (!(p.dueAt instanceof Date) || Number.isNaN(p.dueAt.getTime())) throw new ReminderInputError('a reminder needs a valid dueAt');
    recipientId(p.recipient);
  }

  private toDoc(p: PlannedReminder, by: string, key = keyOf(p), rootKey = key): Reminder {
    const now = this.store.clock.now();
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
    const lost = await insertIgnoringDuplicates(this.store.reminders, fresh);
    const inserted = fresh.filter((_, i) => !lost.has(i)).map((d) => d.key);
    existing.push(...fresh.filter((_, i) => lost.has(i)).map((d) => d.key));
    if (existing.length) {
      const now = this.store.clock.now();
      // Put back in a bucket the pass has not walked past yet.
      await mapLimited([...new Set(existing)], KEY_PARALLEL, (key) =>
        this.store.reminders.updateOne({ key, status: { $in: ['cancelled'] } }, { $set: { status: 'scheduled', ...dueBuckets(dueAt.get(key)!, now), updatedAt: now, updatedBy: by } }),
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
    const open = await this.store.reminders.find({ subject, status: WAITING }).select({ key: 1, rootKey: 1 }).lean();
    // A snoozed copy belongs to its root: it stays when its root stays.
    const stale = open.filter((r) => !keep.has(r.key) && !keep.has(r.rootKey)).map((r) => r.key);
    if (stale.length) {
      await this.store.reminders.updateMany({ subject, status: WAITING, key: { $in: stale } }, { $set: { status: 'cancelled', updatedAt: this.store.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
    }
    const planned = await this.plan(next, by);
    await this.log(by, 'reminders.replanned', subject, { cancelled: stale.length, inserted: planned.inserted.length });
    return { cancelled: stale.length, ...planned };
  }

  /** The subject is gone (meeting cancelled, case stopped, action done): nothing more is sent. */
  async cancelSubject(subject: string, by = 'system'): Promise<number> {
    const res = await this.store.reminders.updateMany({ subject, status: WAITING }, { $set: { status: 'cancelled', updatedAt: this.store.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
    await this.log(by, 'reminders.cancelled', subject, { count: res.modifiedCount ?? 0 });
    return res.modifiedCount ?? 0;
  }

  /** Cancels one person's reminders of a subject (a participant removed from a case). */
  async cancelForRecipient(subject: string, aadObjectId: string, by = 'system'): Promise<number> {
    const res = await this.store.reminders.updateMany(
      { subject, recipientAadObjectId: aadObjectId, status: WAITING },
      { $set: { status: 'cancelled', updatedAt: this.store.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS },
    );
    return res.modifiedCount ?? 0;
  }

  get(key: string) {
    return this.store.reminders.findOne({ key }).lean();
  }

  async cancel(key: string, by: string): Promise<Reminder | null> {
    await this.store.reminders.updateOne({ key, status: WAITING }, { $set: { status: 'cancelled', updatedAt: this.store.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
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
      await this.store.reminders.create(child);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    await this.store.reminders.updateOne({ key, status: { $in: ['scheduled', 'sent', ...UNDELIVERED] } }, { $set: { status: 'snoozed', updatedAt: this.store.clock.now(), updatedBy: by }, ...LEAVES_BUCKETS });
    await this.log(by, 'reminder.snoozed', key, { until: until.toISOString() });
    return this.get(child.key);
  }

  snoozeFor(key: string, choice: SnoozeChoice, by: string) {
    return this.snooze(key, snoozeUntil(this.store.clock.now(), choice), by);
  }

  /** Done: this reminder and every pending snooze of it. */
  async markDone(key: string, by: string): Promise<Reminder | null> {
    const r = await this.get(key);
    if (!r) return null;
    const now = this.store.clock.now();
    await this.store.reminders.updateOne({ key }, { $set: { status: 'done', updatedAt: now, updatedBy: by }, ...LEAVES_BUCKETS });
    await this.store.reminders.updateMany({ rootKey: r.rootKey, status: WAITING, key: { $ne: key } }, { $set: { status: 'done', updatedAt: now, updatedBy: by }, ...LEAVES_BUCKETS });
    await this.log(by, 'reminder.done', key, {});
    return this.get(key);
  }

  /** One-shot action on a reminder (e.g. "plan a concertation" clicked twice): true the first time only. */
  async once(key: string, action: OneShotAction): Promise<boolean> {
    const now = this.store.clock.now();
    try {
      await this.store.claims.create({ key: onceKey(key, action), generation: 0, instanceId: this.delivery.instanceId, claimedAt: now, leaseUntil: now });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Frees a one-shot action whose effect failed, so it can be tried again. */
  async releaseOnce(key: string, action: OneShotAction): Promise<void> {
    // Generation as $in: the key alone reaches the index (every claim has a generation 0).
    await this.store.claims.deleteOne({ key: onceKey(key, action), generation: { $in: [0] } });
  }

  /** Retention (services/reminderRetention.ts), for the daily purge job. */
  purgeOlderThan(days: number): Promise<number> {
    return purgeRemindersOlderThan(this.store, days);
  }

  private async log(actor: string, action: string, subject: string, details: Record<string, unknown>): Promise<void> {
    await this.store.audit.create({ at: this.store.clock.now(), actor, action, subject, details });
  }
}
