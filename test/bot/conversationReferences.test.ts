// Conversation references on the real (test) database: keyed by conversation id, one write per
// changed reference (not per turn), the 1:1 conversation found by user, documents of the earlier
// shape converted at start, and two instances on one database.
import mongoose, { Connection, Types } from 'mongoose';
import type { Activity } from 'botbuilder';
import { ConversationReferences } from '../../bot/conversationReferences';
import { conversationReferenceModel, ConversationReferenceModel } from '../../models/conversationReference';
import { testMongoUri, uniqueDbName } from '../support/db';

const TENANT = '11111111-1111-4111-8111-111111111111';
const ALEX = { id: '29:fictional-alex', aadObjectId: '00000000-0000-4000-8000-00000000a1e1', name: 'Alex Test' };
const SAM = { id: '29:fictional-sam', aadObjectId: '00000000-0000-4000-8000-00000000a1e2', name: 'Sam Test' };
let seq = 0;

function message(conversation: { id: string; conversationType: string }, from = ALEX, over: Partial<Activity> = {}): Partial<Activity> {
  return {
    type: 'message',
    id: `act-${++seq}`,
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.invalid/emea/',
    from,
    recipient: { id: '28:bot-id', name: 'CMD bot' },
    conversation: { ...conversation, tenantId: TENANT, isGroup: conversation.conversationType !== 'personal' } as Activity['conversation'],
    channelData: { tenant: { id: TENANT } },
    locale: 'fr-BE',
    ...over,
  };
}
const personal = (who: { aadObjectId: string }) => ({ id: `a:fictional-personal-${who.aadObjectId}`, conversationType: 'personal' });
const group = { id: '19:fictional-group-refs@thread.v2', conversationType: 'groupChat' };

