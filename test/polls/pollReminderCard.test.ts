// The reminder of a poll deadline (issue 9, item 11): its card opens the poll and offers no snooze
// that would land after the deadline. Planner (services/pollReminders.ts) → card (cards/reminder.ts).
import { reminderCard } from '../../cards/reminder';
import type { PollDoc } from '../../models/poll';
import type { Reminder } from '../../models/reminder';
import { PollReminderPlanner } from '../../services/pollReminders';
import type { PlannedReminder } from '../../services/reminders';

const NOW = new Date('2026-03-02T09:00:00Z');
const participant = { key: 'u:p1', aadObjectId: '00000000-0000-4000-8000-000000100001', teamsUserId: '29:fictional-p1', name: 'Participant Test 1', email: null, required: true, external: false };

function poll(deadlineUtc: Date): PollDoc {
  return {
    pollId: 'poll-fictional-1', rev: 1, trackingId: 'CMD-2026-0042', conversationId: null, activityId: null, personalCards: [],
    organiser: { aadObjectId: '00000000-0000-4000-8000-0000000000a1', teamsUserId: '29:fictional-organiser', name: 'Alex Test', email: null },
    locale: 'fr', slots: [], place: { kind: 'home', details: '' }, deadline: '', deadlineUtc, participants: [participant],
    status: 'open', finalSlotId: null, icsSequence: -1, createdAt: NOW, at: NOW, by: 'x', change: 'created',
  } as unknown as PollDoc;
}

/** The reminder the planner would store for this poll, as the dispatcher hands it to the card. */
async function plannedReminder(deadlineUtc: Date, hoursBefore: number): Promise<Reminder> {
  const doc = poll(deadlineUtc);
  let plans: PlannedReminder[] = [];
  const planner = new PollReminderPlanner({
    polls: { get: async () => doc, stateOf: async () => ({ poll: doc, answers: new Map(), ranking: [], suggestion: null, pending: [participant] }), latestAnswers: async () => new Map() },
    reminders: {
      replanSubject: async (_s: string, p: PlannedReminder[]) => {
        plans = p;
        return { cancelled: 0, inserted: p } as never;
      },
      cancelSubject: async () => 0,
      cancelForRecipient: async () => 0,
    },
    localeOf: async () => 'fr',
    clock: { now: () => NOW },
    defaultLocale: 'fr',
    hoursBefore,
  });
  await planner.replan(doc.pollId);
  expect(plans).toHaveLength(1);
  const p = plans[0];
  return { key: 'k1', kind: p.kind, subject: p.subject, dueAt: p.dueAt, payload: JSON.stringify(p.payload), status: 'scheduled' } as unknown as Reminder;
}

const verbs = (card: { actions?: Array<{ verb?: string; data?: Record<string, unknown> }> }) => (card.actions ?? []).map((a) => a.verb);

describe('the poll deadline reminder card', () => {
  it('opens the poll (the poll feature answers poll.refresh with the answer form)', async () => {
    const card = reminderCard(await plannedReminder(new Date('2026-03-12T17:00:00Z'), 24), 'fr') as unknown as { actions: Array<{ verb: string; title: string; data: Record<string, unknown> }> };
    const open = card.actions.find((a) => a.verb === 'poll.refresh');
    expect(open).toMatchObject({ title: 'Ouvrir le sondage', data: { pollId: 'poll-fictional-1' } });
  });

  it.each([
    // hours before the deadline → snoozes offered
    [24, ['reminder.done', 'poll.refresh']],
    [72, ['reminder.done', 'poll.refresh', 'reminder.snooze1d']],
    [24 * 8, ['reminder.done', 'poll.refresh', 'reminder.snooze1d', 'reminder.snooze1w']],
  ])('sent %i h before the deadline: %j', async (hoursBefore, expected) => {
    const card = reminderCard(await plannedReminder(new Date('2026-03-20T17:00:00Z'), hoursBefore), 'fr');
    expect(verbs(card as never)).toEqual(expected);
  });

  it('other reminders keep both snoozes and have no poll button', () => {
    const r = { key: 'k2', kind: 'meeting', subject: 'CMD-2026-0042', dueAt: NOW, payload: JSON.stringify({ trackingId: 'CMD-2026-0042', date: '2026-03-20T09:00:00Z' }), status: 'scheduled' } as unknown as Reminder;
    expect(verbs(reminderCard(r, 'nl') as never)).toEqual(['reminder.done', 'reminder.snooze1d', 'reminder.snooze1w']);
  });
});
