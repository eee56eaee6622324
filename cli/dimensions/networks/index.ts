/** Every Network value's descriptor: exhaustive over NetworkId, so a value without a descriptor does not compile. */
import type { NetworkDescriptor, NetworkId } from '../types.js';
import { connected } from './connected.js';
import { airGapped } from './air-gapped.js';

export const NETWORKS: Readonly<Record<NetworkId, NetworkDescriptor>> = {
  connected,
  'air-gapped': airGapped,
};

export function networkDescriptor(id: NetworkId): NetworkDescriptor {
  return NETWORKS[id];
}
