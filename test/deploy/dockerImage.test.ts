// What the Docker image would hold and do, proved without a Docker engine: the build stage copies
// every file the build reads; the runtime stage is replayed in a temporary folder (its COPY lines
// from the build output, its `npm ci --omit=dev` by the project's installed modules) and the bot is
// started from there with the image's ENV and CMD on the test database, until the image's own
// HEALTHCHECK command passes. A folder the image forgets (translations, templates) stops the bot
// there. Not proved: the base image, the network install of the packages, file permissions.
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from '../../tools/embeddedDb';
import { buildOnce, ENTRY, ROOT } from '../shipped/builtBot';
import { all, copies, dockerignore, env, execForm, healthcheck, last, parseCopy, parseDockerfile, stage } from './dockerfile';

const dockerfile = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const build = stage(dockerfile, 'build');
const runtime = stage(dockerfile, 'runtime');
const ignored = dockerignore(ROOT);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

/** Files of the build context the build stage copies in (a source is a file or a whole folder). */
function copiedIntoBuild(rel: string): boolean {
  return copies(build).some((c) => c.from === null && c.sources.some((s) => rel === s || rel.startsWith(`${s}/`))) && !ignored(rel);
}

function projectFilesRead(tsconfig: string): string[] {
  const tsc = require.resolve('typescript/bin/tsc');
  const out = execFileSync(process.execPath, [tsc, '-p', tsconfig, '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
    .filter((f) => !f.startsWith('..') && !f.split('/').includes('node_modules'));
}

function runHealthcheck(appDir: string, port: number): Promise<number> {
  const [cmd, ...args] = healthcheck(runtime).command;
  expect(cmd).toBe('node');
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: appDir, env: { PATH: process.env.PATH ?? '', PORT: String(port) }, timeout: 15_000 }, (err) =>
      resolve(err ? ((err as { code?: number }).code ?? -1) : 0),
    );
  });
}

