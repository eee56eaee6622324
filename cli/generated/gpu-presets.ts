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
  gcpAcceleratorZones?: GcpAcceleratorZones;
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
/**
 * The zones of each GCP region that offer each GKE accelerator type: the GKE GPU node pool's nodeLocations, and validate's check that the spec's region offers its GPU at all.
 */
export interface GcpAcceleratorZones {
  /**
   * where the table comes from
   */
  source: string;
  regions: {
    /**
     * accelerator type -> the region's zones offering it (an accelerator absent here is offered in no zone of the region)
     */
    [k: string]:
      | {
          /**
           * @minItems 1
           */
          [k: string]: [string, ...string[]] | undefined;
        }
      | undefined;
  };
}
