// The dashboard tab's JSON API (/api/tab/*, shapes in tab/contract.ts), the network map as a PNG,
// and its page (/tab). Every
// call carries the Teams SSO token (bot/tab/ssoToken.ts); the data and the permissions come from
// services/dashboard.ts and the record service, with the bot's rules. Refusals are bare, and the
// log says why with a reason code: never the token, never a person's data.
import type { Request, Response, Server } from 'restify';
import { parseExportArgs } from '../../domain/concertationRecord';
import { isTrackingId } from '../../domain/trackingId';
import { Locale, toSupportedLocale } from '../../locales/i18n';
import { networkMapPng } from '../../cards/pictures/networkMap';
import type { DashboardService } from '../../services/dashboard';
import type { MemberService } from '../../services/members';
import type { RecordService } from '../../services/records';
import { normaliseTrackingId } from '../../services/cases';
import type { CoordinationView, ExportLink, OrganiserView, PsiView, PsiVersionView, RecordsView, TabError, TabMe } from '../../tab/contract';
import { AppConfig, publicBaseOf } from '../config';
import { exportBaseName, exportFormat, exportUrl } from '../features/records';
import type { Logger } from '../logger';
import { createSsoVerifier, SsoIdentity, ssoOptionsFrom, SsoVerifier } from './ssoToken';
import { registerTabStatic } from './static';

export interface TabDeps {
  config: AppConfig;
  dashboard: DashboardService;
  records: RecordService;
  members: MemberService;
  logger: Logger;
  /** Tests inject their own; default: from the configuration. */
  verifier?: SsoVerifier;
  /** The built page folder; default: dist/tab/public beside the compiled server. */
  publicDir?: string;
}

/** What JSON makes of a value: dates become ISO strings (the contract's types are the wire's). */
type Wire<T> = T extends Date ? string : T extends Array<infer U> ? Array<Wire<U>> : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;
const wire = <T>(value: T): Wire<T> => value as unknown as Wire<T>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Width of the network map in the tab (PNG pixels; the page scales it down to its column). */
const TAB_MAP_WIDTH = 900;

type Handler = (req: Request, who: SsoIdentity) => Promise<[number, unknown]>;

const fail = (status: number, error: TabError['error'], field?: string): [number, TabError] => [status, field ? { error, field } : { error }];

