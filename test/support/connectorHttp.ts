// The HTTP side of the fake Bot Connector: reading and parsing a request body, mapping a method
// and path to a connector operation, and the error answered when either fails.
import type http from 'node:http';
import type { Operation, RecordedRequest } from './fakeConnector';

const MAX_BODY_BYTES = 1_000_000;

/** An error answered as `{ error: { code } }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** The Bot Connector (and the Agents Playground's) refuses an activity without its type. */
export function requireActivityType(body: unknown): void {
  if (!isObject(body) || typeof body.type !== 'string' || !body.type) throw new HttpError(400, 'BadArgument');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'MessageSizeTooBig'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'BadSyntax');
  }
}

/** Maps method + path to an operation; ids are split on raw '/' first, then URL-decoded. */
export function route(method: string, path: string): Partial<RecordedRequest> {
  let segments: string[];
  try {
    segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    throw new HttpError(400, 'BadArgument');
  }
  if (segments[0] !== 'v3' || segments[1] !== 'conversations') return {};
  const [, , conversationId, collection, itemId, ...rest] = segments;
  if (rest.length > 0) return {};
  if (conversationId === undefined) return method === 'POST' ? { operation: 'createConversation' } : {};
  if (collection === 'activities') {
    if (itemId === undefined) return method === 'POST' ? { operation: 'send', conversationId } : {};
    const op: Operation | undefined =
      method === 'POST' ? 'reply' : method === 'PUT' ? 'update' : method === 'DELETE' ? 'delete' : undefined;
    return op ? { operation: op, conversationId, activityId: itemId } : {};
  }
  if (method !== 'GET') return {};
  if (collection === 'members') {
    return itemId === undefined
      ? { operation: 'getMembers', conversationId }
      : { operation: 'getMember', conversationId, memberId: itemId };
  }
  if (collection === 'pagedmembers' && itemId === undefined) return { operation: 'getPagedMembers', conversationId };
  return {};
}
