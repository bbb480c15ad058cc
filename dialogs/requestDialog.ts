// The guided admissibility sheet. A single dialog walks the field list (requestFields.ts) instead
// of one waterfall step per question: the order, optional questions and conditions are data.
// Every answer is saved to the requester's draft at once, so nothing given is ever lost.
import { ActivityTypes, Attachment, CardFactory, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import { questionCard, questionNeedsCard, questionProgress, summaryCard, numberedAnswers } from '../cards/request';
import { evaluateEligibility } from '../domain/eligibility';
import { allTranslations, t } from '../locales/i18n';
import type { ConcertationRequest } from '../models/request';
import type { Clock } from '../services/clock';
import type { DraftLoad, DraftStore } from '../services/drafts';
import { AnonymityViolation, RequestService } from '../services/requests';
import { localeOf } from './turnLocale';
import { displayValue, Draft, fieldById, FieldDef, isAnswered, isOptional, nextField, normalise, parseAnswer, pruneDraft, set, toAnswers } from './requestFields';

export const REQUEST_DIALOG_ID = 'admissibilityRequest';

interface SheetState {
  mode: 'field' | 'summary';
  current: string | null; // field id being asked
  editing: boolean; // came from the summary: go back there after this answer
  /** From the Teams profile at the start, to prefill again if the draft expires meanwhile. */
  prefill?: { name?: string; email?: string };
}

export interface RequestDialogDeps {
  drafts: DraftStore;
  requests: RequestService;
  clock: Clock;
  draftExpiryDays: number;
  /** Called after a successful submit (posts the triage card to the coordination). */
  onSubmitted: (request: ConcertationRequest, context: TurnContext) => Promise<unknown>;
}

export interface RequestDialogOptions {
  prefill?: { name?: string; email?: string };
}

const requesterOf = (context: TurnContext): string => context.activity.from?.aadObjectId || context.activity.from?.id;
const brusselsDate = (d: Date): string => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });
const words = (key: string) => allTranslations(key).flatMap((s) => s.split('|')).map(normalise);
/** Someone who shows up again after this long is told which draft is being resumed. */
const WELCOME_BACK_MS = 12 * 3600 * 1000;

export class RequestDialog extends Dialog<RequestDialogOptions> {
  constructor(private readonly deps: RequestDialogDeps) {
    super(REQUEST_DIALOG_ID);
  }

  override async beginDialog(dc: DialogContext, options?: RequestDialogOptions): Promise<DialogTurnResult> {
    const state: SheetState = { mode: 'field', current: null, editing: false, prefill: options?.prefill ?? {} };
    dc.activeDialog!.state = state;
    await this.open(dc.context, state, await this.deps.drafts.load(requesterOf(dc.context)));
    return Dialog.EndOfTurn;
  }

