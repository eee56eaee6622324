import type { NetworkDescriptor } from '../types.js';

export const airGapped: NetworkDescriptor = {
  id: 'air-gapped',
  label: 'air-gapped',
};
