/**
 * The relocation map `bundle push` writes and `render --relocate` reads: every item's source
 * reference and where it now lives in the customer's registry, pinned by digest
 * (schemas/bundle.schema.json #/$defs/relocationMap).
 */
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../lib/errors.js';
import { DIGEST } from '../oci/types.js';
import type { RelocationMap } from '../generated/bundle.js';
import type { PushItem } from './push-plan.js';
import { targetReference, type PushTarget } from './push-target.js';

export type { RelocationEntry, RelocationMap } from '../generated/bundle.js';

export function relocationMap(target: PushTarget, rootDigest: string, items: PushItem[]): RelocationMap {
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'RelocationMap',
    registry: target.prefix ? `${target.host}/${target.prefix}` : target.host,
    rootDigest,
    entries: items.map((item) => ({ kind: item.kind, source: item.source, target: targetReference(target, item.repository, item.digest), digest: item.digest })),
  };
}

function invalid(file: string, message: string): UserError {
  return new UserError(`${file}: ${message}`, { code: 'RELOCATION_MAP_INVALID', hint: 'use the .relocation.json file written by installctl bundle push' });
}

/** Reads and checks a relocation map: source image reference -> target reference by digest. */
export function readRelocationMap(file: string): { map: RelocationMap; images: Map<string, string> } {
  if (!existsSync(file)) throw new UserError(`no such relocation map: ${file}`, { code: 'FILE_NOT_FOUND', hint: 'bundle push writes <bundle>.relocation.json next to the bundle' });
  let map: RelocationMap;
  try {
    map = JSON.parse(readFileSync(file, 'utf8')) as RelocationMap;
  } catch (error) {
    throw invalid(file, `not JSON (${(error as Error).message})`);
  }
  if (map?.kind !== 'RelocationMap' || !Array.isArray(map.entries)) throw invalid(file, 'expected kind RelocationMap with entries');
  const images = new Map<string, string>();
  map.entries.forEach((entry, index) => {
    const at = typeof entry?.target === 'string' ? entry.target.lastIndexOf('@') : -1;
    if (typeof entry?.source !== 'string' || at === -1 || !DIGEST.test(entry.target.slice(at + 1))) throw invalid(file, `entries[${index}] needs a source and a target pinned by digest (HOST/REPOSITORY@sha256:...)`);
    if (entry.kind === 'image') images.set(entry.source, entry.target);
  });
  return { map, images };
}
