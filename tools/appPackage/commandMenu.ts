// The commands Teams offers in its command menu (the "/" list and the suggestions above the chat box),
// per kind of conversation. The words come from the locale files (`command.<name>`, its first
// alternative: a word the bot recognises in that language), the descriptions from
// `appPackage.command.<name>`. A new command in bot/commands.ts does not compile here until it is
// given its places ([] when it is not offered), so the menu never silently lags behind the bot.
import type { CommandName } from '../../bot/commands';
import { Locale, t } from '../../locales/i18n';

/** personal: the 1:1 chat with the bot; group: a group chat or a team channel. */
export type MenuPlace = 'personal' | 'group';

/** Where each command is offered, the most asked for first; the handlers answer elsewhere too, with a message saying where it works. */
export const COMMAND_MENU: Readonly<Record<CommandName, readonly MenuPlace[]>> = {
  help: ['personal', 'group'],
  newRequest: ['personal'],
  myRequests: ['personal'],
  myCases: ['personal'],
  myReminders: ['personal'],
  // The case's group chat knows its case; in the 1:1 chat the organiser names it.
  newPoll: ['personal', 'group'],
  psi: ['personal', 'group'],
  // The personal list is near Teams' limit; in the case chat the case is known.
  networkMap: ['group'],
  linkCase: ['group'],
  agenda: ['group'],
  // Billing data and exports are never shown in a group (bot/features/records.ts).
  record: ['personal'],
  export: ['personal'],
  report: ['personal'],
  setCoordination: ['group'],
  organisers: ['personal', 'group'],
  language: ['personal'],
  // Only meaningful in the middle of a question, which says to type it.
  cancel: [],
};

/** The Teams scopes of each place's command list (a manifest has at most 3 lists). */
export const PLACE_SCOPES: Readonly<Record<MenuPlace, ReadonlyArray<'personal' | 'team' | 'groupChat'>>> = {
  personal: ['personal'],
  group: ['team', 'groupChat'],
};

/** What Teams accepts (docs: bots.commandLists; the 1.24 schema allows 12 commands a list). */
export const MENU_LIMITS = { commands: 12, title: 32, description: 128 } as const;

export interface MenuCommand {
  name: CommandName;
  title: string;
  description: string;
}

/** The word Teams inserts for the command: the first of its alternatives in this language. */
export function commandWord(name: CommandName, locale: Locale): string {
  return t(locale, `command.${name}`).split('|')[0].trim();
}

/** The commands offered in a place, in the order of COMMAND_MENU (the most asked for first). */
export function menuOf(place: MenuPlace, locale: Locale): MenuCommand[] {
  return (Object.keys(COMMAND_MENU) as CommandName[]).filter((name) => COMMAND_MENU[name].includes(place)).map((name) => ({
    name,
    title: commandWord(name, locale),
    description: t(locale, `appPackage.command.${name}`),
  }));
}

/** What breaks Teams' limits, one line each (empty: none). */
export function menuProblems(locale: Locale): string[] {
  return (Object.keys(PLACE_SCOPES) as MenuPlace[]).flatMap((place) => {
    const menu = menuOf(place, locale);
    return [
      ...(menu.length > MENU_LIMITS.commands ? [`${place} command list: ${menu.length} commands, Teams accepts ${MENU_LIMITS.commands} (tools/appPackage/commandMenu.ts COMMAND_MENU)`] : []),
      ...menu.filter((c) => c.title.length > MENU_LIMITS.title).map((c) => `${locale}: the word of "${c.name}" is longer than ${MENU_LIMITS.title} characters`),
      ...menu.filter((c) => c.description.length > MENU_LIMITS.description).map((c) => `${locale}: appPackage.command.${c.name} is longer than ${MENU_LIMITS.description} characters`),
    ];
  });
}
