// The Bot Framework adapter: authentication, per-turn logger, and the last-resort error handler.
// A move to the Microsoft 365 Agents SDK replaces this file and server.ts's call to process().
import { randomUUID } from 'node:crypto';
import { Activity, ActivityTypes, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import { AuthenticateRequestResult, AuthenticationConstants, BotFrameworkAuthentication } from 'botframework-connector';
import { resolveLocale, t } from '../locales/i18n';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { LOGGER_KEY, messageResponse } from './teamsBot';

/** A CloudAdapter whose authentication step server.ts can run (and map to 401/503) on its own. */
export class BotAdapter extends CloudAdapter {
  constructor(auth: BotFrameworkAuthentication, readonly authenticationEnabled: boolean) {
    super(auth);
  }

  authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn of an activity authenticated by authenticateRequest(). */
  processAuthenticated(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

export type TokenRefusal = 'missing' | 'malformed' | 'algorithm' | 'expired' | 'notYetValid' | 'issuer' | 'audience';

const ALLOWED_ALGORITHMS = new Set<string>(AuthenticationConstants.AllowedSigningAlgorithms);
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// Bot Framework channels, or Azure AD (Emulator, skills); botbuilder checks the exact list later.
const ISSUER = new RegExp(`^(https://api\\.botframework\\.(com|us)|https://sts\\.windows\\.net/${GUID}/|https://login\\.microsoftonline\\.(com|us)/${GUID}/(v2\\.0)?)$`, 'i');
/** The Bot Framework's own tolerance for clock differences. */
const CLOCK_SKEW_S = 5 * 60;

const decodePart = (part: string): Record<string, unknown> | null => {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * Refuses, without any network call, a token that cannot be valid whatever the signing keys say:
 * not a JWT, unsigned or HMAC-signed (alg "none", HS256 with the app password), expired, not yet
 * valid, from an unknown issuer, or for another bot. botbuilder would fetch the OpenID keys first,
 * so an attacker could make the bot depend on that endpoint for free. Returns null when the token
 * is worth verifying.
 */
export function precheckToken(authHeader: string, appId: string, nowSeconds: number): TokenRefusal | null {
  const match = /^Bearer ([^\s]+)$/.exec(authHeader.trim());
  if (!match) return 'missing';
  const parts = match[1].split('.');
  if (parts.length !== 3 || !parts[2]) return 'malformed';
  const header = decodePart(parts[0]);
  const payload = decodePart(parts[1]);
  if (!header || !payload) return 'malformed';
  if (typeof header.alg !== 'string' || !ALLOWED_ALGORITHMS.has(header.alg)) return 'algorithm';
  if (typeof header.kid !== 'string' || !header.kid) return 'malformed';
  if (typeof payload.exp !== 'number' || payload.exp + CLOCK_SKEW_S < nowSeconds) return 'expired';
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf - CLOCK_SKEW_S > nowSeconds)) return 'notYetValid';
  if (typeof payload.iss !== 'string' || !ISSUER.test(payload.iss)) return 'issuer';
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!appId || !audiences.includes(appId)) return 'audience';
  return null;
}

function botFrameworkAuthentication(config: AppConfig): ConfigurationBotFrameworkAuthentication {
  const credentials = {
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  };
  if (!config.botOpenIdMetadataUrl) return new ConfigurationBotFrameworkAuthentication(credentials);
  // Setting one endpoint makes botbuilder take every one from the configuration: the public cloud's
  // values, with the signing keys read from the configured address.
  return new ConfigurationBotFrameworkAuthentication({
    ...credentials,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: config.botOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: config.botOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  });
}

export function createAdapter(config: AppConfig, logger: Logger): BotAdapter {
  const adapter = new BotAdapter(botFrameworkAuthentication(config), Boolean(config.microsoftAppId));

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
      const text = t(locale, 'error.generic');
      if (context.activity.type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
        // Without an invoke response botbuilder answers 501 and Teams shows its own vague failure:
        // a card action gets the message in its response instead.
        if (context.activity.name === 'adaptiveCard/action') {
          await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: messageResponse(text) } });
          return;
        }
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
      }
      await context.sendActivity(text);
    } catch (sendError) {
      log.warn({ err: (sendError as Error)?.name }, 'could not tell the user about the error');
    }
  };
  return adapter;
}
