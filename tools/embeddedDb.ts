// Starts and stops the embedded FerretDB helper (.bin/ferretdb) as a child process.
// Used by `npm start` when MONGODB_URI is not set, and by the Jest global setup.
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

export interface EmbeddedDb {
  uri: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedDbOptions {
  dataDir: string;
  port?: number; // 0 or undefined: a free port is chosen
  binary?: string;
  startTimeoutMs?: number;
  onLog?: (line: string) => void;
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

async function waitUntilAnswering(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the embedded database exited with code ${child.exitCode}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await client.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the embedded database did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startEmbeddedDb(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const binary = locateBinary(options.binary);
  const port = options.port || (await freePort());
  fs.mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-data', options.dataDir, '-exit-on-stdin-eof'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onLog?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    await waitUntilAnswering(uri, child, options.startTimeoutMs ?? 20000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { uri, port, pid: child.pid ?? -1, stop };
}
