import { FakeConnector, maxInWindow, maxInWindowPerConversation } from '../support/fakeConnector';
import { useFakeConnector } from './support';

const TEAMS_CHANNEL_ID = '19:abc123@thread.tacv2;messageid=1700000000000';
const PERSONAL_ID = 'a:1Xyz-_=AbC';

const fake = useFakeConnector();

function call(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...init,
  });
}

const enc = encodeURIComponent;

/** Resolves once the fake has held `n` hung requests (recorded, body read, fault applied): no sleep. */
async function hanging(connector: FakeConnector, n = 1): Promise<void> {
  while (connector.requests.filter((r) => r.fault === 'hang').length < n) await new Promise((r) => setImmediate(r));
}

describe('FakeConnector routes', () => {
  it('listens on 127.0.0.1 with an ephemeral port', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates conversations', async () => {
    const res = await call('POST', '/v3/conversations', { isGroup: false, members: [{ id: '29:user' }], activity: { type: 'message' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; activityId?: string };
    expect(body.id).toMatch(/^a:fake-conversation-\d+$/);
    expect(body.activityId).toBeDefined();
    expect(fake.requests[0]).toMatchObject({ method: 'POST', operation: 'createConversation', status: 201, authorization: false });
  });

  it('sends to a conversation whose id needs URL-encoding and records it decoded', async () => {
    const activity = { type: 'message', text: 'hello' };
    const res = await call('POST', `/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/activities`, activity);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^fake-activity-\d+$/);
    const [rec] = fake.requests;
    expect(rec).toMatchObject({ operation: 'send', conversationId: TEAMS_CHANNEL_ID, body: activity, status: 201 });
    expect(rec.path).toBe(`/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/activities`);
    expect(typeof rec.at).toBe('number');
    expect(fake.delivered(TEAMS_CHANNEL_ID)).toHaveLength(1);
  });

  it('accepts unencoded ids with : @ ; = too', async () => {
    const res = await call('POST', `/v3/conversations/${PERSONAL_ID}/activities`, { type: 'message' });
    expect(res.status).toBe(201);
    expect(fake.requests[0].conversationId).toBe(PERSONAL_ID);
  });

  it('replies, updates and deletes activities', async () => {
    const base = `/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/activities/${enc('1:abc')}`;
    expect((await call('POST', base, { type: 'message', replyToId: '1:abc' })).status).toBe(201);
    const put = await call('PUT', base, { type: 'message', id: '1:abc', text: 'edited' });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ id: '1:abc' });
    expect((await call('DELETE', base)).status).toBe(200);
    expect(fake.requests.map((r) => [r.operation, r.conversationId, r.activityId])).toEqual([
      ['reply', TEAMS_CHANNEL_ID, '1:abc'],
      ['update', TEAMS_CHANNEL_ID, '1:abc'],
      ['delete', TEAMS_CHANNEL_ID, '1:abc'],
    ]);
    expect(fake.delivered()).toHaveLength(1); // the reply; updates/deletes are not new posts
  });

  it('refuses a sent or updated activity without its type, as the Bot Connector does', async () => {
    expect((await call('POST', `/v3/conversations/c/activities`, { text: 'x' })).status).toBe(400);
    expect((await call('PUT', `/v3/conversations/c/activities/a1`, { text: 'x' })).status).toBe(400);
    expect((await call('PUT', `/v3/conversations/c/activities/a1`, { type: 'message', text: 'x' })).status).toBe(200);
    expect(fake.delivered()).toEqual([]);
  });

  it('serves a configurable roster', async () => {
    const alice = { id: '29:alice', name: 'Alice', aadObjectId: 'aad-alice' };
    const bob = { id: '29:bob', name: 'Bob', aadObjectId: 'aad-bob' };
    fake.setMembers([alice]);
    fake.setMembers([alice, bob], TEAMS_CHANNEL_ID);

    const all = await call('GET', `/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/members`);
    expect(await all.json()).toEqual([alice, bob]);
    const other = await call('GET', `/v3/conversations/${enc(PERSONAL_ID)}/members`);
    expect(await other.json()).toEqual([alice]);
    const one = await call('GET', `/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/members/${enc('29:bob')}`);
    expect(await one.json()).toEqual(bob);
    const byAad = await call('GET', `/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/members/aad-alice`);
    expect(await byAad.json()).toEqual(alice);
    const missing = await call('GET', `/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/members/nobody`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'MemberNotFoundInConversation' } });
    const paged = await call('GET', `/v3/conversations/${enc(TEAMS_CHANNEL_ID)}/pagedmembers`);
    expect(await paged.json()).toEqual({ members: [alice, bob] });
    expect(fake.requests.find((r) => r.operation === 'getMember')?.memberId).toBe('29:bob');
  });

  it('roster defaults to empty and reset() clears it', async () => {
    fake.setMembers([{ id: '29:x' }]);
    fake.reset();
    const res = await call('GET', '/v3/conversations/c/members');
    expect(await res.json()).toEqual([]);
  });

  it('answers 404 for unknown routes and 400 for bad JSON, recording both', async () => {
    expect((await call('GET', '/v3/conversations/c/activities')).status).toBe(404);
    expect((await call('GET', '/nope')).status).toBe(404);
    const bad = await call('POST', '/v3/conversations/c/activities', undefined, {
      body: '{not json',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(fake.requests.map((r) => r.status)).toEqual([404, 404, 400]);
  });

  it('records whether an Authorization header was sent (never checked)', async () => {
    await call('POST', '/v3/conversations/c/activities', { type: 'message' }, {
      headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json' },
    });
    expect(fake.requests[0]).toMatchObject({ status: 201, authorization: true });
  });
});

