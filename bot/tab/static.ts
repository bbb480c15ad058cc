// The dashboard page's files: GET /tab (index.html) and /tab/<file> from the built page folder, where
// the build also puts the teams-js bundle (vendor/teams-js.min.js): the running bot needs no
// front-end package. Only files inside the folder are served (no traversal), each
// with its content type, no sniffing, and a Content-Security-Policy that lets Teams (and nothing
// else but this server) frame the page.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logger';

/** Where Teams, Outlook and the Microsoft 365 app host a tab (teams-js app.initialize validates them too). */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.office.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://outlook.office.com',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page as built: dist/bot/tab/static.js → dist/tab/public (the sources' tab/public under ts-jest). */
export const DEFAULT_PUBLIC_DIR = path.resolve(__dirname, '..', '..', 'tab', 'public');

export function contentSecurityPolicy(extraFrameAncestors: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // blob: the network map, fetched with the token and shown through an object URL.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors 'self' ${[...TEAMS_FRAME_ANCESTORS, ...extraFrameAncestors].join(' ')}`,
  ].join('; ');
}

/** The file under `root` that `requested` (URL-decoded, relative) names, or null when it would leave it. */
export function fileUnder(root: string, requested: string): string | null {
  if (!requested || requested.includes('\0') || requested.includes('\\')) return null;
  const parts = requested.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p.startsWith('.'))) return null;
  const full = path.resolve(root, ...parts.filter(Boolean));
  return full.startsWith(root + path.sep) ? full : null;
}

export interface StaticOptions {
  publicDir?: string;
  extraFrameAncestors?: readonly string[];
  logger: Logger;
}

export function registerTabStatic(server: Server, options: StaticOptions): void {
  const root = path.resolve(options.publicDir ?? DEFAULT_PUBLIC_DIR);
  const csp = contentSecurityPolicy(options.extraFrameAncestors);

  const sendFile = async (res: Response, file: string | null, cache: string): Promise<void> => {
    const type = file ? TYPES[path.extname(file).toLowerCase()] : undefined;
    let body: Buffer | null = null;
    if (file && type) body = await fs.readFile(file).catch(() => null);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': csp });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': type!,
      'Content-Length': body.length,
      'Cache-Control': cache,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': csp,
    });
    res.end(body);
  };

  const page = async (req: Request, res: Response) => {
    const raw = (req.getPath?.() ?? req.url ?? '').split('?')[0];
    let rest: string;
    try {
      rest = decodeURIComponent(raw.replace(/^\/tab\/?/, ''));
    } catch {
      rest = '..';
    }
    // The page is always fetched fresh (its files change with each release); the rest may be cached briefly.
    const file = rest === '' || rest === 'index.html' ? path.join(root, 'index.html') : fileUnder(root, rest);
    if (!file) options.logger.warn({ event: 'tab.staticRefused' }, 'tab file request refused: outside the page folder');
    await sendFile(res, file, rest === '' || rest.endsWith('.html') ? 'no-cache' : 'public, max-age=300');
  };

  server.get('/tab', page);
  server.get('/tab/*', page);
}
