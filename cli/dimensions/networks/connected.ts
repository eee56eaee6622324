import type { NetworkDescriptor } from '../types.js';

export const connected: NetworkDescriptor = {
  id: 'connected',
  label: 'connected',
};
