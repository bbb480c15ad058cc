// The reminder dispatch job: finds due reminders, claims each by insert (services/reminders.ts),
// sends it through the ProactiveMessenger (one rate limiter, retries), records the outcome.
// Two instances may run it at the same moment (agenda's lock is not atomic on FerretDB): the
// claim insert decides who sends. Nothing is dropped silently: a reminder that cannot be
// delivered is marked failed (shown in the organiser's "my reminders") and the organiser is told.
import { isLate } from '../domain/reminderDates';
import { Locale, t } from '../locales/i18n';
import type { Reminder } from '../models/reminder';
import type { ProactiveResult, Outgoing } from '../bot/proactive';
import type { Logger } from '../bot/logger';
import { formatWhen, reminderCard, reminderTexts } from '../cards/reminder';
import type { Clock } from '../services/clock';
import type { ReminderService } from '../services/reminders';
import type { Scheduler } from './scheduler';

export const DISPATCH_JOB = 'reminders.dispatch';

export interface ReminderMessenger {
  send(conversationId: string, activity: Outgoing): Promise<ProactiveResult>;
  sendToUser(user: { aadObjectId: string; teamsUserId?: string | null }, activity: Outgoing, via?: string): Promise<ProactiveResult>;
}

export interface OrganiserContact {
  teamsUserId: string | null;
  locale: Locale;
}

export interface ReminderDispatcherDeps {
  reminders: ReminderService;
  messenger: ReminderMessenger;
  clock: Clock;
  logger: Logger;
  /** How an organiser is reached (Teams user id to open a 1:1 chat, language). */
  organiserContact(aadObjectId: string): Promise<OrganiserContact>;
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
  failed: number;
  skipped: number;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
export const cardActivity = (card: object): Outgoing => ({ type: 'message', attachments: [{ contentType: ADAPTIVE, content: card }] });

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
    const total: DispatchReport = { due: 0, claimed: 0, sent: 0, failed: 0, skipped: 0 };
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.runOnce();
      for (const k of Object.keys(total) as (keyof DispatchReport)[]) total[k] += r[k];
      if (r.claimed === 0 || r.due < (this.deps.batchSize ?? 500)) break;
    }
    return total;
  }

  private async pass(): Promise<DispatchReport> {
    const now = this.deps.clock.now();
    const due = (await this.deps.reminders.dueNow(now, this.deps.batchSize ?? 500)) as Reminder[];
    const report: DispatchReport = { due: due.length, claimed: 0, sent: 0, failed: 0, skipped: 0 };
    // One queue per recipient: a recipient's reminders go in order, recipients in parallel.
    const queues = new Map<string, Reminder[]>();
    for (const r of due) {
      const id = r.recipientAadObjectId ?? r.recipientConversationId ?? r.key;
      const q = queues.get(id);
      if (q) q.push(r);
      else queues.set(id, [r]);
    }
    const lists = Array.from(queues.values());
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < lists.length) {
        const list = lists[next++];
        for (const r of list) {
          try {
            const outcome = await this.deliver(r);
            report[outcome]++;
            if (outcome !== 'skipped') report.claimed++;
          } catch (err) {
            // The claim stays: after its lease another pass takes the reminder over.
            this.deps.logger.error({ err: (err as Error)?.name, kind: r.kind }, 'reminder dispatch error');
            report.skipped++;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 64, lists.length) }, worker));
    if (report.claimed) this.deps.logger.info({ ...report }, 'reminders dispatched');
    return report;
  }

  private async deliver(r: Reminder): Promise<'sent' | 'failed' | 'skipped'> {
    const { reminders, messenger, clock } = this.deps;
    const claim = await reminders.claim(r.key);
    if (!claim.claimed) return 'skipped';
    // Cancelled, snoozed or done since the query: not sent (the claim's lease simply runs out).
    const current = (await reminders.get(r.key)) as Reminder | null;
    if (!current || current.status !== 'scheduled') return 'skipped';

    const now = clock.now();
    const late = isLate(current.dueAt, now, this.deps.lateGraceMs);
    const activity = cardActivity(reminderCard(current, current.locale, { late }));
    if (!(await reminders.stillHolds(r.key, claim.generation))) return 'skipped';
    let result: ProactiveResult;
    if (current.recipientAadObjectId) {
      result = await messenger.sendToUser(
        { aadObjectId: current.recipientAadObjectId, teamsUserId: current.recipientTeamsUserId },
        activity,
        current.viaConversationId ?? undefined,
      );
    } else {
      result = await messenger.send(current.recipientConversationId!, activity);
    }

    if (result.ok) {
      await reminders.recordOutcome(r.key, claim.generation, { outcome: 'sent', activityId: result.activityId ?? null, conversationId: result.conversationId, late });
      return 'sent';
    }
    const outcome = result.outcome === 'stale' ? 'stale' : 'failed';
    const won = await reminders.recordOutcome(r.key, claim.generation, { outcome, error: `${result.outcome} ${result.error}`, late });
    this.deps.logger.warn({ kind: current.kind, outcome: result.outcome }, 'reminder not delivered');
    if (won) await this.tellOrganiser(current, result.outcome);
    return 'failed';
  }

  /** The organiser learns (1:1) that a reminder of their case could not be delivered. */
  private async tellOrganiser(r: Reminder, reason: 'stale' | 'noReference' | 'failed'): Promise<void> {
    const organiser = r.organiserAadObjectId;
    if (!organiser || organiser === r.recipientAadObjectId) return;
    const contact = await this.deps.organiserContact(organiser);
    const locale = contact.locale;
    const text = t(locale, 'reminder.failure.organiserMessage', {
      subject: reminderTexts(r, locale).subject,
      due: formatWhen(r.dueAt, locale),
      reason: t(locale, `reminder.failure.${reason}`),
    });
    const res = await this.deps.messenger.sendToUser({ aadObjectId: organiser, teamsUserId: contact.teamsUserId }, { type: 'message', text }, r.viaConversationId ?? undefined);
    if (!res.ok) this.deps.logger.error({ outcome: res.outcome }, 'organiser not told of an undelivered reminder');
  }
}

export interface ReminderJobOptions {
  /** agenda interval, e.g. "1 minute" or "500 ms". */
  every: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * "500 ms", "30 seconds", "1 day" → milliseconds. agenda is given a number: its own parser leaves
 * "500 ms" without a next run (the job would never run).
 */
export function intervalMs(text: string): number {
  const m = /^(\d+)\s*(ms|milliseconds?|seconds?|minutes?|hours?|days?)$/.exec(text.trim());
  if (!m) throw new RangeError(`invalid interval "${text}"`);
  const unit = m[2] === 'ms' ? 'ms' : m[2].replace(/s$/, '');
  return Number(m[1]) * UNIT_MS[unit];
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
