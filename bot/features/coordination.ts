// What reaches the coordination and the people a triage concerns: the triage card posted to the
// coordination conversation, the decision told to the requester and to the assigned organiser.
import { CardFactory } from 'botbuilder';
import { assignmentCard, OrganiserOption, triageCard, triageWaitingCard } from '../../cards/triage';
import { Locale, t, toSupportedLocale } from '../../locales/i18n';
import type { Member } from '../../models/member';
import type { ConcertationRequest, RequestDecision } from '../../models/request';
import type { MemberService } from '../../services/members';
import type { RequestService } from '../../services/requests';
import { COORDINATION_CONVERSATION, COORDINATION_LOCALE, SettingsService } from '../../services/settings';
import type { ConversationReferences } from '../conversationReferences';
import type { Logger } from '../logger';
import type { ProactiveMessenger } from '../proactive';

export interface CoordinationDeps {
  requests: RequestService;
  members: MemberService;
  settings: SettingsService;
  references: ConversationReferences;
  messenger: ProactiveMessenger;
  defaultLocale: Locale;
  logger: Logger;
}

export const card = (content: object) => CardFactory.adaptiveCard(content);

export class Coordination {
  constructor(private readonly deps: CoordinationDeps) {}

  /** The language the coordination chose where it set its conversation. */
  async locale(): Promise<Locale> {
    return toSupportedLocale(await this.deps.settings.get(COORDINATION_LOCALE)) ?? this.deps.defaultLocale;
  }

  /** The requester's language: theirs when they sent the sheet, else their chat's, else the default. */
  async requesterLocale(request: ConcertationRequest): Promise<Locale> {
    const ref = await this.deps.references.get(request.requesterConversationId);
    return toSupportedLocale(request.locale) ?? toSupportedLocale(ref?.locale) ?? this.deps.defaultLocale;
  }

  /** The organisers who speak the person's language (all of them when none does), with their open cases. */
  async organiserOptions(language: string | undefined): Promise<OrganiserOption[]> {
    const lang = language === 'fr' || language === 'nl' || language === 'en' ? language : undefined;
    let pool: Member[] = lang ? await this.deps.members.organisers({ language: lang }) : [];
    if (!pool.length) pool = await this.deps.members.organisers();
    const open = await this.deps.requests.openCasesByOrganiser(pool.map((m) => m.aadObjectId));
    return pool.map((m) => ({ aadObjectId: m.aadObjectId, displayName: m.displayName, languages: m.languages, openCases: open.get(m.aadObjectId) ?? 0 }));
  }

  /**
   * Shows a request to the coordination: the triage card, or, while nobody is in the organiser pool,
   * a notice asking to add organisers (the request keeps waiting for triage). Returns whether
   * something reached the coordination conversation. The requester is never told about the
   * coordination's set-up: their confirmation already says the request is registered.
   */
  async postTriage(request: ConcertationRequest): Promise<boolean> {
    const conversationId = await this.deps.settings.get(COORDINATION_CONVERSATION);
    if (!conversationId) {
      this.deps.logger.warn({ trackingId: request.trackingId }, 'request waits: no coordination conversation set');
      return false;
    }
    const locale = await this.locale();
    const organisers = await this.organiserOptions(request.answers.person.language);
    const content = organisers.length ? triageCard({ request, decision: null, organisers }, locale) : triageWaitingCard(request, locale);
    const result = await this.deps.messenger.send(conversationId, { attachments: [card(content)] });
    if (!result.ok || !result.activityId) {
      this.deps.logger.error({ trackingId: request.trackingId, outcome: result.ok ? 'noActivityId' : result.outcome }, 'triage card not posted');
      return false;
    }
    if (organisers.length) await this.deps.requests.recordTriageMessage(request.trackingId, conversationId, result.activityId);
    else this.deps.logger.warn({ trackingId: request.trackingId }, 'request waits: organiser pool empty');
    return true;
  }

  /** Posts the requests still waiting for the coordination (after it names its conversation); how many reached it. */
  async postPending(): Promise<number> {
    let posted = 0;
    for (const request of await this.deps.requests.untriaged()) if (await this.postTriage(request as ConcertationRequest)) posted++;
    return posted;
  }

  /** The triage card once decided, naming the organiser. */
  async decidedCard(request: ConcertationRequest, decision: RequestDecision, locale: Locale): Promise<object> {
    const organiser = decision.organiserAadObjectId ? await this.deps.members.get(decision.organiserAadObjectId) : null;
    return triageCard({ request, decision: { ...decision, organiserName: organiser?.displayName ?? '' }, organisers: [] }, locale);
  }

  /** The requester learns the decision (1:1, their language); the assigned organiser gets the assignment card. */
  async notifyDecision(request: ConcertationRequest, decision: RequestDecision): Promise<void> {
    const organiser = decision.organiserAadObjectId ? await this.deps.members.get(decision.organiserAadObjectId) : null;
    const requesterLocale = await this.requesterLocale(request);
    await this.deps.messenger.send(request.requesterConversationId, {
      text: t(requesterLocale, `decision.requester.${decision.status}`, { trackingId: request.trackingId, organiser: organiser?.displayName ?? '', reason: decision.notes }),
    });
    if (organiser) {
      const organiserRef = await this.deps.references.personalFor(organiser.aadObjectId);
      const organiserLocale = (await this.deps.members.localeOf(organiser.aadObjectId, organiserRef?.locale)) ?? this.deps.defaultLocale;
      const via = (await this.deps.settings.get(COORDINATION_CONVERSATION)) ?? undefined;
      await this.deps.messenger.sendToUser(organiser, { attachments: [card(assignmentCard(request, decision, organiserLocale))] }, via);
    }
  }
}
