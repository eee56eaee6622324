/**
 * `installctl bundle create`: validate and render the spec, refuse bad flags and an unwritable
 * --out before minutes of work, gather everything the site needs and print the size report
 * (bundle/create-contents.ts), then write the tar and its signature (bundle/create-write.ts).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError, withUserErrors } from '../lib/errors.js';
import { SPEC_EXITS } from '../lib/error-catalogue.js';
import { formatBytes } from '../lib/sizes.js';
import { asOutputError } from '../lib/atomic-write.js';
import type { Issue } from '../schema/issue.js';
import type { Install } from '../generated/install-spec.js';
import { loadSpecFile } from '../install-spec/load-spec.js';
import { settingsFor } from '../emit/settings.js';
import { renderFiles } from '../emit/render-files.js';
import { openImageSource, parsePlatform } from '../bundle/image-sources.js';
import { BlobSet } from '../bundle/contents.js';
import type { BundleManifest } from '../bundle/manifest.js';
import { loadKey } from '../bundle/keys.js';
import { bundleManifest, gatherContents, sizeReport, type SizeReport } from '../bundle/create-contents.js';
import { bundleRoot, writeSignedBundle } from '../bundle/create-write.js';
import type { CreateEvent } from '../bundle/create-progress.js';

export type { SizeReport } from '../bundle/create-contents.js';

/** The largest layer registries accept (exclusive). */
const MAX_LAYER_BYTES = 5 * 1024 ** 3;

export interface BundleCreateOptions {
  spec: string;
  out: string;
  imagesFrom: string;
  key: string;
  platform?: string | null;
  pluginsDir?: string | null;
  weightsDir?: string | null;
  includeWeights?: boolean;
  weightsPartSize?: number;
  force?: boolean;
  caFile?: string;
  plainHttp?: boolean;
  /** Credentials for a registry: image source. */
  username?: string;
  password?: string;
  passwordSource?: 'stdin' | 'env';
  /** Where DOCKER_CONFIG and HOME are read from (default process.env); lines for stderr; the credentials' source. */
  env?: NodeJS.ProcessEnv;
  onWarning?: (line: string) => void;
  onCredentials?: (source: string) => void;
  /** Called with the size report before anything is written. */
  onPlan?: (report: SizeReport) => void;
  /** Phases, images gathered and bytes written (bundle/create-progress.ts draws them on stderr). */
  onProgress?: (event: CreateEvent) => void;
}

export interface BundleCreateResult {
  valid: boolean;
  issues: Issue[];
  exitCode: number;
  bundle: string | null;
  signature: string | null;
  rootDigest: string | null;
  report: SizeReport | null;
}

/** The service boundary: an OciError of the layers below leaves as the UserError the catalogue makes of it. */
export function createBundle(options: BundleCreateOptions): Promise<BundleCreateResult> {
  return withUserErrors(() => create(options));
}

async function create(options: BundleCreateOptions): Promise<BundleCreateResult> {
  const loaded = loadSpecFile(options.spec, { now: new Date() });
  if (loaded.exitCode !== SPEC_EXITS.valid || !loaded.install || !loaded.cell) {
    return { valid: false, issues: loaded.issues, exitCode: loaded.exitCode || SPEC_EXITS.invalid, bundle: null, signature: null, rootDigest: null, report: null };
  }
  checkOptions(options);
  // The key before anything is gathered or written: a bad --key leaves nothing behind.
  const privateKey = loadKey(options.key, 'private');
  const progress = options.onProgress ?? (() => {});
  progress({ type: 'phase', phase: 'render' });
  const install = loaded.install;
  const settings = settingsFor(install, loaded.cell);
  const files = renderFiles(options.spec, loaded.text ?? '', install, settings, loaded.cell.status);
  const platform = options.platform ? parsePlatform(options.platform) : null;

  const blobs = new BlobSet();
  const { caFile, plainHttp, username, password, passwordSource, env, onWarning, onCredentials } = options;
  const source = openImageSource(options.imagesFrom, { caFile, plainHttp, username, password, passwordSource, env, onWarning, onCredentials });
  try {
    const weights = { dir: options.weightsDir ?? null, include: options.includeWeights ?? false, partSize: options.weightsPartSize };
    const gathered = await gatherContents(blobs, source, { install, settings, files, platform, pluginsDir: options.pluginsDir ?? null, weights }, progress);
    const manifest = bundleManifest(settings, options.platform ?? null, gathered, blobs);
    const report = sizeReport(gathered, blobs);
    options.onPlan?.(report);
    const root = bundleRoot(manifest, settings, gathered, blobs);
    await writeSignedBundle(options.out, root, blobs, privateKey, progress);
    return {
      valid: true,
      issues: [...loaded.issues, ...undescribedWeights(gathered.weights.weights, install)],
      exitCode: SPEC_EXITS.valid,
      bundle: options.out,
      signature: `${options.out}.sig`,
      rootDigest: root.rootDigest,
      report,
    };
  } finally {
    source.close();
  }
}

