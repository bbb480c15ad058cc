import { cardsOf, post, RunningApp, startTestApp, teamsMessage } from '../support/app';

describe('POST /api/messages (no app id: local / Agents Playground mode)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => running.close());

  it('answers "aide" with the help card in French, in the HTTP response (expectReplies)', async () => {
    const res = await post(running.url, teamsMessage('aide'));
    expect(res.status).toBe(200);
    const cards = cardsOf(res.body.activities);
    expect(cards).toHaveLength(1);
    expect(cards[0].version).toBe('1.5');
    expect(JSON.stringify(cards[0])).toContain('nouvelle demande');
  });

  it.each([
    ['hulp', 'nl-BE', 'nieuwe aanvraag'],
    ['help', 'en-US', 'new request'],
    ['aide', 'nl-BE', 'nieuwe aanvraag'], // the command in French, Teams in Dutch: answered in Dutch
  ])('"%s" with Teams locale %s shows the help in that language', async (text, locale, expected) => {
    const res = await post(running.url, teamsMessage(text, { locale }));
    expect(JSON.stringify(cardsOf(res.body.activities))).toContain(expected);
  });

  it('switches language on "taal nl" and keeps it for the next turns', async () => {
    const conversation = { id: 'a:fictional-language-switch', conversationType: 'personal' };
    const from = { id: '29:fictional-user-lang', aadObjectId: '00000000-0000-4000-8000-00000000000a', name: 'Lang Test' };
    const switched = await post(running.url, teamsMessage('taal nl', { conversation, from, locale: 'fr-BE' }));
    expect(switched.body.activities?.[0].text).toMatch(/Nederlands/);
    const after = await post(running.url, teamsMessage('aide', { conversation, from, locale: 'fr-BE' }));
    expect(JSON.stringify(cardsOf(after.body.activities))).toContain('nieuwe aanvraag');
  });

  it('explains what it understands when the language is unknown', async () => {
    const res = await post(running.url, teamsMessage('langue klingon'));
    expect(res.body.activities?.[0].text).toMatch(/langue fr/);
  });

  it('welcomes once on installation with the help card (Teams sends two events)', async () => {
    const conversation = { id: 'a:fictional-install', conversationType: 'personal' };
    const res = await post(running.url, { ...teamsMessage(undefined, { conversation }), type: 'installationUpdate', action: 'add' });
    expect(res.status).toBe(200);
    expect(cardsOf(res.body.activities)).toHaveLength(1);
    const again = await post(running.url, {
      ...teamsMessage(undefined, { conversation }),
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:bot-id' }],
    });
    expect(again.status).toBe(200);
    expect(cardsOf(again.body.activities)).toHaveLength(0);
  });

  it('stores the conversation reference on a message and forgets it when the bot is removed', async () => {
    const conversation = { id: 'a:fictional-ref-test', conversationType: 'personal', tenantId: '11111111-1111-4111-8111-111111111111' };
    await post(running.url, teamsMessage('aide', { conversation }));
    expect(await running.app.references.get(conversation.id)).toMatchObject({ conversation: { id: conversation.id } });
    const removed = await post(running.url, { ...teamsMessage(undefined, { conversation }), type: 'installationUpdate', action: 'remove' });
    expect(removed.status).toBe(200);
    expect(await running.app.references.get(conversation.id)).toBeNull();
  });

  it('refuses invalid JSON with 400', async () => {
    const res = await post(running.url, '{"type": "message",');
    expect(res.status).toBe(400);
  });

  it('refuses a JSON body that is not an activity with 400', async () => {
    expect((await post(running.url, [1, 2])).status).toBe(400);
    expect((await post(running.url, { hello: 'world' })).status).toBe(400);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await post(running.url, teamsMessage('x'.repeat(300 * 1024)));
    expect(res.status).toBe(413);
  });

  it('GET /healthz reports the database and the scheduler', async () => {
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'up', scheduler: 'running' });
  });
});

describe('POST /api/messages with an app id (authentication on)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({
      MicrosoftAppId: '22222222-2222-4222-8222-222222222222',
      MicrosoftAppPassword: 'fictional-secret',
      MicrosoftAppType: 'MultiTenant',
    });
  });
  afterAll(async () => running.close());

  it('returns 401 for a request without a Bot Framework token and never processes it', async () => {
    const conversation = { id: 'a:fictional-unsigned', conversationType: 'personal' };
    const res = await post(running.url, teamsMessage('aide', { conversation }));
    expect(res.status).toBe(401);
    expect(res.body.activities).toBeUndefined();
    expect(await running.app.references.get(conversation.id)).toBeNull();
  });

  it('returns 401 for a forged bearer token', async () => {
    const res = await post(running.url, teamsMessage('aide'), { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged' });
    expect(res.status).toBe(401);
  });
});

describe('tenant allow-list', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({ ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111' });
  });
  afterAll(async () => running.close());

  it('accepts the allowed tenant', async () => {
    expect((await post(running.url, teamsMessage('aide'))).status).toBe(200);
  });

  it('refuses another tenant with 403 without processing', async () => {
    const other = '33333333-3333-4333-8333-333333333333';
    const conversation = { id: 'a:fictional-other-tenant', conversationType: 'personal', tenantId: other };
    const res = await post(running.url, teamsMessage('aide', { conversation, channelData: { tenant: { id: other } } }));
    expect(res.status).toBe(403);
    expect(await running.app.references.get(conversation.id)).toBeNull();
  });
});

describe('healthz when the database is gone', () => {
  it('returns 503', async () => {
    const running = await startTestApp();
    await running.app.conn.close();
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ db: 'down' });
    await running.app.http.drain(100);
    await running.app.scheduler.stop();
  });
});
