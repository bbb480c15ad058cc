// Activity routing: Teams events in, features out. Everything Bot Framework-specific about the
// conversation (state accessors, dialog plumbing, card attachments) stays in bot/.
import {
  ActivityTypes,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  CardFactory,
  ConversationState,
  FileConsentCardResponse,
  StatePropertyAccessor,
  TeamsActivityHandler,
  TurnContext,
  UserState,
} from 'botbuilder';
import { DialogSet, DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { helpCard } from '../cards/help';
import { LOCALE_KEY } from '../dialogs/turnLocale';
import { Locale, resolveLocale, toSupportedLocale, translator } from '../locales/i18n';
import { commandDuringQuestion, parseCommand } from './commands';
import { CommandHandler, Feature, RouteTable, TurnScope } from './routes';
import type { ConversationReferences } from './conversationReferences';
import type { Logger } from './logger';

export interface UserProfile {
  locale?: Locale;
}

export type { Feature, TurnScope } from './routes';
export { isPersonalChat } from './routes';

/** Invoke responses for Action.Execute: a card replaces the one clicked; a message shows as a notice. */
export const cardResponse = (card: object): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card as Record<string, unknown>,
});
export const messageResponse = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text as unknown as Record<string, unknown>,
});

export interface BotDeps {
  conversationState: ConversationState;
  userState: UserState;
  references: ConversationReferences;
  logger: Logger;
  defaultLocale: Locale;
  features?: Feature[];
  /** Records the language a person uses with the bot (for what it sends them later, proactively). */
  noteLocale?(aadObjectId: string | undefined, locale: Locale): Promise<unknown>;
  /** Someone joined a conversation the bot is in. */
  onMembersJoined?(conversationId: string): Promise<void>;
}

export const LOGGER_KEY = Symbol('turnLogger');

export class ConcertationBot extends TeamsActivityHandler {
  private readonly profile: StatePropertyAccessor<UserProfile>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  readonly dialogs: DialogSet;
  private readonly features: Feature[];
  readonly routes: RouteTable;

