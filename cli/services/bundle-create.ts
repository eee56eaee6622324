/**
 * `installctl bundle create`: validate and render the spec, gather everything the site needs, print
 * the size report, then stream it into one tar whose root is an OCI image layout with a single root
 * index, and sign the root digest (detached, ed25519). Blobs stream from their sources into the tar
 * with their digests checked on the way; nothing is unpacked and no blob is held whole in memory.
 */
import { accessSync, constants, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import tar from 'tar-stream';
import { UserError, withUserErrors } from '../lib/errors.js';
import { SPEC_EXITS } from '../lib/error-catalogue.js';
import { packageVersion } from '../lib/package-root.js';
import { formatBytes } from '../lib/sizes.js';
import { asOutputError, writeFileAtomic } from '../lib/atomic-write.js';
import type { Issue } from '../schema/issue.js';
import type { Install } from '../generated/install-spec.js';
import { loadSpecFile } from '../install-spec/load-spec.js';
import { settingsFor } from '../emit/settings.js';
import { DigestStream, MEDIA, REF_NAME, type Descriptor, type ImageIndex } from '../oci/types.js';
import { renderFiles } from './render.js';
import { openImageSource, parsePlatform } from '../bundle/image-sources.js';
import { addCharts, addImages, addPlugins, addRender, addWeights, artifactManifest, BlobSet, WEIGHTS_PART_SIZE } from '../bundle/contents.js';
import { BUNDLE_ARTIFACT_TYPE, BUNDLE_RECORD_REPOSITORY, type BundleManifest } from '../bundle/manifest.js';
import { loadKey, signRoot, type BundleSignature } from '../bundle/keys.js';
import { bundleError } from '../bundle/errors.js';
import type { CreateEvent } from '../bundle/create-progress.js';

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

export interface SizeReport {
  images: number;
  blobs: number;
  /** Bytes counted per reference: what copying each item separately would move. */
  totalBytes: number;
  /** Bytes after deduplication: what the bundle holds. */
  uniqueBytes: number;
  byKind: Record<'images' | 'charts' | 'render' | 'plugins' | 'weights', number>;
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
  const loaded = loadSpecFile(options.spec);
  if (loaded.exitCode !== SPEC_EXITS.valid || !loaded.install || !loaded.cell) {
    return { valid: false, issues: loaded.issues, exitCode: loaded.exitCode || SPEC_EXITS.invalid, bundle: null, signature: null, rootDigest: null, report: null };
  }
  if (existsSync(options.out) && !options.force) throw new UserError(`${options.out} already exists`, { code: 'FILE_EXISTS', hint: 'pass --force to replace it' });
  checkOutputParent(options.out);
  if (options.pluginsDir) checkInputDirectory('--plugins-dir', options.pluginsDir);
  if (options.weightsDir) checkInputDirectory('--weights-dir', options.weightsDir);
  if (options.weightsPartSize !== undefined && (options.weightsPartSize >= MAX_LAYER_BYTES || options.weightsPartSize < 1024 ** 2)) {
    // Registries (and their proxies) refuse layers of 5 GiB and more; a bundle that cannot be pushed is no bundle.
    throw new UserError(`--weights-part-size ${formatBytes(options.weightsPartSize)} is outside 1 MiB .. 5 GiB`, { code: 'USAGE', hint: 'give a part size below 5 GiB, e.g. --weights-part-size 4GiB (the default)' });
  }
  // The key before anything is gathered or written: a bad --key leaves nothing behind.
  const privateKey = loadKey(options.key, 'private');
  const progress = options.onProgress ?? (() => {});
  progress({ type: 'phase', phase: 'render' });
  const install = loaded.install;
  const settings = settingsFor(install, loaded.cell);
  const files = renderFiles(options.spec, loaded.text ?? '', install, settings, loaded.cell.status);
  const references = files.get('images.txt')!.trim().split('\n').filter(Boolean);
  const platform = options.platform ? parsePlatform(options.platform) : null;

  const blobs = new BlobSet();
  const { caFile, plainHttp, username, password, passwordSource, env, onWarning, onCredentials } = options;
  const source = openImageSource(options.imagesFrom, { caFile, plainHttp, username, password, passwordSource, env, onWarning, onCredentials });
  const kindBytes = (before: number) => blobs.uniqueBytes - before;
  const byKind = { images: 0, charts: 0, render: 0, plugins: 0, weights: 0 };
  try {
    let mark = blobs.uniqueBytes;
    progress({ type: 'phase', phase: 'images' });
    const images = await addImages(blobs, source, references, platform, (done, reference) => progress({ type: 'image', done, total: references.length, reference }));
    byKind.images = kindBytes(mark);
    mark = blobs.uniqueBytes;
    progress({ type: 'phase', phase: 'charts' });
    const charts = await addCharts(blobs);
    byKind.charts = kindBytes(mark);
    mark = blobs.uniqueBytes;
    const render = await addRender(blobs, files, settings);
    byKind.render = kindBytes(mark);
    mark = blobs.uniqueBytes;
    progress({ type: 'phase', phase: 'plugins' });
    const plugins = await addPlugins(blobs, settings, options.pluginsDir ?? null);
    byKind.plugins = kindBytes(mark);
    mark = blobs.uniqueBytes;
    progress({ type: 'phase', phase: 'weights' });
    const weights = await addWeights(blobs, install, { dir: options.weightsDir ?? null, include: options.includeWeights ?? false, partSize: options.weightsPartSize ?? WEIGHTS_PART_SIZE, onFile: (file, size) => progress({ type: 'weights', file, size }) });
    byKind.weights = kindBytes(mark);

    const manifest: BundleManifest = {
      apiVersion: 'installctl.dev/v1alpha1',
      kind: 'BundleManifest',
      installctl: packageVersion(),
      install: settings.name,
      cell: settings.cell,
      release: settings.release,
      platform: options.platform ?? null,
      images,
      charts,
      render,
      plugins,
      weights: weights.weights,
      weightArtifacts: weights.artifacts,
      blobs: [...blobs.blobs.values()].map(({ digest, size, mediaType }) => ({ digest, size, mediaType })),
    };
    const report: SizeReport = { images: images.length, blobs: blobs.blobs.size, totalBytes: blobs.referencedBytes, uniqueBytes: blobs.uniqueBytes, byKind };
    options.onPlan?.(report);

    // The root: a bundle record (an artifact whose layer is the manifest above) plus every top-level item.
    const root = new BlobSet();
    const manifestBlob = root.json(manifest, MEDIA.bundleManifest);
    const record = artifactManifest(root, BUNDLE_ARTIFACT_TYPE, [manifestBlob], undefined, { 'org.opencontainers.image.title': `${settings.name} ${settings.release}` });
    const entry = (descriptor: Pick<Descriptor, 'digest' | 'mediaType'>, ref: string): Descriptor => ({ mediaType: descriptor.mediaType, digest: descriptor.digest, size: (root.blobs.get(descriptor.digest) ?? blobs.blobs.get(descriptor.digest))!.size, annotations: { [REF_NAME]: ref } });
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MEDIA.index,
      manifests: [
        entry(record, `${BUNDLE_RECORD_REPOSITORY}:${settings.name}-${settings.release}`),
        ...images.map((image) => entry(image, image.source)),
        ...[...charts, render, plugins.artifact, ...weights.artifacts].map((artifact) => entry(artifact, `${artifact.repository}:${artifact.tag}`)),
      ],
      annotations: { 'dev.installctl.install': settings.name, 'dev.installctl.cell': settings.cell, 'dev.installctl.version': packageVersion() },
    };
    const rootBlob = root.json(index, MEDIA.index);
    const layout = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: [{ ...rootBlob, annotations: { [REF_NAME]: 'bundle' } }] }));

    // Bundle and signature are both complete on disk before either gets its name; on any failure
    // only what this run created is removed (never a file that was there before it).
    const temp = `${options.out}.partial-${process.pid}`;
    const signatureTemp = `${options.out}.sig.partial-${process.pid}`;
    const existed = existsSync(options.out);
    let renamed = false;
    try {
      progress({ type: 'phase', phase: 'write' });
      await writeTar(temp, layout, [rootBlob.digest, record.digest, manifestBlob.digest], root, blobs, progress);
      progress({ type: 'phase', phase: 'sign' });
      const signature: BundleSignature = signRoot(rootBlob.digest, privateKey);
      writeFileAtomic(signatureTemp, JSON.stringify(signature, null, 2) + '\n');
      renameSync(temp, options.out);
      renamed = true;
      renameSync(signatureTemp, `${options.out}.sig`);
    } catch (error) {
      rmSync(temp, { force: true });
      rmSync(signatureTemp, { force: true });
      if (renamed && !existed) rmSync(options.out, { force: true });
      throw asOutputError(error, dirname(options.out));
    }
    return { valid: true, issues: [...loaded.issues, ...undescribedWeights(weights.weights, install)], exitCode: SPEC_EXITS.valid, bundle: options.out, signature: `${options.out}.sig`, rootDigest: rootBlob.digest, report };
  } finally {
    source.close();
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
  if (!isDirectory) throw new UserError(`${flag} ${JSON.stringify(dir)} is not a directory`, { code: 'USAGE', hint: `pass the directory holding the files (see installctl bundle create --help)` });
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

const OCI_LAYOUT = Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }));

