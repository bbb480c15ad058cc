// HTTP surface: POST /api/messages (Bot Framework), GET /healthz. restify 11.
import type { CloudAdapter, TurnContext } from 'botbuilder';
import restify, { Request, Response, Server } from 'restify';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { tenantOf } from './conversationReferences';
import type { ConcertationBot } from './teamsBot';
import { isDatabaseUnreachable, replyDatabaseUnavailable } from './outage';

export interface Health {
  db: 'up' | 'down';
  scheduler: 'running' | 'stopped';
}

export interface ServerDeps {
  config: AppConfig;
  adapter: CloudAdapter;
  bot: ConcertationBot;
  logger: Logger;
  health: () => Promise<Health>;
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

  // Database down (checked before the turn, and again when a turn fails): a clear reply at once.
  const runTurn = async (context: TurnContext): Promise<void> => {
    if ((await deps.health()).db === 'down') {
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
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string') {
      res.send(400, { error: 'expected a Bot Framework activity (JSON object with a "type")' });
      return;
    }
    if (config.allowedTenantIds.length) {
      const tenant = tenantOf(body as never);
      if (!tenant || !config.allowedTenantIds.includes(tenant)) {
        logger.warn({ tenantKnown: Boolean(tenant) }, 'activity refused: tenant not allowed');
        res.send(403, { error: 'tenant not allowed' });
        return;
      }
    }
    inFlight++;
    try {
      await adapter.process(req, res, (context) => runTurn(context));
    } catch (err) {
      logger.error({ err: (err as Error)?.name }, 'adapter.process failed');
      if (!res.headersSent) res.send(500);
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
