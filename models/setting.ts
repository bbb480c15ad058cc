// Small named settings, e.g. which Teams conversation is the coordination's.
import { Connection, Model, Schema } from 'mongoose';

export interface Setting {
  key: string;
  value: string;
  updatedBy: string;
  updatedAt: Date;
}

const schema = new Schema<Setting>(
  {
    key: { type: String, required: true, unique: true },
    value: { type: String, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'settings', versionKey: false },
);

export function settingModel(conn: Connection): Model<Setting> {
  return (conn.models.Setting as Model<Setting> | undefined) ?? conn.model<Setting>('Setting', schema);
}
