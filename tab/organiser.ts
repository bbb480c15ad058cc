// The organiser's view: their cases, open polls, upcoming concertations, reminders, and a case's PSI.
import type { OrganiserCase, OrganiserView, ReminderRow } from './contract.js';
import { h, section, table } from './dom.js';
import { pollGrid, pollLegend } from './polls.js';
import { psiPanel } from './psi.js';
import type { View } from './view.js';

const DELIVERY_SYMBOL: Record<ReminderRow['delivery'], string> = { scheduled: '◷', sent: '✓', late: '⚠', failed: '✗', ambiguous: '?', cancelled: '–', done: '✓', snoozed: '↻' };

const orNone = (v: View, rows: unknown[], el: () => HTMLElement) => (rows.length ? el() : h('p', { class: 'none' }, v.i.t('none')));

function casesTable(v: View, cases: OrganiserCase[], openPsi: (trackingId: string, button: HTMLButtonElement) => void): HTMLElement {
  const { i } = v;
  const psiCell = (c: OrganiserCase) => {
    if (!c.psiReadable) return '—';
    const b = h('button', { type: 'button', 'aria-label': i.t('cases.showPsi', { id: c.trackingId }) }, i.t('cases.psi'));
    b.addEventListener('click', () => openPsi(c.trackingId, b));
    return b;
  };
  const next = (c: OrganiserCase) => (c.nextDate ? `${i.dateTime(c.nextDate)}${c.nextKind ? ` (${i.t(`next.${c.nextKind}`)})` : ''}` : '—');
  return table(i.t('cases.caption'), [i.t('cases.trackingId'), i.t('cases.status'), i.t('cases.nextDate'), i.t('cases.psi')], cases.map((c) => [c.trackingId, i.t(`status.${c.status}`), next(c), psiCell(c)]));
}

export function organiserView(v: View, data: OrganiserView): HTMLElement {
  const { i } = v;
  const psiSlot = h('div', { class: 'psi-slot' });
  const openPsi = async (trackingId: string, from: HTMLButtonElement) => {
    try {
      const psi = await v.api.psi(trackingId);
      const close = () => {
        psiSlot.replaceChildren();
        from.focus();
      };
      psiSlot.replaceChildren(psiPanel(v, psi, close));
      psiSlot.querySelector('select')?.focus();
      v.say(i.t('psi.title', { id: trackingId }));
    } catch (err) {
      v.fail(err);
    }
  };
  return h(
    'div',
    { id: 'organiser' },
    section('cases', i.t('cases.title'), orNone(v, data.cases, () => casesTable(v, data.cases, openPsi))),
    psiSlot,
    section('polls', i.t('polls.title'), data.polls.length ? pollLegend(i) : null, orNone(v, data.polls, () => h('div', {}, ...data.polls.map((p) => pollGrid(i, p))))),
    section(
      'concertations',
      i.t('concertations.title'),
      orNone(v, data.concertations, () =>
        table(
          i.t('concertations.caption'),
          [i.t('cases.trackingId'), i.t('concertations.number'), i.t('concertations.date'), i.t('concertations.duration'), i.t('concertations.place')],
          data.concertations.map((c) => [c.trackingId, String(c.seq), i.dateTime(c.start), c.durationMinutes ? i.t('polls.duration', { minutes: c.durationMinutes }) : '—', c.place ?? '—']),
        ),
      ),
    ),
    section(
      'reminders',
      i.t('reminders.title'),
      orNone(v, data.reminders, () =>
        table(
          i.t('reminders.caption'),
          [i.t('cases.trackingId'), i.t('reminders.kind'), i.t('reminders.due'), i.t('reminders.delivery'), i.t('reminders.sentAt')],
          data.reminders.map((r) => [
            r.trackingId ?? '—',
            i.t(`kind.${r.kind}`),
            i.dateTime(r.dueAt),
            h('span', { class: `delivery delivery-${r.delivery}` }, h('span', { 'aria-hidden': 'true' }, `${DELIVERY_SYMBOL[r.delivery]} `), i.t(`delivery.${r.delivery}`)),
            r.sentAt ? i.dateTime(r.sentAt) : '—',
          ]),
        ),
      ),
    ),
  );
}
