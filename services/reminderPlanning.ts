// Connects the case (services/cases.ts) to the reminder engine (services/reminders.ts): turns case
// facts into PlannedReminders and keeps them in step with the case. No botbuilder here; the
// sending is jobs/reminders.ts. Wired in bot/app.ts on the case events.
//
// Subjects (one per thing that can move or disappear on its own, so re-planning one never
// cancels another):
//   <trackingId>#meeting-<seq>   meeting reminders of concertation <seq> (J-7, J-1 by default,
//                                per-case offsets), to every Teams participant and the organiser;
//   <trackingId>#standBy         the stand-by re-evaluation reminder to the organiser.
// Every reminder of a case has the subject <trackingId> or <trackingId>#…: stopping a case cancels
// them all (other features planning case reminders should use caseReminderSubject()).
//
// Never doubled: every plan goes through ReminderService.replanSubject / plan, whose keys are
// idempotent (same meeting, same time, same recipient = same key); a moved meeting cancels the
// old keys and plans the new ones. Re-plans of one case are serialised in this process.
import type { Model } from 'mongoose';
import { DEFAULT_REMINDER_RULES, meetingReminderTimes, standByReviewTime } from '../domain/reminderDates';
import { effectiveOffsets } from '../domain/reminderOffsets';
import { Locale, toSupportedLocale } from '../locales/i18n';
import type { Case } from '../models/case';
import type { CaseParticipant } from '../models/caseParticipant';
import type { CaseStatusEvent } from '../models/caseStatusEvent';
import type { Concertation } from '../models/concertation';
import type { Reminder } from '../models/reminder';
import type { CaseService } from './cases';
import type { Clock } from './clock';
import type { PlannedReminder, ReminderRecipient, ReminderService } from './reminders';
import { SerialByKey } from './serialByKey';

export const caseReminderSubject = (trackingId: string, part: string): string => `${trackingId}#${part}`;
export const meetingSubject = (trackingId: string, seq: number): string => caseReminderSubject(trackingId, `meeting-${seq}`);
export const standBySubject = (trackingId: string): string => caseReminderSubject(trackingId, 'standBy');

