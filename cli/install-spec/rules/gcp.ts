/** Cross-field rules on a GCP platform: GPU capacity in the region, and a new air-gapped VPC that nothing reaches. */
import type { Install } from '../../generated/install-spec.js';
import { gcpAcceleratorZones, gpuPresets, shapesFor } from '../../matrix/gpu-presets.js';
import type { GpuPresets } from '../../generated/gpu-presets.js';
import type { Finding } from '../../schema/issue.js';

/**
 * The spec's GPU product in its region: an error when the accelerator table lists the region and
 * no zone of it offers the product's accelerator (the GPU pool would never get a node), a warning
 * when the table does not list the region (nodeLocations then stay GKE's choice).
 */
function gpuRegionFindings(spec: Install['spec'], presets: GpuPresets): Finding[] {
  const { platform, models } = spec;
  if (platform.type !== 'gcp' || models.hosting !== 'self-hosted' || !models.gpuPool) return [];
  const accelerators = [...new Set(shapesFor(models.gpuPool.product, 'gcp', presets).map((shape) => shape.accelerator ?? ''))].filter(Boolean);
  const findings: Finding[] = [];
  for (const accelerator of accelerators) {
    const zones = gcpAcceleratorZones(platform.region, accelerator, presets);
    if (zones === null) {
      findings.push({
        severity: 'warning',
        code: 'RULE_GPU_REGION_UNLISTED',
        path: ['spec', 'platform', 'region'],
        message: `installctl's accelerator table does not list ${platform.region}: the GPU pool's zones are left to GKE, which fails if a zone lacks ${accelerator}`,
        hint: `check \`gcloud compute accelerator-types list --filter="name=${accelerator} AND zone~${platform.region}"\` before installing`,
      });
    } else if (zones.length === 0) {
      findings.push({
        severity: 'error',
        code: 'RULE_GPU_REGION_UNAVAILABLE',
        path: ['spec', 'models', 'gpuPool', 'product'],
        message: `no zone of ${platform.region} offers ${accelerator} (${models.gpuPool.product}): the GPU pool would never get a node`,
        hint: 'choose a GPU product the region offers, or a region that offers this one (cloud.google.com/compute/docs/gpus/gpu-regions-zones)',
      });
    }
  }
  return findings;
}

/** A new air-gapped VPC without platform.hub reaches no SCM and no operator: nothing routes into it. */
function islandFindings(spec: Install['spec']): Finding[] {
  const { platform, network } = spec;
  if (platform.type !== 'gcp' || network.mode !== 'air-gapped' || platform.vpc.mode !== 'new' || platform.hub) return [];
  return [
    {
      severity: 'warning',
      code: 'RULE_GCP_VPC_ISLAND',
      path: ['spec', 'platform', 'vpc'],
      message: 'a new air-gapped VPC without platform.hub is an island: the SCM, the allowed egress ranges and the operators are outside it and nothing routes to them',
      hint: 'set platform.hub.network (and dnsDomains) to peer it with your hub network, or connect it yourself (HA VPN, Interconnect) before installing',
    },
  ];
}

/** `presets`: the shipped GPU preset table unless a test passes its own. */
export function checkGcpPlatform(install: Install, presets: GpuPresets = gpuPresets()): Finding[] {
  return [...gpuRegionFindings(install.spec, presets), ...islandFindings(install.spec)];
}
