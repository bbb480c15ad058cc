// What the bot answers, declared by the features as data and gathered into one routing table at
// start-up. "Who handles agenda.attend?" is answered by the table (README "Routing table") and by
// the one feature file that declares it.
import type { AdaptiveCardInvokeResponse, FileConsentCardResponse, TurnContext } from 'botbuilder';
import type { DialogSet } from 'botbuilder-dialogs';
import type { Locale, Translate } from '../locales/i18n';
import { Command, COMMAND_NAMES, CommandName } from './commands';
import type { Logger } from './logger';

/** What a handler gets for the turn: the Teams turn, the user's language, the turn's logger, the dialogs. */
export interface TurnScope {
  context: TurnContext;
  locale: Locale;
  tr: Translate;
  log: Logger;
  dialogs: DialogSet;
}

/** The turn is in the user's 1:1 chat with the bot (Teams leaves the type out there at times). */
export const isPersonalChat = (scope: TurnScope): boolean => {
  const type = scope.context.activity.conversation.conversationType;
  return !type || type === 'personal';
};

/** `false` when the command is not the handler's after all in this state (the turn goes on to a running dialog). */
export type CommandHandler = (command: Command, scope: TurnScope) => Promise<boolean | void>;
/** An Action.Execute (universal action): the answer replaces the card clicked, or shows as a notice. */
export type VerbHandler = (data: Record<string, unknown>, scope: TurnScope) => Promise<AdaptiveCardInvokeResponse>;
/** An Action.Submit `{action: …}` outside a running dialog; `false`: not for this handler (not understood). */
export type SubmitHandler = (value: Record<string, unknown>, scope: TurnScope) => Promise<boolean | void>;
/** The user's answer to a file-consent card (accept: upload the file); false when the file is not the feature's. */
export type FileConsentHandler = (response: FileConsentCardResponse, scope: TurnScope) => Promise<boolean>;

/** A card button (Action.Submit) that stands for a typed command; `arg` names the value's field holding the command's argument. */
export interface CommandButton {
  command: CommandName;
  arg?: string;
}

/** A feature: what it answers, as data, and its dialogs. */
export interface Feature {
  /** Names the feature in the routing table and in errors. */
  readonly name: string;
  readonly commands?: Partial<Record<CommandName, CommandHandler>>;
  /** Action.Submit `action` values that stand for a command (answered like the typed command, even in a dialog). */
  readonly buttons?: Readonly<Record<string, CommandButton>>;
  readonly verbs?: Readonly<Record<string, VerbHandler>>;
  readonly submits?: Readonly<Record<string, SubmitHandler>>;
  readonly fileConsent?: FileConsentHandler;
  /** Registers the feature's dialogs in the shared dialog set. */
  addDialogs?(dialogs: DialogSet): void;
}

export interface Route<H> {
  feature: string;
  handle: H;
}

/** A verb or submit action: `area.action` in letters (e.g. `agenda.attend`), or one camelCase word. */
const ROUTE_NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)?$/;

/** Every route → its one handler; a route declared twice or an unknown name stops the start. */
export class RouteTable {
  readonly commands = new Map<CommandName, Route<CommandHandler>>();
  readonly buttons = new Map<string, Route<CommandButton>>();
  readonly verbs = new Map<string, Route<VerbHandler>>();
  readonly submits = new Map<string, Route<SubmitHandler>>();
  readonly fileConsents: Array<Route<FileConsentHandler>> = [];

  constructor(features: readonly Feature[]) {
    for (const f of features) {
      for (const [name, handle] of Object.entries(f.commands ?? {})) {
        if (!(COMMAND_NAMES as readonly string[]).includes(name)) throw new Error(`${f.name}: unknown command "${name}" (not in bot/commands.ts, so no words for it)`);
        add(this.commands, 'command', name as CommandName, { feature: f.name, handle: handle as CommandHandler });
      }
      for (const [name, handle] of Object.entries(f.verbs ?? {})) add(this.verbs, 'verb', checked(f, name), { feature: f.name, handle });
      for (const [name, handle] of Object.entries(f.submits ?? {})) add(this.submits, 'submit action', checked(f, name), { feature: f.name, handle });
      for (const [name, button] of Object.entries(f.buttons ?? {})) add(this.buttons, 'button', checked(f, name), { feature: f.name, handle: button });
      if (f.fileConsent) this.fileConsents.push({ feature: f.name, handle: f.fileConsent });
    }
    for (const [name, { feature, handle }] of this.buttons) {
      if (!this.commands.has(handle.command)) throw new Error(`${feature}: button "${name}" stands for the command "${handle.command}", which no feature handles`);
      if (this.submits.has(name)) throw new Error(`${feature}: "${name}" is both a button and a submit action`);
    }
  }

  /** The command a card button stands for, or null. */
  commandOfButton(value: Record<string, unknown> | undefined): Command | null {
    const action = value?.action;
    if (typeof action !== 'string') return null;
    const button = this.buttons.get(action)?.handle;
    if (!button) return null;
    if (!button.arg) return { name: button.command, arg: '' };
    const arg = value?.[button.arg];
    return typeof arg === 'string' ? { name: button.command, arg } : null;
  }

  /** One line a route, "verb agenda.attend → agenda", sorted: the README's table and the tests read it. */
  describe(): string[] {
    const rows = (kind: string, m: Map<string, { feature: string }>) => [...m].map(([name, r]) => `${kind} ${name} → ${r.feature}`);
    return [...rows('command', this.commands), ...rows('button', this.buttons), ...rows('verb', this.verbs), ...rows('submit', this.submits), ...this.fileConsents.map((r) => `file-consent → ${r.feature}`)].sort();
  }
}

function checked(f: Feature, name: string): string {
  if (!ROUTE_NAME.test(name)) throw new Error(`${f.name}: "${name}" is not a route name (area.action)`);
  return name;
}

function add<K, V>(map: Map<K, Route<V>>, kind: string, key: K, route: Route<V>): void {
  const owner = map.get(key);
  if (owner) throw new Error(`${kind} "${String(key)}" is declared by ${owner.feature} and ${route.feature}`);
  map.set(key, route);
}
