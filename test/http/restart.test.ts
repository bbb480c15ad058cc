// A conversation started against one bot instance continues against a fresh one on the same database.
import { post, startTestApp, teamsMessage } from '../support/app';
import { uniqueDbName } from '../support/db';

it('keeps user and conversation state across a restart', async () => {
  const dbName = uniqueDbName('restart');
  const conversation = { id: 'a:fictional-restart', conversationType: 'personal' };
  const from = { id: '29:fictional-restart-user', aadObjectId: '00000000-0000-4000-8000-0000000000aa', name: 'Restart Test' };

  const first = await startTestApp({}, { dbName });
  await post(first.url, teamsMessage('language en', { conversation, from, locale: 'fr-BE' }));
  await first.close();

  const second = await startTestApp({}, { dbName });
  try {
    const res = await post(second.url, teamsMessage('aide', { conversation, from, locale: 'fr-BE' }));
    expect(JSON.stringify(res.body.activities)).toContain('new request');
    expect(await second.app.references.get(conversation.id)).not.toBeNull();
  } finally {
    await second.close();
  }
});
