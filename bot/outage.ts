// While the database is down (the embedded FerretDB restarting, a lost MONGODB_URI), a turn would
// wait for server selection and then end in a generic error. Users get instead, at once, a clear
// "temporarily unavailable" in their language. It only claims what is true: each sheet answer is
// saved as it is given, so earlier answers are kept; nothing is said about the current message.
import { ActivityTypes, TurnContext } from 'botbuilder';
import { Locale, resolveLocale, t } from '../locales/i18n';

/** Driver (and models/db.ts fail-fast) errors that mean "the database cannot be reached", not a bug in the turn. */
export function isDatabaseUnreachable(err: unknown): boolean {
  const name = (err as { name?: unknown })?.name;
  return typeof name === 'string' && /^(Mongo(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)|DatabaseUnavailable)Error$/.test(name);
}

/** Answers a message or invoke without touching the database; other activities (no one to answer) are dropped. */
export async function replyDatabaseUnavailable(context: TurnContext, defaultLocale: Locale): Promise<void> {
  const a = context.activity;
  // The profile's language is in the database: the activity's locale is what is left.
  const text = t(resolveLocale(null, a.locale, defaultLocale), 'error.databaseUnavailable');
  if (a.type === ActivityTypes.Invoke) {
    const body = a.name === 'adaptiveCard/action' ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } : undefined;
    await context.sendActivity({ type: 'invokeResponse', value: { status: body ? 200 : 503, body } });
    return;
  }
  if (a.type === ActivityTypes.Message) await context.sendActivity(text);
}
