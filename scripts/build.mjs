#!/usr/bin/env node
// Build (runs in `npm ci` via prepare): bundle the CLI with esbuild into dist/installctl.js (oclif
// "explicit" command discovery: one module lists every command) and write oclif.manifest.json.
// One bundled file instead of hundreds of modules keeps `installctl validate` near bare-node
// start-up; heavy services are imported dynamically and land in dist/chunks/.
// Type-checking is `npm run typecheck` (part of `npm test`).
// Its last step writes dist/.build-stamp (the repository files the build read, from esbuild's
// metafile): test/helpers/fresh-build.ts judges dist/ fresh only against a stamp, so a build that
// stopped half-way is never taken for a finished one.
import { rmSync, writeFileSync, renameSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildYamlPlugin } from './yaml-loader.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(join(root, 'dist'), { recursive: true, force: true });
const bundled = await build({
  absWorkingDir: root,
  entryPoints: {
    installctl: 'cli/commands.ts',
    'synthesis-worker': 'cli/conformance/pulumi/worker.ts',
    'conformance-worker': 'cli/conformance/worker.ts',
    'helm-binaries': 'cli/conformance/helm/binaries.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __installctlRequire } from 'node:module'; const require = __installctlRequire(import.meta.url);" },
  // oclif reads tsconfig with typescript only in development mode; never needed here.
  // Pulumi SDKs stay in node_modules: synthesized programs must share their single runtime instance.
  // kubernetes-models is imported by resource kind at run time (thousands of modules; never bundled).
  external: ['typescript', 'esbuild', '@pulumi/*', 'kubernetes-models', 'kubernetes-models/*', ...(pkg.bundleExternal ?? [])],
  plugins: [esbuildYamlPlugin],
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
});

// The charts' vendor values as JSON, keyed by the values.yaml they came from: render reads these
// instead of parsing YAML at every start (it checks the hash, so an edited chart is never stale).
const { parse } = await import('yaml');
const { createHash } = await import('node:crypto');
const chartValues = {};
const CHARTS = ['agent-platform', 'model-server'];
for (const chart of CHARTS) {
  const text = readFileSync(join(root, 'charts', chart, 'values.yaml'), 'utf8');
  chartValues[chart] = { sha256: createHash('sha256').update(text).digest('hex'), values: parse(text) ?? {} };
}
writeFileSync(join(root, 'dist', 'chart-base-values.json'), JSON.stringify(chartValues));

const { Plugin } = await import('@oclif/core');
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: true });
await plugin.load();
const manifest = JSON.stringify(plugin.manifest, null, 2) + '\n';
const target = join(root, 'oclif.manifest.json');
writeFileSync(target + '.tmp', manifest);
renameSync(target + '.tmp', target);

// Last, so that only a finished build has a stamp. Inputs are repository paths: what esbuild bundled
// (outside node_modules, namespace prefixes such as `file:` dropped) and what this script read.
const bundledInputs = Object.keys(bundled.metafile.inputs)
  .map((input) => input.replace(/^[a-z-]+:/, ''))
  .filter((input) => !input.startsWith('node_modules/') && !input.includes('/node_modules/'));
const readHere = ['package.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/yaml-loader.mjs', ...CHARTS.map((chart) => `charts/${chart}/values.yaml`)];
const inputs = [...new Set([...bundledInputs, ...readHere])].sort();
writeFileSync(join(root, 'dist', '.build-stamp'), JSON.stringify({ inputs }, null, 2) + '\n');
console.log(`built dist/installctl.js and oclif.manifest.json (${Object.keys(plugin.manifest.commands).length} commands)`);
