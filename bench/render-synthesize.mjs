#!/usr/bin/env node
// Issue 3 figures, measured in one run:
//  1. `installctl render SPEC --out DIR` as a whole process (median of N), next to bare `node -e ''`.
//     Goal: render <= 500 ms.
//  2. Mock synthesis of every supported and conditional cell (69), spread over one worker process
//     per core (dist/synthesis-worker.js), the same machinery the tests use. Goal: all <= 60 s on 2 cores.
// Usage: npm run build && node bench/render-synthesize.mjs [--runs 10] [--workers N]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'cli/bin/run.js');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', '10'));
const workers = Number(option('--workers', String(availableParallelism())));
const work = mkdtempSync(join(tmpdir(), 'installctl-bench-'));

const run = (argv) => {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr || result.stdout}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, stdout: result.stdout };
};
const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

// 1. render as a whole process
const spec = join(root, 'examples/aws-ghes-self-hosted-air-gapped.yaml');
const bare = [];
const render = [];
run(['-e', '']);
run([bin, 'render', spec, '--out', join(work, 'warm')]);
for (let i = 0; i < runs; i++) {
  bare.push(run(['-e', '']).ms);
  render.push(run([bin, 'render', spec, '--out', join(work, `render-${i}`)]).ms);
}
console.log(
  `render (whole process, ${runs} runs): median ${median(render).toFixed(0)} ms; node -e '' median ${median(bare).toFixed(0)} ms; ratio ${(median(render) / median(bare)).toFixed(2)}x; goal <= 500 ms: ${median(render) <= 500 ? 'MET' : 'NOT MET'}`,
);

// 2. synthesize every renderable cell
const cells = JSON.parse(run([bin, 'matrix', '--json']).stdout).filter((cell) => cell.status !== 'unsupported');
const prepared = Date.now();
const jobs = cells.map((cell, index) => {
  const dir = join(work, `cell-${index}`);
  const specFile = `${dir}.yaml`;
  run([bin, 'init', '--platform', cell.platform, '--scm', cell.scm, '--models', cell.models, '--network', cell.network, '--out', specFile]);
  run([bin, 'render', specFile, '--out', dir, '--allow-placeholders']); // init's starter spec
  return { id: cell.id, projectDir: join(dir, 'pulumi') };
});
console.log(`prepared ${jobs.length} rendered cells in ${((Date.now() - prepared) / 1000).toFixed(1)} s (not timed below)`);

const batches = Array.from({ length: workers }, () => []);
jobs.forEach((job, index) => batches[index % workers].push(job));
const started = Date.now();
const results = (
  await Promise.all(
    batches.map(
      (batch) =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, ['--max-semi-space-size=128', join(root, 'dist/synthesis-worker.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (data) => (out += data));
          child.on('close', (code) =>
            code === 0
              ? resolve(
                  out
                    .trim()
                    .split('\n')
                    .filter(Boolean)
                    .map((line) => JSON.parse(line)),
                )
              : reject(new Error(`worker exited ${code}`)),
          );
          child.stdin.end(JSON.stringify(batch));
        }),
    ),
  )
).flat();
const wall = (Date.now() - started) / 1000;
const failed = results.filter((result) => result.errors.length || result.violations.length);
const byPlatform = {};
for (const result of results) (byPlatform[result.id.split('/')[0]] ??= []).push(result.durationMs);
console.log(
  `synthesis of ${results.length} cells on ${workers} workers: ${wall.toFixed(1)} s wall; goal <= 60 s: ${wall <= 60 ? 'MET' : 'NOT MET'}; ${failed.length} with violations or errors`,
);
for (const [platform, times] of Object.entries(byPlatform))
  console.log(`  ${platform.padEnd(7)} ${times.length} cells, median ${median(times)} ms per cell (in-worker, after the first)`);
rmSync(work, { recursive: true, force: true });
if (failed.length) process.exitCode = 1;
