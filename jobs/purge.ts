// Data retention: unfinished request drafts past their expiry, and reminders delivered, cancelled
// or done longer ago than the retention period (with their delivery claims and outcomes).
// Idempotent deletes: running on two instances at once is harmless.
import type { Logger } from '../bot/logger';
import type { DraftStore } from '../services/drafts';
import type { ReminderService } from '../services/reminders';
import { intervalMs } from './interval';
import type { Scheduler } from './scheduler';

export const PURGE_JOB = 'retention.purge';

export interface PurgeDeps {
  drafts: DraftStore;
  reminders: ReminderService;
  logger: Logger;
  reminderRetentionDays: number;
}

export async function purgeOnce(deps: PurgeDeps): Promise<{ drafts: number; reminders: number }> {
  const drafts = await deps.drafts.purgeExpired();
  const reminders = await deps.reminders.purgeOlderThan(deps.reminderRetentionDays);
  if (drafts || reminders) deps.logger.info({ drafts, reminders }, 'retention purge');
  return { drafts, reminders };
}

/** Registers the purge job; call before scheduler.start(), then schedule() after it. */
export function definePurgeJob(scheduler: Scheduler, deps: PurgeDeps, every: string): { schedule(): Promise<void> } {
  scheduler.define(PURGE_JOB, async () => {
    await purgeOnce(deps);
  });
  return {
    schedule: async () => {
      await scheduler.agenda.every(intervalMs(every), PURGE_JOB);
    },
  };
}
