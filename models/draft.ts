// The requester's unfinished admissibility sheet: one per requester, saved after every answer so it
// survives restarts and a requester who comes back days later (until it expires).
import { Connection, Model, Schema } from 'mongoose';

export interface RequestDraft {
  requesterAadObjectId: string;
  conversationId: string;
  answers: Record<string, unknown>; // nested partial AdmissibilityAnswers
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<RequestDraft>(
  {
    requesterAadObjectId: { type: String, required: true, unique: true },
    conversationId: { type: String, required: true },
    answers: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true, index: true },
  },
  { collection: 'requestDrafts', versionKey: false, minimize: false },
);

export function draftModel(conn: Connection): Model<RequestDraft> {
  return (conn.models.RequestDraft as Model<RequestDraft> | undefined) ?? conn.model<RequestDraft>('RequestDraft', schema);
}
