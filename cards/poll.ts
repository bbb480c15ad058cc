// Availability poll cards: the creation form and the poll itself (shared / participant /
// organiser / decided views of one template). Texts from locales/polls/*.json.
import { MAX_SLOTS } from '../domain/pollSlots';
import type { PollValidationError } from '../domain/pollSlots';
import { Locale, t } from '../locales/i18n';
import type { PollDoc, PollParticipantDoc, PollState } from '../models/poll';
import { deadlineLabel, placeLine, slotLabel } from './pollLabels';
import { CardJson, renderCard } from './render';

/** Teams: at most 60 user MRIs in refresh.userIds. */
export const MAX_REFRESH_USERS = 60;
/** Names listed as "not answered yet" before summarising ("and 12 others"). */
const MAX_PENDING_NAMES = 15;

type Tr = (key: string, params?: Record<string, string | number>) => string;
const trOf = (locale: Locale): Tr => (k, p) => t(locale, k, p);

export interface CreateFormValues {
  rows: Array<{ date: string; time: string; duration: string }>;
  placeKind: string;
  placeDetails: string;
  deadlineDate: string;
  deadlineTime: string;
  members: string;
  requiredMembers: string;
  externalsRequired: string;
  externalsOptional: string;
}

export function emptyCreateForm(rowCount = 3): CreateFormValues {
  return {
    rows: Array.from({ length: rowCount }, () => ({ date: '', time: '', duration: '105' })),
    placeKind: 'home',
    placeDetails: '',
    deadlineDate: '',
    deadlineTime: '',
    members: '',
    requiredMembers: '',
    externalsRequired: '',
    externalsOptional: '',
  };
}

export function pollCreateCard(input: { trackingId: string; roster: Array<{ aadObjectId: string; name: string }>; values: CreateFormValues; errors: string[] }, locale: Locale): CardJson {
  const tr = trOf(locale);
  const { values } = input;
  return renderCard('pollCreate', {
    title: tr('poll.create.title', { trackingId: input.trackingId }),
    intro: tr('poll.create.intro'),
    errors: input.errors.map((text) => ({ text })),
    slotsTitle: tr('poll.create.slotsTitle', { max: MAX_SLOTS }),
    dateLabel: tr('poll.field.date'),
    timeLabel: tr('poll.field.time'),
    durationLabel: tr('poll.field.duration'),
    rows: values.rows.map((r, i) => ({
      label: tr('poll.create.slotLabel', { n: i + 1 }),
      dateId: `slot${i + 1}_date`,
      timeId: `slot${i + 1}_time`,
      durationId: `slot${i + 1}_duration`,
      date: r.date,
      time: r.time,
      duration: r.duration,
    })),
    rowCount: values.rows.length,
    canAddRows: values.rows.length < MAX_SLOTS,
    placeLabel: tr('poll.field.place'),
    placeChoices: ['home', 'room', 'online', 'hybrid'].map((k) => ({ title: tr(`poll.place.${k}`), value: k })),
    placeKind: values.placeKind,
    placeDetailsLabel: tr('poll.field.placeDetails'),
    placeDetails: values.placeDetails,
    deadlineTitle: tr('poll.create.deadlineTitle'),
    deadlineDateLabel: tr('poll.field.deadlineDate'),
    deadlineTimeLabel: tr('poll.field.deadlineTime'),
    deadlineDate: values.deadlineDate,
    deadlineTime: values.deadlineTime,
    membersLabel: tr('poll.field.members'),
    requiredLabel: tr('poll.field.requiredMembers'),
    memberChoices: input.roster.map((m) => ({ title: m.name, value: m.aadObjectId })),
    members: values.members,
    requiredMembers: values.requiredMembers,
    noRoster: tr('poll.create.noRoster'),
    externalsRequiredLabel: tr('poll.field.externalsRequired'),
    externalsRequired: values.externalsRequired,
    externalsOptionalLabel: tr('poll.field.externalsOptional'),
    externalsOptional: values.externalsOptional,
    createLabel: tr('poll.create.submit'),
    moreLabel: tr('poll.create.more'),
    trackingId: input.trackingId,
  });
}

