// Moves the data of an earlier version (FerretDB on SQLite files, data/ferretdb) into the
// PostgreSQL cluster (data/postgres) the first time the bot starts on PostgreSQL, so an update
// loses nothing. The SQLite folder is kept, renamed, never deleted.
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDb } from './embeddedDb';

export interface MigrationReport {
  databases: number;
  collections: number;
  documents: number;
  keptAt: string;
}

const BATCH = 1000;

function holdsSqliteData(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.sqlite'));
}

/**
 * Copies every database, collection, index and document from `sqliteDir` into a new cluster at
 * `postgresDir`, when the first holds data and the second does not exist yet. Returns undefined when
 * there is nothing to do. On failure the half-made cluster is removed, so the next start tries again.
 */
export async function migrateSqliteToPostgres(sqliteDir: string, postgresDir: string, log: (msg: string) => void = () => undefined): Promise<MigrationReport | undefined> {
  if (!holdsSqliteData(sqliteDir) || fs.existsSync(postgresDir)) return undefined;
  log(`copying the data of ${sqliteDir} (SQLite) into ${postgresDir} (PostgreSQL)`);
  const from = await startEmbeddedDb({ dataDir: sqliteDir, backend: 'sqlite', supervise: false });
  let to;
  try {
    to = await startEmbeddedDb({ dataDir: postgresDir, backend: 'postgresql', supervise: false });
  } catch (err) {
    await from.stop();
    fs.rmSync(postgresDir, { recursive: true, force: true });
    throw err;
  }
  const source = new MongoClient(from.uri);
  const target = new MongoClient(to.uri);
  const report: MigrationReport = { databases: 0, collections: 0, documents: 0, keptAt: '' };
  try {
    await source.connect();
    await target.connect();
    const { databases } = await source.db('admin').admin().listDatabases();
    for (const { name } of databases) {
      if (name === 'admin' || name === 'local' || name === 'config') continue;
      report.databases++;
      for (const info of await source.db(name).listCollections({}, { nameOnly: true }).toArray()) {
        report.collections++;
        const src = source.db(name).collection(info.name);
        const dst = target.db(name).collection(info.name);
        await target.db(name).createCollection(info.name).catch(() => undefined);
        const indexes = (await src.indexes()).filter((i) => i.name !== '_id_');
        if (indexes.length) {
          // Only the options FerretDB keeps; an absent option is left out, not sent as null.
          await dst.createIndexes(
            indexes.map(({ key, name: indexName, unique, sparse }) => ({ key, name: indexName, ...(unique ? { unique } : {}), ...(sparse ? { sparse } : {}) })),
          );
        }
        let batch: Record<string, unknown>[] = [];
        for await (const doc of src.find({})) {
          batch.push(doc);
          if (batch.length === BATCH) {
            await dst.insertMany(batch, { ordered: false });
            report.documents += batch.length;
            batch = [];
          }
        }
        if (batch.length) {
          await dst.insertMany(batch, { ordered: false });
          report.documents += batch.length;
        }
        const [a, b] = await Promise.all([src.countDocuments({}), dst.countDocuments({})]);
        if (a !== b) throw new Error(`${name}.${info.name}: ${a} documents in SQLite, ${b} copied`);
      }
    }
  } catch (err) {
    await Promise.allSettled([source.close(), target.close()]);
    await Promise.allSettled([from.stop(), to.stop()]);
    fs.rmSync(postgresDir, { recursive: true, force: true });
    throw new Error(`moving the embedded database from SQLite to PostgreSQL failed, nothing was changed (it will be tried again at the next start): ${(err as Error).message}`);
  }
  await Promise.allSettled([source.close(), target.close()]);
  await Promise.all([from.stop(), to.stop()]);
  report.keptAt = `${sqliteDir}-moved-to-postgres-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}`;
  fs.renameSync(sqliteDir, report.keptAt);
  log(`copied ${report.documents} documents in ${report.collections} collections; the SQLite files are kept in ${path.basename(report.keptAt)}`);
  return report;
}
