/** Every Platform value's descriptor: exhaustive over PlatformId, so a value without a descriptor does not compile. */
import type { PlatformDescriptor, PlatformId, PlatformSpecOf } from '../types.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { gcp } from './gcp.js';
import { onprem } from './onprem.js';

export const PLATFORMS: { readonly [Id in PlatformId]: PlatformDescriptor<Id> } = {
  aws,
  azure,
  gcp,
  onprem,
};

/**
 * The descriptor for a platform value, typed to take any spec `platform` block: PLATFORMS files
 * each value under its own descriptor, so the block handed to it is always the one its methods expect.
 */
export function platformDescriptor(id: PlatformId): PlatformDescriptor {
  return PLATFORMS[id];
}

/** The descriptor of a spec's `platform` block (the usual entry point for emitters). */
export function platformOf(platform: PlatformSpecOf<PlatformId>): PlatformDescriptor {
  return platformDescriptor(platform.type);
}
