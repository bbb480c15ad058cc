// One document per saved version of a case's PSI (version 1, 2, …; unique per case). A save never
// changes an earlier version: two editors saving at once compete for the same version number and
// the loser re-reads and re-applies its edit (FerretDB v1: no transactions). The content is a
// JSON string (free text may hold "." or "$"); it is personal data and never logged.
import { Connection, Model, Schema } from 'mongoose';

export interface PsiVersion {
  trackingId: string;
  version: number;
  contentJson: string;
  /** What the save changed ("sections", "saveAction", …), for the version list and the audit. */
  change: string;
  authorAadObjectId: string;
  authorName: string;
  savedAt: Date;
}

const schema = new Schema<PsiVersion>(
  {
    trackingId: { type: String, required: true },
    version: { type: Number, required: true },
    contentJson: { type: String, required: true },
    change: { type: String, required: true },
    authorAadObjectId: { type: String, required: true },
    authorName: { type: String, default: '' },
    savedAt: { type: Date, required: true },
  },
  { collection: 'psiVersions', versionKey: false, minimize: false },
);
schema.index({ trackingId: 1, version: 1 }, { unique: true });

export function psiVersionModel(conn: Connection): Model<PsiVersion> {
  return (conn.models.PsiVersion as Model<PsiVersion> | undefined) ?? conn.model<PsiVersion>('PsiVersion', schema);
}

/**
 * The unpublished edits of a case's PSI: one per case (_id = tracking id, so every lookup is by
 * _id), shared by its editors. Each save bumps `rev` (compare-and-set: two editors saving at once
 * both land, one after the other); "publish" turns it into the next version and deletes it.
 */
export interface PsiDraft {
  _id: string;
  rev: number;
  /** The published version the draft started from (0: none). */
  baseVersion: number;
  contentJson: string;
  /** Kinds of edit since the last version ("sections", "saveAction", …), in order, without repeats. */
  changes: string[];
  updatedAt: Date;
  updatedBy: string;
  updatedByName: string;
}

const draftSchema = new Schema<PsiDraft>(
  {
    _id: { type: String, required: true },
    rev: { type: Number, required: true },
    baseVersion: { type: Number, required: true },
    contentJson: { type: String, required: true },
    changes: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
    updatedByName: { type: String, default: '' },
  },
  { collection: 'psiDrafts', versionKey: false, minimize: false },
);

export function psiDraftModel(conn: Connection): Model<PsiDraft> {
  return (conn.models.PsiDraft as Model<PsiDraft> | undefined) ?? conn.model<PsiDraft>('PsiDraft', draftSchema);
}
