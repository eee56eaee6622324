/** The GPU preset table (matrix/gpu-presets.yaml): which node shapes each cloud offers per GPU product. */
import type { PlatformId } from '../dimensions/index.js';
import type { GpuPresets, GpuProductPreset } from '../generated/gpu-presets.js';
import validateGpuPresets from '../generated/gpu-presets.validator.js';
import shippedPresets from '../../matrix/gpu-presets.yaml';

/**
 * The platforms the preset table lists node shapes for: the per-cloud keys of its schema
 * (schemas/gpu-presets.schema.json). Any other platform brings its own GPU nodes (on-prem:
 * gpuPool.gpusPerNode).
 */
export type CloudPlatform = Extract<keyof GpuProductPreset, PlatformId>;

export interface GpuShape {
  /** instance type (aws), VM size (azure) or machine type (gcp) */
  name: string;
  gpus: number;
  /** GKE accelerator type (gcp only) */
  accelerator?: string;
}

/** How each cloud's preset entries read as node shapes: exhaustive over CloudPlatform. */
const SHAPES: Readonly<Record<CloudPlatform, (preset: GpuProductPreset) => GpuShape[]>> = {
  aws: (preset) => (preset.aws ?? []).map((shape) => ({ name: shape.instanceType, gpus: shape.gpus })),
  azure: (preset) => (preset.azure ?? []).map((shape) => ({ name: shape.vmSize, gpus: shape.gpus })),
  gcp: (preset) => (preset.gcp ?? []).map((shape) => ({ name: shape.machineType, gpus: shape.gpus, accelerator: shape.accelerator })),
};

/** Whether the preset table lists node shapes for the platform (else its spec gives gpuPool.gpusPerNode). */
export function offersGpuPresets(platform: PlatformId): platform is CloudPlatform {
  return Object.hasOwn(SHAPES, platform);
}

let shipped: GpuPresets | undefined;

export function gpuPresets(): GpuPresets {
  if (!shipped) {
    const data = shippedPresets;
    if (!validateGpuPresets(data)) throw new Error(`matrix/gpu-presets.yaml does not match its schema: ${JSON.stringify(validateGpuPresets.errors)}`);
    shipped = data as GpuPresets;
  }
  return shipped;
}

export function productPreset(product: string, presets: GpuPresets = gpuPresets()): GpuProductPreset | undefined {
  return Object.hasOwn(presets.products, product) ? presets.products[product] : undefined;
}

/** The node shapes a cloud offers for a GPU product, smallest first; empty when it offers none. */
export function shapesFor(product: string, platform: CloudPlatform, presets: GpuPresets = gpuPresets()): GpuShape[] {
  const preset = productPreset(product, presets);
  if (!preset) return [];
  const shapes = SHAPES[platform](preset);
  return shapes.sort((a, b) => a.gpus - b.gpus);
}

/** The GPU products a cloud offers at all. */
export function productsOn(platform: CloudPlatform, presets: GpuPresets = gpuPresets()): string[] {
  return Object.keys(presets.products).filter((product) => shapesFor(product, platform, presets).length > 0);
}

/**
 * The zones of a GCP region that offer a GKE accelerator type (matrix/gpu-presets.yaml
 * gcpAcceleratorZones): null when the table does not list the region (we do not know), an empty
 * list when it lists the region but no zone there offers the accelerator.
 */
export function gcpAcceleratorZones(region: string, accelerator: string, presets: GpuPresets = gpuPresets()): string[] | null {
  const regions = presets.gcpAcceleratorZones?.regions ?? {};
  if (!Object.hasOwn(regions, region)) return null;
  const accelerators = regions[region]!;
  return Object.hasOwn(accelerators, accelerator) ? [...accelerators[accelerator]!] : [];
}
