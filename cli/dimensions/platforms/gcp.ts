import type { PlatformDescriptor } from '../types.js';

export const gcp: PlatformDescriptor = {
  id: 'gcp',
  label: 'Google Cloud',
};
