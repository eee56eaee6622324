/**
 * The relocation map `bundle push` writes and `render --relocate` reads: every item's source
 * reference and where it now lives in the customer's registry, pinned by digest
 * (schemas/bundle.schema.json #/$defs/relocationMap). Both sides keep the rules of
 * relocation-check.ts: push refuses to make a map render would refuse.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../lib/errors.js';
import { readFileCapped, SIZE_CAPS } from '../lib/read-capped.js';
import type { RelocationMap } from '../generated/bundle.js';
import type { PushItem } from './push-plan.js';
import { targetReference, type PushTarget } from './push-target.js';
import { checkRelocationMap, type CheckedRelocationMap } from './relocation-check.js';
import { visibleLine } from '../lib/visible-text.js';

export type { RelocationEntry, RelocationMap } from '../generated/bundle.js';
export type { RelocatedImage } from './relocation-check.js';

/**
 * The map for a push of these items; platform is the bundle's --platform (image entries then pin
 * that platform's manifest). Throws a RELOCATION_* user error, before anything is sent, when the
 * registry or a repository the bundle names would make a map render refuses.
 */
export function relocationMap(target: PushTarget, rootDigest: string, items: PushItem[], platform: string | null = null): RelocationMap {
  const registry = target.prefix ? `${target.host}/${target.prefix}` : target.host;
  const map: RelocationMap = {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'RelocationMap',
    registry,
    ...(platform ? { platform } : {}),
    rootDigest,
    // The tag is informative (retention keeps the manifest); the target render uses stays pinned by digest.
    entries: items.map((item) => {
      const tag = item.manifests.find((manifest) => manifest.tag)?.tag;
      return { kind: item.kind, source: item.source, target: targetReference(target, item.repository, item.digest), digest: item.digest, ...(tag ? { tag } : {}) };
    }),
  };
  checkRelocationMap(map, {
    origin: `the relocation map for --registry ${registry}`,
    hint: 'bundle push writes only maps render --relocate accepts: push to a private registry (lowercase HOST[:PORT][/PREFIX]) a bundle made by installctl bundle create',
    // Push holds the bundle itself: its manifest records which platform manifest each image became.
    allowPlatformNarrowed: platform !== null,
  });
  return map;
}

export interface ReadRelocationMap extends CheckedRelocationMap {
  /** SHA-256 (hex) of the bytes read: the map render used. */
  sha256: string;
}

/** Reads a relocation map once (size-capped), hashes those bytes and checks every rule. */
export function readRelocationMap(file: string, options: { allowPlatformNarrowed?: boolean } = {}): ReadRelocationMap {
  const bytes = readFileCapped(file, {
    what: 'relocation map',
    maxBytes: SIZE_CAPS.relocationMap,
    tooLargeCode: 'RELOCATION_MAP_TOO_LARGE',
    hint: 'bundle push writes <bundle>.<registry>.relocation.json next to the bundle; pass that file',
  });
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    // V8 quotes the input in its message: shortened and escaped, like every value from a map.
    const reason = (error as Error).message;
    throw new UserError(visibleLine(`${file}: not JSON (${reason.length > 200 ? `${reason.slice(0, 200)}...` : reason})`), {
      code: 'RELOCATION_MAP_INVALID',
      hint: 'use the .relocation.json file written by installctl bundle push',
    });
  }
  return {
    ...checkRelocationMap(data, { origin: file, hint: null, allowPlatformNarrowed: options.allowPlatformNarrowed ?? false }),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
