// Named settings (e.g. the coordination conversation), last write wins.
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../models/db';
import type { Setting } from '../models/setting';
import type { Clock } from './clock';

export const COORDINATION_CONVERSATION = 'coordinationConversationId';
export const COORDINATION_LOCALE = 'coordinationLocale';

export class SettingsService {
  constructor(
    private readonly model: Model<Setting>,
    private readonly clock: Clock,
  ) {}

  async get(key: string): Promise<string | null> {
    return (await this.model.findOne({ key }).lean())?.value ?? null;
  }

  async set(key: string, value: string, by: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.model.updateOne({ key }, { $set: { value, updatedBy: by, updatedAt: this.clock.now() } }, { upsert: true });
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }
}