describe('conversation references', () => {
  let conn: Connection;
  let model: ConversationReferenceModel;
  let refs: ConversationReferences;

  beforeAll(async () => {
    conn = await mongoose.createConnection(testMongoUri(), { dbName: uniqueDbName('refs') }).asPromise();
    model = conversationReferenceModel(conn);
    await model.init();
    refs = new ConversationReferences(model);
  });
  afterAll(async () => {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  });

  it('stores one document per conversation under its id, without the last activity id', async () => {
    await refs.remember(message(personal(ALEX)));
    const doc = await model.findOne({ _id: personal(ALEX).id }).lean();
    expect(doc).toMatchObject({ conversationId: personal(ALEX).id, kind: 'personal', userAadObjectId: ALEX.aadObjectId, stale: false });
    expect(JSON.parse(doc!.referenceJson).activityId).toBeUndefined();
    expect(await refs.get(personal(ALEX).id)).toMatchObject({ conversation: { id: personal(ALEX).id }, user: { aadObjectId: ALEX.aadObjectId } });
    expect(await refs.personalFor(ALEX.aadObjectId)).toMatchObject({ conversation: { id: personal(ALEX).id } });
    expect(await refs.personalFor(SAM.aadObjectId)).toBeNull();
  });

  it('writes nothing for a later turn of an unchanged conversation (activity id and, in groups, speaker aside)', async () => {
    await refs.remember(message(group, ALEX));
    const writes = jest.spyOn(model, 'updateOne');
    try {
      await refs.remember(message(personal(ALEX)));
      await refs.remember(message(group, ALEX));
      await refs.remember(message(group, SAM, { locale: 'nl-BE' }));
      expect(writes).not.toHaveBeenCalled();
      // A change (a new serviceUrl) is written.
      await refs.remember(message(personal(ALEX), ALEX, { serviceUrl: 'https://smba.example.invalid/amer/' }));
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
    }
    expect(await refs.get(personal(ALEX).id)).toMatchObject({ serviceUrl: 'https://smba.example.invalid/amer/' });
  });

  it('a stale 1:1 conversation is not offered; the next message from there clears the flag', async () => {
    await refs.markStale(personal(ALEX).id, 'bot removed');
    expect(await refs.personalFor(ALEX.aadObjectId)).toBeNull();
    await refs.remember(message(personal(ALEX)));
    expect(await refs.personalFor(ALEX.aadObjectId)).not.toBeNull();
  });

  it('with two instances: one marks the conversation stale, the other clears it on the install event', async () => {
    const other = new ConversationReferences(model);
    await refs.remember(message(personal(SAM), SAM));
    await other.markStale(personal(SAM).id, 'bot removed');
    expect(await refs.personalFor(SAM.aadObjectId)).toBeNull();
    // This instance wrote the same reference moments ago; Teams' install event still writes it.
    await refs.remember(message(personal(SAM), SAM, { type: 'installationUpdate', action: 'add' } as Partial<Activity>));
    expect(await other.personalFor(SAM.aadObjectId)).toMatchObject({ conversation: { id: personal(SAM).id } });
  });

  it('forget removes the conversation; the 1:1 lookup then finds nothing', async () => {
    await refs.forget(personal(SAM).id);
    expect(await refs.get(personal(SAM).id)).toBeNull();
    expect(await refs.personalFor(SAM.aadObjectId)).toBeNull();
  });

  it('a process that has not seen a turn finds a live conversation by its pointer, never a stale one', async () => {
    await refs.remember(message(group, ALEX));
    const scans = jest.spyOn(model, 'findOne');
    try {
      const started = new ConversationReferences(model);
      await started.ready();
      expect(await started.anyReference()).toMatchObject({ serviceUrl: expect.any(String), bot: { id: '28:bot-id' } });
      // Found by `_id` (the pointer's conversation), not by a filter on `stale` over every conversation.
      expect(scans.mock.calls.map(([filter]) => Object.keys(filter ?? {}))).toEqual([['_id']]);
    } finally {
      scans.mockRestore();
    }
    const pointed = (await conn.db!.collection('conversationReferencesByUser').findOne({ _id: '~live' as never }))!.conversationId as string;
    await refs.markStale(pointed, 'bot removed');
    const reference = await new ConversationReferences(model).anyReference();
    expect(reference?.conversation?.id).not.toBe(pointed);
    await refs.remember(message({ id: pointed, conversationType: pointed.startsWith('a:') ? 'personal' : 'groupChat' }, ALEX));
  });

  it('converts documents of the earlier shape (generated _id, found by conversationId) at start', async () => {
    const dbName = uniqueDbName('refsold');
    const oldConn = await mongoose.createConnection(testMongoUri(), { dbName }).asPromise();
    try {
      const raw = oldConn.db!.collection('conversationReferences');
      const old = (conversationId: string, kind: string, user: typeof ALEX | null, at: number, stale = false) => ({
        _id: new Types.ObjectId(),
        conversationId,
        kind,
        tenantId: TENANT,
        userAadObjectId: user?.aadObjectId ?? null,
        serviceUrl: 'https://smba.example.invalid/emea/',
        channelId: 'msteams',
        referenceJson: JSON.stringify({ activityId: 'act-old', conversation: { id: conversationId }, user, bot: { id: '28:bot-id' }, serviceUrl: 'https://smba.example.invalid/emea/', channelId: 'msteams' }),
        locale: 'nl-BE',
        stale,
        staleReason: stale ? 'bot removed' : null,
        updatedAt: new Date(at),
      });
      await raw.insertMany([old(personal(ALEX).id, 'personal', ALEX, 1000), old(group.id, 'groupChat', null, 2000), old(personal(SAM).id, 'personal', SAM, 3000, true)]);
      await raw.createIndex({ conversationId: 1 }, { unique: true });

      const oldModel = conversationReferenceModel(oldConn);
      await oldModel.init();
      const started = new ConversationReferences(oldModel);
      expect(await started.personalFor(ALEX.aadObjectId)).toMatchObject({ conversation: { id: personal(ALEX).id } });
      expect(await started.get(group.id)).toMatchObject({ conversation: { id: group.id } });
      expect((await started.get(group.id))!.activityId).toBeUndefined();
      expect(await started.personalFor(SAM.aadObjectId)).toBeNull(); // stale stays stale
      const ids = (await raw.find({}).toArray()).map((d) => d._id).sort();
      expect(ids).toEqual([group.id, personal(ALEX).id, personal(SAM).id].sort());
      // A second instance finds the conversion marked done (no scan), and the documents still work.
      expect(await oldConn.db!.collection('conversationReferencesByUser').countDocuments({ _id: '~migrated' as never })).toBe(1);
      await new ConversationReferences(oldModel).ready();
      expect(await raw.countDocuments({})).toBe(3);
      await started.remember(message(personal(SAM), SAM));
      expect(await started.personalFor(SAM.aadObjectId)).toMatchObject({ conversation: { id: personal(SAM).id } });
    } finally {
      await oldConn.dropDatabase().catch(() => undefined);
      await oldConn.close();
    }
  });
});
