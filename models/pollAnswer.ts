// Poll answers: ONE DOCUMENT PER ANSWER-SET VERSION of a participant, never an update.
// - unique (pollId, participantKey, version): two concurrent answers of one participant get two
//   versions (the loser retries with the next one), the latest version is the current answer;
// - unique (pollId, requestKey): a retried delivery of the same invoke (same activity id) is
//   stored once.
// 200 participants answering at once are 200 inserts on distinct keys: nothing can be lost.
import { Connection, Model, Schema } from 'mongoose';
import type { PollAnswer } from '../domain/pollRanking';

export interface SlotAnswer {
  slotId: string;
  answer: PollAnswer;
}

export interface PollAnswerDoc {
  pollId: string;
  participantKey: string;
  version: number;
  answers: SlotAnswer[];
  comment: string;
  /** AAD object id of who answered (the participant, or the organiser for an external). */
  by: string;
  /** Idempotency key: the invoke activity id (or a generated one). */
  requestKey: string;
  at: Date;
}

const schema = new Schema<PollAnswerDoc>(
  {
    pollId: { type: String, required: true },
    participantKey: { type: String, required: true },
    version: { type: Number, required: true },
    answers: {
      type: [new Schema<SlotAnswer>({ slotId: { type: String, required: true }, answer: { type: String, enum: ['yes', 'ifNeedBe', 'no'], required: true } }, { _id: false })],
      default: [],
    },
    comment: { type: String, default: '' },
    by: { type: String, required: true },
    requestKey: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'pollAnswers', versionKey: false },
);
schema.index({ pollId: 1, participantKey: 1, version: 1 }, { unique: true });
schema.index({ pollId: 1, requestKey: 1 }, { unique: true });

export function pollAnswerModel(conn: Connection): Model<PollAnswerDoc> {
  return (conn.models.PollAnswer as Model<PollAnswerDoc> | undefined) ?? conn.model<PollAnswerDoc>('PollAnswer', schema);
}

/** "Do this once" markers of the polls (everyone answered, auto-closed, invitation sent…): the insert is the lock. */
export interface PollNoticeDoc {
  pollId: string;
  kind: string;
  key: string;
  at: Date;
}

const noticeSchema = new Schema<PollNoticeDoc>(
  {
    pollId: { type: String, required: true },
    kind: { type: String, required: true },
    key: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { collection: 'pollNotices', versionKey: false },
);
noticeSchema.index({ pollId: 1, kind: 1, key: 1 }, { unique: true });

export function pollNoticeModel(conn: Connection): Model<PollNoticeDoc> {
  return (conn.models.PollNotice as Model<PollNoticeDoc> | undefined) ?? conn.model<PollNoticeDoc>('PollNotice', noticeSchema);
}
