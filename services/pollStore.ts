// Where polls are kept: a chain of revisions per poll (models/poll.ts), the newest one seen kept in
// process, and the list of open polls the deadline sweep reads. Correctness rests on inserts under
// the unique (pollId, rev) index, never on read-modify-write of a shared document.
import { LRUCache } from 'lru-cache';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../models/db';
import type { OpenPollDoc, PollDoc } from '../models/poll';

/** Polls whose newest revision is kept in process (a few hundred are open at once at most). */
const KNOWN_POLLS = 500;
/** In openPolls: the polls of a database from before that list are in it. */
const OPEN_POLLS_FILLED = '~filled';

function clean(doc: PollDoc & { _id?: unknown }): PollDoc {
  const { _id, ...rest } = doc;
  void _id;
  return rest as PollDoc;
}

export class PollStore {
  /**
   * The newest revision seen of recently used polls. A revision never changes once inserted, so
   * only newer ones need reading: a vote reads one indexed (pollId, rev + 1) probe that finds
   * nothing, instead of every revision of a poll whose participant list makes each large (decoding
   * them was most of a vote's database time on FerretDB).
   */
  private readonly newest = new LRUCache<string, PollDoc>({ max: KNOWN_POLLS });
  private openPollsFilled: Promise<void> | null = null;

  constructor(
    private readonly polls: Model<PollDoc>,
    private readonly openPolls: Model<OpenPollDoc>,
  ) {}

  /** The current revision (the caller's own copy), or null. */
  async get(pollId: string): Promise<PollDoc | null> {
    let current = this.newest.get(pollId);
    if (current) {
      // Revisions are numbered without gaps: any process's change is the next number.
      for (let next; (next = await this.polls.findOne({ pollId, rev: current.rev + 1 }).lean()); ) current = clean(next as PollDoc);
    } else {
      const doc = await this.polls.findOne({ pollId }).sort({ rev: -1 }).lean();
      if (!doc) return null;
      current = clean(doc as PollDoc);
    }
    this.newest.set(pollId, current);
    return structuredClone(current);
  }

  /** Current polls of a case, newest first. */
  async forTrackingId(trackingId: string): Promise<PollDoc[]> {
    const revs = (await this.polls.find({ trackingId }).sort({ rev: -1 }).lean()) as PollDoc[];
    const latest = new Map<string, PollDoc>();
    for (const r of revs) if (!latest.has(r.pollId)) latest.set(r.pollId, clean(r));
    return [...latest.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /**
   * Inserts a revision; false when another process inserted that revision number first (the
   * caller recomputes its change from the newer one).
   */
  async insert(doc: PollDoc, previous: PollDoc | null): Promise<boolean> {
    const reopened = !previous || previous.status !== 'open' || new Date(previous.deadlineUtc).getTime() !== new Date(doc.deadlineUtc).getTime();
    // Listed before the revision that opens it: a crash in between leaves a listed poll, never a lost one.
    if (doc.status === 'open' && reopened) await this.markOpen(doc.pollId, doc.deadlineUtc);
    try {
      await this.polls.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
    this.newest.set(doc.pollId, structuredClone(doc));
    return true;
  }

  /** The listed open polls whose deadline is `now` or earlier (the sweep re-checks each one's current revision). */
  async due(now: Date): Promise<OpenPollDoc[]> {
    await this.fillOpenPolls();
    return (await this.openPolls.find({}).lean()).filter((o) => o._id !== OPEN_POLLS_FILLED && new Date(o.deadlineUtc).getTime() <= now.getTime());
  }

  /** After the sweep looked at a listed poll: off the list once no longer open, listed again under a moved deadline. */
  async relist(listed: OpenPollDoc, current: PollDoc | null): Promise<void> {
    // The deadline in the filter keeps a reopening (new deadline) listed.
    if (!current || current.status !== 'open') await this.openPolls.deleteOne({ _id: listed._id, deadlineUtc: listed.deadlineUtc });
    else if (new Date(current.deadlineUtc).getTime() !== new Date(listed.deadlineUtc).getTime()) await this.markOpen(listed._id, current.deadlineUtc);
  }

  /** Lists the poll among those the deadline sweep looks at. */
  private async markOpen(pollId: string, deadlineUtc: Date): Promise<void> {
    try {
      await this.openPolls.updateOne({ _id: pollId }, { $set: { deadlineUtc } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // a concurrent first write: the poll is listed
    }
  }

  /** Once per database: lists the open polls made before openPolls existed (a full read, then never again). */
  private fillOpenPolls(): Promise<void> {
    this.openPollsFilled ??= (async () => {
      if (await this.openPolls.exists({ _id: OPEN_POLLS_FILLED })) return;
      const ids: string[] = await this.polls.distinct('pollId', { status: 'open' });
      for (const pollId of ids) {
        const current = await this.get(pollId);
        if (current?.status === 'open') await this.markOpen(pollId, current.deadlineUtc);
      }
      await this.markOpen(OPEN_POLLS_FILLED, new Date(0));
    })().catch((err: unknown) => {
      this.openPollsFilled = null;
      throw err;
    });
    return this.openPollsFilled;
  }
}
