// Append-only audit trail: who did what, when, to which anonymised subject. Never personal data.
import { Connection, Model, Schema } from 'mongoose';

export interface AuditEntry {
  at: Date;
  actor: string; // AAD object id, or "system"
  action: string; // e.g. "request.decided", "member.roles"
  subject: string; // tracking id, member id…
  details: Record<string, unknown>;
}

const schema = new Schema<AuditEntry>(
  {
    at: { type: Date, required: true, index: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    subject: { type: String, required: true, index: true },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'auditTrail', versionKey: false, minimize: false },
);

export function auditModel(conn: Connection): Model<AuditEntry> {
  return (conn.models.AuditEntry as Model<AuditEntry> | undefined) ?? conn.model<AuditEntry>('AuditEntry', schema);
}
