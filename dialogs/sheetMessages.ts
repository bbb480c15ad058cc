// What the sheet sends: a question (text, or a card for choices), the summary, the recap on
// coming back; and what a typed line or a clicked button on those messages means.
import { ActivityTypes, CardFactory, TurnContext } from 'botbuilder';
import { numberedAnswers, progressText, questionCard, questionNeedsCard, resumeCard, summaryCard } from '../cards/request';
import { evaluateEligibility } from '../domain/eligibility';
import { t } from '../locales/i18n';
import { localeWords, normalise } from './requestAnswers';
import { displayValue, Draft, FieldDef, isAnswered, isOptional, promptOf, toAnswers } from './requestFields';
import { localeOf } from './turnLocale';

const cardMessage = (content: object) => ({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(content)] });

/** `showCurrent`: when editing from the summary, a text question recalls the answer being replaced. */
export async function sendQuestion(context: TurnContext, field: FieldDef, draft: Draft, error = '', showCurrent = false): Promise<void> {
  const locale = localeOf(context);
  if (questionNeedsCard(field)) {
    // The card carries the question and the error: a text beside it would show the question twice.
    await context.sendActivity(cardMessage(questionCard(field, draft, locale, error)));
    return;
  }
  const lines = [
    error,
    `_${progressText(field, locale, draft)}_`,
    promptOf(locale, field, draft),
    showCurrent && isAnswered(field, draft) ? t(locale, 'request.currentValue', { value: displayValue(field, draft, locale) }) : '',
    isOptional(field, draft) ? `_${t(locale, 'request.optionalHint')}_` : '',
  ].filter(Boolean);
  await context.sendActivity(lines.join('\n\n'));
}

export async function sendSummary(context: TurnContext, draft: Draft): Promise<void> {
  const eligibility = evaluateEligibility(toAnswers(draft));
  await context.sendActivity(cardMessage(summaryCard(draft, localeOf(context), eligibility)));
}

/** Where the requester stands (the question, or the summary when `field` is null), with "continuer" / "recommencer". */
export async function sendRecap(context: TurnContext, field: FieldDef | null, startedOn: string, draft: Draft): Promise<void> {
  await context.sendActivity(cardMessage(resumeCard(field, startedOn, localeOf(context), draft)));
}

/** What a typed line means on the summary ("envoyer", "modifier 3"), or null. */
export function summaryAction(typed: string): 'submit' | 'edit' | null {
  const text = normalise(typed);
  if (localeWords('request.command.submit').includes(text)) return 'submit';
  if (localeWords('request.command.edit').includes(text.replace(/\s*\d+$/, ''))) return 'edit';
  return null;
}

/** A click on one of the sheet's own cards (a question's answer, a summary or recap button). */
export const isSheetButton = (value: Record<string, unknown>): boolean => typeof value.requestField === 'string' || typeof value.requestAction === 'string';

/** The answer to change from the summary: the card's pick, or "modifier 3" (numbered as on the summary). */
export function editTarget(draft: Draft, value: Record<string, unknown>, typed: string): { field: FieldDef } | { error: string; params?: Record<string, string> } {
  const fields = numberedAnswers(draft);
  const n = /(\d+)$/.exec(typed)?.[1];
  let field: FieldDef | undefined;
  if (typeof value.editField === 'string' && value.editField) field = fields.find((f) => f.id === value.editField);
  else if (n) {
    field = fields[Number(n) - 1];
    if (!field) return { error: 'request.summary.unknownNumber', params: { n } };
  }
  return field ? { field } : { error: 'request.summary.pickEdit' };
}
