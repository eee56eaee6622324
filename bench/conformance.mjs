#!/usr/bin/env node
// Conformance figures (issues 5 and 11), measured in one run, every conformance run a whole process:
//  1. Cold: all 96 cells (Helm 3 and 4) with an empty --cache-dir. Goal: <= 60 s on 2 cores.
//  2. Warm: the same command again over the filled cache. Goal: <= 10 s; prints warm/cold.
//  3. Shard balance: `--shard i/2` and `--shard i/4`, each shard as its own process, one after
//     another (no cache), and max/min of their walls. Goal: shards differ by less than 20% (<= 1.2).
//  4. A bare loop of `helm template` over the emitted values of run 1 (every renderable cell, each
//     chart it deploys, Helm 3 and 4), one after another: the floor any conformance run pays.
//     Goal: cold / bare loop <= 2.0. Skip it with --no-helm-loop.
// The machine's load is printed: figures from a shared machine are upper bounds.
// Usage: npm run build && node bench/conformance.mjs [--jobs N] [--no-helm-loop]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const jobs = args.includes('--jobs') ? ['--jobs', args[args.indexOf('--jobs') + 1]] : [];
const work = mkdtempSync(join(tmpdir(), 'installctl-bench-conformance-'));
const cellsDir = join(work, 'cells');
const cacheDir = join(work, 'cache');
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
console.log(`${availableParallelism()} cores; load average at start: ${load()}`);

/** One `installctl conformance` as a whole process: its wall time in seconds; throws if it fails. */
function conformance(extra) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [join(root, 'cli/bin/run.js'), 'conformance', ...jobs, ...extra], { cwd: root, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) {
    console.error(
      run.stderr
        .split('\n')
        .filter((line) => /^(FAIL|installctl:)/.test(line))
        .join('\n'),
    );
    throw new Error(`conformance ${extra.join(' ')} exited ${run.status}`);
  }
  return { seconds, stdout: run.stdout };
}

const cold = conformance(['--work-dir', cellsDir, '--report-dir', join(work, 'reports'), '--cache-dir', cacheDir]).seconds;
const warmRun = conformance(['--cache-dir', cacheDir, '--json']);
const warm = warmRun.seconds;
const warmStages = JSON.parse(warmRun.stdout).cells.flatMap((cell) => cell.stages);

const shards = {};
for (const count of [2, 4]) shards[count] = Array.from({ length: count }, (_, index) => conformance(['--shard', `${index + 1}/${count}`]).seconds);

let loopSeconds = null;
let releases = [];
if (!args.includes('--no-helm-loop')) {
  const helms = ['helm3', 'helm4'].map((name) => join(root, '.tools', name, 'helm'));
  for (const cell of readdirSync(cellsDir).sort()) {
    const helmDir = join(cellsDir, cell, 'out', 'helm');
    if (!existsSync(helmDir)) continue; // unsupported cells render nothing
    for (const chart of ['model-server', 'agent-platform']) {
      const values = join(helmDir, `${chart}.values.yaml`);
      if (!existsSync(values)) continue;
      releases.push({ chart, files: [values, join(helmDir, `${chart}.infra.values.json`)].filter(existsSync) });
    }
  }
  const loopStarted = process.hrtime.bigint();
  for (const helm of helms) {
    for (const release of releases) {
      const result = spawnSync(helm, ['template', release.chart, join(root, 'charts', release.chart), ...release.files.flatMap((file) => ['-f', file])], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
    }
  }
  loopSeconds = Number(process.hrtime.bigint() - loopStarted) / 1e9;
}
rmSync(work, { recursive: true, force: true });

const met = (ok) => (ok ? 'MET' : 'NOT MET');
console.log(`cold: conformance, 96 cells, Helm 3+4, empty --cache-dir (whole process): ${cold.toFixed(1)} s; goal <= 60 s: ${met(cold <= 60)}`);
console.log(
  `warm: the same over the filled cache: ${warm.toFixed(1)} s (${warmStages.filter((stage) => stage.cached).length}/${warmStages.length} stages from the cache); warm/cold ${(warm / cold).toFixed(3)}; goal <= 10 s: ${met(warm <= 10)}`,
);
for (const [count, walls] of Object.entries(shards)) {
  const ratio = Math.max(...walls) / Math.min(...walls);
  console.log(
    `--shard i/${count}, each shard its own process: ${walls.map((wall) => `${wall.toFixed(1)} s`).join(', ')}; max/min ${ratio.toFixed(2)}; goal <= 1.20: ${met(ratio <= 1.2)}`,
  );
}
if (loopSeconds !== null) {
  console.log(`bare helm template loop, ${releases.length} releases x 2 Helm versions = ${releases.length * 2} runs: ${loopSeconds.toFixed(1)} s`);
  console.log(`cold / bare loop: ${(cold / loopSeconds).toFixed(2)}x; goal <= 2.0: ${met(cold / loopSeconds <= 2)}`);
}
console.log(`load average at end: ${load()}`);
