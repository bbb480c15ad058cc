// Poll cards rendered with adaptivecards-templating, parsed by the adaptivecards SDK (schema 1.5)
// without errors, and within Teams' message size, for small and large polls.
import { cardBytes, MAX_CARD_BYTES } from '../../cards/render';
import { emptyCreateForm, pollCard, pollCreateCard } from '../../cards/poll';
import { rankSlots, suggest } from '../../domain/pollRanking';
import type { PollDoc, PollParticipantDoc } from '../../models/poll';
import type { PollAnswerDoc } from '../../models/pollAnswer';
import type { PollState } from '../../models/poll';
// The package's "main" is untranspiled ESM; its UMD bundle runs in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

function parseErrors(card: object): string[] {
  const context = new AC.SerializationContext(new AC.Version(1, 5));
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) errors.push(context.getEventAt(i).message);
  return errors;
}

function state(slotCount: number, participantCount: number, externals = 0): PollState {
  const now = new Date('2030-01-01T08:00:00Z');
  const slots = Array.from({ length: slotCount }, (_, i) => ({ id: `s${i + 1}`, start: `2030-02-${String(1 + i).padStart(2, '0')}T10:00`, durationMinutes: 105, removed: false, addedAt: now, removedAt: null }));
  const participants: PollParticipantDoc[] = Array.from({ length: participantCount }, (_, i) => ({
    key: i < externals ? `x:${i + 1}` : `u:aad-${i}`,
    aadObjectId: i < externals ? null : `aad-${i}`,
    teamsUserId: i < externals ? null : `29:user-${i}`,
    name: `Participant avec un nom assez long Test ${i}`,
    email: i < externals ? null : `p${i}@example.org`,
    required: i % 7 === 0,
    external: i < externals,
  }));
  const poll: PollDoc = {
    pollId: 'poll-1', rev: 1, trackingId: 'CMD-2030-0001', conversationId: 'a:g', activityId: 'act', personalCards: [],
    organiser: { aadObjectId: 'aad-org', teamsUserId: '29:org', name: 'Alex Test', email: 'alex@example.org' },
    locale: 'fr', slots, place: { kind: 'hybrid', details: 'Salle de réunion Test' }, deadline: '2030-01-20T18:00', deadlineUtc: new Date('2030-01-20T17:00:00Z'),
    participants, status: 'open', finalSlotId: null, icsSequence: -1, createdAt: now, at: now, by: 'aad-org', change: 'created',
  };
  const answers = new Map<string, PollAnswerDoc>();
  participants.slice(0, Math.floor(participantCount / 2)).forEach((p, i) =>
    answers.set(p.key, { pollId: 'poll-1', participantKey: p.key, version: 1, answers: slots.map((s, j) => ({ slotId: s.id, answer: (i + j) % 3 === 0 ? 'no' : (i + j) % 3 === 1 ? 'ifNeedBe' : 'yes' })), comment: '', by: 'x', requestKey: `r${i}`, at: now }),
  );
  const records = [...answers.values()].flatMap((a) => a.answers.map((x) => ({ participantKey: a.participantKey, slotId: x.slotId, answer: x.answer })));
  const ranking = rankSlots(slots, participants.map((p) => ({ key: p.key, required: p.required })), records);
  return { poll, answers, ranking, suggestion: suggest(ranking), pending: participants.filter((p) => !answers.has(p.key)) };
}

describe('poll cards', () => {
  it.each([
    [2, 4, 1],
    [20, 4, 1],
    [2, 59, 5],
    [20, 59, 10],
    [20, 200, 50],
  ])('%i slots, %i participants (%i outside Teams): valid 1.5 and under the size limit in every view', (slots, people, externals) => {
    const s = state(slots, people, externals);
    const participant = s.poll.participants[externals];
    for (const locale of ['fr', 'nl', 'en'] as const) {
      for (const card of [
        pollCard(s, { mode: 'shared', locale }),
        pollCard(s, { mode: 'participant', locale, participant }),
        pollCard(s, { mode: 'organiser', locale, participant: s.poll.participants[0] }),
      ]) {
        expect(card.version).toBe('1.5');
        expect(parseErrors(card)).toEqual([]);
        expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
        const teamsUsers = people - externals + 1; // + the organiser
        const userIds = (card.refresh as { userIds?: string[] } | undefined)?.userIds;
        if (teamsUsers <= 60) expect(userIds).toHaveLength(teamsUsers);
        else expect(card.refresh).toBeUndefined();
      }
    }
  });

  it('beyond 60 Teams users: no per-user refresh, the card says to click', () => {
    const card = pollCard(state(2, 61), { mode: 'shared', locale: 'fr' });
    expect(card.refresh).toBeUndefined();
    expect(JSON.stringify(card)).toContain('Cliquez sur « Répondre / voir mes réponses »');
  });

  it('gives every Action.Execute an Action.Submit fallback', () => {
    const text = JSON.stringify(pollCard(state(3, 5, 1), { mode: 'organiser', locale: 'fr' }));
    const executes = text.match(/"type":"Action.Execute"/g)!.length - 1; // minus the refresh action
    expect(text.match(/"type":"Action.Submit"/g)!.length).toBe(executes);
  });

  it('shows the suggestion with its reason to the organiser only', () => {
    const s = state(3, 6);
    expect(JSON.stringify(pollCard(s, { mode: 'organiser', locale: 'en' }))).toContain('Suggestion:');
    expect(JSON.stringify(pollCard(s, { mode: 'participant', locale: 'en', participant: s.poll.participants[0] }))).not.toContain('Suggestion:');
  });

  it('renders the creation form with 20 slot rows and a 60-member roster as a valid card', () => {
    const card = pollCreateCard({ trackingId: 'CMD-2030-0001', roster: Array.from({ length: 60 }, (_, i) => ({ aadObjectId: `aad-${i}`, name: `Membre Test ${i}` })), values: emptyCreateForm(20), errors: ['x'] }, 'nl');
    expect(parseErrors(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
  });
});
