// The turn's language: the bot resolves it once per turn (user choice > Teams locale > default)
// and dialogs read it from the TurnContext.
import type { TurnContext } from 'botbuilder';
import type { Locale } from '../locales/i18n';

export const LOCALE_KEY = 'turnLocale';

export const localeOf = (context: TurnContext): Locale => (context.turnState.get(LOCALE_KEY) as Locale | undefined) ?? 'fr';
