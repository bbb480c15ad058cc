#!/usr/bin/env node
// Prints the Markdown tables of docs/benchmarks.md from a results file (default: bench/results/latest.json).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const r = JSON.parse(fs.readFileSync(process.argv[2] || path.join(__dirname, 'results', 'latest.json'), 'utf8'));
const v = (x) => (x === null || x === undefined ? '—' : String(x));
console.log(`Run ${r.at}, commit ${r.commit}, build ${r.build}${r.quick ? ', --quick' : ''}; ${r.machine.cpus} × ${r.machine.model}, ${r.machine.memGb} GB, Node ${r.machine.node}; load average ${r.machine.loadavgAtStart.join(' / ')} at start, ${(r.machine.loadavgAtEnd ?? []).join(' / ')} at the end.\n`);
console.log('| scenario | concurrency | turns/s | p50 ms | p99 ms | errors | ratio to floor |\n|---|---|---|---|---|---|---|');
for (const [name, levels] of Object.entries(r.scenarios)) {
  if (name === 'vote') continue;
  for (const l of Object.values(levels)) console.log(`| ${name} | ${l.concurrency} | ${v(l.rps)} | ${v(l.p50Ms)} | ${v(l.p99Ms)} | ${v(l.errors)} | ${v(l.ratioToFloor)} |`);
}
const vote = r.scenarios.vote;
if (vote) console.log(`\n200 voters at once: p50 ${vote.p50Ms} ms, p99 ${vote.p99Ms} ms, errors ${vote.errors}, lost ${vote.lost}, shared card shows all 200 after ${v(vote.sharedCardAllMs)} ms.`);
const f = r.fanout;
if (f) console.log(`Fan-out of ${f.reminders} reminders at ${f.ratePerSecond}/s: ${v(f.seconds)} s first→last (minimum ${f.minSeconds} s), ${v(f.fromPlannedSeconds)} s from planning, lost ${f.lost}, duplicates ${f.duplicates}.`);
if (r.scale?.slowdown) {
  console.log('\n| operation (sequential p50; dispatch: seconds) | empty | loaded | slowdown |\n|---|---|---|---|');
  for (const [op, s] of Object.entries(r.scale.slowdown)) {
    const pick = (x) => (op === 'dispatch' ? x?.[op]?.seconds : x?.[op]?.p50Ms);
    console.log(`| ${op} | ${v(pick(r.scale.empty))} | ${v(pick(r.scale.loaded))} | ${v(s)} |`);
  }
  console.log(`\nSeeded: ${JSON.stringify(r.scale.seed)}`);
}
console.log(`\nMemory (MB): ${JSON.stringify(r.memory)}; start-up: ${JSON.stringify(r.startup)} ms; anonymity guard: ${JSON.stringify(r.guard)}`);
console.log('\n| target | value | limit | met |\n|---|---|---|---|');
for (const t of r.targets) console.log(`| ${t.name} | ${v(t.value)} | ${t.target} | ${t.ok ? 'yes' : '**no**'} |`);
