/**
 * A bundle's structure, checked without the network and without reading any layer: every blob a
 * manifest or index references (from the root index and from every item of the bundle manifest)
 * is in the tar with the size its descriptor gives, every blob the bundle manifest lists is there
 * with the listed size, and the tar holds no blob beyond those and the root chain. Verify reports
 * the findings; push refuses before its first request. Each document is read once, so an index that
 * references the same child many times (or a deep chain of them) costs no more than its size.
 */
import { UserError } from '../lib/errors.js';
import { isIndex, isManifest, MEDIA, type Descriptor } from '../oci/types.js';
import { bundleError } from './errors.js';
import type { BundleFile } from './reader.js';

/** Root index -> image index -> platform manifest is 2; nothing installctl writes goes deeper than 3. */
export const MAX_NESTING = 8;

export interface StructureReport {
  missing: Array<{ digest: string; size: number; mediaType: string }>;
  corrupted: Array<{ digest: string; problem: string }>;
  /** Tar names of blobs nothing lists. */
  extra: string[];
}

type Reference = Pick<Descriptor, 'digest' | 'mediaType'> & { size: number | null };

/** The blobs of the root chain: root index, bundle record, its config and the bundle manifest (not listed in the manifest). */
export function chainDigests(bundle: BundleFile): Set<string> {
  return new Set([bundle.rootDigest, bundle.recordDigest, bundle.record.config.digest, ...bundle.record.layers.map((layer) => layer.digest)]);
}

export function inspectStructure(bundle: BundleFile): StructureReport {
  const missing = new Map<string, StructureReport['missing'][number]>();
  const corrupted = new Map<string, string>();
  const visited = new Set<string>();

  const present = (reference: Reference, says: string): boolean => {
    const entry = bundle.entryOf(reference.digest);
    if (!entry) {
      if (!missing.has(reference.digest)) missing.set(reference.digest, { digest: reference.digest, size: reference.size ?? 0, mediaType: reference.mediaType });
      return false;
    }
    if (reference.size !== null && entry.size !== reference.size) {
      if (!corrupted.has(reference.digest)) corrupted.set(reference.digest, `size ${entry.size}, ${says} says ${reference.size}`);
      return false;
    }
    return true;
  };

  const visit = (reference: Reference, depth: number, says: string): void => {
    if (!present(reference, says) || visited.has(reference.digest)) return;
    visited.add(reference.digest);
    if (depth > MAX_NESTING)
      throw bundleError('BUNDLE_INVALID', `${bundle.file} is not an installctl bundle: indexes nest deeper than ${MAX_NESTING} levels at ${reference.digest}`, {
        hint: 'bundles are written by installctl bundle create',
      });
    try {
      if (isIndex(reference.mediaType)) {
        for (const child of bundle.index(reference.digest).manifests) visit(child, depth + 1, `index ${reference.digest}`);
      } else if (isManifest(reference.mediaType)) {
        const manifest = bundle.imageManifest(reference.digest);
        for (const blob of [manifest.config, ...manifest.layers]) present(blob, `manifest ${reference.digest}`);
      }
    } catch (error) {
      if (!(error instanceof UserError) || error.code !== 'BUNDLE_BLOB_CORRUPT') throw error;
      corrupted.set(reference.digest, 'its bytes do not hash to its digest');
    }
  };

  const { manifest } = bundle;
  visit({ digest: bundle.rootDigest, mediaType: MEDIA.index, size: null }, 0, 'index.json');
  const items = [...manifest.images, ...manifest.charts, manifest.render, manifest.plugins.artifact, ...manifest.weightArtifacts];
  for (const item of items) visit({ digest: item.digest, mediaType: item.mediaType, size: null }, 1, 'the bundle manifest');
  const listed = new Set<string>();
  for (const blob of manifest.blobs) {
    listed.add(blob.digest);
    present(blob, 'the bundle manifest');
  }
  const chain = chainDigests(bundle);
  const extra = [...bundle.entries.keys()].filter((name) => name.startsWith('blobs/sha256/') && !listed.has(`sha256:${name.slice(13)}`) && !chain.has(`sha256:${name.slice(13)}`));
  return { missing: [...missing.values()], corrupted: [...corrupted].map(([digest, problem]) => ({ digest, problem })), extra };
}

function some(list: string[]): string {
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
}

/** inspectStructure as a refusal: the first kind of problem found becomes the error (push calls this before any request). */
export function assertStructure(bundle: BundleFile): void {
  const report = inspectStructure(bundle);
  const hint = `run installctl bundle verify ${bundle.file} --key PUB for the full list; re-transfer the bundle`;
  if (report.missing.length)
    throw bundleError('BUNDLE_BLOB_MISSING', `${bundle.file} lacks ${report.missing.length} blob(s) its manifests reference: ${some(report.missing.map((blob) => blob.digest))}`, {
      hint,
      details: { missing: report.missing },
    });
  if (report.corrupted.length)
    throw bundleError(
      'BUNDLE_BLOB_CORRUPT',
      `${bundle.file} holds ${report.corrupted.length} damaged blob(s): ${some(report.corrupted.map((blob) => `${blob.digest} (${blob.problem})`))}`,
      { hint, details: { corrupted: report.corrupted } },
    );
  if (report.extra.length)
    throw bundleError('BUNDLE_BLOB_EXTRA', `${bundle.file} holds ${report.extra.length} blob(s) its manifest does not list: ${some(report.extra)}`, {
      hint,
      details: { extra: report.extra },
    });
}
