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
  });
  await conn.asPromise();
  return conn;
}

export function nativeDb(conn: Connection) {
  const db = conn.db;
  if (!db) throw new Error('database connection is not open');
  return db;
}

export async function pingDatabase(conn: Connection, timeoutMs = 2000): Promise<boolean> {
  if (conn.readyState !== 1 || !conn.db) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      conn.db.command({ ping: 1 }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export const isDuplicateKeyError = (err: unknown): boolean => (err as { code?: number })?.code === 11000;
