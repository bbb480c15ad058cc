// What the jobs need from outside, as interfaces: bot/app.ts adapts the Teams side (the proactive
// messenger, the cards, the logger) to them, tests may give their own.
import type { Reminder } from '../models/reminder';

/** Structured logs: ids, counts and event names only, never personal data. */
export interface Log {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Why a message did not reach its recipient, or may not have ('ambiguous': sent, not confirmed). */
export type UndeliveredReason = 'stale' | 'noReference' | 'failed' | 'ambiguous';

/** What became of a message, once the messenger's retries are over. */
export type Delivery =
  | { ok: true; activityId: string | undefined; conversationId: string }
  | { ok: false; outcome: UndeliveredReason; error: string; conversationId?: string };

/** An organiser's notice of undelivered reminders: the first ones named, the others counted. */
export interface UndeliveredNotice {
  listed: Array<{ reminder: Reminder; reason: UndeliveredReason }>;
  more: number;
}

export interface ReminderMessenger {
  /**
   * The reminder, in `locale`, to its recipient: the person 1:1 (the chat opened through the
   * reminder's viaConversationId when there is none yet) or the conversation. A send that may have
   * been posted is reported as 'ambiguous', never resent: a reminder is better unconfirmed and
   * shown than sent twice.
   */
  sendReminder(reminder: Reminder, options: { locale: Reminder['locale']; late: boolean }): Promise<Delivery>;
  /**
   * Tells an organiser 1:1, in their language, which reminders of their cases were not delivered.
   * A notice may be resent on an unknown outcome: a doubled notice costs less than a missing one.
   */
  tellOrganiser(organiserAadObjectId: string, notice: UndeliveredNotice, via?: string): Promise<Delivery>;
}
