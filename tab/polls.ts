// An open poll as a Doodle-like grid: participants × slots. Each answer reads as a symbol and a
// word (never colour alone); the suggested slot and the required participants are marked in text.
import type { PollAnswerValue, PollGrid } from './contract.js';
import { h, table } from './dom.js';
import type { I18n } from './i18n.js';

const SYMBOL: Record<PollAnswerValue, string> = { yes: '✓', ifNeedBe: '~', no: '✗' };

function answerCell(i: I18n, answer: PollAnswerValue | undefined, suggested: boolean): HTMLTableCellElement {
  const cls = [`answer-${answer ?? 'none'}`, suggested ? 'suggested' : ''].filter(Boolean).join(' ');
  const word = answer ? i.t(`polls.${answer}`) : i.t('polls.unanswered');
  return h('td', { class: cls }, h('span', { 'aria-hidden': 'true', class: 'symbol' }, answer ? SYMBOL[answer] : '?'), ' ', word);
}

export function pollGrid(i: I18n, poll: PollGrid): HTMLElement {
  const slotHeader = (slot: PollGrid['slots'][number]) => {
    const suggested = slot.id === poll.suggestedSlotId;
    return h(
      'th',
      { scope: 'col', class: suggested ? 'suggested' : undefined, 'data-slot': slot.id },
      i.dateTime(slot.start),
      h('br'),
      i.t('polls.duration', { minutes: slot.durationMinutes }),
      suggested ? h('span', { class: 'badge' }, h('span', { 'aria-hidden': 'true' }, '★ '), i.t('polls.suggested')) : null,
    );
  };
  const rows = poll.participants.map((p) => [
    h('th', { scope: 'row', class: p.required ? 'required' : undefined }, p.name, p.required ? h('span', { class: 'badge' }, h('span', { 'aria-hidden': 'true' }, ' * '), i.t('polls.required')) : null),
    ...poll.slots.map((s) => answerCell(i, p.answers[s.id], s.id === poll.suggestedSlotId)),
  ]);
  const totals = [
    h('th', { scope: 'row' }, i.t('polls.totals')),
    ...poll.slots.map((s) => h('td', { class: s.id === poll.suggestedSlotId ? 'suggested totals' : 'totals' }, `${s.yes} / ${s.ifNeedBe} / ${s.no}`)),
  ];
  const grid = table(i.t('polls.caption', { id: poll.trackingId, deadline: i.dateTime(poll.deadline) }), [i.t('polls.participant'), ...poll.slots.map(slotHeader)], [...rows, totals], 'grid');
  const waiting = poll.participants.filter((p) => !p.answered).map((p) => p.name);
  return h(
    'div',
    { class: 'poll', 'data-poll': poll.pollId },
    h('div', { class: 'scroll', role: 'region', 'aria-label': poll.trackingId, tabindex: '0' }, grid),
    h('p', { class: 'waiting' }, waiting.length ? i.t('polls.waitingFor', { names: waiting.join(', ') }) : i.t('polls.allAnswered')),
  );
}

export function pollLegend(i: I18n): HTMLElement {
  return h('p', { class: 'legend' }, i.t('polls.legend'));
}
