// The reminder dispatch job: finds due reminders, claims each by insert (services/reminderDelivery.ts),
// sends it through the reminder messenger (jobs/ports.ts; in Teams one rate limiter, retries),
// records the outcome.
// Two instances may run it at the same moment (agenda's lock is not atomic on FerretDB): the
// claim insert decides who sends. Nothing is dropped silently: a reminder that cannot be
// delivered is marked failed (shown in the organiser's "my reminders") and the organiser is told.
// A send that may have been posted (timed out or cut after the request left) is never resent:
// it is marked ambiguous, shown and told the same way (docs/outbound.md). The organiser is told
// once per pass, in one message listing their undelivered reminders, after the pass's reminders
// went out: their notices never queue in front of other people's reminders.
// Due reminders are read bucket by bucket from a mark shared by the instances (services/
// reminderDelivery.ts dueBatch): a reminder the pass cannot finish (held by another sender, its send
// died) is put in a later bucket before the mark moves on, so it is looked at again, never lost.
import { isLate } from '../domain/reminderDates';
import type { Reminder } from '../models/reminder';
import type { ReminderOutcome } from '../models/reminderOutcome';
import type { Clock } from '../services/clock';
import type { ReminderDelivery } from '../services/reminderDelivery';
import { intervalMs } from './interval';
import type { Delivery, Log, ReminderMessenger, UndeliveredNotice } from './ports';
import type { Scheduler } from './scheduler';

export const DISPATCH_JOB = 'reminders.dispatch';

/**
 * Claims taken over without an outcome (each sender died or threw) before the reminder is given
 * up as ambiguous: a reminder that always crashes its pass must not stay "scheduled" for ever.
 */
export const MAX_CLAIM_GENERATIONS = 3;

/** Undelivered reminders named one by one in an organiser's notice; the rest are counted. */
export const MAX_LISTED_IN_NOTICE = 10;

type Untold = UndeliveredNotice['listed'][number];
/** The languages a reminder is sent in. */
type Locale = Reminder['locale'];

export interface ReminderDispatcherDeps {
  reminders: ReminderDelivery;
  messenger: ReminderMessenger;
  clock: Clock;
  logger: Log;
  /**
   * Members' preferred languages now (MemberService.preferredLocales): a member who changed
   * language since the reminder was planned gets it in the new one. Others keep the planned one.
   */
  preferredLocales?(aadObjectIds: string[]): Promise<Map<string, Locale>>;
  /** A reminder sent later than this after its due time says it is late. */
  lateGraceMs: number;
  /** Reminders read per pass. */
  batchSize?: number;
  /** Recipients served in parallel (each recipient's reminders go one after the other). */
  concurrency?: number;
}

export interface DispatchReport {
  due: number;
  claimed: number;
  sent: number;
  /** Not delivered: failed, stale, no reference, or ambiguous (counted in `ambiguous` too). */
  failed: number;
  /** Sent but not confirmed by Teams: not resent, shown to the organiser. */
  ambiguous: number;
  skipped: number;
}

const FLUSH_EVERY_COUNT = 25;
const FLUSH_EVERY_MS = 250;

export class ReminderDispatcher {
  private running: Promise<DispatchReport> | null = null;

  constructor(private readonly deps: ReminderDispatcherDeps) {}