/** Counts bytes on their way into the tar. */
function counter(onBytes: (delta: number) => void): Transform {
  return new Transform({ transform: (chunk: Buffer, _encoding, callback) => (onBytes(chunk.length), callback(null, chunk)) });
}

async function writeTar(file: string, layoutIndex: Buffer, first: string[], root: BlobSet, blobs: BlobSet, progress: (event: CreateEvent) => void): Promise<void> {
  const pack = tar.pack();
  const finished = pipeline(pack, createWriteStream(file));
  // Awaited at the end; until then a failure to open the file must not surface as an unhandled rejection.
  finished.catch(() => {});
  // Root, record and manifest first: a streaming verifier knows every expected blob before it meets them.
  const seen = new Set<string>();
  const ordered = [...first.map((digest) => root.blobs.get(digest)!), ...[...root.blobs.values()].filter((blob) => !first.includes(blob.digest)), ...blobs.blobs.values()].filter((blob) => !seen.has(blob.digest) && seen.add(blob.digest));
  const total = OCI_LAYOUT.length + layoutIndex.length + ordered.reduce((sum, blob) => sum + blob.size, 0);
  let written = 0;
  let done = 0;
  const header = (name: string, size: number) => ({ name, size, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' });
  const add = async (name: string, size: number, open: () => Promise<Readable> | Readable, digest: string | null) => {
    const target = pack.entry(header(name, size));
    const hasher = new DigestStream();
    await pipeline(await open(), hasher, counter((delta) => progress({ type: 'bytes', written: (written += delta), total, blobs: done, totalBlobs: ordered.length })), target);
    // digest() may be called once: the hash is final after it.
    const actual = hasher.digest();
    if (digest && (actual !== digest || hasher.bytes !== size)) {
      throw bundleError('BUNDLE_SOURCE_CORRUPT', `blob ${digest} from the image source does not match its digest or size (got ${actual}, ${hasher.bytes} bytes)`, { hint: 'the source image is damaged: re-copy it, then create the bundle again' });
    }
  };
  await add('oci-layout', OCI_LAYOUT.length, () => Readable.from([OCI_LAYOUT]), null);
  await add('index.json', layoutIndex.length, () => Readable.from([layoutIndex]), null);
  for (const blob of ordered) {
    await add(`blobs/sha256/${blob.digest.slice(7)}`, blob.size, () => blob.open(), blob.digest);
    done++;
    progress({ type: 'bytes', written, total, blobs: done, totalBlobs: ordered.length });
  }
  pack.finalize();
  await finished;
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
