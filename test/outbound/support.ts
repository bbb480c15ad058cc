// Shared by the outbound tests: one fake connector per test file, and the result a 403
// ConversationNotFound gives whatever sends it.
import { FakeConnector } from '../support/fakeConnector';

/**
 * Starts a fake connector for the file (beforeAll), resets it after each test and closes it at
 * the end. The returned object stands for that fake, so tests can hold it at module level.
 */
export function useFakeConnector(): FakeConnector {
  let started: FakeConnector | undefined;
  const current = (): FakeConnector => {
    if (!started) throw new Error('the fake connector starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    started = await FakeConnector.start();
  });
  afterEach(() => current().reset());
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as FakeConnector, {
    get(_, property) {
      const fake = current();
      const value: unknown = Reflect.get(fake, property, fake);
      return typeof value === 'function' ? value.bind(fake) : value;
    },
  });
}

/** What a send reports when the connector answers 403 ConversationNotFound on the first attempt. */
export const STALE_CONVERSATION_NOT_FOUND = {
  ok: false,
  outcome: 'stale',
  status: 403,
  code: 'ConversationNotFound',
  error: 'HTTP 403 (ConversationNotFound)',
  attempts: 1,
} as const;
