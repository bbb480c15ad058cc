// The last-resort error handler logs where an error came from, never its message (which may quote the user).
import { Writable } from 'node:stream';
import { TurnContext } from 'botbuilder';
import { createAdapter } from '../../bot/adapter';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';

it('logs the error type and frames but not the message, and apologises in the user language', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (c, _e, done) => (lines.push(c.toString()), done()) });
  const adapter = createAdapter(loadConfig({}), createLogger('info', sink as never));
  const sent: string[] = [];
  const context = new TurnContext(adapter, { type: 'message', locale: 'nl-BE', conversation: { id: 'a:x' } as never, channelId: 'msteams' });
  context.onSendActivities(async (_ctx, activities) => {
    sent.push(...activities.map((a) => a.text ?? ''));
    return activities.map(() => ({ id: '1' }));
  });
  await adapter.onTurnError(context, new TypeError('Madame Jeanne Fictive refuse'));
  const out = lines.join('');
  expect(out).toContain('TypeError');
  expect(out).toContain('unhandled error in turn');
  expect(out).not.toContain('Jeanne');
  expect(sent.join(' ')).toMatch(/Sorry, er ging/);
});
