import { describe, expect, it } from 'vitest';
import { chooseGpuShape, gpuNodeLabels, gpuSelectorLabel, GPU_TAINT } from '../../../stacks/decisions/gpu.js';
import { cloudRegistryFor } from '../../../stacks/decisions/registry.js';
import { AWS_AIRGAP_INTERFACE_SERVICES, planEndpoints } from '../../../stacks/decisions/endpoints.js';
import { cloudSizes, defaultSystemNodes } from '../../../stacks/decisions/sizing.js';
import { serviceAccountSubject, workloadsFor } from '../../../stacks/decisions/workloads.js';
import { gcpLabels, gcpLabelValue, resourceTags } from '../../../stacks/tags.js';
import type { AwsCloud, AzureCloud, GcpCloud, InstallSettings } from '../../../stacks/settings.js';
import { shapesFor } from '../../../cli/matrix/gpu-presets.js';

const toShapes = (product: string, platform: 'aws' | 'azure' | 'gcp') => shapesFor(product, platform).map((s) => ({ name: s.name, gpus: s.gpus, accelerator: s.accelerator ?? null }));

describe('chooseGpuShape', () => {
  it.each([
    ['h100-80gb', 'aws', 4, 'p5.48xlarge'],
    ['h100-80gb', 'azure', 1, 'Standard_NC40ads_H100_v5'],
    ['h100-80gb', 'azure', 2, 'Standard_NC80adis_H100_v5'],
    ['h100-80gb', 'azure', 4, 'Standard_ND96isr_H100_v5'],
    ['h100-80gb', 'gcp', 8, 'a3-highgpu-8g'],
    ['l4', 'aws', 2, 'g6.12xlarge'],
    ['l4', 'gcp', 2, 'g2-standard-24'],
    ['t4', 'azure', 1, 'Standard_NC4as_T4_v3'],
  ] as const)('%s on %s for %i GPUs -> %s', (product, platform, gpus, expected) => {
    expect(chooseGpuShape(toShapes(product, platform), gpus)!.name).toBe(expected);
  });

  it('returns null when no shape is big enough or none exist', () => {
    expect(chooseGpuShape(toShapes('t4', 'aws'), 8)).toBeNull();
    expect(chooseGpuShape(toShapes('a10g', 'gcp'), 1)).toBeNull();
  });

  it('labels, taints and selects GPU nodes per platform', () => {
    expect(GPU_TAINT).toEqual({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
    expect(gpuNodeLabels()).toEqual({ 'installctl.dev/pool': 'gpu', 'nvidia.com/gpu.present': 'true' });
    const shape = { name: 'a3-highgpu-8g', gpus: 8, accelerator: 'nvidia-h100-80gb' };
    expect(gpuSelectorLabel('gcp', shape, 'x')).toEqual({ key: 'cloud.google.com/gke-accelerator', value: 'nvidia-h100-80gb' });
    expect(gpuSelectorLabel('aws', { ...shape, name: 'p5.48xlarge' }, 'x')).toEqual({ key: 'node.kubernetes.io/instance-type', value: 'p5.48xlarge' });
    expect(gpuSelectorLabel('azure', null, 'x')).toEqual({ key: 'kubernetes.azure.com/accelerator', value: 'nvidia' });
    expect(gpuSelectorLabel('onprem', null, 'NVIDIA-L40S')).toEqual({ key: 'nvidia.com/gpu.product', value: 'NVIDIA-L40S' });
  });
});

describe('cloudRegistryFor', () => {
  const aws: AwsCloud = { type: 'aws', region: 'us-east-1', accountId: '123456789012', kmsKeyArn: null, vpc: { mode: 'new', cidr: '10.0.0.0/16', zones: 3 } };
  const azure: AzureCloud = { type: 'azure', location: 'eastus2', subscriptionId: 's', tenantId: 't', resourceGroup: 'rg', vnet: { mode: 'new', cidr: '10.0.0.0/16', zones: 3 } };
  const gcp: GcpCloud = { type: 'gcp', projectId: 'acme-agents', region: 'us-central1', vpc: { mode: 'new', cidr: '10.0.0.0/16', zones: 3 } };
  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/installctl', aws, { kind: 'ecr', name: 'installctl' }],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', aws, { kind: 'ecr', name: 'installctl' }],
    ['999999999999.dkr.ecr.us-east-1.amazonaws.com/x', aws, null],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/x', aws, null],
    ['registry.acme.internal/installctl', aws, null],
    ['acmeagents.azurecr.io/installctl', azure, { kind: 'acr', name: 'acmeagents' }],
    ['us-central1-docker.pkg.dev/acme-agents/mirror', gcp, { kind: 'artifact-registry', name: 'mirror' }],
    ['europe-west4-docker.pkg.dev/acme-agents/mirror', gcp, null],
  ] as const)('%s', (mirror, cloud, expected) => {
    expect(cloudRegistryFor(mirror, cloud)).toEqual(expected);
  });

  it('never creates a registry without a mirror or a cloud', () => {
    expect(cloudRegistryFor(null, aws)).toBeNull();
    expect(cloudRegistryFor('acmeagents.azurecr.io/x', null)).toBeNull();
  });
});

