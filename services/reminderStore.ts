// What the parts of the reminder engine share: the collections, the status filters that keep
// queries on an index, and the two ways of writing many keys (bounded parallel, unordered insert).
//
// Query shapes: on the embedded database only top-level plain equalities reach an index ($in,
// ranges, $or, regexes read the whole collection), so every query of the engine has a selective
// equality (key, subject, rootKey, recipient, organiser, caseKey, or a due bucket).
import type { Model } from 'mongoose';
import type { AuditEntry } from '../models/audit';
import { isDuplicateKey } from '../models/db';
import type { Reminder, ReminderDispatchMark, ReminderStatus } from '../models/reminder';
import type { ReminderClaim } from '../models/reminderClaim';
import type { ReminderOutcome } from '../models/reminderOutcome';
import type { Clock } from './clock';

export interface ReminderCollections {
  reminders: Model<Reminder>;
  claims: Model<ReminderClaim>;
  outcomes: Model<ReminderOutcome>;
  marks: Model<ReminderDispatchMark>;
  audit: Model<AuditEntry>;
  clock: Clock;
}

export const OPEN: ReminderStatus = 'scheduled';
/**
 * "Still waiting", next to a selective equality (key, subject, rootKey, a due bucket). Written as
 * $in on purpose: the embedded database then finds the rows by the selective field alone and
 * checks the status on those few; an equality on status would also be sent to PostgreSQL, which
 * intersects it with the index entry of every scheduled reminder (cost growing with them all).
 */
export const WAITING = { $in: [OPEN] };
/** Due buckets exist only while a reminder waits: the passes' probes never read delivered ones. */
export const LEAVES_BUCKETS = { $unset: { dueMinute: 1, dueHour: 1, dueDay: 1 } } as const;
/** Due reminders nobody is sure reached their recipient: they stay in the organiser's list. */
export const UNDELIVERED: ReminderStatus[] = ['failed', 'ambiguous'];
/** Buttons of a reminder that act once, however often and by whoever they are clicked. */
export type OneShotAction = 'planConcertation';
export const ONE_SHOT_ACTIONS: readonly OneShotAction[] = ['planConcertation'];
/** The claim (reminderClaims, generation 0) that marks a one-shot action as taken. */
export const onceKey = (key: string, action: OneShotAction): string => `${key}#${action}`;
/** Per-key lookups and updates run this many at a time (a batch is up to a few hundred keys). */
export const KEY_PARALLEL = 16;

/** Runs `fn` on each item, at most `limit` at a time; results in the items' order. */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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
