// HTTP surface: POST /api/messages (Bot Framework), GET /healthz. restify 11.
import type { Activity, TurnContext } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import restify, { Request, Response, Server } from 'restify';
import { checkActivity, withDates, withoutNul } from './activitySchema';
import { BotAdapter, precheckToken } from './adapter';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import type { ConcertationBot } from './teamsBot';
import { isDatabaseUnreachable, replyDatabaseUnavailable } from './outage';

export interface Health {
  db: 'up' | 'down';
  scheduler: 'running' | 'stopped';
}

export interface ServerDeps {
  config: AppConfig;
  adapter: BotAdapter;
  bot: ConcertationBot;
  logger: Logger;
  health: () => Promise<Health>;
  /** What the driver already knows, without a round trip: true while the database is known to be down. */
  databaseKnownDown: () => boolean;
}

export interface BotServer {
  server: Server;
  inFlight: () => number;
  /** Stops accepting requests and waits (up to timeoutMs) for the turns in progress. */
  drain: (timeoutMs: number) => Promise<void>;
}

export function createServer(deps: ServerDeps): BotServer {
  const { config, adapter, bot, logger } = deps;
  const server = restify.createServer({ name: 'cmd-concertation-bot', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;
  const onIdle: Array<() => void> = [];

  // Database down (known before the turn, checked when a turn fails): a clear reply at once. The
  // check before the turn asks the driver, not the database: a ping per turn queued behind a burst
  // of 200 votes took over its 2 s and answered healthy turns "unavailable".
  const runTurn = async (context: TurnContext): Promise<void> => {
    if (deps.databaseKnownDown()) {
      logger.warn({ activityType: context.activity.type }, 'database unavailable: turn answered without it');
      await replyDatabaseUnavailable(context, config.defaultLocale);
      return;
    }
    try {
      await bot.run(context);
    } catch (err) {
      if (!isDatabaseUnreachable(err) && (await deps.health()).db === 'up') throw err;
      logger.warn({ activityType: context.activity.type, err: (err as Error)?.name }, 'database unavailable during the turn');
      await replyDatabaseUnavailable(context, config.defaultLocale);
    }
  };

  server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false, mapFiles: false, rejectUnknown: true }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'shutting down' });
      return;
    }
    // 1. Shape: a malformed activity is refused before botbuilder or a feature trips over it.
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      logger.warn({ fields: checked.fields }, 'activity refused: malformed');
      res.send(400, { error: 'malformed activity', fields: checked.fields });
      return;
    }
    const activity = withDates(withoutNul(checked.activity)) as unknown as Activity;

    // 2. Authentication. Every refusal is the same bare 401: what failed is logged, not told.
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    if (adapter.authenticationEnabled) {
      const refusal = precheckToken(authHeader, config.microsoftAppId, Math.floor(Date.now() / 1000));
      if (refusal) {
        logger.warn({ reason: refusal }, 'activity refused: token');
        res.send(401, { error: 'unauthorized' });
        return;
      }
    }
    let auth: AuthenticateRequestResult;
    try {
      auth = await adapter.authenticateRequest(activity, authHeader);
    } catch (err) {
      // botbuilder marks its own key-download failures as AuthenticationError with a 5xx code.
      const status = (err as AuthenticationError)?.statusCode;
      if (err instanceof AuthenticationError && !(typeof status === 'number' && status >= 500)) {
        logger.warn({ reason: 'signature' }, 'activity refused: token');
        res.send(401, { error: 'unauthorized' });
        return;
      }
      // The signing keys could not be fetched: the caller may retry, and the operator must know.
      logger.error({ err: { type: (err as Error)?.name, code: (err as { code?: unknown })?.code, message: (err as Error)?.message } }, 'cannot check tokens: OpenID metadata or signing keys unreachable');
      res.header('Retry-After', '10');
      res.send(503, { error: 'temporarily unavailable' });
      return;
    }

    // 3. Tenant allow-list, once the caller is known to be the Bot Framework. Teams states the
    // tenant twice; both must agree, so neither can smuggle in a foreign tenant.
    const fromConversation = checked.activity.conversation.tenantId || null;
    const fromChannelData = checked.activity.channelData?.tenant?.id || null;
    if (fromConversation && fromChannelData && fromConversation !== fromChannelData) {
      logger.warn('activity refused: conflicting tenant ids');
      res.send(403, { error: 'tenant not allowed' });
      return;
    }
    if (config.allowedTenantIds.length) {
      const tenant = fromConversation ?? fromChannelData;
      if (!tenant || !config.allowedTenantIds.includes(tenant)) {
        logger.warn({ tenantKnown: Boolean(tenant) }, 'activity refused: tenant not allowed');
        res.send(403, { error: 'tenant not allowed' });
        return;
      }
    }

    inFlight++;
    try {
      const invokeResponse = await adapter.processAuthenticated(auth, activity, (context) => runTurn(context));
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (err) {
      logger.error({ err: (err as Error)?.name }, 'adapter.processActivity failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      inFlight--;
      if (inFlight === 0) for (const idle of onIdle.splice(0)) idle();
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    const health = await deps.health();
    const ok = health.db === 'up' && !draining;
    res.send(ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', ...health, draining });
  });

  // The listener stays open while turns finish, so new requests get a 503 (not a refused
  // connection); it closes as soon as the last turn is done, or at the timeout.
  const drain = async (timeoutMs: number) => {
    draining = true;
    if (inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => onIdle.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive sockets would hold close() open until they time out.
    server.server.closeIdleConnections?.();
    await closed;
  };

  return { server, inFlight: () => inFlight, drain };
}
