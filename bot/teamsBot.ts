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
import { Locale, resolveLocale, toSupportedLocale, translator, Translate } from '../locales/i18n';
import { Command, CommandName, parseCommand } from './commands';
import type { ConversationReferences } from './conversationReferences';
import type { Logger } from './logger';

export interface UserProfile {
  locale?: Locale;
}

export interface TurnScope {
  context: TurnContext;
  locale: Locale;
  tr: Translate;
  log: Logger;
}

/**
 * What a feature answers, declared up front: the bot routes by these lists (one owner per entry),
 * and the shipped-build suite reads them to drive every command, verb and submit action.
 */
export interface FeatureRoutes {
  /** Typed commands (and the card buttons that stand for them). */
  commands?: readonly CommandName[];
  /** Action.Execute verbs. */
  verbs?: readonly string[];
  /** Action.Submit `action` values handled outside a running dialog. */
  submits?: readonly string[];
}

/** A feature plugs dialogs and commands into the bot without the bot knowing its internals. */
export interface Feature {
  readonly routes: FeatureRoutes;
  /** Registers the feature's dialogs in the shared dialog set. */
  addDialogs?(dialogs: DialogSet): void;
  /** Handles a typed command or a card button; returns true when it did. */
  onCommand?(command: Command, scope: TurnScope, dialogs: DialogSet): Promise<boolean>;
  /** Handles an Action.Submit value outside of a running dialog; returns true when it did. */
  onSubmit?(value: Record<string, unknown>, scope: TurnScope, dialogs: DialogSet): Promise<boolean>;
  /** Handles the user's answer to a file-consent card (accept: upload the file); true when handled. */
  onFileConsent?(response: FileConsentCardResponse, scope: TurnScope): Promise<boolean>;
  /** Handles an Action.Execute (universal action) verb; null when the verb is not the feature's. */
  onCardAction?(verb: string, data: Record<string, unknown>, scope: TurnScope): Promise<AdaptiveCardInvokeResponse | null>;
}

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
}

export const LOGGER_KEY = Symbol('turnLogger');

/** Commands the bot answers itself, whatever the features. */
export const CORE_COMMANDS: readonly CommandName[] = ['help', 'language'];

/** Route → owning feature; a route declared twice is a wiring error caught at start. */
export class RouteTable {
  readonly commands = new Map<CommandName, Feature>();
  readonly verbs = new Map<string, Feature>();
  readonly submits = new Map<string, Feature>();

  constructor(features: readonly Feature[]) {
    for (const c of CORE_COMMANDS) this.commands.set(c, CORE);
    for (const f of features) {
      add(this.commands, f.routes.commands ?? [], f, 'command');
      add(this.verbs, f.routes.verbs ?? [], f, 'verb');
      add(this.submits, f.routes.submits ?? [], f, 'submit action');
    }
  }
}

const CORE: Feature = { routes: { commands: CORE_COMMANDS } };

function add<K>(map: Map<K, Feature>, keys: readonly K[], feature: Feature, kind: string): void {
  for (const key of keys) {
    if (map.has(key)) throw new Error(`${kind} "${String(key)}" is declared by two features`);
    map.set(key, feature);
  }
}


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
    this.features = deps.features ?? [];
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
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersRemoved?.some((m) => m.id === botId)) await this.deps.references.forget(context.activity.conversation.id);
      await next();
    });
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
    const profile = await this.profile.get(context, {});
    const locale = resolveLocale(profile.locale, context.activity.locale, this.deps.defaultLocale);
    const log = (context.turnState.get(LOGGER_KEY) as Logger | undefined) ?? this.deps.logger;
    context.turnState.set(LOCALE_KEY, locale);
    return { context, locale, tr: translator(locale), log };
  }

  protected override async handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.routeFileConsent(context, response);
  }

  protected override async handleTeamsFileConsentDecline(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.routeFileConsent(context, response);
  }

  private async routeFileConsent(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const scope = await this.scope(context);
    for (const f of this.features) if (await f.onFileConsent?.(response, scope)) return;
    scope.log.warn('file consent for an unknown file');
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const scope = await this.scope(context);
    const verb = invokeValue.action?.verb ?? '';
    const data = { ...((invokeValue.action?.data as Record<string, unknown>) ?? {}) };
    const response = await this.routes.verbs.get(verb)?.onCardAction?.(verb, data, scope);
    if (response) return response;
    scope.log.warn({ verb }, 'unknown card action');
    return messageResponse(scope.tr('error.notUnderstood'));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const scope = await this.scope(context);
    const spoken = toSupportedLocale((await this.profile.get(context, {})).locale) ?? toSupportedLocale(context.activity.locale);
    if (spoken) await this.noteLocale(scope, spoken);
    const value = context.activity.value as Record<string, unknown> | undefined;
    const command = parseCommand(context.activity.text) ?? commandFromSubmit(value);
    const dc = await this.dialogs.createContext(context);

    if (command) {
      if (command.name === 'help') {
        await this.sendHelp(scope);
        // "aide" in the middle of a dialog shows help and keeps the place.
        if (dc.activeDialog) {
          await context.sendActivity(scope.tr('help.resume'));
          await dc.repromptDialog();
        }
        return;
      }
      if (command.name === 'language') return this.switchLanguage(scope, command.arg);
      if (await this.routes.commands.get(command.name)?.onCommand?.(command, scope, this.dialogs)) return;
    }

    if (dc.activeDialog) {
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
    }
    if (value && typeof value === 'object' && typeof value.action === 'string') {
      if (await this.routes.submits.get(value.action)?.onSubmit?.(value, scope, this.dialogs)) return;
    }
    if (command) {
      await context.sendActivity(scope.tr('error.notUnderstood'));
      return;
    }
    await this.sendHelp(scope, scope.tr('error.notUnderstood'));
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

/** Card buttons send {action: "..."}: treat the simple ones like the typed command. */
function commandFromSubmit(value: Record<string, unknown> | undefined): Command | null {
  const action = value?.action;
  if (action === 'newRequest' || action === 'help' || action === 'myCases' || action === 'myReminders') return { name: action, arg: '' };
  if (action === 'newPoll' && typeof value?.trackingId === 'string') return { name: 'newPoll', arg: value.trackingId };
  return null;
}