describe('planEndpoints', () => {
  const base = (mode: 'connected' | 'air-gapped', hosting: InstallSettings['models']['hosting'], privateEndpoints = { modelService: false, objectStorage: false }) => ({
    platform: 'aws' as const,
    newNetwork: true,
    network: { mode, egressProxy: null, privateEndpoints },
    models: { hosting, provider: null, region: null, catalog: [], gpuPool: null, weights: [] },
  });
  it('gives air-gapped AWS networks the core interface endpoints and private object storage', () => {
    expect(planEndpoints(base('air-gapped', 'self-hosted'))).toEqual({ core: [...AWS_AIRGAP_INTERFACE_SERVICES], objectStorage: true, modelService: false });
  });
  it('reaches the model service privately only for cloud-managed models that need it', () => {
    expect(planEndpoints(base('air-gapped', 'cloud-managed')).modelService).toBe(true);
    expect(planEndpoints(base('connected', 'cloud-managed')).modelService).toBe(false);
    expect(planEndpoints(base('connected', 'cloud-managed', { modelService: true, objectStorage: false })).modelService).toBe(true);
    expect(planEndpoints(base('connected', 'saas-api', { modelService: true, objectStorage: false })).modelService).toBe(false);
  });
  it('adds no core endpoints to connected or existing networks', () => {
    expect(planEndpoints(base('connected', 'self-hosted')).core).toEqual([]);
    expect(planEndpoints({ ...base('air-gapped', 'self-hosted'), newNetwork: false }).core).toEqual([]);
  });
});

describe('sizing, workloads and tags', () => {
  it('grows with sizing', () => {
    expect(cloudSizes('aws', 'small').systemNode).toBe('m6i.xlarge');
    expect(cloudSizes('gcp', 'large').systemNodes).toEqual(defaultSystemNodes('large'));
    expect(defaultSystemNodes('small').max).toBeLessThan(defaultSystemNodes('large').max);
  });

  it('names namespaces after the install', () => {
    expect(workloadsFor('acme-prod')).toEqual({ platformNamespace: 'acme-prod-platform', modelsNamespace: 'acme-prod-models', serviceAccounts: { aiGateway: 'ai-gateway', platform: 'agent-platform', modelServer: 'model-server' } });
    expect(serviceAccountSubject('ns', 'sa')).toBe('system:serviceaccount:ns:sa');
  });

  it('tags with install and customer; GCP labels are lowercased and cleaned', () => {
    const settings = { name: 'acme-prod', customer: 'Acme Corp (EU)', labels: { 'cost-center': 'Eng' } };
    expect(resourceTags(settings)).toEqual({ 'cost-center': 'Eng', 'installctl-install': 'acme-prod', 'installctl-customer': 'Acme Corp (EU)', 'managed-by': 'installctl' });
    expect(gcpLabels(settings)).toEqual({ 'cost-center': 'eng', 'installctl-install': 'acme-prod', 'installctl-customer': 'acme-corp-eu', 'managed-by': 'installctl' });
    expect(gcpLabelValue('x'.repeat(80))).toHaveLength(63);
  });
});
