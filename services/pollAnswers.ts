// Poll answers: one document per answer-set version of a participant, never an update
// (models/pollAnswer.ts). The latest version is the participant's answer.
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../models/db';
import type { PollAnswerDoc } from '../models/pollAnswer';

export type NewAnswerSet = Omit<PollAnswerDoc, 'version'>;

export class PollAnswerStore {
  constructor(private readonly answers: Model<PollAnswerDoc>) {}

  /** Latest answer set of every participant, decided by version (insert order), never by an update. */
  async latest(pollId: string): Promise<Map<string, PollAnswerDoc>> {
    const rows = (await this.answers.find({ pollId }).lean()) as PollAnswerDoc[];
    const latest = new Map<string, PollAnswerDoc>();
    for (const r of rows) {
      const known = latest.get(r.participantKey);
      if (!known || known.version < r.version) latest.set(r.participantKey, r);
    }
    return latest;
  }

  /**
   * Stores the set as the participant's next version. Two concurrent answers of one participant
   * get two versions (the loser takes the next number); a retried delivery (same requestKey) is
   * stored once ('duplicate').
   */
  async add(set: NewAnswerSet): Promise<'stored' | 'duplicate' | 'conflict'> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const last = await this.answers.findOne({ pollId: set.pollId, participantKey: set.participantKey }).sort({ version: -1 }).select({ version: 1 }).lean();
      try {
        await this.answers.create({ ...set, version: (last?.version ?? 0) + 1 });
        return 'stored';
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        if (await this.answers.exists({ pollId: set.pollId, requestKey: set.requestKey })) return 'duplicate';
      }
    }
    return 'conflict';
  }
}
