#!/usr/bin/env node
// Issue 5 figures, measured in one run:
//  1. `installctl conformance` over all 96 cells (Helm 3 and 4) as a whole process: wall time.
//     Goal: <= 60 s on 2 cores.
//  2. A bare loop of `helm template` over the same emitted values (every renderable cell, each
//     chart it deploys, Helm 3 and 4), one after another: the floor any conformance run pays.
//     Goal: conformance / bare loop <= 2.0.
// Usage: npm run build && node bench/conformance.mjs [--jobs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const jobs = args.includes('--jobs') ? ['--jobs', args[args.indexOf('--jobs') + 1]] : [];
const work = mkdtempSync(join(tmpdir(), 'installctl-bench-conformance-'));
const cellsDir = join(work, 'cells');

const started = process.hrtime.bigint();
const run = spawnSync(process.execPath, [join(root, 'cli/bin/run.js'), 'conformance', '--work-dir', cellsDir, '--report-dir', join(work, 'reports'), ...jobs], { cwd: root, encoding: 'utf8' });
const conformanceSeconds = Number(process.hrtime.bigint() - started) / 1e9;
if (run.status !== 0) {
  console.error(run.stderr.split('\n').filter((line) => line.startsWith('FAIL')).join('\n'));
  throw new Error(`conformance exited ${run.status}`);
}

const helms = ['helm3', 'helm4'].map((name) => join(root, '.tools', name, 'helm'));
const releases = [];
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
const loopSeconds = Number(process.hrtime.bigint() - loopStarted) / 1e9;
rmSync(work, { recursive: true, force: true });

const ratio = conformanceSeconds / loopSeconds;
console.log(`conformance, 96 cells, Helm 3+4 (whole process): ${conformanceSeconds.toFixed(1)} s; goal <= 60 s: ${conformanceSeconds <= 60 ? 'MET' : 'NOT MET'}`);
console.log(`bare helm template loop, ${releases.length} releases x 2 Helm versions = ${releases.length * 2} runs: ${loopSeconds.toFixed(1)} s`);
console.log(`ratio: ${ratio.toFixed(2)}x; goal <= 2.0: ${ratio <= 2 ? 'MET' : 'NOT MET'}`);
