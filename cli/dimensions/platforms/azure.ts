import type { PlatformDescriptor } from '../types.js';

export const azure: PlatformDescriptor = {
  id: 'azure',
  label: 'Azure',
};
