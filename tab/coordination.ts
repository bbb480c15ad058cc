// The coordination's view: requests waiting for triage, cases by organiser (tracking ids only),
// the concertation records of a period and their export.
import type { CoordinationView, RecordsView } from './contract.js';
import { h, section, table } from './dom.js';
import type { View } from './view.js';

/** Today and the first day of the year, as YYYY-MM-DD in Brussels: the default period. */
function defaultPeriod(): { from: string; to: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

function recordsTable(v: View, records: RecordsView): HTMLElement {
  const { i } = v;
  if (!records.rows.length) return h('p', { class: 'none' }, i.t('none'));
  return table(
    i.t('coord.records.caption', { from: i.date(records.from), to: i.date(records.to) }),
    [i.t('cases.trackingId'), i.t('coord.date'), i.t('coord.organiser'), i.t('coord.revision'), i.t('coord.fee')],
    records.rows.map((r) => [r.trackingId, i.date(r.date), r.organiserName, String(r.revision), r.fee ?? '—']),
  );
}

function recordsSection(v: View): HTMLElement {
  const { i } = v;
  const period = defaultPeriod();
  const from = h('input', { type: 'date', id: 'records-from', name: 'from', required: true, value: period.from });
  const to = h('input', { type: 'date', id: 'records-to', name: 'to', required: true, value: period.to });
  const format = h('select', { id: 'records-format', name: 'format' }, h('option', { value: 'xlsx' }, 'Excel (.xlsx)'), h('option', { value: 'csv' }, 'CSV'));
  const show = h('button', { type: 'submit' }, i.t('coord.show'));
  const exportButton = h('button', { type: 'button', id: 'records-export' }, i.t('coord.export'));
  const results = h('div', { class: 'records' });
  const link = h('p', { class: 'export-link' });
  const form = h(
    'form',
    { class: 'period' },
    h('p', {}, h('label', { for: 'records-from' }, i.t('coord.from')), ' ', from),
    h('p', {}, h('label', { for: 'records-to' }, i.t('coord.to')), ' ', to),
    h('p', {}, show),
    h('p', {}, h('label', { for: 'records-format' }, i.t('coord.format')), ' ', format, ' ', exportButton),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      results.replaceChildren(recordsTable(v, await v.api.records(from.value, to.value)));
      v.say(i.t('loaded'));
    } catch (err) {
      v.fail(err);
    }
  });
  exportButton.addEventListener('click', async () => {
    try {
      const done = await v.api.exportRecords(from.value, to.value, format.value === 'csv' ? 'csv' : 'xlsx');
      link.replaceChildren(h('a', { href: done.url, download: done.fileName }, i.t('coord.download', { file: done.fileName })));
      v.say(i.t('coord.exportReady', { count: done.rows }));
    } catch (err) {
      v.fail(err);
    }
  });
  return section('records', i.t('coord.records.title'), form, link, results);
}

export function coordinationView(v: View, data: CoordinationView): HTMLElement {
  const { i } = v;
  const suggestion = (s: string) => (i.t(`suggestion.${s}`) === `suggestion.${s}` ? s : i.t(`suggestion.${s}`));
  return h(
    'div',
    { id: 'coordination' },
    section(
      'waiting',
      i.t('coord.waiting.title'),
      data.waiting.length
        ? table(
            i.t('coord.waiting.caption'),
            [i.t('cases.trackingId'), i.t('coord.submittedAt'), i.t('coord.suggestion'), i.t('coord.locale')],
            data.waiting.map((w) => [w.trackingId, i.dateTime(w.submittedAt), suggestion(w.suggestion), w.locale]),
          )
        : h('p', { class: 'none' }, i.t('none')),
    ),
    section(
      'by-organiser',
      i.t('coord.byOrganiser.title'),
      data.byOrganiser.length
        ? table(
            i.t('coord.byOrganiser.caption'),
            [i.t('coord.organiser'), i.t('coord.cases')],
            data.byOrganiser.map((o) => [o.organiserName, h('ul', { class: 'ids' }, ...o.cases.map((c) => h('li', {}, `${c.trackingId} (${i.t(`status.${c.status}`)})`)))]),
          )
        : h('p', { class: 'none' }, i.t('none')),
    ),
    recordsSection(v),
  );
}
