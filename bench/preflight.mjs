#!/usr/bin/env node
// Times `installctl preflight SPEC` as a whole process against a fixture API server on 127.0.0.1
// (the test suite's replaying server, serving a healthy cluster for the spec), interleaved with
// bare `node -e ''` and `installctl validate SPEC` so machine load affects all alike. Prints
// medians, p90s, the ratio to validate and the goal.
// Goal (issue 14): preflight <= 1.5 s as a whole process.
// Usage: npm run build && node bench/preflight.mjs [--runs 20] [--spec examples/....yaml] [--tls]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildYamlPlugin } from '../scripts/yaml-loader.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', '20'));
const spec = option('--spec', join(root, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml'));
const tls = args.includes('--tls');
const GOAL_MS = 1500;

// The fixture server and the healthy-cluster builder are TypeScript test helpers: bundle them once,
// inside the checkout (git-ignored .cache/) so the bundle resolves the project's node_modules.
mkdirSync(join(root, '.cache'), { recursive: true });
const work = mkdtempSync(join(root, '.cache', 'bench-preflight-'));
const entry = join(work, 'entry.ts');
writeFileSync(
  entry,
  [
    `export { startFixtureApiServer } from ${JSON.stringify(join(root, 'test/helpers/fixture-api-server.ts'))};`,
    `export { healthyFixtureCluster } from ${JSON.stringify(join(root, 'test/helpers/fixture-cluster-for.ts'))};`,
    `export { preflightRequirements } from ${JSON.stringify(join(root, 'cli/preflight/requirements.ts'))};`,
    `export { loadSpecFile } from ${JSON.stringify(join(root, 'cli/install-spec/load-spec.ts'))};`,
  ].join('\n'),
);
await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile: join(work, 'helpers.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [esbuildYamlPlugin],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const helpers = await import(pathToFileURL(join(work, 'helpers.mjs')).href);

const now = new Date();
const loaded = helpers.loadSpecFile(spec, { now });
if (!loaded.install) throw new Error(`${spec} is not valid`);
const requirements = helpers.preflightRequirements(loaded.install, loaded.cell, { now });
const server = await helpers.startFixtureApiServer(helpers.healthyFixtureCluster(requirements), { tls });

/** The server runs in this process: children are awaited, never spawned synchronously. */
function time(command) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, command, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KUBECONFIG: server.kubeconfigFile } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (status) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (status !== 0) reject(new Error(`${command.join(' ')} exited ${status}: ${stderr}`));
      else resolve(ms);
    });
  });
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0] };
};

const cli = join(root, 'cli/bin/run.js');
const bare = [];
const validate = [];
const preflight = [];
try {
  await time(['-e', '']);
  await time([cli, 'preflight', spec, '--kubeconfig', server.kubeconfigFile]); // warm the file cache; exits 0 on the healthy cluster
  for (let i = 0; i < runs; i++) {
    bare.push(await time(['-e', '']));
    validate.push(await time([cli, 'validate', spec]));
    preflight.push(await time([cli, 'preflight', spec, '--kubeconfig', server.kubeconfigFile]));
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
const b = stats(bare);
const v = stats(validate);
const p = stats(preflight);
const requests = server.requests.length / (runs + 1);
const row = (name, s) => `${name.padEnd(30)} median ${s.median.toFixed(1).padStart(7)} ms   p90 ${s.p90.toFixed(1).padStart(7)} ms   min ${s.min.toFixed(1).padStart(7)} ms`;
console.log(
  `installctl preflight against a fixture API server on 127.0.0.1 (${tls ? 'HTTPS' : 'HTTP'}; ${runs} interleaved runs, ${process.version}; ${requests.toFixed(0)} API requests per run)`,
);
console.log(row("node -e ''", b));
console.log(row('installctl validate', v));
console.log(row('installctl preflight', p));
console.log(
  `preflight / validate (median): ${(p.median / v.median).toFixed(2)}x   preflight median ${p.median.toFixed(0)} ms, goal <= ${GOAL_MS} ms   ${p.median <= GOAL_MS ? 'MET' : 'NOT MET'}`,
);
