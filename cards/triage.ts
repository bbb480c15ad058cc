// The coordination's triage card (anonymous sheet + suggestion + decision) and the organiser's copy.
import { formatInBrussels } from '../locales/format';
import { REFUSAL_REASONS } from '../domain/sectors';
import { Locale, t } from '../locales/i18n';
import type { ConcertationRequest, RequestDecision } from '../models/request';
import { identityKeptApart, RequesterIdentity } from '../models/requesterIdentity';
import { eligibilityView, sheetSections } from './request';
import { renderCard } from './render';

export interface OrganiserOption {
  aadObjectId: string;
  displayName: string;
  languages: string[];
  openCases: number;
}

export interface TriageView {
  request: Pick<ConcertationRequest, 'trackingId' | 'answers' | 'suggestion' | 'submittedAt' | 'requesterRole'>;
  decision: (RequestDecision & { organiserName?: string }) | null;
  organisers: OrganiserOption[];
  error?: string;
  organiserValue?: string;
  notesValue?: string;
  refusalReasonValue?: string;
}

const brussels = (d: Date, locale: Locale) => formatInBrussels(d, locale, { dateStyle: 'medium', timeStyle: 'short' });

/** The stored answers as the sheet reads them, with who asked (kept on the request, not in the answers). */
const asSheet = (request: Pick<ConcertationRequest, 'answers' | 'requesterRole'>) =>
  ({ ...request.answers, requester: { ...request.answers.requester, role: request.requesterRole ?? 'professional' } }) as never;

export function triageCard(view: TriageView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const { request, decision } = view;
  const d = decision;
  return renderCard('triage', {
    title: tr('triage.title', { trackingId: request.trackingId }),
    subtitle: tr('triage.subtitle', { date: brussels(request.submittedAt, locale) }),
    suggestionTitle: tr('request.summary.suggestionTitle'),
    ...eligibilityView(locale, request.suggestion),
    sections: sheetSections(asSheet(request), locale, 'others'),
    decided: Boolean(d),
    decisionStyle: d ? (d.status === 'yes' ? 'good' : d.status === 'no' ? 'attention' : 'warning') : 'default',
    decisionLine: d
      ? tr(`triage.decided.${d.status}`, { organiser: d.organiserName ?? '', by: d.decidedByName, date: brussels(d.decidedAt, locale) })
      : '',
    decisionReason: d?.refusalReason ? tr('triage.decided.reason', { reason: tr(`triage.refusalReason.${d.refusalReason}`) }) : '',
    decisionNotes: d?.notes ?? '',
    error: view.error ?? '',
    organiserLabel: tr('triage.organiserLabel'),
    organiserPlaceholder: tr('triage.organiserPlaceholder'),
    organiserValue: view.organiserValue ?? '',
    // An empty choice list is an invalid card: say why there is nobody to pick instead.
    hasOrganisers: view.organisers.length > 0,
    noOrganisers: tr('triage.poolEmpty'),
    refusalReasonLabel: tr('triage.refusalReasonLabel'),
    refusalReasonPlaceholder: tr('triage.refusalReasonPlaceholder'),
    refusalReasonValue: view.refusalReasonValue ?? '',
    refusalReasons: REFUSAL_REASONS.map((r) => ({ title: tr(`triage.refusalReason.${r}`), value: r })),
    notesLabel: tr('triage.notesLabel'),
    notesValue: view.notesValue ?? '',
    organisers: view.organisers.map((o) => ({
      title: tr('triage.organiserChoice', { name: o.displayName, languages: o.languages.map((l) => l.toUpperCase()).join(', '), count: o.openCases }),
      value: o.aadObjectId,
    })),
    yesLabel: tr('triage.yes'),
    conditionalLabel: tr('triage.conditional'),
    noLabel: tr('triage.no'),
    trackingId: request.trackingId,
  });
}

/** The first spelling of a typed command in this language ("lier dossier"), to show it as typed. */
const commandWord = (locale: Locale, name: string): string => t(locale, `command.${name}`).split('|')[0];

/** What the assigned organiser asked to see of a requester kept apart: who, or why not. */
export interface RequesterContactView {
  identity?: Pick<RequesterIdentity, 'name' | 'link' | 'phone' | 'email' | 'otherContact'> | null;
  error?: string;
}

/**
 * The organiser's copy of an admitted request, with what comes next spelled out (group chat with the
 * bot, link it, then the availability poll) and "Ouvrir le dossier", which shows the case card.
 * When the person herself or a carer asked, the card says so and offers "Voir ses coordonnées":
 * the contact is in the card only once that organiser asked for it (audited).
 */
export function assignmentCard(request: Pick<ConcertationRequest, 'trackingId' | 'answers' | 'requesterRole'>, decision: RequestDecision, locale: Locale, contact: RequesterContactView = {}) {
  const id = request.trackingId;
  const role = request.requesterRole ?? 'professional';
  const shown = contact.identity ?? null;
  const contactFacts = shown
    ? (['name', 'link', 'phone', 'email', 'otherContact'] as const)
        .filter((k) => shown[k])
        .map((k) => ({ title: t(locale, `assignment.requester.${k}`), value: shown[k] }))
    : [];
  return renderCard('assignment', {
    requesterApart: identityKeptApart(role),
    requesterTitle: t(locale, 'assignment.requester.title'),
    requesterLine: t(locale, `assignment.requester.role.${role}`),
    contactError: contact.error ?? '',
    contactShown: Boolean(shown),
    contactFacts,
    contactLabel: t(locale, 'assignment.requester.show'),
    nextTitle: t(locale, 'assignment.next.title'),
    nextSteps: [
      { text: t(locale, 'assignment.next.chat'), command: '' },
      { text: t(locale, 'assignment.next.link'), command: `${commandWord(locale, 'linkCase')} ${id}` },
      { text: t(locale, 'assignment.next.poll'), command: `${commandWord(locale, 'newPoll')} ${id}` },
      { text: t(locale, 'assignment.next.case'), command: '' },
    ],
    title: t(locale, 'assignment.title', { trackingId: request.trackingId }),
    intro: t(locale, decision.status === 'yes' ? 'assignment.intro.yes' : 'assignment.intro.conditional', { by: decision.decidedByName }),
    notesTitle: t(locale, 'assignment.notesTitle'),
    notes: decision.notes ?? '',
    sections: sheetSections(asSheet(request), locale, 'others'),
    openLabel: t(locale, 'assignment.open'),
    trackingId: request.trackingId,
  });
}

/**
 * Posted to the coordination instead of the triage card while the organiser pool is empty: the
 * request waits, and "Afficher la demande" shows the triage card once organisers are added.
 */
export function triageWaitingCard(request: Pick<ConcertationRequest, 'trackingId' | 'submittedAt'>, locale: Locale, error = '') {
  return renderCard('triageWaiting', {
    title: t(locale, 'triage.title', { trackingId: request.trackingId }),
    subtitle: t(locale, 'triage.subtitle', { date: brussels(request.submittedAt, locale) }),
    error,
    body: t(locale, 'triage.waiting.body'),
    showLabel: t(locale, 'triage.waiting.show'),
    trackingId: request.trackingId,
  });
}
