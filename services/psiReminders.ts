// Connects the PSI (services/psi.ts) to the reminder engine (services/reminders.ts): the référent's
// follow-up concertation reminder and the actions' due-date reminders. No botbuilder here; the
// sending is jobs/reminders.ts. Wired in bot/app.ts on the `psi.saved` event.
//
// Subjects (case subjects, so stopping the case cancels them, see services/reminderPlanning.ts):
//   <trackingId>#followUp              N days before the next concertation (the PSI's date, else the
//                                      last concertation + periodicity), to the référent(s);
//   <trackingId>#psiAction-<actionId>  J-1 (config) before the action's due date, to its owners
//                                      known in Teams (domain/followUpReminders.ts) and the référent(s).
// The référent is every Teams participant with the role "referent"; a case whose référent is not
// in Teams sends the référent's copies to the organiser (a follow-up is never silently dropped).
//
// Every save re-plans from the LATEST version (a late hook of an older save cannot bring old dates
// back): replanSubject cancels what is no longer planned (date moved, action removed or its due date
// cleared, owner changed) and never doubles what stays. A reminder whose moment is already past is
// due "now"; saving again keeps the one already planned or sent for the same date instead of making
// a new one (no second reminder for the same action because the PSI was edited twice that day).
import type { Model } from 'mongoose';
import { matchActionOwners, OwnerCandidate } from '../domain/followUpReminders';
import type { PsiContent } from '../domain/psi';
import { DEFAULT_REMINDER_RULES, FollowUpInput, followUpReminderTime, nextConcertationDate, psiActionReminderTimes } from '../domain/reminderDates';
import { payloadOf } from '../domain/reminderPayload';
import type { Locale } from '../locales/i18n';
import type { Case } from '../models/case';
import type { CaseParticipant } from '../models/caseParticipant';
import type { Reminder } from '../models/reminder';
import type { CaseService } from './cases';
import type { PsiService } from './psi';
import { caseReminderSubject, openCaseSubjects, PlannerContext, recipientLocale } from './reminderPlanning';
import type { PlannedReminder, ReminderRecipient, ReminderService } from './reminders';
import { SerialByKey } from './serialByKey';

export const followUpSubject = (trackingId: string): string => caseReminderSubject(trackingId, 'followUp');
export const psiActionSubject = (trackingId: string, actionId: string): string => caseReminderSubject(trackingId, `psiAction-${actionId}`);

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface PsiReminderDeps extends PlannerContext {
  psi: Pick<PsiService, 'latest'>;
  cases: Pick<CaseService, 'get' | 'participants' | 'currentStatus' | 'currentConcertation'>;
  reminders: Pick<ReminderService, 'replanSubject' | 'cancelSubject'>;
  /** Read only: the reminders already planned for the case's PSI subjects. */
  reminderModel: Model<Reminder>;
  followUpDaysBefore?: number;
  psiActionOffsetsDays?: number[];
}

type Recipient = ReminderRecipient & { aadObjectId: string };

export class PsiReminderPlanner {
  /** Re-plans of one subject run one after the other. */
  private readonly serial = new SerialByKey();

  constructor(private readonly deps: PsiReminderDeps) {}

  /** The PsiService.onPsiSaved listener. */
  onPsiSaved(trackingId: string, by = 'system'): Promise<void> {
    return this.replan(trackingId, by).then(() => undefined);
  }

  /** Brings the case's PSI reminders in line with its latest PSI version. */
  replan(trackingId: string, by = 'system'): Promise<{ subjects: number; cancelled: number; inserted: number }> {
    return this.serial.run(trackingId, async () => {
      const c = await this.deps.cases.get(trackingId);
      if (!c) return { subjects: 0, cancelled: 0, inserted: 0 };
      const [latest, { status }, participants, last] = await Promise.all([
        this.deps.psi.latest(c.trackingId),
        this.deps.cases.currentStatus(c.trackingId),
        this.deps.cases.participants(c.trackingId),
        this.deps.cases.currentConcertation(c.trackingId),
      ]);
      const now = this.deps.clock.now();
      const plans = latest && status !== 'stopped' ? await this.plansFor(c, latest.content, participants, last?.start ?? null, latest.savedAt, now) : new Map<string, PlannedReminder[]>();
      let cancelled = 0;
      let inserted = 0;
      for (const [subject, list] of plans) {
        const res = await this.deps.reminders.replanSubject(subject, await this.keepPast(subject, list, now), by);
        cancelled += res.cancelled;
        inserted += res.inserted.length;
      }
      // Subjects of actions removed (or whose due date was cleared), and the follow-up when no date is known any more.
      for (const subject of await this.openPsiSubjects(c.trackingId)) if (!plans.has(subject)) cancelled += await this.deps.reminders.cancelSubject(subject, by);
      this.deps.log?.info({ event: 'psiReminders.replanned', trackingId: c.trackingId, version: latest?.version ?? 0, subjects: plans.size, cancelled, inserted }, 'PSI reminders re-planned');
      return { subjects: plans.size, cancelled, inserted };
    });
  }