/** Flags and --out refused before the key is read and anything is gathered. */
function checkOptions(options: BundleCreateOptions): void {
  if (existsSync(options.out) && !options.force) throw new UserError(`${options.out} already exists`, { code: 'FILE_EXISTS', hint: 'pass --force to replace it' });
  checkOutputParent(options.out);
  if (options.pluginsDir) checkInputDirectory('--plugins-dir', options.pluginsDir);
  if (options.weightsDir) checkInputDirectory('--weights-dir', options.weightsDir);
  if (options.weightsPartSize !== undefined && (options.weightsPartSize >= MAX_LAYER_BYTES || options.weightsPartSize < 1024 ** 2)) {
    // Registries (and their proxies) refuse layers of 5 GiB and more; a bundle that cannot be pushed is no bundle.
    throw new UserError(`--weights-part-size ${formatBytes(options.weightsPartSize)} is outside 1 MiB .. 5 GiB`, {
      code: 'USAGE',
      hint: 'give a part size below 5 GiB, e.g. --weights-part-size 4GiB (the default)',
    });
  }
}

/** A directory flag names a directory: a typo must not silently make a bundle without plugins or weights. */
function checkInputDirectory(flag: string, dir: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // Missing or unreadable: refused below like a file.
  }
  if (!isDirectory)
    throw new UserError(`${flag} ${JSON.stringify(dir)} is not a directory`, { code: 'USAGE', hint: `pass the directory holding the files (see installctl bundle create --help)` });
}

/** The bundle's directory must exist and be writable before minutes of work go into it. */
function checkOutputParent(out: string): void {
  const dir = dirname(out);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
    if (isDirectory) accessSync(dir, constants.W_OK);
  } catch (error) {
    throw asOutputError(error, dir);
  }
  if (!isDirectory) throw new UserError(`cannot write to ${dir}: it is not a directory`, { code: 'OUTPUT_NOT_WRITABLE', hint: 'choose --out in an existing directory' });
}

/** Models whose weights the bundle neither carries nor pins by digest: the site must trust what it finds. */
function undescribedWeights(weights: BundleManifest['weights'], install: Install): Issue[] {
  const catalog = install.spec.models.hosting === 'self-hosted' ? install.spec.models.catalog : [];
  return weights
    .filter((entry) => !entry.included && entry.manifest === null && entry.files.length === 0)
    .map((entry) => ({
      severity: 'warning' as const,
      code: 'BUNDLE_WEIGHTS_UNDESCRIBED',
      path: `spec.models.catalog[${catalog.findIndex((model) => model.name === entry.model)}].weights`,
      line: null,
      column: null,
      message: `the weights of model ${entry.model} (${entry.source}) are neither in the bundle nor pinned by digest`,
      hint: `pass --weights-dir DIR with DIR/${entry.model}/ holding its files to record their digests and sizes (add --include-weights to carry them)`,
    }));
}