/** One message per validation error, naming the slot ("créneau 2") when there is one. */
export function validationMessages(errors: Array<Pick<PollValidationError, 'slotId' | 'params'> & { code: string }>, locale: Locale, slotLabel: (slotId: string) => string): string[] {
  const tr = trOf(locale);
  return errors.map((e) => {
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(e.params ?? {})) params[k] = v;
    if (e.slotId) params.slot = slotLabel(e.slotId);
    if (e.code === 'invalidDate') {
      if (e.params?.reason === 'dstGap') return tr(e.slotId ? 'poll.error.dstGap' : 'poll.error.deadlineDstGap', params);
      return tr(e.slotId ? 'poll.error.invalidSlotDate' : 'poll.error.invalidDeadline', params);
    }
    return tr(`poll.error.${e.code}`, params);
  });
}

export type PollViewMode = 'shared' | 'participant' | 'organiser';

export interface PollCardOptions {
  mode: PollViewMode;
  locale: Locale;
  /** IANA zone of the viewer (Teams clientInfo); Brussels by default. */
  timeZone?: string;
  /** The participant whose answers the form shows (the viewer, or an external for the organiser). */
  participant?: PollParticipantDoc;
  error?: string;
  notice?: string;
  /** Whether answers are still accepted (open and before the deadline); default: status open. */
  answersOpen?: boolean;
  /** Values to keep in the form after a refused answer. */
  values?: Record<string, string>;
}

/** Teams MRIs for the automatic per-user refresh: only when they fit in Teams' limit. */
export function refreshUserIds(poll: PollDoc): string[] | null {
  const ids = new Set<string>();
  if (poll.organiser.teamsUserId) ids.add(poll.organiser.teamsUserId);
  for (const p of poll.participants) if (p.teamsUserId) ids.add(p.teamsUserId);
  return ids.size <= MAX_REFRESH_USERS ? [...ids] : null;
}

