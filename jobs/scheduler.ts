// The job scheduler: agenda 6 on the same database (MongoDB backend). Job definitions register
// through `define`; the scheduler only owns start/stop. agenda's lock is a findOneAndUpdate, which
// FerretDB v1 does not make atomic, so a job may run twice on two instances: every job that sends
// must guard itself with an idempotency key (see jobs/ that send).
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, Job } from 'agenda';
import type { Db } from 'mongodb';
import { intervalMs } from './interval';

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface Scheduler {
  agenda: Agenda;
  define<T>(name: string, handler: JobHandler<T>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  isRunning(): boolean;
}

export interface SchedulerOptions {
  processEvery?: string | number;
  /** A job running longer than this is considered dead; agenda also keeps a timer of half of it per run. */
  lockLifetime?: string | number;
  name?: string;
}

export function createScheduler(db: Db, options: SchedulerOptions = {}): Scheduler {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: 'agendaJobs' }),
    name: options.name,
    // A number: agenda's own parser reads "500 ms" as NaN and falls back to 5 s (see jobs/interval.ts).
    processEvery: intervalMs(options.processEvery ?? '30 seconds'),
    defaultConcurrency: 5,
    defaultLockLifetime: intervalMs(options.lockLifetime ?? '10 minutes'),
    maxConcurrency: 20,
  });
  let running = false;
  return {
    agenda,
    define: (name, handler) => agenda.define(name, handler),
    start: async () => {
      await agenda.start();
      running = true;
    },
    stop: async () => {
      // agenda connects its backend (indexes) from its constructor: let that finish before the
      // database is closed, even when the scheduler was never started.
      if (!running) return void (await agenda.ready);
      running = false;
      await agenda.stop();
    },
    isRunning: () => running,
  };
}
