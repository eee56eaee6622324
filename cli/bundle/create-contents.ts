/**
 * `bundle create`, gathering: every item the site needs (images, charts, the render, plugins,
 * weights: contents.ts) added to one blob set, the bytes each kind adds after deduplication, and the
 * bundle manifest that lists them. Nothing is written here.
 */
import { packageVersion } from '../lib/package-root.js';
import type { Install } from '../generated/install-spec.js';
import type { Platform } from '../oci/types.js';
import type { InstallSettings } from '../../stacks/settings.js';
import type { ImageSource } from './image-sources.js';
import { addCharts, addImages, addPlugins, addRender, addWeights, BlobSet, WEIGHTS_PART_SIZE } from './contents.js';
import type { BundleArtifact, BundleImage, BundleManifest, BundlePlugin, BundleWeights } from './manifest.js';
import type { CreateEvent } from './create-progress.js';

export interface SizeReport {
  images: number;
  blobs: number;
  /** Bytes counted per reference: what copying each item separately would move. */
  totalBytes: number;
  /** Bytes after deduplication: what the bundle holds. */
  uniqueBytes: number;
  byKind: Record<'images' | 'charts' | 'render' | 'plugins' | 'weights', number>;
}

export interface GatherInput {
  install: Install;
  settings: InstallSettings;
  /** The rendered files (emit/render-files.ts); images.txt names the images. */
  files: Map<string, string>;
  platform: Platform | null;
  pluginsDir: string | null;
  weights: { dir: string | null; include: boolean; partSize?: number };
}

export interface Gathered {
  images: BundleImage[];
  charts: BundleArtifact[];
  render: BundleArtifact;
  plugins: { artifact: BundleArtifact; list: BundlePlugin[] };
  weights: { weights: BundleWeights[]; artifacts: BundleArtifact[] };
  byKind: SizeReport['byKind'];
}

/** Adds every item to blobs, kind by kind, telling progress each phase. */
export async function gatherContents(blobs: BlobSet, source: ImageSource, input: GatherInput, progress: (event: CreateEvent) => void): Promise<Gathered> {
  const { install, settings, files, platform } = input;
  const references = files.get('images.txt')!.trim().split('\n').filter(Boolean);
  const kindBytes = (before: number) => blobs.uniqueBytes - before;
  const byKind = { images: 0, charts: 0, render: 0, plugins: 0, weights: 0 };
  let mark = blobs.uniqueBytes;
  progress({ type: 'phase', phase: 'images' });
  const images = await addImages(blobs, source, references, platform, (done, reference) => progress({ type: 'image', done, total: references.length, reference }));
  byKind.images = kindBytes(mark);
  mark = blobs.uniqueBytes;
  progress({ type: 'phase', phase: 'charts' });
  const charts = await addCharts(blobs, settings.release);
  byKind.charts = kindBytes(mark);
  mark = blobs.uniqueBytes;
  const render = await addRender(blobs, files, settings);
  byKind.render = kindBytes(mark);
  mark = blobs.uniqueBytes;
  progress({ type: 'phase', phase: 'plugins' });
  const plugins = await addPlugins(blobs, settings, input.pluginsDir);
  byKind.plugins = kindBytes(mark);
  mark = blobs.uniqueBytes;
  progress({ type: 'phase', phase: 'weights' });
  const weights = await addWeights(blobs, install, {
    dir: input.weights.dir,
    include: input.weights.include,
    partSize: input.weights.partSize ?? WEIGHTS_PART_SIZE,
    onFile: (file, size) => progress({ type: 'weights', file, size }),
  });
  byKind.weights = kindBytes(mark);
  return { images, charts, render, plugins, weights, byKind };
}

/** The bundle manifest: what the bundle holds, the record a site reads first. */
export function bundleManifest(settings: InstallSettings, platform: string | null, gathered: Gathered, blobs: BlobSet): BundleManifest {
  const { images, charts, render, plugins, weights } = gathered;
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'BundleManifest',
    installctl: packageVersion(),
    install: settings.name,
    cell: settings.cell,
    release: settings.release,
    platform,
    images,
    charts,
    render,
    plugins,
    weights: weights.weights,
    weightArtifacts: weights.artifacts,
    blobs: [...blobs.blobs.values()].map(({ digest, size, mediaType }) => ({ digest, size, mediaType })),
  };
}

export function sizeReport(gathered: Gathered, blobs: BlobSet): SizeReport {
  return { images: gathered.images.length, blobs: blobs.blobs.size, totalBytes: blobs.referencedBytes, uniqueBytes: blobs.uniqueBytes, byKind: gathered.byKind };
}