  /** Every PSI subject of the case with the reminders it should have now (an empty list: none left to send). */
  private async plansFor(c: Case, content: PsiContent, participants: CaseParticipant[], lastConcertation: Date | null, savedAt: Date, now: Date): Promise<Map<string, PlannedReminder[]>> {
    const hour = this.deps.hour === undefined ? DEFAULT_REMINDER_RULES.hour : this.deps.hour;
    const teams = participants.filter((p) => p.aadObjectId);
    const recipient = (p: Pick<CaseParticipant, 'aadObjectId' | 'teamsUserId'>): Recipient => ({ aadObjectId: p.aadObjectId!, teamsUserId: p.teamsUserId, viaConversationId: c.conversationId });
    let referents = teams.filter((p) => p.role === 'referent').map(recipient);
    if (!referents.length) referents = [{ aadObjectId: c.organiserAadObjectId, teamsUserId: teams.find((p) => p.aadObjectId === c.organiserAadObjectId)?.teamsUserId ?? null, viaConversationId: c.conversationId }];
    const locales = new Map<string, Locale>();
    const localeFor = async (aad: string): Promise<Locale> => {
      if (!locales.has(aad)) locales.set(aad, await recipientLocale(this.deps, aad, c.locale));
      return locales.get(aad)!;
    };
    const plans = new Map<string, PlannedReminder[]>();
    const base = { organiserAadObjectId: c.organiserAadObjectId };

    // Follow-up: the PSI's date wins; else the periodicity from the last concertation held (or this save).
    const next: FollowUpInput = { nextConcertation: content.next.date, lastConcertation: lastConcertation && lastConcertation <= now ? lastConcertation : savedAt, periodicityMonths: content.next.periodicityMonths };
    const target = nextConcertationDate(next);
    const followUpAt = followUpReminderTime(next, now, this.deps.followUpDaysBefore ?? DEFAULT_REMINDER_RULES.followUpDaysBefore, hour);
    if (target && followUpAt) {
      const subject = followUpSubject(c.trackingId);
      const date = content.next.date ?? target.toISOString();
      const list: PlannedReminder[] = [];
      for (const r of referents) list.push({ ...base, kind: 'followUp', subject, dueAt: followUpAt, recipient: r, locale: await localeFor(r.aadObjectId), payload: { trackingId: c.trackingId, date } });
      plans.set(subject, list);
    }

    // Actions with a due date: their owners known in Teams, and the référent(s).
    const actors = content.actors.filter((a) => a.participantKey);
    const candidates: OwnerCandidate[] = teams.map((p) => {
      const actor = actors.find((a) => a.participantKey === p.key);
      return { id: p.aadObjectId!, names: [p.displayName, ...(actor ? [actor.name, actor.roles] : [])].filter(Boolean) };
    });
    for (const action of content.actions) {
      if (!action.dueDate) continue;
      const subject = psiActionSubject(c.trackingId, action.id);
      const times = psiActionReminderTimes(action.dueDate, now, this.deps.psiActionOffsetsDays ?? DEFAULT_REMINDER_RULES.psiActionOffsetsDays, hour);
      const owners = matchActionOwners(action.byWhom, candidates).map((aad) => recipient(teams.find((p) => p.aadObjectId === aad)!));
      const to = new Map<string, Recipient>();
      for (const r of [...owners, ...referents]) if (!to.has(r.aadObjectId)) to.set(r.aadObjectId, r);
      const list: PlannedReminder[] = [];
      for (const r of to.values()) {
        const locale = await localeFor(r.aadObjectId);
        for (const dueAt of times) list.push({ ...base, kind: 'psiAction', subject, dueAt, recipient: r, locale, payload: { trackingId: c.trackingId, date: action.dueDate, title: action.what, actionId: action.id } });
      }
      plans.set(subject, list);
    }
    return plans;
  }

  /**
   * A reminder due "now" (its moment already past) would get a new key at every save: when the
   * same recipient already has one for the same date (planned, sent, done or snoozed), that one is
   * kept instead, so editing the PSI again does not send it again.
   */
  private async keepPast(subject: string, list: PlannedReminder[], nowDate: Date): Promise<PlannedReminder[]> {
    const now = nowDate.getTime();
    if (!list.some((p) => p.dueAt.getTime() === now)) return list;
    const existing = (await this.deps.reminderModel.find({ subject, status: { $ne: 'cancelled' } }).lean()) as Reminder[];
    return list.map((p) => {
      if (p.dueAt.getTime() !== now) return p;
      const same = existing.find((r) => r.recipientAadObjectId === p.recipient.aadObjectId && r.key === r.rootKey && payloadOf(r).date === p.payload?.date);
      return same ? { ...p, dueAt: same.dueAt } : p;
    });
  }

  /** PSI subjects of the case that still have reminders waiting. */
  private async openPsiSubjects(trackingId: string): Promise<string[]> {
    const psi = new RegExp(`^${escapeRegex(trackingId)}#(followUp|psiAction-.+)$`);
    return (await openCaseSubjects(this.deps.reminderModel, trackingId)).filter((s) => psi.test(s));
  }
}
