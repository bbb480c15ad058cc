// Data for the admissibility-sheet cards: a question with choices, and the summary before sending.
import type { EligibilityResult } from '../domain/eligibility';
import { hasKey, Locale, t } from '../locales/i18n';
import { askedFields, choiceLabel, communeChoices, displayValue, Draft, FieldDef, get } from '../dialogs/requestFields';
import { renderCard } from './render';

export function questionProgress(field: FieldDef, draft: Draft): { n: number; total: number } {
  const asked = askedFields(draft);
  return { n: asked.findIndex((f) => f.id === field.id) + 1, total: asked.length };
}

/** Cards only for questions with choices; free text is asked as plain text. */
export function questionNeedsCard(field: FieldDef): boolean {
  return field.kind === 'choice' || field.kind === 'multi' || field.kind === 'commune';
}

export function questionCard(field: FieldDef, draft: Draft, locale: Locale, error = '') {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const { n, total } = questionProgress(field, draft);
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
    progress: tr('request.progress', { n, total }),
    error,
    prompt: tr(`request.field.${field.id}.prompt`),
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
  const fields = numberedAnswers(draft);
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
