import type { ModelHostingDescriptor } from '../types.js';

export const cloudManaged: ModelHostingDescriptor = {
  id: 'cloud-managed',
  label: "the cloud's managed model service",
};
