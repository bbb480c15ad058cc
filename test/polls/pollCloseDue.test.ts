// The deadline sweep reads the short list of open polls (openPolls), not every poll ever made:
// a poll is listed while open, off the list once closed, listed again when a new deadline reopens
// it, and the open polls of a database from before the list are found once.
import type { Connection } from 'mongoose';
import { createModels, initModels, Models } from '../../models';
import { connectDatabase } from '../../models/db';
import type { PollDoc } from '../../models/poll';
import { ManualClock } from '../../services/clock';
import { NewPollInput, PollService } from '../../services/polls';
import { testMongoUri, uniqueDbName } from '../support/db';
import { localIn } from './support';

const DAY = 86_400_000;
const ORGANISER = { aadObjectId: '00000000-0000-4000-8000-0000000000a1', teamsUserId: '29:fictional-organiser', name: 'Alex Test', email: null };

function input(trackingId: string, deadlineDays: number): NewPollInput {
  const deadline = localIn(deadlineDays, 18);
  const slots = [localIn(deadlineDays + 6, 10), localIn(deadlineDays + 7, 14)];
  return {
    trackingId,
    conversationId: null,
    organiser: ORGANISER,
    locale: 'fr',
    slots: slots.map((slot) => ({ start: `${slot.date}T${slot.time}`, durationMinutes: 60 })),
    place: { kind: 'room', details: '' },
    deadline: `${deadline.date}T${deadline.time}`,
    participants: [{ aadObjectId: '00000000-0000-4000-8000-000000100001', teamsUserId: null, name: 'Participant Test 1', email: null, required: true, external: false }],
  };
}

describe('poll deadline sweep', () => {
  let conn: Connection;
  let models: Models;
  const clock = new ManualClock();
  let polls: PollService;

  beforeAll(async () => {
    conn = await connectDatabase(testMongoUri(), uniqueDbName('pollsweep'));
    models = createModels(conn);
    await initModels(models);
    polls = new PollService(models.polls, models.pollAnswers, models.pollNotices, clock);
  });
  afterAll(async () => {
    await conn.db?.dropDatabase();
    await conn.close();
  });

  const listed = async () => (await conn.db!.collection('openPolls').find({}).toArray()).map((d) => String(d._id)).filter((id) => !id.startsWith('~'));
  const created = async (trackingId: string, deadlineDays: number): Promise<PollDoc> => {
    const r = await polls.create(input(trackingId, deadlineDays), ORGANISER.aadObjectId);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.value;
  };

  it('closes a listed poll at its deadline and takes it off the list; a reopened one is listed and closed again', async () => {
    const poll = await created('CMD-2026-0901', 2);
    expect(await listed()).toEqual([poll.pollId]);
    expect(await polls.closeDue()).toEqual([]);

    clock.advance(3 * DAY);
    expect((await polls.closeDue()).map((p) => p.pollId)).toEqual([poll.pollId]);
    expect((await polls.get(poll.pollId))!.status).toBe('closed');
    expect(await listed()).toEqual([]);
    expect(await polls.closeDue()).toEqual([]);

    // A new deadline opens it again: listed again, closed again once that one passes.
    const later = localIn(5, 18);
    const extended = await polls.extendDeadline(poll.pollId, `${later.date}T${later.time}`, ORGANISER.aadObjectId);
    expect(extended.ok && extended.value.status).toBe('open');
    expect(await listed()).toEqual([poll.pollId]);
    expect(await polls.closeDue()).toEqual([]);
    clock.advance(3 * DAY);
    expect((await polls.closeDue()).map((p) => p.pollId)).toEqual([poll.pollId]);
    expect(await listed()).toEqual([]);
    clock.advance(-6 * DAY);
  });

  it('a decided poll leaves the list at the next sweep without being closed', async () => {
    const poll = await created('CMD-2026-0902', 2);
    expect((await polls.choose(poll.pollId, 's1', ORGANISER.aadObjectId)).ok).toBe(true);
    clock.advance(3 * DAY);
    expect(await polls.closeDue()).toEqual([]);
    expect(await listed()).toEqual([]);
    expect((await polls.get(poll.pollId))!.status).toBe('decided');
    clock.advance(-3 * DAY);
  });

  it('finds, once, the open polls of a database from before the list', async () => {
    // Revisions written as before the list existed: one open poll, one closed one.
    const base = (await created('CMD-2026-0903', 2)) as PollDoc & { _id?: unknown };
    const older = { ...base, pollId: 'fictional-older-poll', trackingId: 'CMD-2026-0904' };
    delete older._id;
    await models.polls.create(older);
    await models.polls.create({ ...older, pollId: 'fictional-older-closed', rev: 1 });
    await models.polls.create({ ...older, pollId: 'fictional-older-closed', rev: 2, status: 'closed' });
    await conn.db!.collection('openPolls').deleteMany({});

    const restarted = new PollService(models.polls, models.pollAnswers, models.pollNotices, clock);
    clock.advance(3 * DAY);
    expect((await restarted.closeDue()).map((p) => p.pollId).sort()).toEqual([base.pollId, 'fictional-older-poll'].sort());
    expect(await listed()).toEqual([]);

    // Marked done for the database: another process does not read every poll again.
    const distinct = jest.spyOn(models.polls, 'distinct');
    try {
      expect(await new PollService(models.polls, models.pollAnswers, models.pollNotices, clock).closeDue()).toEqual([]);
      expect(distinct).not.toHaveBeenCalled();
    } finally {
      distinct.mockRestore();
      clock.advance(-3 * DAY);
    }
  });
});
