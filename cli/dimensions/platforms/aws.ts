import type { PlatformDescriptor } from '../types.js';

export const aws: PlatformDescriptor = {
  id: 'aws',
  label: 'AWS',
};
