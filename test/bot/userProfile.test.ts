// A user's language choice must survive a turn of theirs that ran at the same time in another chat.
// Such a turn read no profile; had it saved one (a read with a default counts as a change), that
// unversioned write would have replaced the choice. So a turn that changes nothing writes nothing.
import { MongoClient } from 'mongodb';
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { testMongoUri } from '../support/db';

const user = { id: '29:fictional-profile-user', aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Sam Test' };
const group = { id: '19:fictional-profile-group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: '11111111-1111-4111-8111-111111111111' };

describe('the user profile (language choice)', () => {
  let running: RunningApp;
  let client: MongoClient;
  const profileDocs = () => client.db(running.dbName).collection('botState').countDocuments({ key: { $regex: `/users/${user.id}` } });

  beforeAll(async () => {
    running = await startTestApp();
    client = await MongoClient.connect(testMongoUri());
  });
  afterAll(async () => {
    await client?.close();
    await running?.close();
  });

  it('is not written by a turn that does not change it; it is by "langue"', async () => {
    const help = await post(running.url, teamsMessage('<at>CMD bot</at> aide', { from: user, conversation: group, locale: 'en-US' }));
    expect(help.status).toBe(200);
    expect(await profileDocs()).toBe(0);
    const chosen = await post(running.url, teamsMessage('langue nl', { from: user, conversation: { id: 'a:fictional-profile-personal', conversationType: 'personal' } }));
    expect(JSON.stringify(chosen.body.activities)).toMatch(/Nederlands/);
    expect(await profileDocs()).toBeGreaterThan(0);
    // The group chat now answers in the chosen language.
    const after = await post(running.url, teamsMessage('<at>CMD bot</at> aide', { from: user, conversation: group, locale: 'en-US' }));
    expect(JSON.stringify(after.body.activities)).toMatch(/Wat u mij kunt zeggen|Nieuwe aanvraag|nieuwe aanvraag/);
  });
});
