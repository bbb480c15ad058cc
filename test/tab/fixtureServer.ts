// A tiny server for the page tests: the built tab's files under /tab/ (with the bot's CSP) and
// /api/tab/* answered from canned JSON of tab/contract.ts (or a PNG), noting each API call and its token.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { contentSecurityPolicy } from '../../bot/tab/static';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' };

export interface ApiCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export type ApiAnswer = { status: number; body: unknown };
export type ApiHandler = (call: ApiCall) => ApiAnswer | undefined;

export interface FixtureServer {
  origin: string;
  calls: ApiCall[];
  /** Replaces how /api/tab/* answers (undefined → 404 notFound). */
  answer(handler: ApiHandler): void;
  close(): Promise<void>;
}

export async function startFixtureServer(publicDir: string): Promise<FixtureServer> {
  const calls: ApiCall[] = [];
  // The page runs under the policy the bot serves it with.
  const csp = contentSecurityPolicy();
  let handler: ApiHandler = () => undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/api/')) {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const call = { method: req.method ?? 'GET', path: url.pathname + url.search, authorization: req.headers.authorization, body };
        calls.push(call);
        const a = handler(call) ?? { status: 404, body: { error: 'notFound' } };
        // Not chained: restify, loaded by another test file of the same worker, patches
        // ServerResponse.writeHead into a method that returns nothing.
        const picture = Buffer.isBuffer(a.body);
        res.writeHead(a.status, { 'Content-Type': picture ? 'image/png' : 'application/json' });
        res.end(picture ? a.body : JSON.stringify(a.body));
      });
      return;
    }
    const rel = url.pathname.startsWith('/tab/') ? url.pathname.slice('/tab/'.length) : null;
    const file = rel === null ? null : path.join(publicDir, path.normalize(rel || 'index.html'));
    if (!file || !file.startsWith(publicDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': csp });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    calls,
    answer: (h) => (handler = h),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