export function registerTab(server: Server, deps: TabDeps): void {
  const { config, dashboard, records, members, logger } = deps;
  const verifier = deps.verifier ?? createSsoVerifier(ssoOptionsFrom(config));
  if (!verifier.configured) {
    logger.warn({ event: 'tab.ssoNotConfigured' }, "the dashboard tab's SSO is not configured (set TAB_SSO_APP_ID or MicrosoftAppId): every /api/tab call is refused");
  }
  const publicBase = publicBaseOf(config);

  const api = (name: string, handler: Handler) => async (req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    const signedIn = await verifier.verify(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
    if (!signedIn.ok) {
      if (signedIn.reason === 'unavailable') {
        logger.error({ event: 'tab.keysUnavailable', route: name }, "cannot check the tab's SSO tokens: the identity platform's signing keys are unreachable");
        res.header('Retry-After', '10');
        res.send(503, { error: 'unavailable' } satisfies TabError);
        return;
      }
      logger.warn({ event: 'tab.refused', route: name, reason: signedIn.reason }, 'tab call refused: token');
      res.send(401, { error: 'unauthenticated' } satisfies TabError);
      return;
    }
    try {
      const [status, body] = await handler(req, signedIn.identity);
      if (status >= 400) logger.info({ event: 'tab.denied', route: name, status }, 'tab call answered with a refusal');
      if (Buffer.isBuffer(body)) {
        // A picture (the network map): its bytes as they are, never stored by a cache either.
        res.writeHead(status, { 'Content-Type': 'image/png', 'Content-Length': body.length });
        res.end(body);
        return;
      }
      res.send(status, body);
    } catch (err) {
      logger.error({ event: 'tab.failed', route: name, err: (err as Error)?.name }, 'tab call failed');
      if (!res.headersSent) {
        res.header('Retry-After', '10');
        res.send(503, { error: 'unavailable' } satisfies TabError);
      }
    }
  };

  const trackingIdOf = (req: Request): string | null => {
    const id = normaliseTrackingId(String(req.params?.trackingId ?? ''));
    return isTrackingId(id) ? id : null;
  };
  const query = (req: Request) => new URL(req.url ?? '/', 'http://tab.invalid').searchParams;
  /** A period as the bot's export command takes it; the field at fault otherwise. */
  const period = (from: unknown, to: unknown): { ok: true; from: string; to: string } | { ok: false; field: string } => {
    const day = (d: unknown): d is string => typeof d === 'string' && DAY.test(d) && parseExportArgs(`${d} ${d}`).ok;
    if (!day(from)) return { ok: false, field: 'from' };
    if (!day(to)) return { ok: false, field: 'to' };
    // Both are days: what is left is the order and the length of the period.
    const parsed = parseExportArgs(`${from} ${to}`);
    return parsed.ok ? { ok: true, from: parsed.from, to: parsed.to } : { ok: false, field: 'to' };
  };

  server.get(
    '/api/tab/me',
    api('me', async (_req, who) => {
      const me = await dashboard.me(who.oid);
      const body: TabMe = { displayName: me.displayName ?? who.name ?? '', roles: me.roles, preferredLocale: me.preferredLocale };
      return [200, body];
    }),
  );

  server.get(
    '/api/tab/organiser',
    api('organiser', async (_req, who) => {
      const body: OrganiserView = wire(await dashboard.organiser(who.oid));
      return [200, body];
    }),
  );

  const psiRoute = (name: string, withVersion: boolean) =>
    api(name, async (req, who) => {
      const trackingId = trackingIdOf(req);
      if (!trackingId) return fail(400, 'badRequest', 'trackingId');
      const rawVersion = String(req.params?.version ?? '');
      if (withVersion && !/^[1-9]\d{0,5}$/.test(rawVersion)) return fail(400, 'badRequest', 'version');
      const result = await dashboard.psi(trackingId, who.oid, withVersion ? Number(rawVersion) : undefined);
      if (!result.ok) return result.code === 'notFound' ? fail(404, 'notFound') : fail(403, 'forbidden');
      const view = wire(result.value);
      if (!withVersion) return [200, view satisfies PsiView];
      return view.latest ? [200, view.latest satisfies PsiVersionView] : fail(404, 'notFound');
    });
  server.get('/api/tab/cases/:trackingId/psi', psiRoute('psi', false));
  server.get('/api/tab/cases/:trackingId/psi/:version', psiRoute('psiVersion', true));

  // The network map of the PSI (latest version, or ?version=N) as a PNG, at the reader's level.
  server.get(
    '/api/tab/cases/:trackingId/map',
    api('psiMap', async (req, who) => {
      const trackingId = trackingIdOf(req);
      if (!trackingId) return fail(400, 'badRequest', 'trackingId');
      const q = query(req);
      const theme = q.get('theme') ?? 'light';
      if (theme !== 'light' && theme !== 'dark') return fail(400, 'badRequest', 'theme');
      const rawVersion = q.get('version');
      if (rawVersion !== null && !/^[1-9]\d{0,5}$/.test(rawVersion)) return fail(400, 'badRequest', 'version');
      const result = await dashboard.psiMap(trackingId, who.oid, rawVersion === null ? undefined : Number(rawVersion));
      if (!result.ok) return result.code === 'notFound' ? fail(404, 'notFound') : fail(403, 'forbidden');
      const locale: Locale = (await members.get(who.oid))?.preferredLocale ?? toSupportedLocale(result.value.locale) ?? config.defaultLocale;
      return [200, networkMapPng(result.value.actors, locale, { theme, width: TAB_MAP_WIDTH })];
    }),
  );

  server.get(
    '/api/tab/coordination',
    api('coordination', async (_req, who) => {
      const result = await dashboard.coordination(who.oid);
      if (!result.ok) return fail(403, 'forbidden');
      const body: CoordinationView = wire(result.value);
      return [200, body];
    }),
  );

  server.get(
    '/api/tab/coordination/records',
    api('records', async (req, who) => {
      if (!(await records.authoriseExport(who.oid)).ok) return fail(403, 'forbidden');
      const q = query(req);
      const p = period(q.get('from'), q.get('to'));
      if (!p.ok) return fail(400, 'badRequest', p.field);
      const rows = await records.revisions(p.from, p.to);
      const euros = (cents: unknown) => (typeof cents === 'number' ? (cents / 100).toFixed(2) : null);
      const body: RecordsView = {
        from: p.from,
        to: p.to,
        rows: rows.map(({ row, revision }) => ({ trackingId: String(row.trackingId), date: String(row.date), organiserName: String(row.organiser ?? ''), revision, fee: euros(row.total) })),
      };
      return [200, body];
    }),
  );

  server.post(
    '/api/tab/coordination/records/export',
    api('export', async (req, who) => {
      if (!(await records.authoriseExport(who.oid)).ok) return fail(403, 'forbidden');
      const input = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const p = period(input.from, input.to);
      if (!p.ok) return fail(400, 'badRequest', p.field);
      if (input.format !== 'csv' && input.format !== 'xlsx') return fail(400, 'badRequest', 'format');
      const locale: Locale = (await members.get(who.oid))?.preferredLocale ?? config.defaultLocale;
      const rows = await records.rows(p.from, p.to);
      const file = await records.createExport(rows, exportFormat(locale), exportBaseName(p.from, p.to), who.oid, { from: p.from, to: p.to, organiser: null, via: 'tab' });
      logger.info({ event: 'export.created', via: 'tab', rows: rows.length }, 'export created');
      const body: ExportLink = { url: exportUrl(publicBase, file.token, input.format), fileName: `${file.baseName}.${input.format}`, rows: rows.length };
      return [200, body];
    }),
  );

  registerTabStatic(server, { publicDir: deps.publicDir, extraFrameAncestors: config.tabFrameAncestors, logger });
}
