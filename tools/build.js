#!/usr/bin/env node
// The build users run (`npm run build`, after clearing dist/) and the shipped-build tests run
// (test/shipped/builtBot.ts): the bot compiled for Node, then the dashboard tab compiled for
// browsers with its static files into <out>/tab/public, which the server serves under /tab/.
// Usage: node tools/build.js [outDir]   (default: dist)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.resolve(root, process.argv[2] ?? 'dist');
const tsc = require.resolve('typescript/bin/tsc');
const pub = path.join(out, 'tab', 'public');

const compile = (project, outDir) => execFileSync(process.execPath, [tsc, '-p', path.join(root, project), '--outDir', outDir], { cwd: root, stdio: 'inherit' });

compile('tsconfig.json', out);
compile('tab/tsconfig.json', pub);
fs.cpSync(path.join(root, 'tab', 'static'), pub, { recursive: true });
fs.cpSync(path.join(root, 'locales', 'tab'), path.join(pub, 'locales'), { recursive: true });
fs.mkdirSync(path.join(pub, 'vendor'), { recursive: true });
fs.copyFileSync(require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'), path.join(pub, 'vendor', 'teams-js.min.js'));