export function pollCard(state: PollState, opts: PollCardOptions): CardJson {
  const { poll } = state;
  const { locale } = opts;
  const tr = trOf(locale);
  const zone = opts.timeZone;
  const active = poll.slots.filter((s) => !s.removed);
  const bySlot = new Map(state.ranking.map((r) => [r.slotId, r]));
  const suggested = state.suggestion?.slotId;
  const decided = poll.status === 'decided' || poll.status === 'cancelled';
  const finalSlot = poll.slots.find((s) => s.id === poll.finalSlotId);
  const userIds = refreshUserIds(poll);
  const participant = opts.participant;
  const answersOpen = opts.answersOpen ?? poll.status === 'open';
  const showForm = Boolean(participant) && answersOpen && (opts.mode === 'participant' || opts.mode === 'organiser');
  const mine = participant ? state.answers.get(participant.key) : undefined;
  const mineBySlot = new Map(mine?.answers.map((a) => [a.slotId, a.answer]) ?? []);
  const isOrganiser = opts.mode === 'organiser';

  const statusLine =
    poll.status === 'open'
      ? tr('poll.card.openUntil', { deadline: deadlineLabel(poll, locale, zone) })
      : poll.status === 'closed'
        ? tr('poll.card.closed')
        : poll.status === 'decided'
          ? tr('poll.card.decided')
          : tr('poll.card.cancelled');

  const pendingNames = state.pending.map((p) => p.name);
  const pendingLine = decided || !pendingNames.length
    ? ''
    : pendingNames.length > MAX_PENDING_NAMES
      ? tr('poll.card.pendingMany', { names: pendingNames.slice(0, MAX_PENDING_NAMES).join(', '), count: pendingNames.length - MAX_PENDING_NAMES })
      : tr('poll.card.pending', { names: pendingNames.join(', ') });

  const suggestion = state.suggestion;
  const suggestedSlot = suggestion ? poll.slots.find((s) => s.id === suggestion.slotId) : undefined;
  const suggestionLine = suggestion && suggestedSlot
    ? tr('poll.card.suggestion', { slot: slotLabel(suggestedSlot, locale, zone), reason: tr(`poll.reason.${suggestion.reason.code}`, { ...suggestion.reason.params, allRequiredYes: String(suggestion.reason.params.allRequiredYes), runnerUpSlotId: '' }) })
    : tr('poll.card.noSuggestion');

  const card = renderCard('poll', {
    pollId: poll.pollId,
    hasRefresh: Boolean(userIds),
    refreshUserIds: userIds ?? [],
    refreshLabel: tr('poll.card.refresh'),
    title: tr('poll.card.title', { trackingId: poll.trackingId }),
    placeLine: placeLine(poll, locale),
    statusLine,
    statusColor: poll.status === 'open' ? 'Default' : 'Warning',
    decided,
    cancelled: poll.status === 'cancelled',
    decisionStyle: poll.status === 'cancelled' ? 'attention' : 'good',
    decisionTitle: poll.status === 'cancelled' ? tr('poll.card.cancelledTitle') : tr('poll.card.decisionTitle'),
    decisionLine: finalSlot ? tr('poll.card.decisionLine', { slot: slotLabel(finalSlot, locale, zone), place: placeLine(poll, locale) }) : '',
    notice: opts.notice ?? '',
    error: opts.error ?? '',
    totalsTitle: tr('poll.card.totalsTitle', { answered: poll.participants.length - state.pending.length, total: poll.participants.length }),
    slots: active.map((s) => {
      const r = bySlot.get(s.id);
      const totals = r?.totals ?? { yes: 0, ifNeedBe: 0, no: 0, pending: poll.participants.length };
      const label = slotLabel(s, locale, zone);
      return {
        label: s.id === poll.finalSlotId ? `✅ ${label}` : isOrganiser && s.id === suggested ? `⭐ ${label}` : label,
        weight: s.id === poll.finalSlotId ? 'Bolder' : 'Default',
        totals: tr('poll.card.totals', { ...totals }),
      };
    }),
    legend: tr('poll.card.legend'),
    pendingLine,
    manualHint: userIds || decided ? '' : tr('poll.card.manualHint'),
    showForm,
    formTitle: participant
      ? participant.external
        ? tr('poll.card.formTitleFor', { name: participant.name })
        : tr('poll.card.formTitle')
      : '',
    inputs: showForm
      ? active.map((s) => ({
          id: `slot_${s.id}`,
          label: slotLabel(s, locale, zone),
          value: opts.values?.[`slot_${s.id}`] ?? mineBySlot.get(s.id) ?? '',
        }))
      : [],
    requiredMessage: tr('poll.card.requiredMessage'),
    yesLabel: tr('poll.answer.yes'),
    ifNeedBeLabel: tr('poll.answer.ifNeedBe'),
    noLabel: tr('poll.answer.no'),
    commentLabel: tr('poll.card.comment'),
    commentValue: opts.values?.comment ?? mine?.comment ?? '',
    participantKey: participant?.key ?? '',
    answerLabel: tr('poll.card.answer'),
    showOpen: !showForm && answersOpen,
    openLabel: tr('poll.card.open'),
    isOrganiser,
    rankingTitle: tr('poll.card.rankingTitle'),
    ranking: state.ranking.map((r) => {
      const slot = poll.slots.find((s) => s.id === r.slotId)!;
      return {
        text: r.excluded
          ? tr('poll.card.rankExcluded', { slot: slotLabel(slot, locale, zone) })
          : tr('poll.card.rankLine', { rank: r.rank ?? 0, slot: slotLabel(slot, locale, zone), ...r.totals }),
      };
    }),
    suggestionLine,
    canChoose: poll.status !== 'cancelled',
    canManage: poll.status === 'open' || poll.status === 'closed',
    chooseLabel: tr('poll.card.choose'),
    confirmLabel: tr('poll.card.confirmChoice'),
    finalValue: poll.finalSlotId ?? suggestion?.slotId ?? '',
    slotChoices: active.map((s) => ({ title: slotLabel(s, locale, zone), value: s.id })),
    manageLabel: tr('poll.card.manage'),
    extendTitle: tr('poll.card.extendTitle'),
    extendLabel: tr('poll.card.extend'),
    dateLabel: tr('poll.field.date'),
    timeLabel: tr('poll.field.time'),
    durationLabel: tr('poll.field.duration'),
    addTitle: tr('poll.card.addTitle'),
    addLabel: tr('poll.card.add'),
    removeTitle: tr('poll.card.removeTitle'),
    removeLabel: tr('poll.card.remove'),
    answerForTitle: tr('poll.card.answerForTitle'),
    answerForLabel: tr('poll.card.answerFor'),
    externals: poll.participants.filter((p) => p.external).map((p) => ({ title: p.name, value: p.key })),
    remindLabel: tr('poll.card.remind'),
    closeLabel: tr('poll.card.close'),
    cancelLabel: tr('poll.card.cancel'),
  });
  if (!card.refresh) delete card.refresh;
  return card;
}

/** Posted to the case conversation when the référent asks for a follow-up concertation. */
export function planPollCard(trackingId: string, locale: Locale) {
  return renderCard('planPoll', {
    title: t(locale, 'poll.plan.title', { trackingId }),
    text: t(locale, 'poll.plan.text'),
    button: t(locale, 'poll.plan.button'),
    trackingId,
  });
}
