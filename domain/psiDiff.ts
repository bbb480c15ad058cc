/**
 * Differences between two versions of the PSI "evolving synthesis" (seed 001 annex 2 §6: what?,
 * how?, by/with whom?, priority — when?, urgent contact), to tell the person and the consented
 * professionals what changed after a concertation.
 *
 * Decisions: rows are matched by id (not position), so reordering is not a change; text is
 * compared after normalising line endings, Unicode form (NFC) and surrounding whitespace, so
 * re-saving a card does not produce false "changed" rows.
 */

export interface PsiActionRow {
  id: string;
  what: string;
  how: string;
  byWhom: string;
  priorityWhen: string;
  urgentContact: boolean;
}

export type PsiField = Exclude<keyof PsiActionRow, 'id'>;
/** Display order of the PSI columns. */
export const PSI_FIELDS: readonly PsiField[] = ['what', 'how', 'byWhom', 'priorityWhen', 'urgentContact'];

export interface PsiRowChange {
  id: string;
  fields: PsiField[];
  before: PsiActionRow;
  after: PsiActionRow;
}

export interface PsiDiff {
  /** In the order of the new version. */
  added: PsiActionRow[];
  /** In the order of the old version. */
  removed: PsiActionRow[];
  /** In the order of the new version; fields in PSI column order. */
  changed: PsiRowChange[];
}

/** Two rows with the same id in one version: a storage bug, not a user situation. */
export class PsiDiffError extends Error {
  constructor(public readonly code: 'duplicateRowId', public readonly rowId: string) {
    super(`${code}:${rowId}`);
    this.name = 'PsiDiffError';
  }
}

const normaliseText = (s: string): string => s.replace(/\r\n?/g, '\n').normalize('NFC').trim();

function sameValue(field: PsiField, a: PsiActionRow, b: PsiActionRow): boolean {
  return field === 'urgentContact' ? a[field] === b[field] : normaliseText(a[field]) === normaliseText(b[field]);
}

function indexById(rows: PsiActionRow[]): Map<string, PsiActionRow> {
  const map = new Map<string, PsiActionRow>();
  for (const row of rows) {
    if (map.has(row.id)) throw new PsiDiffError('duplicateRowId', row.id);
    map.set(row.id, row);
  }
  return map;
}

export function diffPsiRows(before: PsiActionRow[], after: PsiActionRow[]): PsiDiff {
  const oldById = indexById(before);
  const newById = indexById(after);
  const added: PsiActionRow[] = [];
  const changed: PsiRowChange[] = [];
  for (const row of after) {
    const old = oldById.get(row.id);
    if (!old) {
      added.push(row);
      continue;
    }
    const fields = PSI_FIELDS.filter((f) => !sameValue(f, old, row));
    if (fields.length > 0) changed.push({ id: row.id, fields, before: old, after: row });
  }
  const removed = before.filter((row) => !newById.has(row.id));
  return { added, removed, changed };
}

export const isEmptyDiff = (d: PsiDiff): boolean =>
  d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
