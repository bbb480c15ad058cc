// Plants an identifier in every free-text field about the person, through the real chat, then
// scans every document of every collection: none of them may have been stored anywhere.
import { findIdentifiers } from '../../domain/anonymity';
import { askedFields, FIELDS, nextField } from '../../cards/requestFields';
import { post, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { STANDARD_ANSWERS } from '../support/sheet';

// One planted identifier per kind, all fictional.
const PLANTED = [
  'son NISS est 85.07.30-033.28',
  'joignable au 0470 12 34 56',
  'écrire à jeanne.fictive@example.org',
  'compte BE68 5390 0754 7034',
  'née le 12/03/1951',
  'habite rue de la Loi 16',
  'Madame Jeanne Fictive refuse',
];
const NEEDLES = ['85.07.30-033.28', '0470 12 34 56', 'jeanne.fictive@example.org', 'BE68 5390 0754 7034', '12/03/1951', 'rue de la Loi 16', 'Jeanne Fictive'];

it('stores none of the identifiers planted in the fields about the person', async () => {
  for (const p of PLANTED) expect(findIdentifiers(p).length).toBeGreaterThan(0);
  const fake = await FakeConnector.start();
  const from = { id: '29:fictional-scan', aadObjectId: 'd0000000-0000-4000-8000-00000000dead', name: 'Alex Test' };
  fake.setMembers([{ ...from, email: 'alex.test@example.org' }]);
  const conversation = { id: 'a:fictional-scan-chat', conversationType: 'personal' };
  const running = await startTestApp();
  const anonymousFieldIds = new Set(FIELDS.filter((f) => f.anonymous).map((f) => f.id));
  let refusals = 0;
  let plantedIndex = 0;
  try {
    // Walk the standard answers; before each answer to an anonymous field, first try an identifier.
    let currentField: string | null = null;
    for (const answer of STANDARD_ANSWERS) {
      if (currentField && anonymousFieldIds.has(currentField)) {
        const planted = PLANTED[plantedIndex++ % PLANTED.length];
        const refused = await post(running.url, teamsMessage(planted, { from, conversation, serviceUrl: fake.url }));
        expect(JSON.stringify(refused.body.activities)).toContain('anonyme');
        refusals++;
      }
      await post(running.url, teamsMessage(String(answer), { from, conversation, serviceUrl: fake.url }));
      const draft = await running.app.models.drafts.findOne({ requesterAadObjectId: from.aadObjectId }).lean();
      currentField = draft ? nextField(draft.answers)?.id ?? null : null;
    }
    const stored = await running.app.models.requests.find().lean();
    expect(stored).toHaveLength(1);
    // Every anonymous question that was asked got its planted identifier first (and refused it).
    expect(refusals).toBe(askedFields(stored[0].answers as never).filter((f) => f.anonymous).length);
    expect(refusals).toBeGreaterThanOrEqual(7);

    const db = running.app.conn.db!;
    const collections = await db.listCollections().toArray();
    expect(collections.length).toBeGreaterThan(4);
    for (const { name } of collections) {
      const dump = JSON.stringify(await db.collection(name).find({}).toArray());
      for (const needle of NEEDLES) expect(`${name}: ${dump.includes(needle) ? needle : 'clean'}`).toBe(`${name}: clean`);
    }
  } finally {
    await running.close();
    await fake.close();
  }
});
