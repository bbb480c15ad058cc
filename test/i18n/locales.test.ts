// Every string exists in French, Dutch and English with the same placeholders.
import { keysOf, SUPPORTED_LOCALES, t } from '../../locales/i18n';

const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');

describe('locale resources', () => {
  const fr = keysOf('fr');

  it.each(['nl', 'en'] as const)('%s has every French key, and no key French lacks', (locale) => {
    const other = keysOf(locale);
    expect(fr.filter((k) => !other.includes(k))).toEqual([]);
    expect(other.filter((k) => !fr.includes(k))).toEqual([]);
  });

  it.each(SUPPORTED_LOCALES.filter((l) => l !== 'fr'))('%s keeps the placeholders of each French string', (locale) => {
    const mismatched = fr.filter((k) => placeholders(t('fr', k)) !== placeholders(t(locale, k)));
    expect(mismatched).toEqual([]);
  });

  it('has no empty string', () => {
    for (const locale of SUPPORTED_LOCALES) for (const k of keysOf(locale)) expect(`${locale}:${k}=${t(locale, k).trim() ? 'ok' : ''}`).toBe(`${locale}:${k}=ok`);
  });
});
