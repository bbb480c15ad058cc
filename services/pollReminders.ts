// Connects the availability polls (services/polls.ts) to the reminder engine: the poll deadline
// reminder to the Teams participants who have not answered. No botbuilder here; the sending is
// jobs/reminders.ts. Listens to the 'poll.changed' event (wired in bot/app.ts).
//
// Subject <trackingId>#poll-<pollId> (a case subject: stopping the case cancels it too).
//   created / deadline extended  → one reminder per Teams non-respondent (re-planned: a moved
//                                  deadline cancels the old ones; nobody is doubled);
//   answered                     → that participant's reminder is cancelled;
//   closed / auto-closed / decided / cancelled → every unsent reminder of the poll is cancelled.
// Externals (outside Teams) get none: the organiser phones them.
// An answer stored while a re-plan is running: the re-plan reads the answers again after planning
// and cancels the reminder of anyone who answered meanwhile (the answer's own cancel may have run
// before the plan was inserted).
import { pollReminderDueAt } from '../domain/followUpReminders';
import { DEFAULT_REMINDER_RULES } from '../domain/reminderDates';
import { Locale, t, toSupportedLocale } from '../locales/i18n';
import type { PollDoc } from '../models/poll';
import type { Clock } from './clock';
import type { PollChange, PollService } from './polls';
import { caseReminderSubject, PlanningLog } from './reminderPlanning';
import type { PlannedReminder, ReminderService } from './reminders';
import { SerialByKey } from './serialByKey';

export const pollSubject = (trackingId: string, pollId: string): string => caseReminderSubject(trackingId, `poll-${pollId}`);

export interface PollReminderDeps {
  polls: Pick<PollService, 'get' | 'stateOf' | 'latestAnswers'>;
  reminders: Pick<ReminderService, 'replanSubject' | 'cancelSubject' | 'cancelForRecipient'>;
  localeOf(aadObjectId: string): Promise<string | null>;
  clock: Clock;
  defaultLocale: Locale;
  log?: PlanningLog;
  hoursBefore?: number;
}

const ENDED = new Set(['closed', 'autoClosed', 'decided', 'cancelled']);

export class PollReminderPlanner {
  /** Re-plans of one subject run one after the other. */
  private readonly serial = new SerialByKey();

  constructor(private readonly deps: PollReminderDeps) {}

  /** The 'poll.changed' listener. */
  onPollChanged(e: PollChange): Promise<void> {
    const { poll, change, by } = e;
    const subject = pollSubject(poll.trackingId, poll.pollId);
    if (change === 'created' || change === 'deadlineExtended') return this.replan(poll.pollId, by).then(() => undefined);
    if (change === 'answered') {
      const aad = poll.participants.find((p) => p.key === e.participantKey)?.aadObjectId;
      if (!aad) return Promise.resolve();
      return this.serial.run(poll.pollId, async () => {
        const n = await this.deps.reminders.cancelForRecipient(subject, aad, by);
        this.deps.log?.info({ event: 'pollReminders.answered', pollId: poll.pollId, cancelled: n }, 'poll reminder cancelled for a respondent');
      });
    }
    if (ENDED.has(change)) {
      return this.serial.run(poll.pollId, async () => {
        const n = await this.deps.reminders.cancelSubject(subject, by);
        this.deps.log?.info({ event: 'pollReminders.ended', pollId: poll.pollId, change, cancelled: n }, 'poll reminders cancelled');
      });
    }
    return Promise.resolve();
  }

  /** Brings the poll's deadline reminders in line with its current revision and answers. */
  replan(pollId: string, by = 'system'): Promise<{ cancelled: number; inserted: number }> {
    return this.serial.run(pollId, async () => {
      const poll = await this.deps.polls.get(pollId);
      if (!poll) return { cancelled: 0, inserted: 0 };
      const subject = pollSubject(poll.trackingId, poll.pollId);
      const plans = poll.status === 'open' ? await this.plansFor(poll) : [];
      const res = await this.deps.reminders.replanSubject(subject, plans, by);
      // Answers stored meanwhile (see the header).
      const answered = await this.deps.polls.latestAnswers(poll.pollId);
      let late = 0;
      for (const p of plans) {
        const participant = poll.participants.find((x) => x.aadObjectId === p.recipient.aadObjectId);
        if (participant && answered.has(participant.key)) late += await this.deps.reminders.cancelForRecipient(subject, participant.aadObjectId!, by);
      }
      const cancelled = res.cancelled + late;
      this.deps.log?.info({ event: 'pollReminders.replanned', pollId: poll.pollId, cancelled, inserted: res.inserted.length }, 'poll reminders re-planned');
      return { cancelled, inserted: res.inserted.length };
    });
  }

  private async plansFor(poll: PollDoc): Promise<PlannedReminder[]> {
    const now = this.deps.clock.now();
    const dueAt = pollReminderDueAt(new Date(poll.deadlineUtc), now, this.deps.hoursBefore ?? DEFAULT_REMINDER_RULES.pollDeadlineHoursBefore);
    if (!dueAt) return [];
    const state = await this.deps.polls.stateOf(poll);
    const subject = pollSubject(poll.trackingId, poll.pollId);
    const plans: PlannedReminder[] = [];
    const seen = new Set<string>();
    for (const p of state.pending) {
      if (!p.aadObjectId || p.external || seen.has(p.aadObjectId)) continue;
      seen.add(p.aadObjectId);
      const locale = toSupportedLocale(await this.deps.localeOf(p.aadObjectId)) ?? toSupportedLocale(poll.locale) ?? this.deps.defaultLocale;
      plans.push({
        kind: 'pollDeadline',
        subject,
        dueAt,
        recipient: { aadObjectId: p.aadObjectId, teamsUserId: p.teamsUserId, viaConversationId: poll.conversationId },
        locale,
        // notAfter: the reminder card offers no snooze past the deadline; pollId: it opens the poll.
        payload: { trackingId: poll.trackingId, pollId: poll.pollId, date: new Date(poll.deadlineUtc).toISOString(), notAfter: new Date(poll.deadlineUtc).toISOString(), title: t(locale, 'poll.card.title', { trackingId: poll.trackingId }) },
        organiserAadObjectId: poll.organiser.aadObjectId,
      });
    }
    return plans;
  }
}
