/** Every ModelHosting value's descriptor: exhaustive over ModelHostingId, so a value without a descriptor does not compile. */
import type { ModelHostingDescriptor, ModelHostingId } from '../types.js';
import { saasApi } from './saas-api.js';
import { cloudManaged } from './cloud-managed.js';
import { selfHosted } from './self-hosted.js';

export const MODEL_HOSTINGS: Readonly<Record<ModelHostingId, ModelHostingDescriptor>> = {
  'saas-api': saasApi,
  'cloud-managed': cloudManaged,
  'self-hosted': selfHosted,
};

export function modelHostingDescriptor(id: ModelHostingId): ModelHostingDescriptor {
  return MODEL_HOSTINGS[id];
}
