// The one Teams roster reader: who is in the conversation, or null when Teams fails or is slow
// (the request in flight is then abandoned, not left running).
import type { TurnContext } from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';
import { readMember, readRoster } from '../../bot/roster';
import { FakeConnector } from '../support/fakeConnector';

const KEY = Symbol('connectorClient');
const CONVERSATION = '19:fictional-case-chat@thread.v2';

describe('readRoster', () => {
  let fake: FakeConnector;
  let context: TurnContext;

  beforeAll(async () => {
    fake = await FakeConnector.start();
    const client = new ConnectorClient({ signRequest: async (r: unknown) => r } as never, { baseUri: fake.url });
    context = {
      adapter: { ConnectorClientKey: KEY },
      turnState: new Map<symbol, unknown>([[KEY, client]]),
      activity: { conversation: { id: CONVERSATION }, recipient: { id: '28:bot-id' }, serviceUrl: fake.url },
    } as unknown as TurnContext;
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('reads the people of the conversation, without the bot, keeping those without an AAD id', async () => {
    fake.setMembers(
      [
        { id: '28:bot-id', name: 'CMD bot' },
        { id: '29:olivia', aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Olivia Organisatrice', email: 'olivia@example.org' },
        { id: '29:guest', name: 'Gaston Invité' },
      ],
      CONVERSATION,
    );
    expect(await readRoster(context)).toEqual([
      { teamsUserId: '29:olivia', aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Olivia Organisatrice', email: 'olivia@example.org' },
      { teamsUserId: '29:guest', aadObjectId: null, name: 'Gaston Invité', email: null },
    ]);
    expect(fake.requests.filter((r) => r.operation === 'getPagedMembers').map((r) => r.conversationId)).toEqual([CONVERSATION]);
  });

  it('gives up at its timeout when Teams does not answer, and abandons the request', async () => {
    fake.setMembers([{ id: '29:olivia', name: 'Olivia' }], CONVERSATION);
    fake.failNext(1, { hang: true }, { operations: ['getPagedMembers'] });
    const started = performance.now();
    expect(await readRoster(context, { timeoutMs: 300 })).toBeNull();
    expect(performance.now() - started).toBeLessThan(5000);
    // The hung request was aborted by the client: the fake no longer holds it open.
    await waitFor(() => fake.hangingCount() === 0);
  });

  it('is null when Teams keeps failing (the client has retried)', async () => {
    fake.failNext(10, { status: 500 }, { operations: ['getPagedMembers'] });
    expect(await readRoster(context)).toBeNull();
  });

  it('reads one member (name and e-mail), or null when Teams is slow', async () => {
    fake.setMembers([{ id: '29:alex', aadObjectId: '00000000-0000-4000-8000-0000000000b2', name: 'Alex Test', email: 'alex@example.org' }], CONVERSATION);
    expect(await readMember(context, '29:alex')).toEqual({ name: 'Alex Test', email: 'alex@example.org' });
    fake.failNext(1, { hang: true }, { operations: ['getMember'] });
    expect(await readMember(context, '29:alex', 300)).toBeNull();
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}