describe('Dockerfile', () => {
  test('both stages run a Node release that package.json engines accepts', () => {
    const minimum = Number(/>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    const version = Number(dockerfile.args.NODE_VERSION);
    expect(version).toBeGreaterThanOrEqual(minimum);
    expect(version % 2).toBe(0); // even majors are the LTS lines
    for (const s of [build, runtime]) expect(s.from).toBe('node:${NODE_VERSION}-bookworm-slim');
  });

  test('the build stage installs from the lock file, then copies every file the build reads', () => {
    const runs = all(build, 'RUN');
    expect(runs[0]).toMatch(/^npm ci\b/);
    expect(runs).toContain('npm run build');
    const firstRun = build.instructions.findIndex((i) => i.keyword === 'RUN');
    const lockCopy = build.instructions.findIndex((i) => i.keyword === 'COPY' && /\bpackage-lock\.json\b/.test(i.args));
    expect(lockCopy).toBeGreaterThanOrEqual(0);
    expect(lockCopy).toBeLessThan(firstRun);
    for (const c of copies(build)) for (const s of c.sources) expect(fs.existsSync(path.join(ROOT, s))).toBe(true);

    // Each step of `npm run build` and what it reads.
    const read: string[] = [];
    for (const step of pkg.scripts.build.split('&&').map((s) => s.trim().split(/\s+/))) {
      if (step[0] === 'rimraf') continue;
      if (step[0] === 'tsc') {
        const config = step[step.indexOf('-p') + 1];
        read.push(config, ...projectFilesRead(config));
      } else if (step[0] === 'node') {
        read.push(step[1]);
        // tools/build.js compiles TypeScript projects and copies folders: what they read, it reads.
        const script = fs.readFileSync(path.join(ROOT, step[1]), 'utf8');
        for (const [, config] of script.matchAll(/compile\('([^']+)'/g)) read.push(config, ...projectFilesRead(config));
        for (const [, parts] of script.matchAll(/cpSync\(path\.join\(root, ([^)]*)\)/g)) read.push(parts.split(',').map((x) => x.trim().replace(/^'|'$/g, '')).join('/'));
      } else {
        throw new Error(`the build step "${step.join(' ')}" is unknown to this test: check what it reads and that the Dockerfile's build stage copies it, then teach the test`);
      }
    }
    expect(read.length).toBeGreaterThan(100);
    expect(read.filter((f) => !copiedIntoBuild(f))).toEqual([]);
  });

  test('the runtime image: production mode, a non-root user, the port it exposes, the start command of npm start', () => {
    const vars = env(runtime);
    expect(vars.NODE_ENV).toBe('production');
    expect(last(runtime, 'USER')).toBeDefined();
    expect(last(runtime, 'USER')).not.toMatch(/^(root|0)(:|$)/);
    expect(last(runtime, 'EXPOSE')).toBe(vars.PORT);
    expect(execForm(last(runtime, 'CMD')!).join(' ')).toBe(pkg.scripts.start);
    const { options } = healthcheck(runtime);
    expect(options).toEqual(expect.objectContaining({ interval: expect.any(String), timeout: expect.any(String), 'start-period': expect.any(String) }));
    // Only production dependencies: the runtime installs with --omit=dev and takes dist/ from the build.
    expect(all(runtime, 'RUN')).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    expect(copies(runtime).filter((c) => c.from === 'build').flatMap((c) => c.sources)).toEqual([`${last(build, 'WORKDIR')}/dist`]);
  });

  test('.dockerignore keeps local secrets, data and installed modules out of the build context', () => {
    for (const p of ['.env', '.env.production', 'node_modules/x/index.js', 'dist/bot/index.js', 'data/postgres/PG_VERSION', '.bin/ferretdb', '.git/HEAD']) expect([p, ignored(p)]).toEqual([p, true]);
    for (const p of ['bot/index.ts', 'locales/fr.json', 'package-lock.json', '.env.example']) expect([p, ignored(p)]).toEqual([p, false]);
  });

  describe('the runtime stage replayed in a folder', () => {
    let appDir = '';
    beforeAll(() => {
      buildOnce();
      appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmd-bot-image-'));
      const workdir = last(runtime, 'WORKDIR')!;
      const buildWorkdir = last(build, 'WORKDIR')!;
      const builtDir = path.dirname(path.dirname(ENTRY));
      for (const { keyword, args } of runtime.instructions) {
        if (keyword === 'RUN') {
          // `npm ci --omit=dev` cannot run here (network): the installed modules stand in for it;
          // the next test checks that the built code needs no development package.
          fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(appDir, 'node_modules'), 'dir');
        } else if (keyword === 'COPY') {
          const c = parseCopy(args);
          const dest = path.resolve(appDir, path.relative(workdir, path.posix.resolve(workdir, c.dest)));
          for (const source of c.sources) {
            let from: string;
            if (c.from === null) from = path.join(ROOT, source);
            else {
              const rel = path.posix.relative(buildWorkdir, source);
              expect(rel === 'dist' || rel.startsWith('dist/')).toBe(true);
              from = path.join(builtDir, rel.slice('dist'.length));
            }
            const target = fs.statSync(from).isDirectory() || !c.dest.endsWith('/') ? dest : path.join(dest, path.basename(from));
            fs.cpSync(from, target, { recursive: true, filter: (f) => c.from !== null || !ignored(path.relative(ROOT, f).split(path.sep).join('/')) });
          }
        }
      }
    }, 300_000);
    afterAll(() => {
      if (appDir) fs.rmSync(appDir, { recursive: true, force: true });
    });

    test('every package the built code requires is a production dependency', () => {
      // Every module the start command loads, followed from the entry point (the admin's tools in
      // dist/tools/appPackage run on a machine with the dev dependencies, never in the image).
      const needed = new Set<string>();
      const seen = new Set<string>();
      const resolveLocal = (from: string, spec: string): string | null =>
        [spec, `${spec}.js`, path.join(spec, 'index.js')].map((c) => path.resolve(path.dirname(from), c)).find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
      const visit = (file: string): void => {
        if (seen.has(file) || !file.endsWith('.js')) return;
        seen.add(file);
        for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)) {
          if (spec.startsWith('.')) {
            const local = resolveLocal(file, spec);
            expect([file, spec, local !== null]).toEqual([file, spec, true]);
            visit(local!);
          } else if (!isBuiltin(spec)) needed.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      };
      const [, entry] = execForm(last(runtime, 'CMD')!);
      visit(path.join(appDir, entry));
      expect(seen.size).toBeGreaterThan(100);
      expect(needed.size).toBeGreaterThan(5);
      expect([...needed].filter((p) => !(p in pkg.dependencies))).toEqual([]);
    });

    test('the built bot starts from it with the image ENV and CMD on MONGODB_URI; the HEALTHCHECK passes, then fails once it stopped', async () => {
      const uri = process.env.TEST_MONGODB_URI!;
      const dbName = `image_${process.pid}_${Date.now()}`;
      const port = await freePort();
      const [, ...args] = execForm(last(runtime, 'CMD')!);
      const output: string[] = [];
      const child: ChildProcess = spawn(process.execPath, args, {
        cwd: appDir,
        env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env(runtime), PORT: String(port), MONGODB_URI: uri, DB_NAME: dbName, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        const deadline = Date.now() + 60_000;
        for (;;) {
          if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output.join('')}`);
          if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false)) break;
          if (Date.now() > deadline) throw new Error(`no 200 on /healthz within 60 s:\n${output.join('')}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(await runHealthcheck(appDir, port)).toBe(0);
        // The dashboard tab's files are in the image too: the page, its script, its strings, teams-js.
        for (const [file, type] of [['/tab/', 'text/html'], ['/tab/main.js', 'text/javascript'], ['/tab/locales/nl.json', 'application/json'], ['/tab/vendor/teams-js.min.js', 'text/javascript']]) {
          const res = await fetch(`http://127.0.0.1:${port}${file}`);
          expect([file, res.status, res.headers.get('content-type')?.split(';')[0]]).toEqual([file, 200, type]);
        }
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      expect(await runHealthcheck(appDir, port)).toBe(1);
      const client = await MongoClient.connect(uri);
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    }, 120_000);
  });
});
