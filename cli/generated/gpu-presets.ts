// DO NOT EDIT. Generated from schemas/gpu-presets.schema.json by scripts/generate.mjs (npm run generate).

/**
 * This interface was referenced by `GpuPresets`'s JSON-Schema
 * via the `definition` "gpus".
 */
export type Gpus = 1 | 2 | 4 | 8;

/**
 * GPU products and the node shapes (with GPU counts) each cloud offers for them.
 */
export interface GpuPresets {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "GpuPresets";
  products: {
    [k: string]: GpuProductPreset | undefined;
  };
}
/**
 * This interface was referenced by `GpuPresets`'s JSON-Schema
 * via the `definition` "product".
 */
export interface GpuProductPreset {
  displayName: string;
  memoryGiB: number;
  /**
   * the nvidia.com/gpu.product label GPU Feature Discovery puts on on-prem nodes
   */
  gpuFeatureDiscoveryProduct: string;
  /**
   * @minItems 1
   */
  aws?: [AwsGpuShape, ...AwsGpuShape[]];
  /**
   * @minItems 1
   */
  azure?: [AzureGpuShape, ...AzureGpuShape[]];
  /**
   * @minItems 1
   */
  gcp?: [GcpGpuShape, ...GcpGpuShape[]];
}
export interface AwsGpuShape {
  instanceType: string;
  gpus: Gpus;
}
export interface AzureGpuShape {
  vmSize: string;
  gpus: Gpus;
}
export interface GcpGpuShape {
  machineType: string;
  accelerator: string;
  gpus: Gpus;
}
