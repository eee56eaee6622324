/**
 * What `bundle push` sends, in order: per repository its blobs, then its manifests children first
 * (platform manifests before their index), tags last; the root index at the very end. Every
 * top-level item carries a tag (push-tags.ts), checked by the tag grammar here.
 */
import { isIndex, isManifest, MEDIA } from '../oci/types.js';
import type { BundleFile } from './reader.js';
import { BUNDLE_RECORD_REPOSITORY } from './manifest.js';
import { checkedTag, imageTag } from './push-tags.js';

export interface PushManifest {
  digest: string;
  mediaType: string;
  size: number;
  /** Tag to set once the manifest is in (top-level items only). */
  tag: string | null;
}

export interface PushItem {
  kind: 'image' | 'chart' | 'render' | 'plugins' | 'weights' | 'bundle';
  /** The reference the item is known by at the source (images) or its name (artifacts). */
  source: string;
  /** Repository path under the target prefix. */
  repository: string;
  blobs: Array<{ digest: string; size: number }>;
  /** In push order: children before parents. */
  manifests: PushManifest[];
  /** The item's top-level digest (what the relocation map points at). */
  digest: string;
}

function walk(bundle: BundleFile, digest: string, mediaType: string, size: number, tag: string | null): { blobs: Map<string, number>; manifests: PushManifest[] } {
  const blobs = new Map<string, number>();
  const manifests: PushManifest[] = [];
  // Each document once: an index listing the same child many times costs one visit, not one per path.
  const visited = new Set<string>();
  const visit = (current: { digest: string; mediaType: string; size: number }, currentTag: string | null) => {
    if (visited.has(current.digest)) return;
    visited.add(current.digest);
    if (isIndex(current.mediaType)) {
      for (const child of bundle.index(current.digest).manifests) visit(child, null);
    } else if (isManifest(current.mediaType)) {
      const manifest = bundle.imageManifest(current.digest);
      for (const blob of [manifest.config, ...manifest.layers]) blobs.set(blob.digest, blob.size);
    }
    manifests.push({ digest: current.digest, mediaType: current.mediaType, size: current.size, tag: currentTag });
  };
  visit({ digest, mediaType, size }, tag);
  return { blobs, manifests };
}

export function pushPlan(bundle: BundleFile): PushItem[] {
  const { manifest } = bundle;
  const size = (digest: string) => bundle.entryOf(digest)?.size ?? 0;
  const item = (kind: PushItem['kind'], source: string, repository: string, digest: string, mediaType: string, tag: string | null): PushItem => {
    const { blobs, manifests } = walk(bundle, digest, mediaType, size(digest), tag);
    return { kind, source, repository, blobs: [...blobs].map(([blob, bytes]) => ({ digest: blob, size: bytes })), manifests, digest };
  };
  return [
    // Every image under a tag too (its own, else the release): untagged manifests are what registry retention deletes.
    ...manifest.images.map((image) => item('image', image.source, image.repository, image.digest, image.mediaType, imageTag(image, manifest.release))),
    ...manifest.charts.map((chart) => item('chart', chart.name, chart.repository, chart.digest, chart.mediaType, chart.tag)),
    item('render', manifest.render.name, manifest.render.repository, manifest.render.digest, manifest.render.mediaType, manifest.render.tag),
    item(
      'plugins',
      manifest.plugins.artifact.name,
      manifest.plugins.artifact.repository,
      manifest.plugins.artifact.digest,
      manifest.plugins.artifact.mediaType,
      manifest.plugins.artifact.tag,
    ),
    ...manifest.weightArtifacts.map((weights) => item('weights', weights.name, weights.repository, weights.digest, weights.mediaType, weights.tag)),
    // Last: the root index (the signed digest) with everything under it, so its presence in the
    // registry says the bundle was delivered whole; its blobs are mounts, not uploads.
    item(
      'bundle',
      `${manifest.install}-${manifest.release}`,
      BUNDLE_RECORD_REPOSITORY,
      bundle.rootDigest,
      MEDIA.index,
      checkedTag(`${manifest.install}-${manifest.release}`, 'the root index'),
    ),
  ];
}
