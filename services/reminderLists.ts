// "My reminders": what a person is to receive and, for an organiser, their cases' reminders,
// including the ones nobody is sure reached their recipient. Each query is on one person (read
// through that index, see services/reminderStore.ts).
import type { Model, QueryFilter } from 'mongoose';
import type { Reminder } from '../models/reminder';
import { OPEN, UNDELIVERED, WAITING } from './reminderStore';

const MAX_LIST = 50;
const MAX_PAGED_LIST = 5000;

export class ReminderLists {
  constructor(private readonly reminders: Model<Reminder>) {}

  /** A user's upcoming reminders (as recipient). */
  upcomingFor(aadObjectId: string): Promise<Reminder[]> {
    return this.findEach([{ recipientAadObjectId: aadObjectId, status: WAITING }], MAX_LIST);
  }

  /** An organiser's cases' reminders: upcoming ones, and the failed or unconfirmed ones (so they stay visible). */
  upcomingForOrganiser(aadObjectId: string): Promise<Reminder[]> {
    return this.findEach([{ organiserAadObjectId: aadObjectId, status: { $in: [OPEN, ...UNDELIVERED] } }], MAX_LIST);
  }

  /**
   * What "my reminders" shows: the user's upcoming reminders and, for an organiser, their cases'
   * upcoming ones, each once. The failed and unconfirmed reminders of the cases someone organises
   * are shown to them even without the organiser role (nothing undelivered may stay unseen).
   * Paged by the card, so the cap is only a safety net.
   */
  listFor(aadObjectId: string, asOrganiser: boolean): Promise<Reminder[]> {
    const organised = { organiserAadObjectId: aadObjectId, status: { $in: asOrganiser ? [OPEN, ...UNDELIVERED] : UNDELIVERED } };
    return this.findEach([{ recipientAadObjectId: aadObjectId, status: WAITING }, organised], MAX_PAGED_LIST);
  }

  /** A person's reminders as recipient or organiser, due from `from` on (the dashboard): each query on one person. */
  recentFor(aadObjectId: string, from: Date, limit = 100): Promise<Reminder[]> {
    return this.findEach([{ recipientAadObjectId: aadObjectId, dueAt: { $gte: from } }, { organiserAadObjectId: aadObjectId, dueAt: { $gte: from } }], limit);
  }

  /**
   * The union of a few queries, each on one person (read through that index, unlike one $or; the
   * status as $in, checked on that person's reminders only: delivered ones are purged after the
   * retention, scheduled and failed ones of everyone are many more), by due time, each once.
   */
  private async findEach(filters: Array<QueryFilter<Reminder>>, limit: number): Promise<Reminder[]> {
    const lists = await Promise.all(filters.map((f) => this.reminders.find(f).sort({ dueAt: 1, key: 1 }).limit(limit).lean() as Promise<Reminder[]>));
    const byKey = new Map<string, Reminder>();
    for (const r of lists.flat()) byKey.set(r.key, r);
    return [...byKey.values()]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit);
  }
}
