// One mongoose connection per bot instance (not the global default), so tests can run several
// instances on one server and a later move to another store stays local to models/.
import mongoose, { Connection } from 'mongoose';

export async function connectDatabase(uri: string, dbName: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    // A dead server is noticed within about a second (readyState leaves 1), so turns get the
    // "temporarily unavailable" reply at once instead of waiting for server selection to time out.
    heartbeatFrequencyMS: 1000,
    // FerretDB v1 has no transactions or change streams; retryable writes need sessions we don't use.
    retryWrites: false,
    autoIndex: true,
    // Bounded, so the embedded database's PostgreSQL pool (two connections per concurrent update in
    // FerretDB v1, tools/ferretdb/postgres.go) always covers every client connection.
    maxPoolSize: 50,
  });
  conn.plugin(failFastWhileDown);
  // "Down" is what the driver's monitor saw (the server turned Unknown: refused, reset, timed out),
  // not mongoose's readyState: since mongoose 9 readyState also reads 0 when a heartbeat is merely
  // two intervals late, which a busy process (a large reminder pass, a loaded machine) reaches with
  // a healthy database, and every operation then failed as "unavailable".
  conn.getClient().on('serverDescriptionChanged', (ev: { newDescription: { type: string } }) => {
    if (ev.newDescription.type === 'Unknown') serverDown.add(conn);
    else serverDown.delete(conn);
  });
  await conn.asPromise();
  return conn;
}

const serverDown = new WeakSet<Connection>();

/** The driver saw the server unreachable (no round trip; see connectDatabase). */
export const isDatabaseKnownDown = (conn: Connection): boolean => serverDown.has(conn);

/** Thrown at once by model operations while the driver knows the database is down. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor() {
    super('the database is unavailable');
  }
}

const QUERY_OPS = ['countDocuments', 'deleteMany', 'deleteOne', 'distinct', 'estimatedDocumentCount', 'find', 'findOne', 'findOneAndDelete', 'findOneAndReplace', 'findOneAndUpdate', 'replaceOne', 'updateMany', 'updateOne'] as const;

/** The connection an operation runs on, from the `this` of a document, query, aggregate or model hook. */
function connectionOf(self: unknown): Connection | undefined {
  if (typeof self === 'function') return (self as { db?: Connection }).db; // Model.insertMany / bulkWrite
  if (self instanceof mongoose.Query) return (self.model as { db?: Connection } | undefined)?.db;
  if (self instanceof mongoose.Aggregate) return (self.model() as { db?: Connection } | undefined)?.db;
  return (self as { constructor?: { db?: Connection } })?.constructor?.db; // a document (save)
}

const guarded = new WeakSet<object>();

/**
 * While the connection is known to be down (its server Unknown, noticed by the 1 s heartbeat), model
 * operations fail at once instead of waiting for server selection (5 s each): a turn, including
 * the middleware before it, reaches the "temporarily unavailable" reply without delay. Schemas are
 * shared by every connection (tests run several), so the hook looks up the operation's own one.
 */
function failFastWhileDown(schema: mongoose.Schema): void {
  if (guarded.has(schema)) return;
  guarded.add(schema);
  const check = function (this: unknown) {
    const conn = connectionOf(this);
    if (conn && serverDown.has(conn)) throw new DatabaseUnavailableError();
  };
  schema.pre('save', check);
  schema.pre([...QUERY_OPS], check);
  schema.pre('aggregate', check);
  schema.pre('insertMany', check);
  schema.pre('bulkWrite', check);
}

export function nativeDb(conn: Connection) {
  const db = conn.db;
  if (!db) throw new Error('database connection is not open');
  return db;
}

export async function pingDatabase(conn: Connection, timeoutMs = 2000): Promise<boolean> {
  // Not readyState: it reads 0 when a heartbeat is only late (see connectDatabase).
  if (serverDown.has(conn) || !conn.db) return false;
  try {
    // The driver's own deadline (client-side operation timeout): the ping is abandoned, not left running.
    await conn.db.command({ ping: 1 }, { timeoutMS: timeoutMs });
    return true;
  } catch {
    return false;
  }
}

export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number })?.code === 11000;
