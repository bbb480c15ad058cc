// Data builders for the case cards: the list ("mes dossiers") and one case (status, participants,
// history, status change with stand-by/stop reasons, date and place, participants management).
import { DateTime } from 'luxon';
import { allowedTargets, CaseStatus, isSchedulable, StopReason } from '../domain/caseStatus';
import { ConcertationSlot, PARTICIPANT_ROLES, PROFESSIONAL_PROFILES, REASON_CHOICES } from '../domain/caseRules';
import { inBrussels } from '../domain/time';
import { formatInBrussels } from '../locales/format';
import { Locale, t, tn } from '../locales/i18n';
import { renderCard } from './render';

/** "mardi 3 mars 2026 à 14:00" style, in Brussels time and the reader's language. */
export function brusselsDateTime(d: Date, locale: Locale): string {
  return formatInBrussels(d, locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function brusselsShort(d: Date, locale: Locale): string {
  return formatInBrussels(d, locale, DateTime.DATETIME_SHORT);
}

export function statusLabel(status: string, locale: Locale): string {
  return t(locale, `cases.status.${status}`);
}

export function reasonLabel(reason: StopReason, locale: Locale): string {
  const key = reason.code === 'noLongerMeetsCriteria' ? `cases.reason.noLongerMeetsCriteria.${reason.subCode}` : `cases.reason.${reason.code}`;
  const extra = reason.code === 'other' ? reason.text : reason.note;
  return extra ? `${t(locale, key)} — ${extra}` : t(locale, key);
}

/** "Dr Test — médecin généraliste": the profile says more than "professional", and a label inside a label's parentheses reads badly. */
export function participantLabel(displayName: string, role: string, profile: string | null, locale: Locale): string {
  return `${displayName} — ${profile ? t(locale, `cases.profile.${profile}`) : t(locale, `cases.role.${role}`)}`;
}

export interface CaseListItem {
  trackingId: string;
  status: CaseStatus;
  participantCount: number;
  myRoles: string[];
  nextConcertation: Date | null;
}

export function caseListCard(items: CaseListItem[], locale: Locale, coordination: boolean) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  return renderCard('caseList', {
    title: tr(coordination ? 'cases.list.titleCoordination' : 'cases.list.title'),
    empty: items.length ? '' : tr('cases.list.empty'),
    openLabel: tr('cases.open'),
    cases: items.map((c) => ({
      trackingId: c.trackingId,
      line: tn(locale, 'cases.list.line', c.participantCount, { status: statusLabel(c.status, locale) }),
      roles: c.myRoles.length ? tr('cases.list.roles', { roles: c.myRoles.map((r) => tr(`cases.role.${r}`)).join(', ') }) : '',
      next: c.nextConcertation ? tr('cases.list.next', { date: brusselsShort(c.nextConcertation, locale) }) : '',
    })),
  });
}

export interface CaseCardView {
  trackingId: string;
  level: 'full' | 'anonymised';
  status: CaseStatus;
  organiserName: string;
  consentType: string;
  conversationLinked: boolean;
  next: ConcertationSlot | null;
  participants: Array<{ key: string; role: string; profile: string | null; displayName: string; contact: string; relation: string }>;
  history: Array<{ from: string | null; to: string; at: Date; byName: string; reason: StopReason | null; note: string }>;
  canChangeStatus: boolean;
  canManage: boolean;
  canSchedule: boolean;
  teamsUsers: Array<{ value: string; title: string }>;
  /** Meeting reminder offsets in force (days before the concertation); shown to members, set by the organiser. */
  reminderOffsets?: number[];
  error?: string;
  notice?: string;
  /** Values typed before an error, given back so nothing is lost. */
  values?: Record<string, string>;
}

export function caseCard(view: CaseCardView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const full = view.level === 'full';
  const v = view.values ?? {};
  const next = view.next;
  const facts = [
    { title: tr('cases.card.status'), value: statusLabel(view.status, locale) },
    { title: tr('cases.card.organiser'), value: view.organiserName },
    { title: tr('cases.card.consent'), value: tr(`cases.consent.${view.consentType}`) },
    { title: tr('cases.card.conversation'), value: view.conversationLinked ? tr('cases.card.conversationLinked') : tr('cases.card.conversationNone', { trackingId: view.trackingId }) },
    { title: tr('cases.card.nextConcertation'), value: next ? tr('cases.card.when', { date: brusselsDateTime(next.start, locale), duration: next.durationMinutes }) : tr('cases.card.none') },
  ];
  if (full && next) facts.push({ title: tr('cases.card.place'), value: [next.place, next.onlineLink].filter(Boolean).join(' · ') });
  if (full && view.reminderOffsets) facts.push({ title: tr('cases.reminders.fact'), value: tr('cases.reminders.value', { list: view.reminderOffsets.join(', '), count: Math.max(...view.reminderOffsets) }) });
  const roleCounts = new Map<string, number>();
  for (const p of view.participants) roleCounts.set(p.role, (roleCounts.get(p.role) ?? 0) + 1);
  const zoned = next ? inBrussels(next.start) : null;
  return renderCard('caseDetail', {
    trackingId: view.trackingId,
    title: tr('cases.card.title', { trackingId: view.trackingId }),
    anonymisedNote: full ? '' : tr('cases.card.anonymised'),
    error: view.error ?? '',
    notice: view.notice ?? '',
    facts,
    participantsTitle: tr('cases.card.participants'),
    participantsSummary: full
      ? ''
      : tn(locale, 'cases.card.participantsCount', view.participants.length, { roles: [...roleCounts].map(([r, n]) => `${n} × ${tr(`cases.role.${r}`)}`).join(', ') }),
    participants: full
      ? view.participants.map((p) => ({
          key: p.key,
          line: `${participantLabel(p.displayName, p.role, p.profile, locale)}${p.relation ? ` (${p.relation})` : ''}`,
          contact: p.contact,
          canRemove: view.canManage && p.role !== 'organiser',
        }))
      : [],
    removeLabel: tr('cases.card.remove'),
    historyTitle: tr('cases.card.history'),
    history: view.history
      .slice(-10)
      .reverse()
      .map((h) => {
        const parts = [
          h.from ? tr('cases.card.historyLine', { date: brusselsShort(h.at, locale), from: statusLabel(h.from, locale), to: statusLabel(h.to, locale) }) : tr('cases.card.historyCreated', { date: brusselsShort(h.at, locale), to: statusLabel(h.to, locale) }),
        ];
        if (full && h.byName) parts.push(tr('cases.card.historyBy', { name: h.byName }));
        if (h.reason) parts.push(tr('cases.card.historyReason', { reason: full ? reasonLabel(h.reason, locale) : reasonLabel(stripFreeText(h.reason), locale) }));
        if (full && h.note) parts.push(h.note);
        return { line: parts.join(' · ') };
      }),
    canChangeStatus: full && view.canChangeStatus && allowedTargets(view.status).length > 0,
    changeStatusTitle: tr('cases.card.changeStatus'),
    statusToLabel: tr('cases.card.statusTo'),
    statusValue: v.statusTo ?? '',
    statusChoices: allowedTargets(view.status).map((s) => ({ title: statusLabel(s, locale), value: s })),
    reasonLabel: tr('cases.card.reasonLabel'),
    reasonValue: v.reason ?? '',
    reasonChoices: REASON_CHOICES.map((r) => ({ title: tr(`cases.reason.${r}`), value: r })),
    reasonTextLabel: tr('cases.card.reasonText'),
    reasonTextValue: v.reasonText ?? '',
    noteLabel: tr('cases.card.note'),
    noteValue: v.statusNote ?? '',
    applyStatusLabel: tr('cases.card.applyStatus'),
    canSchedule: full && view.canSchedule && isSchedulable(view.status),
    scheduleTitle: tr('cases.card.schedule'),
    dateLabel: tr('cases.card.date'),
    timeLabel: tr('cases.card.time'),
    durationLabel: tr('cases.card.duration'),
    placeLabel: tr('cases.card.place'),
    linkLabel: tr('cases.card.link'),
    scheduleLabel: tr('cases.card.scheduleSave'),
    dateValue: v.sDate ?? zoned?.toISODate() ?? '',
    timeValue: v.sTime ?? zoned?.toFormat('HH:mm') ?? '',
    durationValue: v.sDuration ?? (next ? String(next.durationMinutes) : '105'),
    placeValue: v.sPlace ?? next?.place ?? '',
    linkValue: v.sLink ?? next?.onlineLink ?? '',
    canSetReminders: full && view.canManage && Boolean(view.reminderOffsets),
    remindersTitle: tr('cases.reminders.title'),
    remindersLabel: tr('cases.reminders.label'),
    remindersValue: v.rOffsets ?? (view.reminderOffsets ?? []).join(', '),
    remindersSave: tr('cases.reminders.save'),
    canManage: full && view.canManage,
    addTitle: tr('cases.card.addParticipant'),
    roleLabel: tr('cases.card.role'),
    roleValue: v.pRole ?? '',
    roleChoices: PARTICIPANT_ROLES.filter((r) => r !== 'organiser').map((r) => ({ title: tr(`cases.role.${r}`), value: r })),
    profileLabel: tr('cases.card.profile'),
    profileValue: v.pProfile ?? '',
    profileChoices: PROFESSIONAL_PROFILES.map((p) => ({ title: tr(`cases.profile.${p}`), value: p })),
    nameLabel: tr('cases.card.name'),
    nameValue: v.pName ?? '',
    contactLabel: tr('cases.card.contact'),
    contactValue: v.pContact ?? '',
    relationLabel: tr('cases.card.relation'),
    relationValue: v.pRelation ?? '',
    teamsUserLabel: tr('cases.card.teamsUser'),
    teamsUserValue: v.pTeamsUser ?? '',
    teamsUserChoices: view.teamsUsers,
    addLabel: tr('cases.card.add'),
    // PSI (bot/features/psi.ts checks who may read it) and, for the organiser, the concertation record.
    showPsi: full,
    psiLabel: tr('psi.card.open'),
    recordLabel: tr('records.card.open'),
  });
}

/** The coordination sees the reason's category, never the free text (it may identify the person). */
function stripFreeText(reason: StopReason): StopReason {
  return reason.code === 'other' ? { code: 'other', text: '' } : ({ ...reason, note: undefined } as StopReason);
}

export interface AgendaCardView extends ConcertationSlot {
  trackingId: string;
  seq: number;
  participants: Array<{ role: string; profile: string | null; displayName: string; inTeams: boolean; answer: 'yes' | 'no' | null }>;
  points: Array<{ pointId: string; text: string }>;
  error?: string;
  notice?: string;
  newPointValue?: string;
  /** 'organiser' adds the point controls; 'participant' is what the case conversation shows. */
  viewer?: 'organiser' | 'participant';
  /** Teams ids ("29:…") whose client fetches their own view (agenda.refresh): the organiser(s). */
  refreshUserIds?: string[];
}

/** Teams refreshes a card automatically for at most 60 users. */
const MAX_REFRESH_USERS = 60;

/**
 * The agenda (ordre du jour) posted to the case conversation and updated in place. The posted card
 * is the participants' view; the organiser's client swaps in the organiser's view by refresh.
 */
export function agendaCard(view: AgendaCardView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const answered = (a: 'yes' | 'no') => view.participants.filter((p) => p.answer === a).length;
  const pending = view.participants.filter((p) => p.inTeams && p.answer === null).length;
  const facts = [
    { title: tr('cases.agenda.when'), value: brusselsDateTime(view.start, locale) },
    { title: tr('cases.agenda.duration'), value: tr('cases.agenda.durationValue', { minutes: view.durationMinutes }) },
  ];
  if (view.place) facts.push({ title: tr('cases.agenda.place'), value: view.place });
  if (view.onlineLink) facts.push({ title: tr('cases.agenda.online'), value: view.onlineLink });
  const organiser = view.viewer === 'organiser';
  const refreshUserIds = [...new Set(view.refreshUserIds ?? [])].filter(Boolean).slice(0, MAX_REFRESH_USERS);
  const card = renderCard('agenda', {
    trackingId: view.trackingId,
    seq: view.seq,
    organiser,
    hasRefresh: refreshUserIds.length > 0,
    refreshUserIds,
    refreshLabel: tr('cases.agenda.refresh'),
    title: tr('cases.agenda.title', { trackingId: view.trackingId }),
    error: view.error ?? '',
    notice: view.notice ?? '',
    facts,
    onlineLink: view.onlineLink ?? '',
    joinLabel: tr('cases.agenda.join'),
    participantsTitle: tr('cases.agenda.participants'),
    summary: tr('cases.agenda.summary', { yes: answered('yes'), no: answered('no'), pending }),
    participants: view.participants.map((p) => ({
      name: participantLabel(p.displayName, p.role, p.profile, locale),
      value: !p.inTeams ? tr('cases.agenda.answer.outsideTeams') : tr(`cases.agenda.answer.${p.answer ?? 'pending'}`),
    })),
    pointsTitle: tr('cases.agenda.points'),
    noPoints: tr(organiser ? 'cases.agenda.noPointsOrganiser' : 'cases.agenda.noPoints'),
    points: view.points.map((p, i) => ({ number: i + 1, text: p.text, pointId: p.pointId })),
    removePointLabel: tr('cases.agenda.removePoint'),
    newPointLabel: tr('cases.agenda.newPoint'),
    newPointValue: view.newPointValue ?? '',
    addPointLabel: tr('cases.agenda.addPoint'),
    remindersTitle: tr('cases.agenda.remindersTitle'),
    reminders: [tr('cases.agenda.reminder.person'), tr('cases.agenda.reminder.secrecy'), tr('cases.agenda.reminder.fees')],
    confirmLabel: tr('cases.agenda.confirm'),
    declineLabel: tr('cases.agenda.decline'),
  });
  // The template leaves "refresh": null when nobody is named; no property at all is cleaner.
  if (card.refresh == null) delete card.refresh;
  return card;
}
