// Once the date is fixed (or cancelled): every Teams participant and the organiser get a 1:1
// message with the date and the calendar invitation (.ics), whoever fixed it learns who got it,
// and the .ics is uploaded to the OneDrive of whoever accepts the file.
import type { FileConsentCardResponse } from 'botbuilder';
import { placeLine, slotLabel } from '../../../cards/pollLabels';
import { eventLocation } from '../../../domain/ics';
import { Locale, t } from '../../../locales/i18n';
import type { PollDoc } from '../../../models/poll';
import { participantKeyOf } from '../../../services/polls';
import type { ProactiveResult } from '../../proactive';
import type { Feature, TurnScope } from '../../routes';
import type { PollContext } from './context';

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/** Who got the invitation message (count) and who did not (names, for the organiser to call). */
export interface InvitationOutcome {
  sent: number;
  failed: string[];
}

export class PollInvitations implements Feature {
  readonly name = 'polls/invitations';
  readonly fileConsent: Feature['fileConsent'] = (response, scope) => this.upload(response, scope);

  constructor(private readonly ctx: PollContext) {}

  /**
   * Sends the invitations of the poll's current decision, once per SEQUENCE and recipient. Teams
   * bots can send a file 1:1 only through the file-consent card (the user accepts, the bot uploads
   * to their OneDrive); data: URLs are shown for images only. So the message carries the date in
   * text plus a FileConsentCard for the .ics. The sends run side by side: one slow recipient does
   * not hold the others back.
   */
  async send(poll: PollDoc): Promise<InvitationOutcome> {
    const outcome: InvitationOutcome = { sent: 0, failed: [] };
    const slot = poll.slots.find((s) => s.id === poll.finalSlotId);
    if (!slot) return outcome;
    const { polls, messenger, logger } = this.ctx.deps;
    const recipients = [...poll.participants.filter((p) => p.aadObjectId)];
    if (!recipients.some((p) => p.aadObjectId === poll.organiser.aadObjectId)) {
      recipients.push({ key: participantKeyOf(poll.organiser.aadObjectId), aadObjectId: poll.organiser.aadObjectId, teamsUserId: poll.organiser.teamsUserId, name: poll.organiser.name, email: poll.organiser.email, required: true, external: false });
    }
    await Promise.all(recipients.map(async (p) => {
      if (!(await polls.claimOnce(poll.pollId, 'invitation', `${p.key}#${poll.icsSequence}`))) return;
      const locale = await this.ctx.localeOf(p.aadObjectId, poll.locale);
      const ics = this.ics(poll, locale);
      const text = poll.status === 'cancelled'
        ? t(locale, 'poll.msg.invitationCancelled', { trackingId: poll.trackingId, slot: slotLabel(slot, locale) })
        : t(locale, 'poll.msg.invitation', { trackingId: poll.trackingId, slot: slotLabel(slot, locale), place: placeLine(poll, locale) });
      const consent = { pollId: poll.pollId, sequence: poll.icsSequence };
      const attachments = ics
        ? [{
            contentType: FILE_CONSENT,
            name: `concertation-${poll.trackingId}.ics`,
            content: { description: t(locale, 'poll.ics.fileDescription', { trackingId: poll.trackingId }), sizeInBytes: Buffer.byteLength(ics, 'utf8'), acceptContext: consent, declineContext: consent },
          }]
        : [];
      const result = await messenger
        .sendToUser({ aadObjectId: p.aadObjectId!, teamsUserId: p.teamsUserId }, { text, attachments }, poll.conversationId ?? undefined)
        .catch((): ProactiveResult => ({ ok: false, outcome: 'failed', error: 'send threw' }));
      if (result.ok) outcome.sent++;
      else {
        outcome.failed.push(p.name);
        logger.warn({ pollId: poll.pollId, outcome: result.outcome, event: 'poll.invitationFailed' }, 'invitation not delivered');
      }
    }));
    return outcome;
  }

