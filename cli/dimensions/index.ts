/** The dimension descriptors: one module per dimension value, one exhaustive map per dimension. */
export type * from './types.js';
export { PLATFORMS, platformDescriptor, platformOf } from './platforms/index.js';
export { SCMS, isScmId, scmDescriptor, scmOf } from './scms/index.js';
export { MODEL_HOSTINGS, modelHostingDescriptor } from './model-hostings/index.js';
export { NETWORKS, networkDescriptor } from './networks/index.js';
export { cellDescriptors, type CellDescriptors } from './cell.js';
