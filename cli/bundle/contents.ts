/**
 * What goes into a bundle, gathered before anything is written: images (from a layout or a registry,
 * optionally one platform), both charts as Helm OCI artifacts, the rendered output, the Pulumi
 * plugin list (with archives from --plugins-dir), model weights described or included as layers
 * below 5 GiB. Each blob knows its size, media type and how to stream itself.
 */
import { createReadStream, existsSync, readdirSync, statSync, type ReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { compareText } from '../lib/compare.js';
import { ARTIFACT, MEDIA, parseReference, sha256, type Descriptor, type ImageManifest } from '../oci/types.js';
import { projectPins } from '../emit/pulumi-project.js';
import { chartDir, chartYamlFor } from '../emit/charts.js';
import type { InstallSettings } from '../../stacks/settings.js';
import type { Install } from '../generated/install-spec.js';
import { packageChart } from './chart-package.js';
import { imageDescriptors, selectPlatform, type ImageSource } from './image-sources.js';
import type { BundleArtifact, BundleImage, BundlePlugin, BundleWeights } from './manifest.js';
import type { Platform } from '../oci/types.js';
import { platformDescriptor } from '../dimensions/index.js';

export interface BlobSource extends Pick<Descriptor, 'digest' | 'size' | 'mediaType'> {
  open(): Promise<Readable> | Readable;
}

export class BlobSet {
  readonly blobs = new Map<string, BlobSource>();
  /** Bytes counted once per reference (what a naive copy would move), for the size report. */
  referencedBytes = 0;

  add(blob: BlobSource): void {
    this.referencedBytes += blob.size;
    if (!this.blobs.has(blob.digest)) this.blobs.set(blob.digest, blob);
  }

  bytes(content: Buffer, mediaType: string): Descriptor {
    const descriptor = { mediaType, digest: sha256(content), size: content.length };
    this.add({ ...descriptor, open: () => Readable.from([content]) });
    return descriptor;
  }

  json(value: unknown, mediaType: string): Descriptor {
    return this.bytes(Buffer.from(JSON.stringify(value)), mediaType);
  }

  get uniqueBytes(): number {
    return [...this.blobs.values()].reduce((sum, blob) => sum + blob.size, 0);
  }
}

const EMPTY_CONFIG = Buffer.from('{}');

/** An artifact manifest (image-spec 1.1 style) with the given layers. */
export function artifactManifest(blobs: BlobSet, artifactType: string, layers: Descriptor[], config?: Descriptor, annotations: Record<string, string> = {}): Descriptor {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    artifactType,
    config: config ?? blobs.bytes(EMPTY_CONFIG, MEDIA.empty),
    layers,
    annotations,
  };
  return blobs.json(manifest, MEDIA.manifest);
}

export async function addImages(
  blobs: BlobSet,
  source: ImageSource,
  references: string[],
  platform: Platform | null,
  onImage?: (done: number, reference: string) => void,
): Promise<BundleImage[]> {
  const images: BundleImage[] = [];
  for (const reference of references) {
    const { repository, tag } = parseReference(reference);
    const top = await selectPlatform(source, repository, await source.describe(reference), platform);
    for (const descriptor of await imageDescriptors(source, repository, top))
      blobs.add({ ...descriptor, open: () => source.open(repository, descriptor.digest, descriptor.mediaType) });
    images.push({ source: reference, repository, tag, digest: top.digest, mediaType: top.mediaType });
    onImage?.(images.length, reference);
  }
  return images;
}

/** Both charts as the release ships them (its version, appVersion and kubeVersion in Chart.yaml). */
export async function addCharts(blobs: BlobSet, release: string): Promise<BundleArtifact[]> {
  const charts: BundleArtifact[] = [];
  for (const name of ['agent-platform', 'model-server'] as const) {
    const chart = await packageChart(chartDir(name), chartYamlFor(name, release));
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: blobs.bytes(chart.config, MEDIA.helmConfig),
      layers: [blobs.bytes(chart.tgz, MEDIA.helmChart)],
      annotations: { 'org.opencontainers.image.title': chart.name, 'org.opencontainers.image.version': chart.version },
    };
    const descriptor = blobs.json(manifest, MEDIA.manifest);
    charts.push({ name: chart.name, repository: `charts/${chart.name}`, tag: chart.version, digest: descriptor.digest, mediaType: MEDIA.manifest });
  }
  return charts;
}

