// The Bot Framework adapter: authentication, per-turn logger, and the last-resort error handler.
// A move to the Microsoft 365 Agents SDK replaces this file and server.ts's call to process().
import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import { resolveLocale, t } from '../locales/i18n';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { LOGGER_KEY } from './teamsBot';

export function createAdapter(config: AppConfig, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);

  // Each turn logs with its own request id and only metadata: never the text or card values.
  adapter.use(async (context, next) => {
    const a = context.activity;
    const log = logger.child({
      requestId: randomUUID(),
      activityType: a.type,
      activityName: a.name,
      channelId: a.channelId,
      conversationType: a.conversation?.conversationType ?? 'personal',
    });
    context.turnState.set(LOGGER_KEY, log);
    const started = Date.now();
    await next();
    log.debug({ ms: Date.now() - started }, 'turn done');
  });

  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const log = (context.turnState.get(LOGGER_KEY) as Logger | undefined) ?? logger;
    const err = error as Error;
    // Only the error's type and where it was thrown: messages can quote what the user typed (a
    // validation error, a connector response body), and personal data never goes to the logs.
    const frames = (err?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8).join('\n');
    log.error({ err: { type: err?.name, code: (err as { code?: unknown })?.code, frames } }, 'unhandled error in turn');
    try {
      const locale = resolveLocale(null, context.activity.locale, config.defaultLocale);
      await context.sendActivity(t(locale, 'error.generic'));
    } catch (sendError) {
      log.warn({ err: (sendError as Error)?.name }, 'could not tell the user about the error');
    }
  };
  return adapter;
}
