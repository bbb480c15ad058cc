// Data retention: unfinished request drafts past their expiry, reminders delivered, cancelled or
// done longer ago than the retention period (with their delivery claims and outcomes), and old
// versions of the bot's conversation state (the latest of each key always stays), and the ids of
// incoming activities kept to recognise redeliveries (FerretDB v1 has no TTL index), and the
// personal data of cases stopped longer ago than the case retention period (services/caseRetention.ts).
// Idempotent deletes: running on two instances at once is harmless.
import type { DraftStore } from '../services/drafts';
import type { ReminderService } from '../services/reminders';
import { intervalMs } from './interval';
import type { Log } from './ports';
import type { Scheduler } from './scheduler';

export const PURGE_JOB = 'retention.purge';

export interface PurgeDeps {
  drafts: Pick<DraftStore, 'purgeExpired'>;
  reminders: Pick<ReminderService, 'purgeOlderThan'>;
  logger: Pick<Log, 'info'>;
  reminderRetentionDays: number;
  /** Bot state versions older than a day are history nobody reads (optional: tests may omit it). */
  botState?: { purgeOldVersions(before: Date): Promise<number> };
  /** Redelivery claims (bot/dedupe.ts), deleted after `seenRetentionMs` (optional: tests may omit it). */
  seenActivities?: { purgeSeenBefore(before: Date): Promise<number> };
  seenRetentionMs?: number;
  /** Closed cases past their retention period (optional: tests may omit it). */
  cases?: { purgeDue(): Promise<unknown[]> };
  now?: () => Date;
}

const DAY_MS = 86_400_000;

export async function purgeOnce(deps: PurgeDeps): Promise<{ drafts: number; reminders: number; stateVersions: number; seenActivities?: number; cases?: number }> {
  // Cases first: personal data past its period is what the retention rules are about.
  const cases = deps.cases ? (await deps.cases.purgeDue()).length : undefined;
  if (cases) deps.logger.info({ cases }, 'retention purge: closed cases');
  const drafts = await deps.drafts.purgeExpired();
  const reminders = await deps.reminders.purgeOlderThan(deps.reminderRetentionDays);
  const now = deps.now?.() ?? new Date();
  const stateVersions = (await deps.botState?.purgeOldVersions(new Date(now.getTime() - DAY_MS))) ?? 0;
  if (!deps.seenActivities) {
    if (drafts || reminders || stateVersions) deps.logger.info({ drafts, reminders, stateVersions }, 'retention purge');
    return { drafts, reminders, stateVersions, ...(cases === undefined ? {} : { cases }) };
  }
  const seenActivities = await deps.seenActivities.purgeSeenBefore(new Date(now.getTime() - (deps.seenRetentionMs ?? 2 * DAY_MS)));
  if (drafts || reminders || stateVersions || seenActivities) deps.logger.info({ drafts, reminders, stateVersions, seenActivities }, 'retention purge');
  return { drafts, reminders, stateVersions, seenActivities, ...(cases === undefined ? {} : { cases }) };
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
