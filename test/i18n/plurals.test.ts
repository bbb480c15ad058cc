// Counted phrases read right in each language: no "(s)", the plural form of the count.
import { keysOf, Locale, SUPPORTED_LOCALES, t, tn } from '../../locales/i18n';

describe('plural forms', () => {
  it.each<[Locale, number, string]>([
    ['fr', 1, 'Rappel envoyé à 1 participant.'],
    ['fr', 2, 'Rappel envoyé à 2 participants.'],
    ['nl', 1, 'Herinnering verstuurd naar 1 deelnemer.'],
    ['nl', 3, 'Herinnering verstuurd naar 3 deelnemers.'],
    ['en', 1, 'Reminder sent to 1 participant.'],
    ['en', 0, 'Reminder sent to 0 participants.'],
  ])('%s, %i: %s', (locale, count, text) => {
    expect(t(locale, 'poll.notice.reminded', { count })).toBe(text);
    expect(tn(locale, 'poll.notice.reminded', count)).toBe(text);
  });

  it('French counts 0 as singular, as French does', () => {
    expect(t('fr', 'eligibility.network.tooFewProfessionals', { count: 0, minProfessionals: 2 })).toBe('0 professionnel indiqué ; il en faut au moins 2.');
  });

  it.each(SUPPORTED_LOCALES)('no phrase in %s writes "(s)" or "(en)" for a plural', (locale) => {
    expect(keysOf(locale).filter((k) => /\w\((s|en|n)\)/.test(t(locale, k)))).toEqual([]);
  });
});
