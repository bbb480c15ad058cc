#!/usr/bin/env node
// Builds the embedded database helper (tools/ferretdb: FerretDB, and the PostgreSQL it runs) into
// .bin/ferretdb with Go, once.
// Rebuilds only when its sources are newer than the binary. Needs Go and the Go module proxy.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'tools', 'ferretdb');
const out = path.join(root, '.bin', 'ferretdb');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum');
const newestSource = Math.max(...sources.map((f) => mtime(path.join(srcDir, f))));
if (mtime(out) > newestSource && !process.argv.includes('--force')) {
  process.exit(0);
}

try {
  execFileSync('go', ['version'], { stdio: 'ignore' });
} catch {
  console.error(
    'Go is needed to build the embedded database (FerretDB). Install Go, or set MONGODB_URI to an existing MongoDB-compatible server.',
  );
  process.exit(1);
}

console.log('Building the embedded database helper (FerretDB v1.24.2, on PostgreSQL or SQLite)…');
const started = Date.now();
fs.mkdirSync(path.dirname(out), { recursive: true });
execFileSync('go', ['build', '-trimpath', '-o', out, '.'], {
  cwd: srcDir,
  stdio: 'inherit',
  env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' },
});
console.log(`Built ${path.relative(root, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
