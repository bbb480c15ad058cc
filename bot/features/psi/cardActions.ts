// The PSI card's buttons (Action.Execute; the response card is seen by the one who clicked only):
// open, a version, the edit view; each edit form saves a block or a row into the draft, and
// "publish" makes the draft a version (services/psi.ts, which then distributes it).
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { NEW_ITEM, NO_CHOICE } from '../../../cards/psi';
import { NOT_SAID } from '../../../cards/psiMap';
import type { PsiEdit } from '../../../domain/psi';
import { inputText } from '../../../domain/input';
import { t } from '../../../locales/i18n';
import type { PsiAccessChannel } from '../../../models/psiAccess';
import type { PsiAccess, PsiService } from '../../../services/psi';
import { cardResponse, Feature, messageResponse, TurnScope } from '../../teamsBot';
import { PsiCardOptions, psiErrorText, PsiView } from './view';

const INPUT_KEYS = [
  'needs', 'objectives', 'projects', 'avoid', 'referentName', 'referentPhone', 'referentAddress', 'referentPlace', 'limits', 'noteText', 'noteDate', 'nextDate', 'periodicity',
  'rowId', 'what', 'how', 'byWhom', 'priorityWhen', 'dueDate', 'urgentContact',
  'actorId', 'participantKey', 'actorName', 'actorRoles', 'actorContact', 'actorShare', 'actorKind', 'actorCloseness', 'actorRelation', 'actorSupport', 'actorReferent', 'shareWith',
];
/** Longer than any PSI text (domain/psi.ts MAX_PSI_TEXT), so that a text too long is refused, not cut. */
const MAX_INPUT = 2100;

/** What an edit form typed, and its choices (the card's "new row / new actor / none" mean an empty choice). */
interface Typed {
  values: Record<string, string>;
  choice: (key: string) => string;
  data: Record<string, unknown>;
  access: PsiAccess;
}

export class PsiCardFeature implements Feature {
  readonly name = 'psi/cardActions';
  readonly verbs: Feature['verbs'] = {
    'psi.open': (data, scope) => this.show('psi.open', data, scope, { mode: 'read' }, 'open'),
    'psi.view': (data, scope) => this.show('psi.view', data, scope, { mode: 'read', version: Number(data.version) }, 'view'),
    // With pickActor (not actorId: the form's input of that name would shadow it): the actor to change, its values in the form.
    'psi.edit': (data, scope) => this.show('psi.edit', data, scope, { mode: 'edit', pickActorId: inputText(data.pickActor, 40) || undefined }, 'edit'),
    'psi.saveSections': (data, scope) => this.save('psi.saveSections', data, scope, ({ values, choice }) => ({ kind: 'sections', input: { ...values, periodicity: choice('periodicity') } })),
    'psi.saveAction': (data, scope) =>
      this.save('psi.saveAction', data, scope, ({ values, choice }) => ({
        kind: 'saveAction',
        newId: this.deps.psi.newId(),
        input: { id: choice('rowId'), what: values.what, how: values.how, byWhom: values.byWhom, priorityWhen: values.priorityWhen, dueDate: values.dueDate, urgentContact: values.urgentContact },
      })),
    'psi.removeAction': (data, scope) => this.save('psi.removeAction', data, scope, () => ({ kind: 'removeAction', id: inputText(data.rowId, 40) })),
    'psi.saveActor': (data, scope) =>
      this.save('psi.saveActor', data, scope, ({ values, choice, access }) => {
        // An actor linked to a case participant takes the participant's name when none is typed.
        const p = access.participants.find((x) => x.key === choice('participantKey'));
        const said = (k: string) => (values[k] === NOT_SAID ? '' : values[k]);
        const input = {
          id: choice('actorId'),
          name: values.actorName || p?.displayName || '',
          roles: values.actorRoles,
          contact: values.actorContact || p?.contact || '',
          share: values.actorShare,
          participantKey: choice('participantKey'),
          kind: said('actorKind'),
          closeness: said('actorCloseness'),
          relation: said('actorRelation'),
          support: said('actorSupport'),
          referent: values.actorReferent,
        };
        return { kind: 'saveActor', newId: this.deps.psi.newId(), input };
      }),
    'psi.removeActor': (data, scope) => this.save('psi.removeActor', data, scope, () => ({ kind: 'removeActor', id: inputText(data.actorId, 40) })),
    'psi.share': (data, scope) => this.save('psi.share', data, scope, ({ values }) => ({ kind: 'share', actorIds: (values.shareWith ?? '').split(',') })),
    'psi.publish': (data, scope) => this.publishOrDiscard('psi.publish', data, scope),
    'psi.discard': (data, scope) => this.publishOrDiscard('psi.discard', data, scope),
  };

  constructor(private readonly deps: { psi: PsiService; view: PsiView }) {}

