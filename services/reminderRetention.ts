// Retention of delivered reminders: what was sent, cancelled, done or snoozed long enough ago goes,
// with its delivery claims, outcomes and one-shot action claims.
import { ONE_SHOT_ACTIONS, onceKey, ReminderCollections } from './reminderStore';

const DAY_MS = 86_400_000;
const MAX_PER_RUN = 5000;

/**
 * Delivered / cancelled / done reminders older than `days`, with their claims and outcomes. Reads
 * the whole collection (range on updatedAt): run by the daily purge job only.
 */
export async function purgeRemindersOlderThan(store: ReminderCollections, days: number): Promise<number> {
  const before = new Date(store.clock.now().getTime() - days * DAY_MS);
  const old = await store.reminders
    .find({ status: { $in: ['sent', 'cancelled', 'done', 'snoozed'] }, updatedAt: { $lt: before } })
    .select({ key: 1 })
    .limit(MAX_PER_RUN)
    .lean();
  if (!old.length) return 0;
  const keys = old.map((r) => r.key);
  await store.outcomes.deleteMany({ key: { $in: keys } });
  await store.claims.deleteMany({ key: { $in: keys } });
  await store.claims.deleteMany({ key: { $in: keys.flatMap((k) => ONE_SHOT_ACTIONS.map((a) => onceKey(k, a))) } });
  const res = await store.reminders.deleteMany({ key: { $in: keys } });
  return res.deletedCount ?? 0;
}