/** Ids and event names only (pino-compatible). */
export interface PlanningLog {
  info(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** What every reminder planner gets (bot/app.ts gives them the same). */
export interface PlannerContext {
  /** The language a Teams user talks to the bot in (their preferred one, else their 1:1 chat's), or null. */
  localeOf(aadObjectId: string): Promise<string | null>;
  clock: Clock;
  defaultLocale: Locale;
  log?: PlanningLog;
  /** Local hour of the day-based reminders (config/reminders.json by default). */
  hour?: number | null;
}

export interface ReminderPlanningDeps extends PlannerContext {
  cases: Pick<CaseService, 'get' | 'participants' | 'openConcertation' | 'currentStatus'>;
  reminders: Pick<ReminderService, 'plan' | 'replanSubject' | 'cancelSubject' | 'cancelForRecipient'>;
  /** Read only: which subjects of a case still have reminders waiting. */
  reminderModel: Model<Reminder>;
  standByReviewMonths?: number;
}

/** A recipient's language: their own, else the case's (or poll's), else the default. */
export async function recipientLocale(ctx: Pick<PlannerContext, 'localeOf' | 'defaultLocale'>, aadObjectId: string, subjectLocale: string | null | undefined): Promise<Locale> {
  return toSupportedLocale(await ctx.localeOf(aadObjectId)) ?? toSupportedLocale(subjectLocale) ?? ctx.defaultLocale;
}

/** Subjects of the case that still have reminders waiting. */
export async function openCaseSubjects(reminderModel: Model<Reminder>, trackingId: string): Promise<string[]> {
  // Status as $in: caseKey alone reaches the index (see WAITING in services/reminderStore.ts).
  const rows = await reminderModel
    .find({ caseKey: trackingId, status: { $in: ['scheduled'] } })
    .select({ subject: 1 })
    .lean();
  return Array.from(new Set(rows.map((r) => r.subject))).sort();
}

export class CaseReminderPlanner {
  /** Re-plans of one subject run one after the other. */
  private readonly serial = new SerialByKey();

  constructor(private readonly deps: ReminderPlanningDeps) {}

  private localeFor(aadObjectId: string, c: Case): Promise<Locale> {
    return recipientLocale(this.deps, aadObjectId, c.locale);
  }

  /** Teams participants of the case (deduplicated) and the organiser, as reminder recipients. */
  private recipients(c: Case, participants: CaseParticipant[]): Array<ReminderRecipient & { aadObjectId: string }> {
    const byAad = new Map<string, ReminderRecipient & { aadObjectId: string }>();
    for (const p of participants) {
      if (!p.aadObjectId || byAad.has(p.aadObjectId)) continue;
      byAad.set(p.aadObjectId, { aadObjectId: p.aadObjectId, teamsUserId: p.teamsUserId, viaConversationId: c.conversationId });
    }
    if (!byAad.has(c.organiserAadObjectId)) byAad.set(c.organiserAadObjectId, { aadObjectId: c.organiserAadObjectId, teamsUserId: null, viaConversationId: c.conversationId });
    return [...byAad.values()];
  }

  /** The meeting reminders a concertation should have now (past times dropped). Pure apart from the locale look-ups. */
  async meetingPlans(c: Case, concertation: Concertation, participants: CaseParticipant[]): Promise<PlannedReminder[]> {
    const times = meetingReminderTimes(concertation.start, this.deps.clock.now(), effectiveOffsets(c.reminderOffsetsDays), this.deps.hour ?? DEFAULT_REMINDER_RULES.hour);
    if (!times.length) return [];
    const subject = meetingSubject(c.trackingId, concertation.seq);
    const payload = { trackingId: c.trackingId, seq: concertation.seq, date: concertation.start.toISOString(), place: concertation.place || concertation.onlineLink || '' };
    const plans: PlannedReminder[] = [];
    for (const recipient of this.recipients(c, participants)) {
      const locale = await this.localeFor(recipient.aadObjectId, c);
      for (const dueAt of times) plans.push({ kind: 'meeting', subject, dueAt, recipient, locale, payload, organiserAadObjectId: c.organiserAadObjectId });
    }
    return plans;
  }

  /**
   * Brings the meeting reminders of the case in line with its facts: the open concertation of a
   * scheduled case gets its reminders (old times cancelled, new ones planned, none doubled);
   * anything else has none.
   */
  replanMeeting(trackingId: string, by = 'system'): Promise<{ cancelled: number; inserted: number }> {
    return this.serial.run(trackingId, async () => {
      const c = await this.deps.cases.get(trackingId);
      if (!c) return { cancelled: 0, inserted: 0 };
      const [{ status }, concertation] = await Promise.all([this.deps.cases.currentStatus(c.trackingId), this.deps.cases.openConcertation(c.trackingId)]);
      if (status !== 'scheduled' || !concertation) {
        const cancelled = await this.cancelMeetings(c.trackingId, by);
        return { cancelled, inserted: 0 };
      }
      const plans = await this.meetingPlans(c, concertation, await this.deps.cases.participants(c.trackingId));
      const subject = meetingSubject(c.trackingId, concertation.seq);
      const res = await this.deps.reminders.replanSubject(subject, plans, by);
      // Reminders of an earlier concertation still waiting (a replaced meeting) go too.
      let cancelled = res.cancelled;
      for (const s of await this.openSubjects(c.trackingId)) if (isMeeting(s) && s !== subject) cancelled += await this.deps.reminders.cancelSubject(s, by);
      this.deps.log?.info({ event: 'caseReminders.meetingReplanned', trackingId: c.trackingId, seq: concertation.seq, cancelled, inserted: res.inserted.length }, 'meeting reminders re-planned');
      return { cancelled, inserted: res.inserted.length };
    });
  }

  /** A status change was stored. */
  onStatusChanged(e: { trackingId: string; event: Pick<CaseStatusEvent, 'from' | 'to' | 'at'>; by: string }): Promise<void> {
    const { trackingId, event, by } = e;
    switch (event.to) {
      case 'stopped':
        return this.serial.run(trackingId, async () => {
          const n = await this.cancelCase(trackingId, by);
          this.deps.log?.info({ event: 'caseReminders.stopped', trackingId, cancelled: n }, 'case reminders cancelled');
        });
      case 'standBy':
        return this.serial.run(trackingId, async () => {
          await this.cancelMeetings(trackingId, by);
          await this.planStandByReview(trackingId, event.at, by);
        });
      case 'reactivated':
        return this.serial.run(trackingId, async () => {
          const n = await this.deps.reminders.cancelSubject(standBySubject(trackingId), by);
          this.deps.log?.info({ event: 'caseReminders.standByCancelled', trackingId, cancelled: n }, 'stand-by review cancelled');
        });
      default:
        // scheduled: plans the meeting; inPreparation (meeting cancelled), held, followUp: cancels it.
        return this.replanMeeting(trackingId, by).then(() => undefined);
    }
  }

  /** A participant left the case: nothing more is sent to them about it. */
  onParticipantRemoved(e: { trackingId: string; participant: Pick<CaseParticipant, 'aadObjectId'>; by: string }): Promise<void> {
    const aad = e.participant.aadObjectId;
    if (!aad) return Promise.resolve();
    return this.serial.run(e.trackingId, async () => {
      let n = 0;
      for (const s of await this.openSubjects(e.trackingId)) n += await this.deps.reminders.cancelForRecipient(s, aad, e.by);
      this.deps.log?.info({ event: 'caseReminders.participantRemoved', trackingId: e.trackingId, cancelled: n }, 'participant reminders cancelled');
    });
  }

  private async planStandByReview(trackingId: string, since: Date, by: string): Promise<void> {
    const c = await this.deps.cases.get(trackingId);
    if (!c) return;
    const organiser = (await this.deps.cases.participants(c.trackingId)).find((p) => p.aadObjectId === c.organiserAadObjectId);
    const dueAt = standByReviewTime(since, this.deps.standByReviewMonths ?? DEFAULT_REMINDER_RULES.standByReviewMonths, this.deps.hour ?? DEFAULT_REMINDER_RULES.hour);
    const plan: PlannedReminder = {
      kind: 'standByReview',
      subject: standBySubject(c.trackingId),
      dueAt,
      recipient: { aadObjectId: c.organiserAadObjectId, teamsUserId: organiser?.teamsUserId ?? null, viaConversationId: c.conversationId },
      locale: await this.localeFor(c.organiserAadObjectId, c),
      payload: { trackingId: c.trackingId, date: since.toISOString() },
      organiserAadObjectId: c.organiserAadObjectId,
    };
    await this.deps.reminders.replanSubject(plan.subject, [plan], by);
    this.deps.log?.info({ event: 'caseReminders.standByPlanned', trackingId: c.trackingId }, 'stand-by review planned');
  }

  /** Subjects of the case that still have reminders waiting. */
  openSubjects(trackingId: string): Promise<string[]> {
    return openCaseSubjects(this.deps.reminderModel, trackingId);
  }

  private async cancelMeetings(trackingId: string, by: string): Promise<number> {
    let n = 0;
    for (const s of await this.openSubjects(trackingId)) if (isMeeting(s)) n += await this.deps.reminders.cancelSubject(s, by);
    return n;
  }

  /** Every unsent reminder of the case (meetings, stand-by review, and others' case subjects). */
  async cancelCase(trackingId: string, by: string): Promise<number> {
    let n = 0;
    for (const s of await this.openSubjects(trackingId)) n += await this.deps.reminders.cancelSubject(s, by);
    return n;
  }
}

const isMeeting = (subject: string) => /#meeting-\d+$/.test(subject);
