#!/usr/bin/env node
// Times `installctl validate EXAMPLE` as a whole process against bare `node -e ''`, interleaved in
// the same run so machine load affects both alike. Prints medians, p90s and the ratio.
// Goal (issue 2): validate <= 3x bare node start.
// Usage: npm run build && node bench/validate-startup.mjs [--runs 30] [--spec examples/....yaml]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', '30'));
const spec = option('--spec', join(root, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml'));
const GOAL = 3;

function time(command) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0] };
};

const bare = [];
const validate = [];
time(['-e', '']); // warm the file cache
time([join(root, 'cli/bin/run.js'), 'validate', spec]);
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '']));
  validate.push(time([join(root, 'cli/bin/run.js'), 'validate', spec]));
}
const b = stats(bare);
const v = stats(validate);
const ratio = v.median / b.median;
const row = (name, s) => `${name.padEnd(28)} median ${s.median.toFixed(1).padStart(7)} ms   p90 ${s.p90.toFixed(1).padStart(7)} ms   min ${s.min.toFixed(1).padStart(7)} ms`;
console.log(`installctl validate start-up (${runs} interleaved runs, ${process.version})`);
console.log(row("node -e ''", b));
console.log(row('installctl validate', v));
console.log(`ratio (median): ${ratio.toFixed(2)}x   goal <= ${GOAL}x   ${ratio <= GOAL ? 'MET' : 'NOT MET'}`);
