// Unfinished admissibility sheets: one per requester, saved after each answer, dropped on expiry.
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../models/db';
import type { RequestDraft } from '../models/draft';
import type { Clock } from './clock';

export interface DraftSnapshot {
  answers: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type DraftLoad = { status: 'none' } | { status: 'expired'; createdAt: Date } | { status: 'found'; draft: DraftSnapshot };

export class DraftStore {
  constructor(
    private readonly model: Model<RequestDraft>,
    private readonly clock: Clock,
    private readonly expiryDays: number,
  ) {}

  private expiresBefore(): Date {
    return new Date(this.clock.now().getTime() - this.expiryDays * 86400000);
  }

  async load(requesterAadObjectId: string): Promise<DraftLoad> {
    const doc = await this.model.findOne({ requesterAadObjectId }).lean();
    if (!doc) return { status: 'none' };
    if (doc.updatedAt < this.expiresBefore()) {
      await this.model.deleteOne({ requesterAadObjectId });
      return { status: 'expired', createdAt: doc.createdAt };
    }
    return { status: 'found', draft: { answers: doc.answers ?? {}, createdAt: doc.createdAt, updatedAt: doc.updatedAt } };
  }

  /** One draft per requester: the unique index settles a race between two first saves. */
  async save(requesterAadObjectId: string, conversationId: string, answers: Record<string, unknown>): Promise<void> {
    const now = this.clock.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.model.updateOne(
          { requesterAadObjectId },
          { $set: { answers, conversationId, updatedAt: now }, $setOnInsert: { createdAt: now } },
          { upsert: true },
        );
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }

  async discard(requesterAadObjectId: string): Promise<void> {
    await this.model.deleteOne({ requesterAadObjectId });
  }

  /** Retention: drafts nobody touched for longer than the expiry. Returns how many were removed. */
  async purgeExpired(): Promise<number> {
    const res = await this.model.deleteMany({ updatedAt: { $lt: this.expiresBefore() } });
    return res.deletedCount ?? 0;
  }
}
