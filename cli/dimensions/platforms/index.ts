/** Every Platform value's descriptor: exhaustive over PlatformId, so a value without a descriptor does not compile. */
import type { PlatformDescriptor, PlatformId } from '../types.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { gcp } from './gcp.js';
import { onprem } from './onprem.js';

export const PLATFORMS: Readonly<Record<PlatformId, PlatformDescriptor>> = {
  aws,
  azure,
  gcp,
  onprem,
};

export function platformDescriptor(id: PlatformId): PlatformDescriptor {
  return PLATFORMS[id];
}
