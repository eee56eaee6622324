/**
 * Which artifact of a bundle each blob belongs to: the image (by its source reference), the chart
 * (name:version), the model's weights, the rendered files, the Pulumi plugins, or the bundle's own
 * record. Verify names them beside a missing or corrupted blob, so "sha256:3f2a..." becomes "the
 * layer of image ghcr.io/vendor/api:1.4 / weights of qwen2.5-coder-32b file model.safetensors".
 * A damaged document cannot be walked: what it referenced stays unnamed, the rest still is.
 */
import { isIndex, isManifest, MEDIA } from '../oci/types.js';
import type { BundleFile } from './reader.js';

export interface BlobOwner {
  kind: 'image' | 'chart' | 'render' | 'plugins' | 'weights' | 'bundle';
  /** The image's source reference, chart name:version, model, artifact name, or part of the bundle's own chain. */
  name: string;
  /** The file a layer carries (its org.opencontainers.image.title), when it names one. */
  file: string | null;
}

const TITLE = 'org.opencontainers.image.title';

export function blobOwners(bundle: BundleFile): Map<string, BlobOwner[]> {
  const owners = new Map<string, BlobOwner[]>();
  const add = (digest: string, owner: BlobOwner) => {
    const list = owners.get(digest) ?? [];
    if (!list.some((known) => known.kind === owner.kind && known.name === owner.name && known.file === owner.file)) list.push(owner);
    owners.set(digest, list);
  };
  const walk = (kind: BlobOwner['kind'], name: string, digest: string, mediaType: string) => {
    const visited = new Set<string>();
    const visit = (current: string, type: string) => {
      if (visited.has(current)) return;
      visited.add(current);
      add(current, { kind, name, file: null });
      try {
        if (isIndex(type)) for (const child of bundle.index(current).manifests) visit(child.digest, child.mediaType);
        else if (isManifest(type)) {
          const manifest = bundle.imageManifest(current);
          add(manifest.config.digest, { kind, name, file: null });
          for (const layer of manifest.layers) add(layer.digest, { kind, name, file: layer.annotations?.[TITLE] ?? null });
        }
      } catch {
        // Missing or damaged: verify reports the document itself; its children stay unnamed.
      }
    };
    visit(digest, mediaType);
  };
  const { manifest } = bundle;
  for (const image of manifest.images) walk('image', image.source, image.digest, image.mediaType);
  for (const chart of manifest.charts) walk('chart', `${chart.name}:${chart.tag}`, chart.digest, chart.mediaType);
  walk('render', manifest.render.name, manifest.render.digest, manifest.render.mediaType);
  walk('plugins', manifest.plugins.artifact.name, manifest.plugins.artifact.digest, manifest.plugins.artifact.mediaType);
  for (const weights of manifest.weightArtifacts) walk('weights', weights.name, weights.digest, weights.mediaType);
  // The bundle's own chain (what the signature covers).
  add(bundle.rootDigest, { kind: 'bundle', name: 'root index', file: null });
  add(bundle.recordDigest, { kind: 'bundle', name: 'bundle record', file: null });
  add(bundle.record.config.digest, { kind: 'bundle', name: 'bundle record', file: null });
  for (const layer of bundle.record.layers) add(layer.digest, { kind: 'bundle', name: layer.mediaType === MEDIA.bundleManifest ? 'bundle manifest' : 'bundle record', file: null });
  return owners;
}

/** "image ghcr.io/vendor/api:1.4", "weights qwen2.5-coder-32b file model.safetensors". */
export function describeOwner(owner: BlobOwner): string {
  return `${owner.kind === 'bundle' ? '' : `${owner.kind} `}${owner.name}${owner.file ? ` file ${owner.file}` : ''}`;
}
