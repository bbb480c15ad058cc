// Asks the database how it would run a query, so a test can prove that a hot path reads through
// an index instead of the whole collection. On the embedded database (FerretDB on PostgreSQL),
// FerretDB turns a top-level equality on a scalar (`{field: value}` or `{field: {$eq: value}}`)
// into SQL; `$in`, ranges, `$or`, `null`, arrays, sub-documents and dotted paths stay in FerretDB,
// which then reads and decodes every document. An indexed field gets a GIN index its SQL can use
// (tools/ferretdb), so "pushed down on an indexed field" means an index scan in the plan.
import type { Collection, Document, Filter } from 'mongodb';

export interface QueryPlan {
  /** The database's own explain output (PostgreSQL's plan under `queryPlanner` on FerretDB). */
  raw: Document;
  /** FerretDB pushed (part of) the filter down to SQL. Undefined on a server that does not say (MongoDB). */
  pushedDown?: boolean;
  /** The plan reads through an index (PostgreSQL index scan, or MongoDB IXSCAN / IDHACK / EXPRESS). */
  indexed: boolean;
  /** Names of the indexes the plan uses, when the server gives them. */
  indexes: string[];
}

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node as Record<string, unknown>).forEach((v) => walk(v, visit));
  }
}

export async function explainFind<T extends Document>(collection: Collection<T>, filter: Filter<T>): Promise<QueryPlan> {
  const raw = await collection.db.command({ explain: { find: collection.collectionName, filter }, verbosity: 'queryPlanner' });
  const indexes: string[] = [];
  let indexed = false;
  walk(raw.queryPlanner, (n) => {
    const type = String(n['Node Type'] ?? n.stage ?? '');
    if (/Index/.test(type) || /IXSCAN|IDHACK|EXPRESS/.test(type)) indexed = true;
    const name = n['Index Name'] ?? n.indexName;
    if (typeof name === 'string') indexes.push(name);
  });
  return { raw, pushedDown: typeof raw.filterPushdown === 'boolean' ? raw.filterPushdown : undefined, indexed, indexes };
}