  /** The reader's access to the card's PSI, or the refusal to answer with. */
  private async reader(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<PsiAccess | AdaptiveCardInvokeResponse> {
    const access = await this.deps.psi.authoriseRead(inputText(data.trackingId, 40), scope.context.activity.from.aadObjectId ?? '');
    if (access.ok) return access.value;
    scope.log.info({ event: 'psi.refused', verb, code: access.code }, 'psi action refused');
    return messageResponse(psiErrorText(scope.locale, access.code, access.params));
  }

  /** The editor's access, or the refusal; with what the form typed. */
  private async editor(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<Typed | AdaptiveCardInvokeResponse> {
    const access = await this.reader(verb, data, scope);
    if (!isAccess(access)) return access;
    if (!access.canEdit) {
      scope.log.info({ event: 'psi.refused', verb, code: 'notAllowed' }, 'psi edit refused');
      return messageResponse(psiErrorText(scope.locale, 'notAllowed'));
    }
    const values: Record<string, string> = {};
    for (const k of INPUT_KEYS) if (k in data) values[k] = inputText(data[k], MAX_INPUT);
    const choice = (k: string) => (values[k] === NEW_ITEM || values[k] === NO_CHOICE ? '' : values[k] ?? '');
    return { values, choice, data, access };
  }

  private async show(verb: string, data: Record<string, unknown>, scope: TurnScope, opts: PsiCardOptions, channel: PsiAccessChannel): Promise<AdaptiveCardInvokeResponse> {
    const access = await this.reader(verb, data, scope);
    if (!isAccess(access)) return access;
    if (opts.mode === 'edit' && !access.canEdit) return messageResponse(psiErrorText(scope.locale, 'notAllowed'));
    const card = await this.deps.view.cardFor(access, scope.locale, opts);
    if (!card) return messageResponse(t(scope.locale, 'psi.error.unknownVersion'));
    await this.deps.view.noteRead(access.trackingId, scope.context.activity.from.aadObjectId ?? '', channel, opts.version, scope.log);
    return cardResponse(card);
  }

  private async save(verb: string, data: Record<string, unknown>, scope: TurnScope, editOf: (typed: Typed) => PsiEdit): Promise<AdaptiveCardInvokeResponse> {
    const typed = await this.editor(verb, data, scope);
    if (!('access' in typed)) return typed;
    const { access, values } = typed;
    const { locale } = scope;
    const num = (v: unknown) => (v === undefined || v === '' ? undefined : Number(v));
    const result = await this.deps.psi.save(access.trackingId, editOf(typed), scope.context.activity.from.aadObjectId ?? '', { baseVersion: num(data.baseVersion), baseRev: num(data.baseRev) });
    if (!result.ok) {
      scope.log.info({ event: 'psi.save.refused', verb, code: result.code }, 'psi save refused');
      if (result.code === 'notAllowed' || result.code === 'unknownCase') return messageResponse(psiErrorText(locale, result.code));
      const card = await this.deps.view.cardFor(access, locale, { mode: 'edit', error: psiErrorText(locale, result.code, result.params), values });
      return card ? cardResponse(card) : messageResponse(psiErrorText(locale, result.code));
    }
    scope.log.info({ event: 'psi.draftSaved', trackingId: access.trackingId, rev: result.value.rev }, 'psi draft saved');
    return cardResponse((await this.deps.view.cardFor(access, locale, { mode: 'edit', notice: t(locale, 'psi.draftSaved') }))!);
  }

  private async publishOrDiscard(verb: 'psi.publish' | 'psi.discard', data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse> {
    const typed = await this.editor(verb, data, scope);
    if (!('access' in typed)) return typed;
    const { access } = typed;
    const { locale } = scope;
    const { psi, view } = this.deps;
    const me = scope.context.activity.from.aadObjectId ?? '';
    const result = verb === 'psi.publish' ? await psi.publish(access.trackingId, me) : await psi.discard(access.trackingId, me);
    if (!result.ok) {
      scope.log.info({ event: `${verb}.refused`, code: result.code }, 'psi publish refused');
      const card = await view.cardFor(access, locale, { mode: 'edit', error: psiErrorText(locale, result.code, result.params) });
      return card ? cardResponse(card) : messageResponse(psiErrorText(locale, result.code));
    }
    if (result.value) {
      scope.log.info({ event: 'psi.published', trackingId: access.trackingId, version: result.value.version }, 'psi published');
      return cardResponse((await view.cardFor(access, locale, { mode: 'read', notice: t(locale, 'psi.saved', { version: result.value.version }) }))!);
    }
    scope.log.info({ event: 'psi.discarded', trackingId: access.trackingId }, 'psi draft discarded');
    return cardResponse((await view.cardFor(access, locale, { mode: 'edit', notice: t(locale, 'psi.draftDiscarded') }))!);
  }
}

const isAccess = (x: PsiAccess | AdaptiveCardInvokeResponse): x is PsiAccess => 'trackingId' in x;
