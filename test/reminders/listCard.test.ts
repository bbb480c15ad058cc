// "My reminders" for a busy organiser: grouped by case and recipient (saying whose
// each reminder is), paged, every page under Teams' message size, every reminder on exactly one page.
import { reminderListCard, REMINDERS_PER_PAGE, TEAMS_MESSAGE_MAX_BYTES } from '../../cards/reminder';
import { cardBytes } from '../../cards/render';
import { SUPPORTED_LOCALES } from '../../locales/i18n';
import type { Reminder } from '../../models/reminder';
import { cardProblems, NO_PROBLEMS } from '../support/cards';

const ME = 'a0000000-0000-4000-8000-0000000000a1';
const person = (i: number) => `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function reminder(caseNo: number, recipient: string | null, dueAt: Date, over: Partial<Reminder> = {}): Reminder {
  const trackingId = `CMD-2026-${String(caseNo).padStart(4, '0')}`;
  const subject = `${trackingId}#meeting-1`;
  const key = `meeting:${subject}:${dueAt.toISOString()}:${recipient ?? 'conv'}`;
  return {
    key,
    rootKey: key,
    kind: 'meeting',
    subject,
    recipientAadObjectId: recipient,
    recipientTeamsUserId: null,
    recipientConversationId: recipient ? null : '19:fictional-group@thread.v2',
    viaConversationId: null,
    locale: 'fr',
    dueAt,
    payload: JSON.stringify({ trackingId, date: '2026-09-15T08:00:00.000Z', place: 'Maison médicale du Parc, salle de réunion du premier étage' }),
    status: 'scheduled',
    organiserAadObjectId: ME,
    attempts: 0,
    lastError: null,
    sentAt: null,
    late: false,
    createdAt: dueAt,
    updatedAt: dueAt,
    updatedBy: 'test',
    ...over,
  };
}

/** 20 cases × 15 participants × 2 meeting reminders (J-7, J-1), plus the organiser's own. */
function busyOrganiser(): Reminder[] {
  const list: Reminder[] = [];
  for (let c = 1; c <= 20; c++) {
    for (const d of [7, 1]) {
      const due = new Date(Date.UTC(2026, 8, c, 7) - d * 86_400_000);
      list.push(reminder(c, ME, due));
      for (let p = 1; p <= 15; p++) list.push(reminder(c, person(p), due, p === 3 ? { status: 'failed' } : {}));
    }
  }
  return list;
}
const names = new Map(Array.from({ length: 15 }, (_, i) => [person(i + 1), `Participant·e Fictif·ve n°${i + 1} avec un nom plutôt long`]));

// Walking every page renders each page again up to it (about 500 renders): French and Dutch, whose
// texts are the longest; English is checked on its first pages below.
describe.each(['fr', 'nl'] as const)('"my reminders" of a busy organiser in %s', (locale) => {
  it('pages 20 cases × 15 participants: every page under the limit, every reminder once', () => {
    const all = busyOrganiser();
    const seen = new Map<string, number>();
    let pages = 0;
    for (let page = 1, last = false; !last; page++) {
      const p = reminderListCard(all, locale, { me: ME, names, page, notice: 'é'.repeat(500) });
      expect(p.page).toBe(page);
      last = p.last;
      pages = page;
      expect(cardBytes(p.card)).toBeLessThanOrEqual(TEAMS_MESSAGE_MAX_BYTES);
      expect(p.keys.length).toBeGreaterThan(0);
      expect(p.keys.length).toBeLessThanOrEqual(REMINDERS_PER_PAGE);
      if (page === 1 || last) expect(cardProblems(p.card)).toEqual(NO_PROBLEMS);
      // The buttons carry the page's reminders (a failed one has no button: nothing left to send).
      const json = JSON.stringify(p.card);
      const status = new Map(all.map((r) => [r.key, r.status]));
      expect(p.keys.filter((k) => status.get(k) === 'scheduled' && !json.includes(k))).toEqual([]);
      for (const k of p.keys) seen.set(k, (seen.get(k) ?? 0) + 1);
      const nav = JSON.stringify(p.card).match(/"verb":"reminder\.page"/g) ?? [];
      expect(nav).toHaveLength(page === 1 || last ? 1 : 2);
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen.size).toBe(all.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });
});

describe.each(SUPPORTED_LOCALES)('"my reminders" in %s', (locale) => {
  it('says whose each reminder is, grouped by case then recipient, the user first', () => {
    const list = [reminder(2, person(1), new Date('2026-09-01T07:00:00Z')), reminder(1, person(2), new Date('2026-09-02T07:00:00Z')), reminder(2, ME, new Date('2026-09-03T07:00:00Z')), reminder(2, null, new Date('2026-09-03T07:00:00Z'))];
    const { card } = reminderListCard(list, locale, { me: ME, names: new Map([[person(1), 'Alex Fictif']]) });
    const json = JSON.stringify(card);
    const you = { fr: 'Pour vous', nl: 'Voor u', en: 'For you' }[locale];
    const alex = { fr: 'Pour Alex Fictif', nl: 'Voor Alex Fictif', en: 'For Alex Fictif' }[locale];
    const unknown = { fr: 'nom inconnu', nl: 'naam onbekend', en: 'name unknown' }[locale];
    const conversation = { fr: 'conversation du dossier', nl: 'gesprek van het dossier', en: 'case conversation' }[locale];
    // Case 2 first (its first reminder is due first), then case 1; in case 2: you, Alex, the conversation.
    const order = ['CMD-2026-0002', you, alex, conversation, 'CMD-2026-0001', unknown].map((s) => json.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(json.match(/CMD-2026-0002/g)!.length).toBeGreaterThanOrEqual(1);
    expect(json).not.toContain('"verb":"reminder.page"');
  });

  it('the first pages stay under the limit too', () => {
    const all = busyOrganiser();
    for (const page of [1, 2, 3]) expect(cardBytes(reminderListCard(all, locale, { me: ME, names, page, notice: 'é'.repeat(500) }).card)).toBeLessThanOrEqual(TEAMS_MESSAGE_MAX_BYTES);
  });

  it('an empty list and a page out of range', () => {
    const empty = reminderListCard([], locale, {});
    expect(empty.keys).toEqual([]);
    expect(cardProblems(empty.card)).toEqual(NO_PROBLEMS);
    const all = busyOrganiser();
    const last = reminderListCard(all, locale, { me: ME, names, page: 9999 });
    expect(last.last).toBe(true);
    expect(last.keys.length).toBeGreaterThan(0);
  });
});