describe('FakeConnector faults', () => {
  const send = (conversationId: string): Promise<Response> =>
    call('POST', `/v3/conversations/${enc(conversationId)}/activities`, { type: 'message' });

  it('429 with Retry-After, then normal', async () => {
    fake.failNext(1, { status: 429, retryAfter: '1' });
    const first = await send('c');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await send('c')).status).toBe(201);
    expect(fake.requests.map((r) => r.fault)).toEqual(['status', undefined]);
    expect(fake.delivered()).toHaveLength(1);
  });

  it('error code goes into a Bot Framework ErrorResponse body; no code → empty body', async () => {
    fake.failNext(1, { status: 403, code: 'ConversationNotFound' });
    fake.failNext(1, { status: 503 });
    const a = await send('c');
    expect(a.status).toBe(403);
    expect(await a.json()).toEqual({ error: { code: 'ConversationNotFound', message: 'Injected fault' } });
    const b = await send('c');
    expect(b.status).toBe(503);
    expect(await b.text()).toBe('');
  });

  it('n counts down; conversation-scoped faults win over global ones and leave others alone', async () => {
    fake.failNext(2, { status: 503 });
    fake.failNext(1, { status: 403, code: 'BotNotInConversationRoster' }, { conversationId: TEAMS_CHANNEL_ID });
    const statuses = [];
    for (const id of [TEAMS_CHANNEL_ID, TEAMS_CHANNEL_ID, 'other', 'other', 'other']) statuses.push((await send(id)).status);
    expect(statuses).toEqual([403, 503, 503, 201, 201]);
  });

  it('operation filter', async () => {
    fake.failNext(1, { status: 502 }, { operations: ['update'] });
    expect((await send('c')).status).toBe(201);
    expect((await call('PUT', '/v3/conversations/c/activities/1', { type: 'message' })).status).toBe(502);
  });

  it('hang: the request never answers until the client gives up; reset releases it', async () => {
    fake.failNext(1, { hang: true });
    await expect(
      call('POST', '/v3/conversations/c/activities', { type: 'message' }, { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    expect(fake.requests[0].fault).toBe('hang');
    expect(fake.requests[0].status).toBeUndefined();
    expect((await send('c')).status).toBe(201);

    fake.failNext(1, { hang: true });
    const pending = send('c');
    await hanging(fake, 2); // the first one above, then this one
    fake.reset();
    await expect(pending).rejects.toThrow();
  });

  it('fault chooser: decides per request from its record, after failNext faults; reset removes it', async () => {
    const seen: Array<string | undefined> = [];
    fake.setFaultChooser((r) => {
      seen.push(r.conversationId);
      return r.conversationId === 'bad' ? { status: 500 } : r.conversationId === 'stuck' ? { hang: true } : undefined;
    });
    fake.failNext(1, { status: 503 }, { conversationId: 'c' });
    expect((await send('c')).status).toBe(503);
    expect((await send('c')).status).toBe(201);
    expect((await send('bad')).status).toBe(500);
    await expect(
      call('POST', '/v3/conversations/stuck/activities', { type: 'message' }, { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    expect(seen).toEqual(['c', 'bad', 'stuck']); // not asked when failNext applied
    expect(fake.requests.map((r) => r.fault)).toEqual(['status', undefined, 'status', 'hang']);
    fake.reset();
    expect((await send('bad')).status).toBe(201);
  });

  it('reset clears records and pending faults', async () => {
    fake.failNext(5, { status: 503 });
    await send('c');
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect((await send('c')).status).toBe(201);
  });
});

describe('FakeConnector lifecycle', () => {
  it('close() returns even with a hung request open', async () => {
    const own = await FakeConnector.start();
    own.failNext(1, { hang: true });
    const pending = fetch(`${own.url}/v3/conversations/c/activities`, { method: 'POST', body: '{}' }).catch(() => 'closed');
    await hanging(own);
    await own.close();
    await expect(pending).resolves.toBe('closed');
  });
});

describe('maxInWindow', () => {
  it.each<[number[], number, number]>([
    [[], 1000, 0],
    [[5], 1000, 1],
    [[0, 0, 0], 1, 3],
    [[0, 999], 1000, 2],
    [[0, 1000], 1000, 1], // half-open (t - w, t]: same rule as the limiter
    [[0, 1000, 1000, 1999], 1000, 3],
    [[300, 0, 200, 100], 250, 3], // unsorted input
    [[0, 100, 200, 300, 400], 150, 2],
  ])('%j in %d ms → %d', (times, windowMs, expected) => {
    expect(maxInWindow(times, windowMs)).toBe(expected);
    expect(maxInWindow(times.map((at) => ({ at })), windowMs)).toBe(expected);
  });

  it('per conversation', () => {
    const records = [
      { at: 0, conversationId: 'a' },
      { at: 10, conversationId: 'b' },
      { at: 20, conversationId: 'a' },
      { at: 30, conversationId: 'a' },
    ];
    expect(maxInWindow(records, 100)).toBe(4);
    expect(maxInWindowPerConversation(records, 100)).toBe(3);
  });
});
