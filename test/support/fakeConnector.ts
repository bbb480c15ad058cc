/**
 * A local fake Bot Connector (the Teams "serviceUrl" API) for tests: plain node:http on
 * 127.0.0.1 with an ephemeral port, no auth, every request recorded, programmable faults.
 *
 *   const fake = await FakeConnector.start();
 *   fake.failNext(2, { status: 503 }, { conversationId });
 *   fake.setFaultChooser((r) => (r.operation === 'send' ? { status: 500 } : undefined));
 *   ... use fake.url as serviceUrl ...
 *   await fake.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, isObject, parseJson, readBody, requireActivityType, route } from './connectorHttp';

export type Operation =
  | 'createConversation'
  | 'send'
  | 'reply'
  | 'update'
  | 'delete'
  | 'getMembers'
  | 'getMember'
  | 'getPagedMembers';

/** An injected failure: an HTTP error (Bot Framework ErrorResponse body when `code` is set) or a request that never answers. */
export type Fault = { status: number; retryAfter?: string; code?: string } | { hang: true };

/** Decides a request's fault from its record (a copy: operation, conversationId, parsed body...). */
export type FaultChooser = (record: RecordedRequest) => Fault | undefined;

export interface FaultScope {
  /** Only requests for this (decoded) conversation id. Conversation-scoped faults win over global ones. */
  conversationId?: string;
  /** Only these operations (default: any). */
  operations?: Operation[];
}

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Raw request path (still URL-encoded), without the query string. */
  path: string;
  operation?: Operation;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  /** Parsed JSON body (the activity for send/reply/update). */
  body?: unknown;
  /** performance.now() when the request was received. */
  at: number;
  /** Response status; undefined while (or because) the request hangs. */
  status?: number;
  fault?: 'status' | 'hang';
  /** Whether an Authorization header was sent (the fake never checks it). */
  authorization: boolean;
}

export interface Member {
  id: string;
  name?: string;
  aadObjectId?: string;
  [key: string]: unknown;
}

interface FaultEntry {
  remaining: number;
  fault: Fault;
  scope: FaultScope;
}

const ALL_CONVERSATIONS = '*';

export class FakeConnector {
  readonly url: string;
  private readonly records: RecordedRequest[] = [];
  private faults: FaultEntry[] = [];
  private chooser: FaultChooser | undefined;
  private rosters = new Map<string, Member[]>();
  private readonly hanging = new Set<http.ServerResponse>();
  private seq = 0;
  private ids = 0;

