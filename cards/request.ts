// Data for the admissibility-sheet cards: a question with choices, and the summary before sending.
import type { EligibilityResult } from '../domain/eligibility';
import { formatInBrussels } from '../locales/format';
import { hasKey, Locale, t } from '../locales/i18n';
import { askedFields, choiceLabel, communeChoices, displayValue, Draft, FieldDef, FIELDS, get, IDENTITY_FIELDS, identityKeptApart, promptOf, requesterRoleOf } from '../dialogs/requestFields';
import { renderCard } from './render';

/**
 * "Question n of total", counted on the main questions only: a follow-up asked because of an answer
 * ("other" → "which?") keeps its main question's number, so the total never changes while answering
 * (counting the questions that apply made it grow from 26 to 28 along the way).
 */
export function questionProgress(field: FieldDef, draft: Draft = {}): { n: number; total: number; followUp: boolean } {
  // Questions that depend on who is asking count as main questions once the role is known.
  const main = (f: FieldDef) => !f.when || (f.perRole === true && f.when(draft));
  const upTo = FIELDS.slice(0, FIELDS.indexOf(field) + 1);
  return { n: Math.max(1, upTo.filter(main).length), total: FIELDS.filter(main).length, followUp: Boolean(field.when) && !field.perRole };
}

export function progressText(field: FieldDef, locale: Locale, draft: Draft = {}): string {
  const { n, total, followUp } = questionProgress(field, draft);
  return t(locale, followUp ? 'request.progressFollowUp' : 'request.progress', { n, total });
}

/** Where a returning requester stands, and the choice to continue or start over. */
export function resumeCard(at: FieldDef | null, startedOn: string, locale: Locale, draft: Draft = {}) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const progress = at ? questionProgress(at, draft) : null;
  return renderCard('requestResume', {
    title: tr('request.recap.title'),
    where: progress ? tr('request.recap.field', { date: startedOn, n: progress.n, total: progress.total }) : tr('request.recap.summary', { date: startedOn }),
    question: at ? promptOf(locale, at, draft) : '',
    hint: tr('request.recap.hint'),
    continueLabel: tr('request.recap.continue'),
    restartLabel: tr('request.recap.restart'),
  });
}

/** Cards only for questions with choices; free text is asked as plain text. */
export function questionNeedsCard(field: FieldDef): boolean {
  return field.kind === 'choice' || field.kind === 'multi' || field.kind === 'commune';
}

export function questionCard(field: FieldDef, draft: Draft, locale: Locale, error = '') {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const current = get(draft, field.id);
  let choices: Array<{ title: string; value: string }>;
  let value = '';
  if (field.kind === 'commune') {
    choices = communeChoices();
    value = typeof current === 'string' ? current : '';
  } else {
    choices = (field.values ?? []).map((v) => ({ title: choiceLabel(locale, field.choices!, v), value: v }));
    if (field.kind === 'multi' && current && typeof current === 'object') {
      value = Object.entries(current as Record<string, boolean>).filter(([, on]) => on).map(([k]) => k).join(',');
    } else if (typeof current === 'boolean') value = current ? 'yes' : 'no';
    else if (typeof current === 'string') value = current;
  }
  return renderCard('requestQuestion', {
    progress: progressText(field, locale, draft),
    error,
    prompt: promptOf(locale, field, draft),
    hint: field.kind === 'multi' ? tr('request.multiHint') : tr('request.choiceHint'),
    style: field.kind === 'commune' ? 'filtered' : 'expanded',
    multi: field.kind === 'multi',
    value,
    placeholder: field.kind === 'commune' ? tr('request.communePlaceholder') : '',
    choices,
    submitLabel: tr('request.submitButton'),
    fieldId: field.id,
  });
}

const GROUPS = ['requester', 'person', 'analysis', 'checklist'] as const;
const SUGGESTION_COLOR = { likely: 'Good', conditional: 'Warning', notAdmissible: 'Attention' } as const;

export function eligibilityReasonText(locale: Locale, code: string, params?: Record<string, string | number>): string {
  return hasKey(code, locale) ? t(locale, code, params) : code;
}

/** Numbered answers: the numbers are what the requester types in "modifier 3". */
export function numberedAnswers(draft: Draft): FieldDef[] {
  return askedFields(draft);
}