/** The rendered files as one deterministic tar layer. */
export async function addRender(blobs: BlobSet, files: Map<string, string>, settings: InstallSettings): Promise<BundleArtifact> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const [path, content] of [...files].sort(([a], [b]) => compareText(a, b))) {
    pack.entry({ name: path, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' }, content);
  }
  pack.finalize();
  await done;
  const layer = blobs.bytes(Buffer.concat(chunks), MEDIA.render);
  const descriptor = artifactManifest(blobs, ARTIFACT.render, [{ ...layer, annotations: { 'org.opencontainers.image.title': `${settings.name}-render.tar` } }]);
  return { name: `${settings.name}-render`, repository: 'installctl/render', tag: `${settings.name}-${settings.release}`, digest: descriptor.digest, mediaType: MEDIA.manifest };
}

export async function addPlugins(blobs: BlobSet, settings: InstallSettings, pluginsDir: string | null): Promise<{ artifact: BundleArtifact; list: BundlePlugin[] }> {
  const pkg = platformDescriptor(settings.platform).emit.pulumiProvider;
  const list: BundlePlugin[] = [];
  const layers: Descriptor[] = [];
  if (pkg) {
    const name = pkg.replace('@pulumi/', '');
    const version = projectPins(settings.release)[pkg];
    const archives =
      pluginsDir && existsSync(pluginsDir)
        ? readdirSync(pluginsDir)
            .filter((file) => file.startsWith(`pulumi-resource-${name}-v${version}-`) && file.endsWith('.tar.gz'))
            .sort(compareText)
        : [];
    if (archives.length === 0) list.push({ name, kind: 'resource', version, archive: null, file: null });
    for (const file of archives) {
      const path = join(pluginsDir!, file);
      const { digest } = await hashParts(path, Number.MAX_SAFE_INTEGER);
      const size = statSync(path).size;
      blobs.add({ digest, size, mediaType: MEDIA.plugin, open: () => createReadStream(path) });
      layers.push({ mediaType: MEDIA.plugin, digest, size, annotations: { 'org.opencontainers.image.title': file } });
      list.push({ name, kind: 'resource', version, archive: digest, file });
    }
  }
  const config = blobs.json({ plugins: list }, MEDIA.pluginList);
  const descriptor = artifactManifest(blobs, ARTIFACT.plugins, layers, config);
  return { artifact: { name: 'pulumi-plugins', repository: 'installctl/pulumi-plugins', tag: settings.release, digest: descriptor.digest, mediaType: MEDIA.manifest }, list };
}

/** Streams a file once, hashing it whole and in parts of partSize bytes. */
async function hashParts(path: string, partSize: number): Promise<{ digest: string; parts: Array<{ offset: number; size: number; digest: string }> }> {
  const whole = createHash('sha256');
  const parts: Array<{ offset: number; size: number; digest: string }> = [];
  let part = createHash('sha256');
  let partStart = 0;
  let position = 0;
  const stream: ReadStream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    whole.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, partSize - (position - partStart));
      part.update(chunk.subarray(offset, offset + take));
      offset += take;
      position += take;
      if (position - partStart === partSize) {
        parts.push({ offset: partStart, size: partSize, digest: `sha256:${part.digest('hex')}` });
        part = createHash('sha256');
        partStart = position;
      }
    }
  }
  if (position > partStart || parts.length === 0) parts.push({ offset: partStart, size: position - partStart, digest: `sha256:${part.digest('hex')}` });
  return { digest: `sha256:${whole.digest('hex')}`, parts };
}

/** Layers of at most this size (registries and proxies refuse blobs of 5 GiB and more). */
export const WEIGHTS_PART_SIZE = 4 * 1024 ** 3;

export async function addWeights(
  blobs: BlobSet,
  install: Install,
  options: { dir: string | null; include: boolean; partSize: number; onFile?: (file: string, size: number) => void },
): Promise<{ weights: BundleWeights[]; artifacts: BundleArtifact[] }> {
  const models = install.spec.models;
  if (models.hosting !== 'self-hosted') return { weights: [], artifacts: [] };
  const weights: BundleWeights[] = [];
  const artifacts: BundleArtifact[] = [];
  for (const model of models.catalog) {
    const source = model.weights?.source ?? 'pvc';
    const dir = options.dir ? join(options.dir, model.name) : null;
    if (!dir || !existsSync(dir)) {
      const manifest = model.weights?.source === 'oci' ? (parseReference(model.weights.reference).digest ?? null) : null;
      weights.push({ model: model.name, source, included: false, manifest, files: [] });
      continue;
    }
    const files: BundleWeights['files'] = [];
    const layers: Descriptor[] = [];
    for (const file of walk(dir)) {
      const path = join(dir, file);
      const hashed = await hashParts(path, options.partSize);
      const size = statSync(path).size;
      files.push({ path: file, size, digest: hashed.digest });
      options.onFile?.(`${model.name}/${file}`, size);
      if (!options.include) continue;
      hashed.parts.forEach((part, index) => {
        const title = hashed.parts.length > 1 ? `${file}.part-${String(index + 1).padStart(4, '0')}` : file;
        const end = part.offset + part.size - 1;
        blobs.add({
          digest: part.digest,
          size: part.size,
          mediaType: MEDIA.weights,
          open: () => createReadStream(path, part.size ? { start: part.offset, end } : { start: 0, end: -1 }),
        });
        layers.push({
          mediaType: MEDIA.weights,
          digest: part.digest,
          size: part.size,
          annotations: { 'org.opencontainers.image.title': title, 'dev.installctl.weights.file': file, 'dev.installctl.weights.offset': String(part.offset) },
        });
      });
    }
    let manifest: string | null = null;
    if (options.include) {
      const descriptor = artifactManifest(blobs, ARTIFACT.weights, layers, blobs.json({ model: model.name, files }, MEDIA.weightsConfig));
      manifest = descriptor.digest;
      artifacts.push({ name: model.name, repository: `models/${model.name}`, tag: 'weights', digest: descriptor.digest, mediaType: MEDIA.manifest });
    }
    weights.push({ model: model.name, source, included: options.include, manifest, files });
  }
  return { weights, artifacts };
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix))
    .sort(compareText)
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry}` : entry;
      return statSync(join(dir, relative)).isDirectory() ? walk(dir, relative) : [relative];
    });
}