  private constructor(private readonly server: http.Server) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(): Promise<FakeConnector> {
    let fake: FakeConnector | undefined;
    const server = http.createServer((req, res) => {
      fake!.handle(req, res).catch(() => {
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        }
      });
    });
    // Idle connections are kept for a minute, as the Bot Connector's front end does, not Node's
    // default 5 s: a send on a connection the server closed at that moment got ECONNRESET after
    // it was written, an ambiguous outcome no real connector produces for a healthy send.
    server.keepAliveTimeout = 60_000;
    server.headersTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake = new FakeConnector(server);
    return fake;
  }

  /** Every request so far (copies), oldest first. */
  get requests(): RecordedRequest[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Successful send/reply requests, i.e. activities Teams would have posted. */
  delivered(conversationId?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        (r.operation === 'send' || r.operation === 'reply') &&
        r.status !== undefined &&
        r.status < 300 &&
        (conversationId === undefined || r.conversationId === conversationId),
    );
  }

  /** The next `n` matching requests get `fault` instead of normal handling. */
  failNext(n: number, fault: Fault, scope: FaultScope = {}): void {
    if (n > 0) this.faults.push({ remaining: n, fault, scope });
  }

  /**
   * Per-request fault decision (e.g. a seeded mix), asked after the request is routed and its body
   * parsed, when no `failNext` fault applies; `undefined` → normal handling. Pass nothing to remove.
   */
  setFaultChooser(chooser?: FaultChooser): void {
    this.chooser = chooser;
  }

  /** Roster answered by GET .../members for one conversation, or for all when conversationId is omitted. */
  setMembers(members: Member[], conversationId: string = ALL_CONVERSATIONS): void {
    this.rosters.set(conversationId, members.map((m) => ({ ...m })));
  }

  /** Requests held open by a `hang` fault that the client has not abandoned yet. */
  hangingCount(): number {
    return this.hanging.size;
  }

  /** Forgets records, faults (and the chooser) and rosters; releases hung requests. */
  reset(): void {
    this.records.length = 0;
    this.faults = [];
    this.chooser = undefined;
    this.rosters = new Map();
    this.releaseHanging();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const record: RecordedRequest = {
      seq: ++this.seq,
      method: req.method ?? 'GET',
      path,
      at: performance.now(),
      authorization: typeof req.headers.authorization === 'string',
    };
    this.records.push(record);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        ...headers,
        ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    };

    try {
      const raw = await readBody(req);
      Object.assign(record, route(record.method, path));
      if (raw !== '') record.body = parseJson(raw);
      if (!record.operation) throw new HttpError(404, 'NotFound');

      const fault = this.takeFault(record);
      if (fault && 'hang' in fault) {
        record.fault = 'hang';
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (fault) {
        record.fault = 'status';
        const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {};
        const body = fault.code !== undefined ? { error: { code: fault.code, message: 'Injected fault' } } : undefined;
        send(fault.status, body, headers);
        return;
      }
      const [status, body] = this.respond(record);
      send(status, body);
    } catch (err) {
      if (err instanceof HttpError) send(err.status, { error: { code: err.code, message: err.code } });
      else send(500, { error: { code: 'ServiceError', message: 'fake connector error' } });
    }
  }

  private takeFault(record: RecordedRequest): Fault | undefined {
    const matches = (e: FaultEntry): boolean =>
      e.remaining > 0 &&
      (e.scope.operations === undefined || e.scope.operations.includes(record.operation!)) &&
      (e.scope.conversationId === undefined || e.scope.conversationId === record.conversationId);
    const entry =
      this.faults.find((e) => e.scope.conversationId !== undefined && matches(e)) ??
      this.faults.find((e) => e.scope.conversationId === undefined && matches(e));
    if (!entry) return this.chooser?.({ ...record });
    entry.remaining--;
    this.faults = this.faults.filter((e) => e.remaining > 0);
    return entry.fault;
  }

  private respond(r: RecordedRequest): [number, unknown] {
    switch (r.operation) {
      case 'createConversation': {
        const id = `a:fake-conversation-${++this.ids}`;
        const activityId = isObject(r.body) && isObject(r.body.activity) ? `fake-activity-${++this.ids}` : undefined;
        return [201, { id, ...(activityId ? { activityId } : {}), serviceUrl: this.url }];
      }
      case 'send':
      case 'reply':
        requireActivityType(r.body);
        return [201, { id: `fake-activity-${++this.ids}` }];
      case 'update':
        requireActivityType(r.body);
        return [200, { id: r.activityId }];
      case 'delete':
        return [200, undefined];
      case 'getMembers':
        return [200, this.roster(r.conversationId!)];
      case 'getPagedMembers':
        return [200, { members: this.roster(r.conversationId!) }];
      case 'getMember': {
        const member = this.roster(r.conversationId!).find((m) => m.id === r.memberId || m.aadObjectId === r.memberId);
        if (!member) throw new HttpError(404, 'MemberNotFoundInConversation');
        return [200, member];
      }
      default:
        throw new HttpError(404, 'NotFound');
    }
  }

  private roster(conversationId: string): Member[] {
    return this.rosters.get(conversationId) ?? this.rosters.get(ALL_CONVERSATIONS) ?? [];
  }
}

/**
 * Largest number of timestamps inside any sliding window (t - windowMs, t] — the same
 * half-open definition the rate limiter enforces. Accepts raw times or records with `at`.
 */
export function maxInWindow(records: ReadonlyArray<number | { at: number }>, windowMs: number): number {
  const times = records.map((r) => (typeof r === 'number' ? r : r.at)).sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[start] <= times[end] - windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** maxInWindow computed per conversation; returns the worst conversation's count. */
export function maxInWindowPerConversation(
  records: ReadonlyArray<{ at: number; conversationId?: string }>,
  windowMs: number,
): number {
  const byConversation = new Map<string, { at: number }[]>();
  for (const r of records) {
    const key = r.conversationId ?? '';
    const list = byConversation.get(key);
    if (list) list.push(r);
    else byConversation.set(key, [r]);
  }
  let max = 0;
  for (const list of byConversation.values()) max = Math.max(max, maxInWindow(list, windowMs));
  return max;
}
