import type { ModelHostingDescriptor } from '../types.js';

export const selfHosted: ModelHostingDescriptor = {
  id: 'self-hosted',
  label: 'self-hosted model servers',
};
