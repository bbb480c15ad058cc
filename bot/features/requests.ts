// The requester's side of a request for a concertation, in their 1:1 chat: the guided sheet
// ("nouvelle demande"), their own requests ("mes demandes"), and the concertation date once fixed.
import type { DialogSet } from 'botbuilder-dialogs';
import { concertationDateText, requestListCard } from '../../cards/request';
import { RequestDialog, REQUEST_DIALOG_ID } from '../../dialogs/requestDialog';
import { t } from '../../locales/i18n';
import type { ConcertationRequest } from '../../models/request';
import type { Clock } from '../../services/clock';
import type { DraftStore } from '../../services/drafts';
import type { RequestService } from '../../services/requests';
import type { Logger } from '../logger';
import type { ProactiveMessenger } from '../proactive';
import { readMember } from '../roster';
import { isPersonalChat, type Feature, type TurnScope } from '../teamsBot';
import { card, Coordination } from './coordination';

export interface RequestFeatureDeps {
  drafts: DraftStore;
  requests: RequestService;
  coordination: Coordination;
  messenger: ProactiveMessenger;
  clock: Clock;
  draftExpiryDays: number;
  logger: Logger;
}

const requesterOf = (scope: TurnScope): string => scope.context.activity.from.aadObjectId || scope.context.activity.from.id;

export class RequestFeature implements Feature {
  readonly name = 'requests';
  readonly commands: Feature['commands'] = {
    newRequest: (_command, scope) => this.newRequest(scope),
    cancel: (_command, scope) => this.cancel(scope),
    myRequests: (_command, scope) => this.myRequests(scope),
  };
  /** The help card's and the welcome card's "nouvelle demande" button. */
  readonly buttons: Feature['buttons'] = { newRequest: { command: 'newRequest' } };
  private sheet: RequestDialog | null = null;
  constructor(private readonly deps: RequestFeatureDeps) {}

  addDialogs(dialogs: DialogSet): void {
    dialogs.add(
      (this.sheet = new RequestDialog({
        drafts: this.deps.drafts,
        requests: this.deps.requests,
        clock: this.deps.clock,
        draftExpiryDays: this.deps.draftExpiryDays,
        onSubmitted: (request) => this.deps.coordination.postTriage(request),
      })),
    );
  }

  /** Opens the sheet (1:1 only); with a sheet already open, they choose to go on or start over. */
  private async newRequest(scope: TurnScope): Promise<void> {
    const { context, tr, dialogs } = scope;
    if (!isPersonalChat(scope)) {
      await context.sendActivity(tr('request.onlyPersonal'));
      return;
    }
    const dc = await dialogs.createContext(context);
    if (dc.activeDialog?.id === REQUEST_DIALOG_ID && this.sheet) {
      await this.sheet.offerResume(dc);
      return;
    }
    await dc.cancelAllDialogs();
    await dc.beginDialog(REQUEST_DIALOG_ID, { prefill: await this.prefill(scope) });
  }

  /** "annuler" drops the open sheet and its draft; another running dialog handles it itself. */
  private async cancel(scope: TurnScope): Promise<boolean> {
    const { context, tr, dialogs } = scope;
    const dc = await dialogs.createContext(context);
    if (dc.activeDialog?.id === REQUEST_DIALOG_ID) {
      await this.deps.drafts.discard(requesterOf(scope));
      await dc.cancelAllDialogs();
      await context.sendActivity(tr('request.cancelled'));
      return true;
    }
    if (dc.activeDialog) return false;
    await context.sendActivity(tr('request.nothingToCancel'));
    return true;
  }

  /** "mes demandes": the requester's own requests with their status, in their 1:1 chat only. */
  private async myRequests(scope: TurnScope): Promise<void> {
    const { context, tr, locale } = scope;
    if (!isPersonalChat(scope)) {
      await context.sendActivity(tr('request.list.onlyPersonal'));
      return;
    }
    const me = requesterOf(scope);
    const [mine, draft] = await Promise.all([this.deps.requests.listFor(me), this.deps.drafts.load(me)]);
    if (!mine.length) {
      await context.sendActivity(draft.status === 'found' ? `${tr('request.list.empty')}\n\n${tr('request.list.draft')}` : tr('request.list.empty'));
      return;
    }
    await context.sendActivity({ attachments: [card(requestListCard(mine, locale, draft.status === 'found'))] });
  }

  /**
   * Tells the requester (1:1, in their language) that the concertation date of their request is
   * fixed or has moved: the tracking id and the date, nothing else. Listens to the case's schedule
   * changes; never throws (the date is stored whatever happens to this message).
   */
  async notifyRequesterDateFixed(trackingId: string, start: Date): Promise<void> {
    try {
      const request = await this.deps.requests.get(trackingId);
      if (!request || request.status === 'refused') return;
      if (!(await this.deps.requests.recordConcertationDate(trackingId, start))) return;
      const locale = await this.deps.coordination.requesterLocale(request as ConcertationRequest);
      const result = await this.deps.messenger.send(request.requesterConversationId, { text: t(locale, 'request.dateFixed', { trackingId, date: concertationDateText(start, locale) }) });
      if (!result.ok) this.deps.logger.warn({ trackingId, outcome: result.outcome }, 'requester not told the concertation date');
    } catch (err) {
      this.deps.logger.error({ trackingId, err: (err as Error)?.name }, 'requester date notice failed');
    }
  }

  /** Teams profile: the name comes with the activity; the e-mail needs a roster call (best effort). */
  private async prefill(scope: TurnScope): Promise<{ name?: string; email?: string }> {
    const { context } = scope;
    const name = context.activity.from?.name || undefined;
    const member = await readMember(context, context.activity.from.id, 1500);
    return member ? { name: member.name || name, email: member.email } : { name };
  }
}
