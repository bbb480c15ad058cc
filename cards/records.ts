// Data builders for the concertation record card (annex 10) and the export card (download links).
import { centsToDecimalString, FeeResult } from '../domain/fees';
import { RECORD_CONSENT_TYPES, RECORD_PLACES } from '../domain/concertationRecord';
import { Locale, t } from '../locales/i18n';
import { renderCard } from './render';

const FIELDS = [
  'date', 'consentType', 'consentComment', 'preparationHours', 'durationHours', 'place', 'placeOther', 'firstForOrganiser', 'personPresent', 'referentPresent',
  'professionalsPresent', 'professionalProfiles', 'relativesPresent', 'relativesLinks', 'catering', 'room', 'amountsPreApproved', 'comments',
] as const;

/** The card's input ids (amount inputs are typed in euros, stored in cents). */
const INPUT_IDS = [...FIELDS.filter((f) => f !== 'catering' && f !== 'room'), 'cateringCents', 'roomCents'];

export interface RecordCardView {
  trackingId: string;
  /** Input values as the card shows them (strings), prefilled or given back after an error. */
  values: Record<string, string>;
  fees?: FeeResult | null;
  error?: string;
  notice?: string;
}

export const euros = (cents: number, locale: Locale): string => `${centsToDecimalString(cents).replace('.', locale === 'en' ? '.' : ',')} €`;

export function recordCard(view: RecordCardView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const l: Record<string, string> = { required: tr('records.required') };
  for (const f of FIELDS) l[f] = tr(`records.field.${f}`);
  const fees = view.fees;
  return renderCard('record', {
    trackingId: view.trackingId,
    title: tr('records.card.title', { trackingId: view.trackingId }),
    intro: tr('records.card.intro'),
    error: view.error ?? '',
    notice: view.notice ?? '',
    feesTitle: tr('records.fees.title'),
    fees: !fees
      ? []
      : fees.ok && fees.code === 'ok'
        ? [...fees.lines.map((x) => ({ title: tr(`records.fees.${x.role}`, { count: x.count }), value: euros(x.totalCents, locale) })), { title: tr('records.fees.total'), value: euros(fees.totalCents, locale) }]
        : [{ title: tr('records.fees.total'), value: tr(`records.fees.${fees.code}`) }],
    l,
    // Every input gets a value (empty when unknown), so no ${…} stays unresolved in the card.
    v: Object.fromEntries(INPUT_IDS.map((k) => [k, view.values[k] ?? ''])),
    consentChoices: RECORD_CONSENT_TYPES.map((c) => ({ title: tr(`records.consent.${c}`), value: c })),
    placeChoices: RECORD_PLACES.map((p) => ({ title: tr(`records.place.${p}`), value: p })),
    yesNo: [{ title: tr('records.yes'), value: 'yes' }, { title: tr('records.no'), value: 'no' }],
    saveLabel: tr('records.card.save'),
  });
}

export function exportReadyCard(view: { from: string; to: string; organiser: string; rows: number; csvUrl: string; xlsxUrl: string; minutes: number }, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  return renderCard('exportReady', {
    title: tr('records.export.title'),
    facts: [
      { title: tr('records.export.period'), value: `${view.from} → ${view.to}` },
      { title: tr('records.export.organiser'), value: view.organiser || tr('records.export.allOrganisers') },
      { title: tr('records.export.rows'), value: String(view.rows) },
    ],
    note: tr('records.export.note', { minutes: view.minutes }),
    csvLabel: tr('records.export.csv'),
    xlsxLabel: tr('records.export.xlsx'),
    csvUrl: view.csvUrl,
    xlsxUrl: view.xlsxUrl,
  });
}
