// Availability polls in Teams: the organiser creates the poll in the case's group chat ("nouveau
// sondage CMD-2026-0001"), the poll card is posted there (or 1:1 to each participant), everyone
// answers with Action.Execute and sees their own answers through the card's refresh, the
// organiser manages it and fixes the date; participants get the invitation 1:1.
//   form.ts        newPoll, poll.create, poll.moreSlots
//   answering.ts   poll.refresh, poll.answer
//   organiser.ts   poll.answerFor, poll.remind, poll.extend, poll.addSlot, poll.removeSlot,
//                  poll.close, poll.choose, poll.cancel
//   invitations.ts the .ics invitations and their file consent
//   sharedCard.ts  the card everyone sees, kept up to date; the organiser's notices
import type { Locale } from '../../../locales/i18n';
import type { PollDoc } from '../../../models/poll';
import type { Feature } from '../../routes';
import { PollAnswerFeature } from './answering';
import { PollContext, PollFeatureDeps } from './context';
import { PollFormFeature } from './form';
import { PollInvitations } from './invitations';
import { PollOrganiserFeature } from './organiser';
import { SharedPollCard } from './sharedCard';

export type { PollCases, PollFeatureDeps, PollMessenger } from './context';

/** The poll features, and what the rest of the app (the deadline job, tests) asks of them. */
export class PollFeatures {
  readonly form: PollFormFeature;
  readonly answers: PollAnswerFeature;
  readonly organiser: PollOrganiserFeature;
  readonly invitations: PollInvitations;
  private readonly ctx: PollContext;
  private readonly shared: SharedPollCard;

  constructor(deps: PollFeatureDeps) {
    this.ctx = new PollContext(deps);
    this.shared = new SharedPollCard(this.ctx);
    this.invitations = new PollInvitations(this.ctx);
    this.form = new PollFormFeature(this.ctx, this.shared);
    this.answers = new PollAnswerFeature(this.ctx, this.shared);
    this.organiser = new PollOrganiserFeature(this.ctx, this.shared, this.invitations);
  }

  /** Every poll feature, for the routing table. */
  get all(): Feature[] {
    return [this.form, this.answers, this.organiser, this.invitations];
  }

  /** Resolves when the shared-card updates and background sends started so far are done (tests, shutdown). */
  async settled(): Promise<void> {
    for (let running = this.running(); running.length; running = this.running()) await Promise.all(running);
  }

  private running(): Array<Promise<void>> {
    return [...this.shared.pending(), ...this.ctx.pending()];
  }

  /** Work that goes on after the click has answered (the case's date from the poll's decision); settled() waits for it. */
  afterClick(event: string, pollId: string, work: () => Promise<void>): void {
    this.ctx.inBackground(event, pollId, work);
  }

  /** Called by the scheduled job for each poll it closed at its deadline. */
  onAutoClosed(poll: PollDoc): Promise<void> {
    return this.shared.onAutoClosed(poll);
  }

  /** The .ics of the poll's current decision, texts in `locale`; null without organiser e-mail. */
  invitationIcs(poll: PollDoc, locale: Locale): string | null {
    return this.invitations.ics(poll, locale);
  }
}
