// The guided admissibility sheet. A single dialog walks the field list (requestFields.ts) instead
// of one waterfall step per question: the order, optional questions and conditions are data.
// Every answer is saved to the requester's draft at once, so nothing given is ever lost.
import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import { brusselsDay } from '../domain/time';
import { t } from '../locales/i18n';
import type { ConcertationRequest } from '../models/request';
import type { Clock } from '../services/clock';
import type { DraftLoad, DraftSnapshot, DraftStore } from '../services/drafts';
import { AnonymityViolation, RequestService } from '../services/requests';
import { localeOf } from './turnLocale';
import { isGreeting, localeWords, normalise, parseAnswer, refusalText } from './requestAnswers';
import { Draft, fieldById, FieldDef, nextField, pruneDraft, requesterRoleOf, set, toAnswers } from './requestFields';
import { editTarget, isSheetButton, sendQuestion, sendRecap, sendSummary, summaryAction } from './sheetMessages';

export const REQUEST_DIALOG_ID = 'admissibilityRequest';

interface SheetState {
  /** 'resume': the requester was shown where they stand and asked to continue or start over. */
  mode: 'field' | 'summary' | 'resume';
  current: string | null; // field id being asked
  editing: boolean; // came from the summary: go back there after this answer
  /** In 'resume' mode: where "continuer" goes back to. */
  resumeTo?: 'field' | 'summary';
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
/**
 * A message after this long since the last answer is not taken as an answer: the requester may
 * have forgotten the question ("bonjour"), so they are first told where they stand.
 */
const RESUME_PAUSE_MS = 3600 * 1000;

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
    if (loaded.status === 'found') {
      // A new session on an unfinished sheet: say where it stands and ask before anything is answered.
      const next = nextField(loaded.draft.answers);
      Object.assign(state, { mode: next ? 'field' : 'summary', current: next?.id ?? null, editing: false });
      await this.recap(ctx, state, loaded.draft);
      return;
    }
    if (loaded.status === 'expired') await ctx.sendActivity(t(locale, 'request.expired', { date: brusselsDay(loaded.createdAt), days: this.deps.draftExpiryDays }));
    let draft: Draft = { requestDate: brusselsDay(this.deps.clock.now()), requester: {} };
    if (state.prefill?.name) draft = set(draft, 'requester.name', state.prefill.name);
    if (state.prefill?.email) draft = set(draft, 'requester.email', state.prefill.email);
    await ctx.sendActivity(t(locale, 'request.intro'));
    await this.deps.drafts.save(requesterOf(ctx), ctx.activity.conversation.id, draft);
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
    if (state.mode === 'resume') return this.onResumeChoice(dc, loaded.draft, state, value);
    if (value.requestAction === 'resume' || value.requestAction === 'restart') {
      // A recap card already answered: "recommencer" clicked late must not wipe the sheet.
      await ctx.sendActivity(t(locale, 'request.outdatedCard'));
      await this.showPosition(ctx, state, draft);
      return Dialog.EndOfTurn;
    }
    const typed = ctx.activity.text;
    if (typeof typed === 'string' && !isSheetButton(value) && !(state.mode === 'summary' && summaryAction(typed))) {
      // After a pause, or a greeting: not an answer. Nothing is stored; they choose first.
      if (this.paused(loaded.draft) || isGreeting(typed)) {
        await this.recap(ctx, state, loaded.draft);
        return Dialog.EndOfTurn;
      }
    }
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
        await sendQuestion(ctx, field, draft);
        return Dialog.EndOfTurn;
      }
      raw = Array.isArray(value.answer) ? value.answer.join(',') : typeof value.answer === 'string' ? value.answer : '';
    } else if (raw === undefined && isSheetButton(value)) {
      // The summary's buttons, clicked again after "modifier": not an answer to this question.
      await ctx.sendActivity(t(locale, 'request.outdatedCard'));
      await sendQuestion(ctx, field, draft);
      return Dialog.EndOfTurn;
    } else if (raw === undefined && Object.keys(value).length) {
      return { status: DialogTurnStatus.empty }; // another feature's button: not the sheet's business
    }
    const result = parseAnswer(field, raw ?? '', draft, locale);
    if (!result.ok) {
      await sendQuestion(ctx, field, draft, refusalText(locale, result.error, result.params));
      return Dialog.EndOfTurn;
    }
    let updated = draft;
    for (const [path, v] of result.patch) updated = set(updated, path, v);
    updated = pruneDraft(updated);
    await this.deps.drafts.save(requester, ctx.activity.conversation.id, updated);
    if (result.notice) await ctx.sendActivity(t(locale, result.notice.key, result.notice.params));
    state.editing = false;
    await this.askNext(ctx, updated, state);
    return Dialog.EndOfTurn;
  }

  /** "aide" mid-way: the current question again (or, after a pause, where they stand). */
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as SheetState;
    const loaded = await this.deps.drafts.load(requesterOf(context));
    if (loaded.status !== 'found') {
      await this.open(context, state, loaded);
      return;
    }
    if (state.mode === 'resume' || this.paused(loaded.draft)) {
      await this.recap(context, state, loaded.draft);
      return;
    }
    await this.showPosition(context, state, loaded.draft.answers);
  }

  /** "nouvelle demande" while a sheet is open: they may mean a new one, so they choose. */
  async offerResume(dc: DialogContext): Promise<void> {
    const state = dc.activeDialog!.state as SheetState;
    const loaded = await this.deps.drafts.load(requesterOf(dc.context));
    if (loaded.status !== 'found') await this.open(dc.context, state, loaded);
    else await this.recap(dc.context, state, loaded.draft);
  }

  private paused(draft: DraftSnapshot): boolean {
    return this.deps.clock.now().getTime() - draft.updatedAt.getTime() > RESUME_PAUSE_MS;
  }

  /** Where the requester stands (question n of total, or the summary), with "continuer" / "recommencer". */
  private async recap(ctx: TurnContext, state: SheetState, draft: DraftSnapshot): Promise<void> {
    if (state.mode !== 'resume') state.resumeTo = state.mode === 'summary' ? 'summary' : 'field';
    state.mode = 'resume';
    const field = state.resumeTo === 'field' ? (state.current ? fieldById(state.current) : nextField(draft.answers)) ?? null : null;
    await sendRecap(ctx, field, brusselsDay(draft.createdAt), draft.answers);
  }

  private async onResumeChoice(dc: DialogContext, snapshot: DraftSnapshot, state: SheetState, value: Record<string, unknown>): Promise<DialogTurnResult> {
    const ctx = dc.context;
    const requester = requesterOf(ctx);
    const text = normalise(ctx.activity.text ?? '').replace(/[!.]+$/, '');
    if (ctx.activity.text === undefined && !isSheetButton(value) && Object.keys(value).length) return { status: DialogTurnStatus.empty };
    const choice =
      value.requestAction === 'resume' || localeWords('request.command.resume').includes(text)
        ? 'resume'
        : value.requestAction === 'restart' || localeWords('request.command.restart').includes(text)
          ? 'restart'
          : null;
    if (!choice) {
      // Anything else (even a question card's answer) waits for the choice: nothing is overwritten.
      await this.recap(ctx, state, snapshot);
      return Dialog.EndOfTurn;
    }
    if (choice === 'restart') {
      await this.deps.drafts.discard(requester);
      await ctx.sendActivity(t(localeOf(ctx), 'request.restarted'));
      Object.assign(state, { mode: 'field', current: null, editing: false, resumeTo: undefined });
      await this.open(ctx, state, { status: 'none' });
      return Dialog.EndOfTurn;
    }
    // Saving again marks the pause as over, so the next answer is taken as one.
    await this.deps.drafts.save(requester, ctx.activity.conversation.id, snapshot.answers);
    state.mode = state.resumeTo ?? 'field';
    state.resumeTo = undefined;
    await this.showPosition(ctx, state, snapshot.answers);
    return Dialog.EndOfTurn;
  }

  /** The current question (recalling the answer when editing from the summary), or the summary. */
  private async showPosition(context: TurnContext, state: SheetState, draft: Draft): Promise<void> {
    if (state.mode === 'summary') {
      await sendSummary(context, draft);
      return;
    }
    const field = state.current ? fieldById(state.current) : null;
    if (field) await sendQuestion(context, field, draft, '', state.editing);
    else await this.askNext(context, draft, state);
  }

  private async askNext(context: TurnContext, draft: Draft, state: SheetState): Promise<void> {
    const field = nextField(draft);
    if (!field) {
      state.mode = 'summary';
      state.current = null;
      state.editing = false;
      await sendSummary(context, draft);
      return;
    }
    state.mode = 'field';
    state.current = field.id;
    await sendQuestion(context, field, draft);
  }

  private async onSummaryInput(dc: DialogContext, draft: Draft, state: SheetState, value: Record<string, unknown>): Promise<DialogTurnResult> {
    const ctx = dc.context;
    const locale = localeOf(ctx);
    const text = normalise(ctx.activity.text ?? '');
    if (typeof value.requestField === 'string') {
      await ctx.sendActivity(t(locale, 'request.outdatedCard'));
      await sendSummary(ctx, draft);
      return Dialog.EndOfTurn;
    }
    if (ctx.activity.text === undefined && !isSheetButton(value) && Object.keys(value).length) return { status: DialogTurnStatus.empty };
    const action = typeof value.requestAction === 'string' ? value.requestAction : summaryAction(ctx.activity.text ?? '');

    if (action === 'submit') return this.submit(dc, draft);
    if (action === 'edit') {
      const target = editTarget(draft, value, text);
      if ('error' in target) {
        await ctx.sendActivity(t(locale, target.error, target.params));
        return Dialog.EndOfTurn;
      }
      Object.assign(state, { mode: 'field', current: target.field.id, editing: true });
      await sendQuestion(ctx, target.field, draft, '', true);
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
      request = await this.deps.requests.submit(toAnswers(draft), { aadObjectId: requesterOf(ctx), conversationId: ctx.activity.conversation.id, locale, role: requesterRoleOf(draft) });
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

