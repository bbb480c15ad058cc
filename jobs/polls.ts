// Closes availability polls at their deadline and tells the organiser the suggestion.
// The sweep runs on every instance (agenda's lock is not atomic on FerretDB v1): closing is a
// revision insert under a unique index and the organiser notice an insert-once marker, so a
// double run closes and tells once. Time comes from the app's clock (tests move it).
import type { PollDoc } from '../models/poll';
import type { PollService } from '../services/polls';
import type { Scheduler } from './scheduler';

export const POLL_CLOSE_JOB = 'polls.closeDue';

export interface PollJobDeps {
  polls: PollService;
  /** What happens once a poll closed by itself (update the card, tell the organiser). */
  onClosed(poll: PollDoc): Promise<void>;
}

/** Defines the job (before the scheduler starts); schedule() after start. */
export function definePollJobs(scheduler: Scheduler, deps: PollJobDeps, options: { every: string | number }): { schedule(): Promise<void>; runOnce(): Promise<number> } {
  const runOnce = async (): Promise<number> => {
    const closed = await deps.polls.closeDue();
    for (const poll of closed) await deps.onClosed(poll);
    return closed.length;
  };
  scheduler.define(POLL_CLOSE_JOB, async () => {
    await runOnce();
  });
  return {
    schedule: async () => {
      // agenda's `every` does not read "200 ms" (what tests use): milliseconds go as a number.
      const ms = typeof options.every === 'string' ? /^(\d+)\s*(ms|milliseconds?)$/.exec(options.every.trim()) : null;
      await scheduler.agenda.every(ms ? Number(ms[1]) : options.every, POLL_CLOSE_JOB);
    },
    runOnce,
  };
}