  /** One pass over the due reminders; overlapping calls on one instance share the pass in progress. */
  runOnce(): Promise<DispatchReport> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /** Passes until nothing due is left (a backlog larger than one batch). */
  async drain(maxPasses = 20): Promise<DispatchReport> {
    const total: DispatchReport = { due: 0, claimed: 0, sent: 0, failed: 0, ambiguous: 0, skipped: 0 };
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.runOnce();
      for (const k of Object.keys(total) as (keyof DispatchReport)[]) total[k] += r[k];
      if (r.claimed === 0 || r.due < (this.deps.batchSize ?? 500)) break;
    }
    return total;
  }

  private async pass(): Promise<DispatchReport> {
    const { reminders, clock } = this.deps;
    const { due, upTo } = await reminders.dueBatch(this.deps.batchSize ?? 500);
    const report: DispatchReport = { due: due.length, claimed: 0, sent: 0, failed: 0, ambiguous: 0, skipped: 0 };
    if (!due.length) {
      await reminders.markDispatched(upTo);
      return report;
    }
    // 1. Claim by insert: only the keys this instance won go on. Those another sender holds are
    //    looked at again when its lease ends (it may die before recording an outcome).
    const { won, heldUntil } = await reminders.claimMany(due.map((r) => r.key));
    await reminders.lookAgainAt(heldUntil);
    // 2. Re-read after the claim: cancelled, snoozed or done since the query → not sent (the
    //    claim's lease simply runs out; a re-planned reminder is taken over after it).
    const fresh = won.size ? await reminders.statuses([...won.keys()]) : new Map();
    const toSend = due.filter((r) => won.has(r.key) && fresh.get(r.key) === 'scheduled');
    report.claimed = toSend.length;
    report.skipped = due.length - toSend.length;
    const users = [...new Set(toSend.map((r) => r.recipientAadObjectId).filter((id): id is string => Boolean(id)))];
    const languages = this.deps.preferredLocales && users.length ? await this.deps.preferredLocales(users) : new Map<string, Locale>();

    // 3. Send: one queue per recipient (in order), recipients in parallel; the messenger's
    //    limiter keeps every conversation within Teams' windows.
    const queues = new Map<string, Reminder[]>();
    for (const r of toSend) {
      const id = r.recipientAadObjectId ?? r.recipientConversationId ?? r.key;
      const q = queues.get(id);
      if (q) q.push(r);
      else queues.set(id, [r]);
    }
    const outcomes: ReminderOutcome[] = [];
    const untold: Untold[] = [];
    // Claimed here but no outcome of ours recorded: looked at again (taken over, or its status repaired).
    const unfinished = new Map<string, Date>();
    // Successful sends are recorded in small groups (one insert each): a crash loses at most the
    // group in flight, which is then re-sent after the lease (the documented at-least-once window).
    let pending: ReminderOutcome[] = [];
    let pendingSince = 0;
    const flush = async (): Promise<void> => {
      const group = pending;
      pending = [];
      if (!group.length) return;
      const recorded = await reminders.recordOutcomes(group);
      outcomes.push(...recorded);
      // An outcome of another generation was there first: its status is repaired on the next look.
      const kept = new Set(recorded.map((o) => o.key));
      for (const o of group) if (!kept.has(o.key)) unfinished.set(o.key, clock.now());
    };
    const lists = Array.from(queues.values());
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < lists.length) {
        const list = lists[next++];
        for (const r of list) {
          try {
            const outcome = await this.deliver(r, won.get(r.key)!, (r.recipientAadObjectId && languages.get(r.recipientAadObjectId)) || r.locale, untold);
            if (!outcome) {
              report.skipped++;
              unfinished.set(r.key, clock.now());
            } else if (outcome.outcome === 'sent') {
              report.sent++;
              if (!pending.length) pendingSince = Date.now();
              pending.push(outcome);
              if (pending.length >= FLUSH_EVERY_COUNT || Date.now() - pendingSince >= FLUSH_EVERY_MS) await flush();
            } else {
              report.failed++;
              if (outcome.outcome === 'ambiguous') report.ambiguous++;
              outcomes.push(outcome);
            }
          } catch (err) {
            // No outcome: after the claim's lease another pass takes the reminder over.
            this.deps.logger.error({ err: (err as Error)?.name, kind: r.kind }, 'reminder dispatch error');
            report.skipped++;
            unfinished.set(r.key, won.get(r.key)!.leaseUntil);
          }
        }
      }
    };
    const timer = setInterval(() => void flush().catch((err: Error) => this.deps.logger.error({ err: err?.name }, 'reminder outcome flush failed')), FLUSH_EVERY_MS);
    try {
      await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 64, lists.length) }, worker));
    } finally {
      clearInterval(timer);
    }
    await flush();
    // 4. Statuses follow the outcomes (claimMany repairs them after a crash).
    await reminders.applyOutcomes(outcomes);
    await reminders.lookAgainAt(unfinished);
    // Only now: a pass that dies before this point is read again from the old mark.
    await reminders.markDispatched(upTo);
    if (report.claimed) this.deps.logger.info({ ...report }, 'reminders dispatched');
    // The outcomes are recorded and listed whatever happens to these notices.
    await this.tellOrganisers(untold);
    return report;
  }

  private async deliver(r: Reminder, claim: { generation: number; leaseUntil: Date }, locale: Locale, untold: Untold[]): Promise<ReminderOutcome | null> {
    const { messenger, clock } = this.deps;
    const now = clock.now();
    // Never send on a claim whose lease ran out: another instance may have taken it over.
    if (claim.leaseUntil <= now) return null;
    const late = isLate(r.dueAt, now, this.deps.lateGraceMs);
    if (claim.generation >= MAX_CLAIM_GENERATIONS) {
      // Earlier senders may have posted it before dying: not sent again, shown as unconfirmed.
      return this.undelivered(r, claim, late, { ok: false, outcome: 'ambiguous', error: `no outcome after ${claim.generation} claims` }, untold);
    }
    const result = await messenger.sendReminder(r, { locale, late });

    if (result.ok) {
      // Recorded by the caller, grouped with others.
      return { key: r.key, generation: claim.generation, outcome: 'sent', error: null, activityId: result.activityId ?? null, conversationId: result.conversationId, late, at: clock.now() };
    }
    return this.undelivered(r, claim, late, result, untold);
  }

  /** Records a final outcome other than sent; the organiser is told at the end of the pass. */
  private async undelivered(r: Reminder, claim: { generation: number }, late: boolean, result: Extract<Delivery, { ok: false }>, untold: Untold[]): Promise<ReminderOutcome | null> {
    const outcome = await this.deps.reminders.recordOutcome(r.key, claim.generation, {
      outcome: result.outcome === 'stale' || result.outcome === 'ambiguous' ? result.outcome : 'failed',
      error: `${result.outcome} ${result.error}`,
      late,
      conversationId: result.conversationId ?? null,
    });
    this.deps.logger.warn({ kind: r.kind, outcome: result.outcome }, 'reminder not delivered');
    // The organiser's own reminder: the same chat would fail too; "my reminders" lists it.
    if (outcome && r.organiserAadObjectId && r.organiserAadObjectId !== r.recipientAadObjectId) untold.push({ reminder: r, reason: result.outcome });
    return outcome;
  }

  /**
   * Each organiser learns (1:1, one message per pass) which reminders of their cases could not be
   * delivered, or may not have been: the first ones named, the others counted ("my reminders"
   * lists them all). Organisers are told in parallel, each once.
   */
  private async tellOrganisers(untold: Untold[]): Promise<void> {
    const byOrganiser = new Map<string, Untold[]>();
    for (const u of untold) {
      const id = u.reminder.organiserAadObjectId!;
      byOrganiser.set(id, [...(byOrganiser.get(id) ?? []), u]);
    }
    await Promise.all(
      [...byOrganiser].map(([organiser, list]) =>
        this.tellOrganiser(organiser, list).catch((err: Error) => this.deps.logger.error({ err: err?.name }, 'organiser not told of an undelivered reminder')),
      ),
    );
  }

  private async tellOrganiser(organiser: string, list: Untold[]): Promise<void> {
    const notice: UndeliveredNotice = { listed: list.slice(0, MAX_LISTED_IN_NOTICE), more: Math.max(0, list.length - MAX_LISTED_IN_NOTICE) };
    const via = list.find((u) => u.reminder.viaConversationId)?.reminder.viaConversationId ?? undefined;
    const res = await this.deps.messenger.tellOrganiser(organiser, notice, via);
    if (!res.ok) this.deps.logger.error({ outcome: res.outcome }, 'organiser not told of an undelivered reminder');
  }
}

export interface ReminderJobOptions {
  /** agenda interval, e.g. "1 minute" or "500 ms". */
  every: string;
}

/** Registers the dispatch job; call before scheduler.start(). */
export function defineReminderJobs(scheduler: Scheduler, dispatcher: ReminderDispatcher, options: ReminderJobOptions): { schedule(): Promise<void> } {
  scheduler.define(DISPATCH_JOB, async () => {
    await dispatcher.drain();
  });
  return {
    // `every` also runs the job at once: reminders due while the bot was down go out on start.
    schedule: async () => {
      await scheduler.agenda.every(intervalMs(options.every), DISPATCH_JOB);
    },
  };
}
