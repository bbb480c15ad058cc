// Where personal data ended up: every document of every collection is walked and each planted
// string (a fictional name, a national number, the PSI's words…) is reported with the collection
// and field path it was found in. The story's test then compares that with where it may be.
import { Db, MongoClient } from 'mongodb';

export interface Sighting {
  needle: string;
  collection: string;
  path: string;
}

const normalise = (s: string) => s.normalize('NFC').toLowerCase();

function walk(value: unknown, path: string, visit: (path: string, text: string) => void): void {
  if (typeof value === 'string') visit(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    // Binary data (stored files, exports) is read as text too: a name in an .xlsx cell is still there.
    const bytes = (value as { buffer?: unknown }).buffer;
    if ((value as { _bsontype?: string })._bsontype === 'Binary' && bytes instanceof Uint8Array) {
      visit(path, Buffer.from(bytes).toString('latin1'));
      return;
    }
    if ((value as { _bsontype?: string })._bsontype) return; // ObjectId, Long…: no text
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, visit);
  }
}

/** Every place (collection, field path with array indexes folded to []) where a needle occurs. */
export function sightingsIn(docs: Map<string, unknown[]>, needles: readonly string[]): Sighting[] {
  const wanted = needles.map((n) => [n, normalise(n)] as const);
  const seen = new Map<string, Sighting>();
  for (const [collection, list] of docs) {
    for (const doc of list) {
      walk(doc, '', (path, text) => {
        const hay = normalise(text);
        for (const [needle, n] of wanted) {
          if (!hay.includes(n)) continue;
          const folded = path.replace(/\[\d+\]/g, '[]');
          seen.set(`${needle}|${collection}|${folded}`, { needle, collection, path: folded });
        }
      });
    }
  }
  return [...seen.values()];
}

/** All documents of all collections of one database. */
export async function dumpDatabase(uri: string, dbName: string): Promise<Map<string, unknown[]>> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    return await collectionsOf(client.db(dbName));
  } finally {
    await client.close();
  }
}

/** All documents of every collection of an open database, by collection name. */
export async function collectionsOf(db: Db): Promise<Map<string, unknown[]>> {
  const out = new Map<string, unknown[]>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    out.set(name, await db.collection(name).find({}).toArray());
  }
  return out;
}
