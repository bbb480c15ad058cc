// The reminder job's messenger (jobs/ports.ts) in Teams: the reminder card in the recipient's
// language, and the organiser's notice in theirs, through the ProactiveMessenger.
import { CardFactory } from 'botbuilder';
import { reminderCard, undeliveredNoticeText } from '../cards/reminder';
import type { ReminderMessenger } from '../jobs/ports';
import type { Locale } from '../locales/i18n';
import type { MemberService } from '../services/members';
import type { ConversationReferences } from './conversationReferences';
import type { ProactiveMessenger, SendOptions } from './proactive';

/** An organiser as notices reach them. */
export interface OrganiserContact {
  teamsUserId: string | null;
  locale: Locale;
}

/** How to reach an organiser: Teams user id (to open a 1:1 chat) and their language. */
export async function organiserContact(members: MemberService, references: ConversationReferences, aadObjectId: string, fallback: Locale): Promise<OrganiserContact> {
  const member = await members.get(aadObjectId);
  const ref = await references.personalFor(aadObjectId);
  // Known before any 1:1 chat exists: the member's preferred language (first set from the pool's).
  return { teamsUserId: member?.teamsUserId ?? null, locale: (await members.localeOf(aadObjectId, ref?.locale)) ?? fallback };
}

/** An unknown outcome stops the retries: the job shows the reminder as unconfirmed instead. */
const REMINDER_SEND: SendOptions = { unknownOutcome: 'report' };

export function teamsReminderMessenger(messenger: Pick<ProactiveMessenger, 'send' | 'sendToUser'>, contactOf: (aadObjectId: string) => Promise<OrganiserContact>): ReminderMessenger {
  return {
    sendReminder: (r, { locale, late }) => {
      const activity = { type: 'message', attachments: [CardFactory.adaptiveCard(reminderCard(r, locale, { late }))] };
      return r.recipientAadObjectId
        ? messenger.sendToUser({ aadObjectId: r.recipientAadObjectId, teamsUserId: r.recipientTeamsUserId }, activity, r.viaConversationId ?? undefined, REMINDER_SEND)
        : messenger.send(r.recipientConversationId!, activity, REMINDER_SEND);
    },
    tellOrganiser: async (organiser, notice, via) => {
      const contact = await contactOf(organiser);
      const text = undeliveredNoticeText(notice.listed, notice.more, contact.locale);
      return messenger.sendToUser({ aadObjectId: organiser, teamsUserId: contact.teamsUserId }, { type: 'message', text }, via);
    },
  };
}
