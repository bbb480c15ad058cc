// Logs are JSON and never carry message text, card values or names, even when handed whole objects.
import { Writable } from 'node:stream';
import { createLogger } from '../../bot/logger';

it('redacts message text, card values and personal fields', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = createLogger('info', sink as never);
  log.info({ activity: { text: 'Madame Jeanne Fictive', value: { answer: 'secret' }, from: { name: 'Alex Test' } }, requester: { email: 'a@example.org', phone: '0470 12 34 56' } }, 'turn');
  const out = lines.join('');
  expect(JSON.parse(out)).toMatchObject({ msg: 'turn' });
  for (const secret of ['Jeanne', 'secret', 'Alex Test', 'a@example.org', '0470']) expect(out).not.toContain(secret);
});
