/** GPU node pools: which preset shape to use, and how GPU nodes are labelled and tainted. */
import type { GpuShape, Platform } from '../settings.js';

/** Every GPU pool carries this taint; the model-server chart tolerates it. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' } as const;

/** Our own pool label (the clouds add their accelerator labels themselves). */
export const GPU_POOL_LABEL = { key: 'installctl.dev/pool', value: 'gpu' } as const;

/**
 * The smallest shape with at least `gpusNeeded` GPUs (the largest model's tensor-parallel size):
 * a model's replica must fit on one node. Null when no shape is big enough.
 */
export function chooseGpuShape(shapes: readonly GpuShape[], gpusNeeded: number): GpuShape | null {
  const fitting = shapes.filter((shape) => shape.gpus >= gpusNeeded).sort((a, b) => a.gpus - b.gpus || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return fitting[0] ?? null;
}

/** The node label each platform's GPU nodes carry and the chart selects on (one entry per platform: the compiler checks). */
const GPU_SELECTOR_LABELS: Record<Platform, (shape: GpuShape | null, gpuFeatureDiscoveryProduct: string) => { key: string; value: string }> = {
  aws: (shape) => ({ key: 'node.kubernetes.io/instance-type', value: shape?.name ?? '' }),
  azure: () => ({ key: 'kubernetes.azure.com/accelerator', value: 'nvidia' }),
  gcp: (shape) => ({ key: 'cloud.google.com/gke-accelerator', value: shape?.accelerator ?? '' }),
  // The NVIDIA GPU Operator's feature discovery labels on-prem nodes with the product name.
  onprem: (_shape, gpuFeatureDiscoveryProduct) => ({ key: 'nvidia.com/gpu.product', value: gpuFeatureDiscoveryProduct }),
};

export function gpuSelectorLabel(platform: Platform, shape: GpuShape | null, gpuFeatureDiscoveryProduct: string): { key: string; value: string } {
  return GPU_SELECTOR_LABELS[platform](shape, gpuFeatureDiscoveryProduct);
}

/**
 * Whether GPU nodes advertise nvidia.com/gpu only once the model-server chart's device plugin runs:
 * EKS (AL2023 NVIDIA AMIs) and AKS ship the driver without a plugin; GKE installs its own plugin
 * and drivers; on-prem clusters run the NVIDIA GPU Operator.
 */
export type GpuSoftware = 'chart-device-plugin' | 'platform-managed' | 'gpu-operator';

/** Who provides the NVIDIA driver and device plugin on each platform's GPU nodes (see gpuSoftware). */
const GPU_SOFTWARE: Record<Platform, GpuSoftware> = { aws: 'chart-device-plugin', azure: 'chart-device-plugin', gcp: 'platform-managed', onprem: 'gpu-operator' };

/** chart-device-plugin: the model-server chart's device plugin; platform-managed: the platform installs driver and plugin; gpu-operator: the site's NVIDIA GPU Operator. */
export function gpuSoftware(platform: Platform): GpuSoftware {
  return GPU_SOFTWARE[platform];
}

export function chartRunsDevicePlugin(platform: Platform): boolean {
  return GPU_SOFTWARE[platform] === 'chart-device-plugin';
}

/** Labels we put on GPU nodes we create. */
export function gpuNodeLabels(): Record<string, string> {
  return { [GPU_POOL_LABEL.key]: GPU_POOL_LABEL.value, 'nvidia.com/gpu.present': 'true' };
}
