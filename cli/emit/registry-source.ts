/**
 * The one registry every registry reference of a render is built from (values, the RUNBOOK's pull
 * secret, oci:// chart URLs, mirror paths): the relocation map's registry when rendering with
 * --relocate (the images run from there), else spec.registry.mirror, else the vendor's registry.
 * A map on another registry than the spec's mirror is a warning on connected specs and refused on
 * air-gapped ones unless --allow-other-registry: the operator said where the mirror is.
 */
import { UserError } from '../lib/errors.js';
import { quoteForMessage } from '../lib/visible-text.js';
import type { Issue } from '../schema/issue.js';

/** Where connected installs without a mirror pull images and charts from. */
export const VENDOR_REGISTRY = 'registry.installctl.dev';

export interface RegistrySource {
  /** HOST[:PORT][/PREFIX] the render points at: the map's registry, the spec's mirror or the vendor's registry. */
  registry: string;
  /** Its HOST[:PORT]: what a pull secret authenticates to and the nodes' runtime must trust. */
  host: string;
  /** A mirror of the customer's (the map's or the spec's), not the vendor's registry. */
  mirrored: boolean;
  /** The install's own cloud registry (ECR, ACR, Artifact Registry): the nodes pull with their own identity, no pull secret. */
  nodeIdentity: boolean;
}

/** A registry as compared: lowercase host, the default HTTPS port dropped, the prefix as path components. */
export function normalizeRegistry(text: string): { host: string; path: string[] } {
  const trimmed = text.trim().replace(/^(?:https?|oci):\/\//i, '');
  const [authority = '', ...path] = trimmed.split('/');
  return { host: authority.toLowerCase().replace(/:443$/, ''), path: path.filter((part) => part !== '') };
}

export function sameRegistry(a: string, b: string): boolean {
  const left = normalizeRegistry(a);
  const right = normalizeRegistry(b);
  return left.host === right.host && left.path.length === right.path.length && left.path.every((part, index) => part === right.path[index]);
}

export function registrySource(mirror: string | null, mapRegistry: string | null, cloudRegistry: boolean): RegistrySource {
  const registry = mapRegistry ?? mirror ?? VENDOR_REGISTRY;
  const host = registry.replace(/^(?:https?|oci):\/\//i, '').split('/')[0]!;
  const onMirror = mirror !== null && (mapRegistry === null || sameRegistry(mapRegistry, mirror));
  return { registry, host, mirrored: mapRegistry !== null || mirror !== null, nodeIdentity: cloudRegistry && onMirror };
}

/**
 * Checks the map's registry against the spec's mirror: nothing when they are the same; a
 * RELOCATION_REGISTRY_MISMATCH warning when connected or allowed; refused (exit 2) when air-gapped.
 */
export function checkMapRegistry(
  mapFile: string,
  mapRegistry: string,
  mirror: string | null,
  airGapped: boolean,
  allowOther: boolean,
  specReferences: readonly string[] = [],
): Issue[] {
  if (mirror !== null && sameRegistry(mapRegistry, mirror)) return [];
  const what = `${mapFile} relocates images to ${quoteForMessage(mapRegistry)}, but ${mirror === null ? 'the spec names no registry.mirror' : `spec.registry.mirror is ${quoteForMessage(mirror)}`}`;
  // The map relocates what the bundle carried; references the spec writes itself stay where they are.
  const staying = mirror === null ? [] : specReferences.filter((reference) => normalizeRegistry(reference).host === normalizeRegistry(mirror).host);
  const shown =
    staying
      .slice(0, 5)
      .map((reference) => quoteForMessage(reference))
      .join(', ') + (staying.length > 5 ? `, and ${staying.length - 5} more` : '');
  const consequence = `the images, pull secret and chart URLs of this render point at the map's registry${staying.length ? `; the spec's own weights references stay on the mirror's host: ${shown}` : ''}`;
  if (airGapped && !allowOther) {
    throw new UserError(`${what}: an air-gapped install pulls only from its mirror`, {
      code: 'RELOCATION_REGISTRY_MISMATCH',
      hint: 'push the bundle to spec.registry.mirror and render with that map, or set registry.mirror to the registry you pushed to; --allow-other-registry renders anyway',
      details: { mapRegistry, mirror, specReferences: staying },
    });
  }
  return [
    {
      severity: 'warning',
      code: 'RELOCATION_REGISTRY_MISMATCH',
      path: 'spec.registry.mirror',
      line: null,
      column: null,
      message: `${what}: ${consequence}`,
      hint: airGapped
        ? 'accepted by --allow-other-registry: make sure the nodes can pull from that registry'
        : 'set registry.mirror to the registry you pushed to, or push the bundle to the mirror',
    },
  ];
}

/** The source of a render without a relocation map: the spec's mirror, else the vendor's registry. */
export function specRegistrySource(mirror: string | null, cloudRegistry: boolean): RegistrySource {
  return registrySource(mirror, null, cloudRegistry);
}