  /**
   * Resumes the requester's draft, or starts a new one (saying so when the old one expired), then
   * asks the first unanswered question or shows the summary.
   */
  private async open(ctx: TurnContext, state: SheetState, loaded: DraftLoad): Promise<void> {
    const locale = localeOf(ctx);
    const requester = requesterOf(ctx);
    let draft: Draft;
    if (loaded.status === 'found') {
      draft = loaded.draft.answers;
      await ctx.sendActivity(t(locale, 'request.resume', { date: brusselsDate(loaded.draft.createdAt) }));
    } else {
      if (loaded.status === 'expired') {
        await ctx.sendActivity(t(locale, 'request.expired', { date: brusselsDate(loaded.createdAt), days: this.deps.draftExpiryDays }));
      }
      draft = { requestDate: brusselsDate(this.deps.clock.now()), requester: {} };
      if (state.prefill?.name) draft = set(draft, 'requester.name', state.prefill.name);
      if (state.prefill?.email) draft = set(draft, 'requester.email', state.prefill.email);
      await ctx.sendActivity(t(locale, 'request.intro'));
    }
    await this.deps.drafts.save(requester, ctx.activity.conversation.id, draft);
    state.editing = false;
    await this.askNext(ctx, draft, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const ctx = dc.context;
    if (ctx.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const locale = localeOf(ctx);
    const state = dc.activeDialog!.state as SheetState;
    const requester = requesterOf(ctx);
    const loaded = await this.deps.drafts.load(requester);
    if (loaded.status !== 'found') {
      // Expired (or purged) while the dialog waited: start again rather than ask into the void.
      await this.open(ctx, state, loaded);
      return Dialog.EndOfTurn;
    }
    const draft = loaded.draft.answers;
    const value = (ctx.activity.value ?? {}) as Record<string, unknown>;
    if (state.mode === 'summary') return this.onSummaryInput(dc, draft, state, value);

    const field = state.current ? fieldById(state.current) : null;
    if (!field) {
      await this.askNext(ctx, draft, state);
      return Dialog.EndOfTurn;
    }
    let raw: string | undefined = ctx.activity.text;
    if (typeof value.requestField === 'string') {
      if (value.requestField !== field.id) {
        await ctx.sendActivity(t(locale, 'request.outdatedCard'));
        await this.sendQuestion(ctx, field, draft);
        return Dialog.EndOfTurn;
      }
      raw = Array.isArray(value.answer) ? value.answer.join(',') : typeof value.answer === 'string' ? value.answer : '';
    } else if (raw === undefined && isSheetButton(value)) {
      // The summary's buttons, clicked again after "modifier": not an answer to this question.
      await ctx.sendActivity(t(locale, 'request.outdatedCard'));
      await this.sendQuestion(ctx, field, draft);
      return Dialog.EndOfTurn;
    } else if (raw === undefined && Object.keys(value).length) {
      return { status: DialogTurnStatus.empty }; // another feature's button: not the sheet's business
    }
    const result = parseAnswer(field, raw ?? '', draft, locale);
    if (!result.ok) {
      const message = result.error.startsWith('anonymity.') ? `${t(locale, 'anonymity.lead')} ${t(locale, result.error)}` : t(locale, result.error, result.params);
      await this.sendQuestion(ctx, field, draft, message);
      return Dialog.EndOfTurn;
    }
    let updated = draft;
    for (const [path, v] of result.patch) updated = set(updated, path, v);
    updated = pruneDraft(updated);
    await this.deps.drafts.save(requester, ctx.activity.conversation.id, updated);
    if (result.notice) await ctx.sendActivity(t(locale, result.notice.key, result.notice.params));
    if (state.editing && nextField(updated) === null) return this.showSummary(dc, updated, state);
    state.editing = false;
    await this.askNext(ctx, updated, state);
    return Dialog.EndOfTurn;
  }

  /** "aide" mid-way, or "nouvelle demande" while a sheet is open: the current question again. */
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as SheetState;
    const loaded = await this.deps.drafts.load(requesterOf(context));
    if (loaded.status !== 'found') {
      await this.open(context, state, loaded);
      return;
    }
    if (this.deps.clock.now().getTime() - loaded.draft.updatedAt.getTime() > WELCOME_BACK_MS) {
      await context.sendActivity(t(localeOf(context), 'request.resume', { date: brusselsDate(loaded.draft.createdAt) }));
    }
    if (state.mode === 'summary') {
      await this.sendSummary(context, loaded.draft.answers);
      return;
    }
    const field = state.current ? fieldById(state.current) : null;
    if (field) await this.sendQuestion(context, field, loaded.draft.answers);
    else await this.askNext(context, loaded.draft.answers, state);
  }

  private async askNext(context: TurnContext, draft: Draft, state: SheetState): Promise<void> {
    const field = nextField(draft);
    if (!field) {
      state.mode = 'summary';
      state.current = null;
      state.editing = false;
      await this.sendSummary(context, draft);
      return;
    }
    state.mode = 'field';
    state.current = field.id;
    await this.sendQuestion(context, field, draft);
  }

  /** `showCurrent`: when editing from the summary, a text question recalls the answer being replaced. */
  private async sendQuestion(context: TurnContext, field: FieldDef, draft: Draft, error = '', showCurrent = false): Promise<void> {
    const locale = localeOf(context);
    if (questionNeedsCard(field)) {
      // The card carries the question and the error: a text beside it would show the question twice.
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [card(questionCard(field, draft, locale, error))] });
      return;
    }
    const { n, total } = questionProgress(field, draft);
    const lines = [
      error,
      `_${t(locale, 'request.progress', { n, total })}_`,
      t(locale, `request.field.${field.id}.prompt`),
      showCurrent && isAnswered(field, draft) ? t(locale, 'request.currentValue', { value: displayValue(field, draft, locale) }) : '',
      isOptional(field, draft) ? `_${t(locale, 'request.optionalHint')}_` : '',
    ].filter(Boolean);
    await context.sendActivity(lines.join('\n\n'));
  }

  private async showSummary(dc: DialogContext, draft: Draft, state: SheetState): Promise<DialogTurnResult> {
    state.mode = 'summary';
    state.current = null;
    state.editing = false;
    await this.sendSummary(dc.context, draft);
    return Dialog.EndOfTurn;
  }

  private async sendSummary(context: TurnContext, draft: Draft): Promise<void> {
    const locale = localeOf(context);
    const eligibility = evaluateEligibility(toAnswers(draft));
    await context.sendActivity({ type: ActivityTypes.Message, attachments: [card(summaryCard(draft, locale, eligibility))] });
  }

  private async onSummaryInput(dc: DialogContext, draft: Draft, state: SheetState, value: Record<string, unknown>): Promise<DialogTurnResult> {
    const ctx = dc.context;
    const locale = localeOf(ctx);
    const text = normalise(ctx.activity.text ?? '');
    const [verb, arg] = [text.replace(/\s*\d+$/, ''), /(\d+)$/.exec(text)?.[1]];
    if (typeof value.requestField === 'string') {
      await ctx.sendActivity(t(locale, 'request.outdatedCard'));
      await this.sendSummary(ctx, draft);
      return Dialog.EndOfTurn;
    }
    if (ctx.activity.text === undefined && !isSheetButton(value) && Object.keys(value).length) return { status: DialogTurnStatus.empty };
    const action = typeof value.requestAction === 'string' ? value.requestAction : words('request.command.submit').includes(text) ? 'submit' : words('request.command.edit').includes(verb) ? 'edit' : null;

    if (action === 'submit') return this.submit(dc, draft);
    if (action === 'edit') {
      const fields = numberedAnswers(draft);
      let target: FieldDef | undefined;
      if (typeof value.editField === 'string' && value.editField) target = fields.find((f) => f.id === value.editField);
      else if (arg) {
        target = fields[Number(arg) - 1];
        if (!target) {
          await ctx.sendActivity(t(locale, 'request.summary.unknownNumber', { n: arg }));
          return Dialog.EndOfTurn;
        }
      }
      if (!target) {
        await ctx.sendActivity(t(locale, 'request.summary.pickEdit'));
        return Dialog.EndOfTurn;
      }
      state.mode = 'field';
      state.current = target.id;
      state.editing = true;
      await this.sendQuestion(ctx, target, draft, '', true);
      return Dialog.EndOfTurn;
    }
    if (action === 'cancel') {
      await this.deps.drafts.discard(requesterOf(ctx));
      await ctx.sendActivity(t(locale, 'request.cancelled'));
      return dc.endDialog();
    }
    await ctx.sendActivity(t(locale, 'request.summary.typeHint'));
    return Dialog.EndOfTurn;
  }

  private async submit(dc: DialogContext, draft: Draft): Promise<DialogTurnResult> {
    const ctx = dc.context;
    const locale = localeOf(ctx);
    const missing = nextField(draft);
    if (missing) {
      await this.askNext(ctx, draft, dc.activeDialog!.state as SheetState);
      return Dialog.EndOfTurn;
    }
    let request: ConcertationRequest;
    try {
      request = await this.deps.requests.submit(toAnswers(draft), { aadObjectId: requesterOf(ctx), conversationId: ctx.activity.conversation.id, locale });
    } catch (err) {
      if (err instanceof AnonymityViolation) {
        await ctx.sendActivity(t(locale, 'request.submitFailedAnonymity'));
        return Dialog.EndOfTurn;
      }
      throw err;
    }
    await this.deps.drafts.discard(requesterOf(ctx));
    await ctx.sendActivity(t(locale, 'request.submitted', { trackingId: request.trackingId }));
    await this.deps.onSubmitted(request, ctx);
    return dc.endDialog({ trackingId: request.trackingId });
  }
}

const card = (content: object): Attachment => CardFactory.adaptiveCard(content);
const isSheetButton = (value: Record<string, unknown>): boolean => typeof value.requestField === 'string' || typeof value.requestAction === 'string';
