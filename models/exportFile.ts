// A generated export (CSV + XLSX of concertation records) waiting to be downloaded through
// GET /exports/<token>.<csv|xlsx>. The token is random (128 bits) and expires after a few minutes;
// expired files are deleted on the next export (no TTL index on FerretDB v1). Anonymised content.
import { Connection, Model, Schema } from 'mongoose';

export interface ExportFile {
  token: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  baseName: string;
  csv: Buffer;
  xlsx: Buffer;
  rows: number;
}

const schema = new Schema<ExportFile>(
  {
    token: { type: String, required: true, unique: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    baseName: { type: String, required: true },
    csv: { type: Buffer, required: true },
    xlsx: { type: Buffer, required: true },
    rows: { type: Number, required: true },
  },
  { collection: 'exportFiles', versionKey: false, minimize: false },
);

export function exportFileModel(conn: Connection): Model<ExportFile> {
  return (conn.models.ExportFile as Model<ExportFile> | undefined) ?? conn.model<ExportFile>('ExportFile', schema);
}
