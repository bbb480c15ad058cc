#!/usr/bin/env node
// Runs the Microsoft 365 Agents Playground (a local Teams emulator, channel msteams) against the bot.
// The Playground exits when it cannot open a browser; on a headless machine we give it an
// `xdg-open` that only prints the address, so it keeps serving and you open the page yourself.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const botPort = process.env.PORT || '3978';
const playgroundPort = process.env.PLAYGROUND_PORT || '56150';
const endpoint = process.env.BOT_ENDPOINT || `http://localhost:${botPort}/api/messages`;

const shimDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-open-'));
const shim = path.join(shimDir, 'xdg-open');
fs.writeFileSync(shim, '#!/bin/sh\necho "Agents Playground: open $* in your browser" >&2\nexit 0\n', { mode: 0o755 });

async function warnIfBotDown() {
  try {
    const res = await fetch(endpoint.replace(/\/api\/messages$/, '/healthz'));
    if (!res.ok) console.error(`The bot at ${endpoint} answers /healthz with ${res.status}.`);
  } catch {
    console.error(`No bot answers at ${endpoint} yet: start it with \`npm start\` in another terminal.`);
  }
}

const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
const args = [cli, '-e', endpoint, '-c', 'msteams', '-p', playgroundPort, '--disable-telemetry', ...process.argv.slice(2)];
const child = spawn(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${shimDir}${path.delimiter}${process.env.PATH}` },
});
console.error(`Agents Playground on http://localhost:${playgroundPort} (channel msteams) → ${endpoint}`);
void warnIfBotDown();

const cleanup = () => fs.rmSync(shimDir, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  cleanup();
  process.exit(signal ? 0 : code ?? 0);
});
