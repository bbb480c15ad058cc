// What the case gets from a poll's final choice: the place in words in the case's language, a
// Teams link kept as the meeting link, nothing at all for a cancellation.
import { t } from '../../locales/i18n';
import type { PlaceKind } from '../../models/poll';
import { caseConcertationFromPoll } from '../../services/pollConcertation';
import type { ConcertationFixed } from '../../services/polls';

const START = new Date('2030-02-04T09:00:00Z');

function fixed(kind: PlaceKind, details: string, cancelled = false): ConcertationFixed {
  return { trackingId: 'CMD-2030-0001', pollId: 'poll-1', start: START, end: new Date(START.getTime() + 90 * 60_000), slot: { start: '2030-02-04T10:00', durationMinutes: 90 }, place: { kind, details }, sequence: 0, cancelled };
}

async function applied(event: ConcertationFixed, caseLocale: string | null) {
  const calls: unknown[] = [];
  const warnings: unknown[] = [];
  const listener = caseConcertationFromPoll({
    cases: {
      get: async () => (caseLocale ? ({ locale: caseLocale } as never) : null),
      setConcertation: async (trackingId, input, by) => {
        calls.push({ trackingId, ...input, by });
        return { ok: false, code: 'notAllowed' };
      },
    },
    defaultLocale: 'fr',
    log: { warn: (obj) => warnings.push(obj) },
  });
  await listener({ fixed: event, by: 'aad-organiser' });
  return { calls, warnings };
}

describe('the case concertation from a fixed poll', () => {
  it.each<[string, ConcertationFixed, string | null, { place: string; onlineLink: string | null }]>([
    ['home, no details, Dutch case', fixed('home', ''), 'nl', { place: t('nl', 'poll.place.home'), onlineLink: null }],
    ['room, no details, unknown case language', fixed('room', ''), null, { place: t('fr', 'poll.place.room'), onlineLink: null }],
    ['room with an address', fixed('room', '  Rue de la Loi 1 (fictive)  '), 'fr', { place: 'Rue de la Loi 1 (fictive)', onlineLink: null }],
    ['online with a Teams link', fixed('online', 'https://teams.example.org/meet/1'), 'fr', { place: 'Teams', onlineLink: 'https://teams.example.org/meet/1' }],
    ['hybrid with a link', fixed('hybrid', 'https://teams.example.org/meet/2'), 'nl', { place: 'https://teams.example.org/meet/2', onlineLink: 'https://teams.example.org/meet/2' }],
    ['online, a link that is not https', fixed('online', 'http://example.org/x'), 'fr', { place: 'http://example.org/x', onlineLink: null }],
  ])('%s', async (_label, event, caseLocale, expected) => {
    const { calls, warnings } = await applied(event, caseLocale);
    expect(calls).toEqual([{ trackingId: 'CMD-2030-0001', start: START, durationMinutes: 90, ...expected, by: 'aad-organiser' }]);
    expect(warnings).toEqual([{ trackingId: 'CMD-2030-0001', code: 'notAllowed' }]);
  });

  it('leaves the case alone when the concertation is cancelled', async () => {
    const { calls } = await applied(fixed('home', '', true), 'fr');
    expect(calls).toEqual([]);
  });
});
