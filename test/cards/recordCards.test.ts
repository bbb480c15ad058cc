// The record and export cards render into valid 1.5 cards in each language.
import { exportReadyCard, recordCard } from '../../cards/records';
import { computeFees } from '../../domain/fees';
import feesConfig from '../../config/fees.json';
import { SUPPORTED_LOCALES } from '../../locales/i18n';
import { cardProblems, NO_PROBLEMS } from '../support/cards';

describe.each(SUPPORTED_LOCALES)('record cards in %s', (locale) => {
  it('empty, with an error, and with the fees', () => {
    const values = { date: '2026-03-30', consentType: 'oral', place: 'home', firstForOrganiser: 'yes', personPresent: 'yes', referentPresent: 'no', professionalsPresent: '2' };
    const fees = computeFees({ date: '2026-03-30', firstForOrganiser: true, referentPresent: false, professionalsPresent: 2, personPresent: true }, feesConfig.schedules);
    expect(cardProblems(recordCard({ trackingId: 'CMD-2026-0042', values: {} }, locale))).toEqual(NO_PROBLEMS);
    expect(cardProblems(recordCard({ trackingId: 'CMD-2026-0042', values, error: 'x' }, locale))).toEqual(NO_PROBLEMS);
    const withFees = recordCard({ trackingId: 'CMD-2026-0042', values, fees, notice: 'ok' }, locale);
    expect(cardProblems(withFees)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(withFees)).toContain(locale === 'en' ? '311.57 €' : '311,57 €');
    const absent = computeFees({ date: '2026-03-30', firstForOrganiser: true, referentPresent: false, professionalsPresent: 0, personPresent: false }, feesConfig.schedules);
    expect(cardProblems(recordCard({ trackingId: 'CMD-2026-0042', values, fees: absent }, locale))).toEqual(NO_PROBLEMS);
  });

  it('export card with its two download links', () => {
    const card = exportReadyCard({ from: '2026-01-01', to: '2026-12-31', organiser: '', rows: 3, csvUrl: 'https://bot.example.org/exports/t.csv', xlsxUrl: 'https://bot.example.org/exports/t.xlsx', minutes: 15 }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
  });
});
