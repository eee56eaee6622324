/** The dimension descriptors: one module per dimension value, one exhaustive map per dimension. */
export type * from './types.js';
export { PLATFORMS, platformDescriptor, platformOf } from './platforms/index.js';
import { PLATFORMS } from './platforms/index.js';
export { SCMS, isScmId, scmDescriptor, scmOf } from './scms/index.js';
export { MODEL_HOSTINGS, modelHostingDescriptor } from './model-hostings/index.js';
export { NETWORKS, networkDescriptor } from './networks/index.js';
export { cellDescriptors, type CellDescriptors } from './cell.js';

/** Whether every platform's stack builds this Kubernetes minor version: the versions init may default to. */
export function builtOnEveryPlatform(version: string): boolean {
  return Object.values(PLATFORMS).every((descriptor) => descriptor.emit.buildsKubernetesVersion?.(version) ?? true);
}