  /**
   * Tells the one who fixed (or cancelled) the date and the poll's organiser, 1:1, who got the
   * message and who must be told another way.
   */
  async report(poll: PollDoc, chooser: { aadObjectId: string; teamsUserId: string | null }, outcome: InvitationOutcome): Promise<void> {
    if (!outcome.sent && !outcome.failed.length) return; // nothing new was sent (same choice clicked again)
    const params = { trackingId: poll.trackingId, count: outcome.sent, failed: outcome.failed.length, names: outcome.failed.join(', ') };
    const organiser = { aadObjectId: poll.organiser.aadObjectId, teamsUserId: poll.organiser.teamsUserId };
    for (const to of chooser.aadObjectId === organiser.aadObjectId ? [chooser] : [chooser, organiser]) {
      const locale = await this.ctx.localeOf(to.aadObjectId, poll.locale);
      const text = outcome.failed.length ? t(locale, 'poll.msg.invitationsPartly', params) : t(locale, 'poll.msg.invitationsSent', params);
      const result = await this.ctx.deps.messenger.sendToUser(to, { text }, poll.conversationId ?? undefined);
      if (!result.ok) this.ctx.deps.logger.warn({ pollId: poll.pollId, outcome: result.outcome, event: 'poll.invitationReportFailed' }, 'invitation outcome not delivered');
    }
  }

  /** The .ics of the poll's current decision, texts in `locale`; null without organiser e-mail. */
  ics(poll: PollDoc, locale: Locale): string | null {
    return this.ctx.deps.polls.invitation(poll, {
      summary: t(locale, 'poll.ics.summary', { trackingId: poll.trackingId }),
      location: eventLocation(t(locale, `poll.place.${poll.place.kind}`), poll.place.details),
      description: t(locale, 'poll.ics.description', { trackingId: poll.trackingId, names: poll.participants.map((p) => p.name).join(', ') }),
    });
  }

  /**
   * The participant accepted (or declined) the .ics file-consent card: Teams gives an upload URL in
   * their OneDrive; the bot puts the file there and answers with the file card. Only a participant
   * or the organiser of that poll, and only for the current SEQUENCE (an older file would mislead).
   */
  private async upload(response: FileConsentCardResponse, scope: TurnScope): Promise<boolean> {
    const consent = (response.context ?? {}) as { pollId?: unknown; sequence?: unknown };
    if (typeof consent.pollId !== 'string') return false;
    const { context, tr } = scope;
    if (response.action === 'decline') {
      await context.sendActivity(tr('poll.ics.declined'));
      return true;
    }
    const poll = await this.ctx.deps.polls.get(consent.pollId);
    if (!poll || !this.ctx.deps.access.mayReceiveInvitation(poll, context.activity.from.aadObjectId)) {
      scope.log.warn({ event: 'poll.icsRefused' }, 'file consent from someone outside the poll');
      await context.sendActivity(tr('poll.error.notParticipant'));
      return true;
    }
    if (consent.sequence !== poll.icsSequence) {
      await context.sendActivity(tr('poll.ics.outdated'));
      return true;
    }
    const ics = this.ics(poll, scope.locale);
    const upload = response.uploadInfo;
    if (!ics || !upload?.uploadUrl) {
      await context.sendActivity(tr('poll.ics.uploadFailed'));
      return true;
    }
    const bytes = Buffer.from(ics, 'utf8');
    try {
      const res = await fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: { 'Content-Length': String(bytes.length), 'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
        body: bytes,
        signal: AbortSignal.timeout(15000),
      });
      if (!res.ok) throw new Error(`upload HTTP ${res.status}`);
    } catch (err) {
      scope.log.error({ event: 'poll.icsUploadFailed', err: (err as Error)?.name }, 'ics upload failed');
      await context.sendActivity(tr('poll.ics.uploadFailed'));
      return true;
    }
    await context.sendActivity({
      text: tr('poll.ics.uploaded'),
      attachments: [{ contentType: FILE_INFO, contentUrl: upload.contentUrl, name: upload.name, content: { uniqueId: upload.uniqueId, fileType: upload.fileType } }],
    });
    return true;
  }
}