  constructor(private readonly deps: BotDeps) {
    super();
    this.profile = deps.userState.createProperty<UserProfile>('profile');
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.welcomed = deps.conversationState.createProperty<boolean>('welcomed');
    this.dialogs = new DialogSet(this.dialogState);
    this.features = [this.core(), ...(deps.features ?? [])];
    this.routes = new RouteTable(this.features);
    for (const f of this.features) f.addDialogs?.(this.dialogs);

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.deps.references.forget(context.activity.conversation.id);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) await this.welcome(context);
      await this.deps.onMembersJoined?.(context.activity.conversation.id);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersRemoved?.some((m) => m.id === botId)) await this.deps.references.forget(context.activity.conversation.id);
      await next();
    });
  }

  /** The feature of that name (tests and the composition root reach a feature's own methods through it). */
  feature(name: string): Feature | undefined {
    return this.features.find((f) => f.name === name);
  }

  override async run(context: TurnContext): Promise<void> {
    if (!this.isBotRemoval(context)) {
      // A failed refresh of the reference must not fail the user's turn (it is rewritten on the next one).
      await this.deps.references.remember(context.activity).catch((err: Error) =>
        ((context.turnState.get(LOGGER_KEY) as Logger | undefined) ?? this.deps.logger).warn({ err: err?.name }, 'conversation reference not refreshed'),
      );
    }
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }

  /** Teams sends both installationUpdate and conversationUpdate on install: welcome once. */
  private async welcome(context: TurnContext): Promise<void> {
    if (await this.welcomed.get(context, false)) return;
    await this.welcomed.set(context, true);
    await this.sendHelp(await this.scope(context));
  }

  private isBotRemoval(context: TurnContext): boolean {
    const a = context.activity;
    if (a.type === ActivityTypes.InstallationUpdate && /remove/i.test(a.action ?? '')) return true;
    return Boolean(a.type === ActivityTypes.ConversationUpdate && a.membersRemoved?.some((m) => m.id === a.recipient?.id));
  }

  async scope(context: TurnContext): Promise<TurnScope> {
    // Read without a default: a default would count as a change and save the profile, and a turn that read
    // no profile would then overwrite, unchecked, a language the user chose meanwhile in another chat.
    const profile = (await this.profile.get(context)) ?? {};
    const locale = resolveLocale(profile.locale, context.activity.locale, this.deps.defaultLocale);
    const log = (context.turnState.get(LOGGER_KEY) as Logger | undefined) ?? this.deps.logger;
    context.turnState.set(LOCALE_KEY, locale);
    return { context, locale, tr: translator(locale), log, dialogs: this.dialogs };
  }

  protected override async handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.routeFileConsent(context, response);
  }

  protected override async handleTeamsFileConsentDecline(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.routeFileConsent(context, response);
  }

  private async routeFileConsent(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const scope = await this.scope(context);
    for (const route of this.routes.fileConsents) if (await route.handle(response, scope)) return;
    scope.log.warn('file consent for an unknown file');
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const scope = await this.scope(context);
    const verb = invokeValue.action?.verb ?? '';
    const data = { ...((invokeValue.action?.data as Record<string, unknown>) ?? {}) };
    const route = this.routes.verbs.get(verb);
    if (route) return route.handle(data, scope);
    scope.log.warn({ verb }, 'unknown card action');
    return messageResponse(scope.tr('error.notUnderstood'));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    // In a group chat or channel the text starts with the @mention of the bot: what follows is the message.
    if (typeof context.activity.text === 'string') TurnContext.removeRecipientMention(context.activity);
    const scope = await this.scope(context);
    const spoken = toSupportedLocale((await this.profile.get(context))?.locale) ?? toSupportedLocale(context.activity.locale);
    if (spoken) await this.noteLocale(scope, spoken);
    const value = context.activity.value as Record<string, unknown> | undefined;
    const dc = await this.dialogs.createContext(context);
    const typed = parseCommand(context.activity.text);
    const command = (dc.activeDialog ? commandDuringQuestion(typed, (arg) => toSupportedLocale(arg) !== null) : typed) ?? this.routes.commandOfButton(value);
    if (command) {
      const route = this.routes.commands.get(command.name);
      // A handler answering false leaves the turn to the running dialog.
      if (route && (await route.handle(command, scope)) !== false) return;
    }

    if (dc.activeDialog) {
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
    }
    if (value && typeof value === 'object' && typeof value.action === 'string') {
      const route = this.routes.submits.get(value.action);
      if (route && (await route.handle(value, scope)) !== false) return;
    }
    if (command) {
      await context.sendActivity(scope.tr('error.notUnderstood'));
      return;
    }
    await this.sendHelp(scope, scope.tr('error.notUnderstood'));
  }

  /** What the bot answers itself, whatever the features: help (typed or its button) and the language switch. */
  private core(): Feature {
    const help: CommandHandler = async (_command, scope) => {
      await this.sendHelp(scope);
      // "aide" in the middle of a dialog shows help and keeps the place.
      const dc = await this.dialogs.createContext(scope.context);
      if (dc.activeDialog) {
        await scope.context.sendActivity(scope.tr('help.resume'));
        await dc.repromptDialog();
      }
    };
    return {
      name: 'core',
      commands: { help, language: (command, scope) => this.switchLanguage(scope, command.arg) },
      buttons: { help: { command: 'help' } },
    };
  }

  private async switchLanguage(scope: TurnScope, arg: string): Promise<void> {
    const wanted = toSupportedLocale(arg);
    if (!wanted) {
      await scope.context.sendActivity(scope.tr('language.unknown'));
      return;
    }
    await this.profile.set(scope.context, { ...(await this.profile.get(scope.context, {})), locale: wanted });
    await this.noteLocale(scope, wanted);
    await scope.context.sendActivity(translator(wanted)('language.switched'));
  }

  /** A failure to record the language must not fail the user's turn. */
  private async noteLocale(scope: TurnScope, locale: Locale): Promise<void> {
    await this.deps.noteLocale?.(scope.context.activity.from?.aadObjectId, locale).catch((err: Error) => scope.log.warn({ err: err?.name }, 'preferred language not recorded'));
  }

  async sendHelp(scope: TurnScope, lead?: string): Promise<void> {
    const attachment = CardFactory.adaptiveCard(helpCard(scope.tr));
    await scope.context.sendActivity({ type: ActivityTypes.Message, text: lead, attachments: [attachment] });
  }
}