/**
 * The sheet's answers as titled sections of facts, numbered like "modifier 3" expects. The
 * requester reads "Votre nom"; the coordination and the organiser read about the requester in the
 * third person ("Nom du demandeur"), from the `labelOther` keys where the two differ.
 */
export function sheetSections(draft: Draft, locale: Locale, reader: 'requester' | 'others' = 'requester') {
  // Others never read who asked when it is the person herself or a carer: only the role, and a
  // line saying where the contact went (services/requests.ts keeps it apart).
  const apart = reader === 'others' && identityKeptApart(requesterRoleOf(draft));
  const fields = numberedAnswers(draft).filter((f) => !(apart && IDENTITY_FIELDS.includes(f.id)));
  const label = (f: FieldDef) =>
    reader === 'others' && hasKey(`request.field.${f.id}.labelOther`, locale) ? t(locale, `request.field.${f.id}.labelOther`) : t(locale, `request.field.${f.id}.label`);
  const sections = GROUPS.map((g) => ({
    title: t(locale, `request.group.${g}`),
    facts: fields
      .map((f, i) => ({ f, i }))
      .filter(({ f }) => f.group === g)
      .map(({ f, i }) => ({ title: `${i + 1}. ${label(f)}`, value: displayValue(f, draft, locale) })),
  }));
  sections[0].facts.unshift({ title: t(locale, 'request.field.requestDate.label'), value: String(get(draft, 'requestDate') ?? '') });
  if (apart) sections[0].facts.push({ title: t(locale, 'request.identityApart.label'), value: t(locale, 'request.identityApart.value') });
  return sections;
}

export function eligibilityView(locale: Locale, eligibility: EligibilityResult) {
  return {
    suggestion: t(locale, `eligibility.suggestion.${eligibility.suggestion}`),
    suggestionColor: SUGGESTION_COLOR[eligibility.suggestion],
    reasons: eligibility.reasons.filter((r) => r.outcome !== 'ok').map((r) => ({ text: eligibilityReasonText(locale, r.code, r.params) })),
  };
}

export function summaryCard(draft: Draft, locale: Locale, eligibility: EligibilityResult) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const fields = numberedAnswers(draft);
  return renderCard('requestSummary', {
    title: tr('request.summary.title'),
    intro: tr('request.summary.intro'),
    sections: sheetSections(draft, locale),
    suggestionTitle: tr('request.summary.suggestionTitle'),
    ...eligibilityView(locale, eligibility),
    editLabel: tr('request.summary.editLabel'),
    editChoices: fields.map((f, i) => ({ title: `${i + 1}. ${tr(`request.field.${f.id}.label`)}`, value: f.id })),
    typeHint: tr('request.summary.typeHint'),
    submitLabel: tr('request.summary.submit'),
    editButton: tr('request.summary.edit'),
    cancelLabel: tr('request.summary.cancel'),
  });
}

export interface RequestListItem {
  trackingId: string;
  status: 'submitted' | 'admitted' | 'conditional' | 'refused';
  submittedAt: Date;
  concertationAt?: Date | null;
}

const STATUS_COLOR = { submitted: 'Default', admitted: 'Good', conditional: 'Warning', refused: 'Attention' } as const;
const dateTime = (d: Date, locale: Locale) => formatInBrussels(d, locale, { dateStyle: 'long', timeStyle: 'short' });
const dateOnly = (d: Date, locale: Locale) => formatInBrussels(d, locale, { dateStyle: 'long' });

/** The concertation date as the requester is told it (Brussels time, in their language). */
export const concertationDateText = dateTime;

/** "Mes demandes": the requester's own requests and where each stands; only tracking ids, never the sheet. */
export function requestListCard(items: RequestListItem[], locale: Locale, draftInProgress: boolean) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  return renderCard('requestList', {
    title: tr('request.list.title'),
    items: items.map((r) => ({
      trackingId: r.trackingId,
      status: tr(`request.status.${r.status}`),
      color: STATUS_COLOR[r.status] ?? 'Default',
      concertation: r.concertationAt && r.status !== 'refused' ? tr('request.list.concertation', { date: dateTime(r.concertationAt, locale) }) : '',
      submittedOn: tr('request.list.submittedOn', { date: dateOnly(r.submittedAt, locale) }),
    })),
    draftNote: draftInProgress ? tr('request.list.draft') : '',
  });
}
