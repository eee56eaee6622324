import { describe, expect, it } from 'vitest';
import {
  EXISTING_NETWORK_PSC_ADDRESS,
  gcpBucketName,
  gcpName,
  gcpProjectApis,
  gcpServiceAccountId,
  keyUsers,
  privateGoogleApis,
  pscAddress,
  pscRuleName,
  serviceAgentEmail,
  vertexEndpoint,
  workloadIdentityMember,
  workloadPool,
} from '../../../stacks/gcp/common.js';
import { GcpCluster, gkeEndpointAccess, gkeNodePoolSize, gpuNodePoolName } from '../../../stacks/gcp/cluster.js';
import { GcpData, redisMemoryGb } from '../../../stacks/gcp/data.js';
import { GcpEncryption } from '../../../stacks/gcp/encryption.js';
import { GcpIdentity, cloudSqlIamUser, weightBuckets } from '../../../stacks/gcp/identity.js';
import { GcpModels } from '../../../stacks/gcp/models.js';
import { airGappedInternalRanges, GcpNetwork, gcpSubnetPlan } from '../../../stacks/gcp/network.js';
import { artifactRegistryUrl, GcpRegistry } from '../../../stacks/gcp/registry.js';
import { GcpServices } from '../../../stacks/gcp/services.js';
import { GcpInstall } from '../../../stacks/gcp/install.js';
import { overlaps, parseCidr } from '../../../stacks/decisions/subnets.js';
import { InvalidArgsError, type ClusterSettings, type GcpCloud, type InstallSettings } from '../../../stacks/settings.js';
import { registered } from '../../helpers/pulumi-mocks.js';

const cloud: GcpCloud = { type: 'gcp', projectId: 'acme-agents-prod', region: 'us-central1', vpc: { mode: 'new', cidr: '10.40.0.0/16', zones: 3 } };
const existingCloud: GcpCloud = { ...cloud, vpc: { mode: 'existing', network: 'shared-vpc', subnetwork: 'agents' } };
const labels = { 'installctl-install': 'acme', 'installctl-customer': 'acme-corp' };
const vertex: InstallSettings['models'] = { hosting: 'cloud-managed', provider: 'vertex', region: null, catalog: [{ name: 'gemini-2.5-pro', role: 'chat', deployment: null, version: null, capacity: null }], gpuPool: null, weights: [] };
const selfHosted: InstallSettings['models'] = {
  hosting: 'self-hosted',
  provider: null,
  region: null,
  catalog: [],
  gpuPool: { product: 'l4', minNodes: 1, maxNodes: 2, shape: { name: 'g2-standard-48', gpus: 4, accelerator: 'nvidia-l4' } },
  weights: [
    { model: 'a', source: 'gcs', bucket: 'weights', container: null, prefix: 'a/' },
    { model: 'b', source: 'gcs', bucket: 'weights', container: null, prefix: 'b/' },
    { model: 'c', source: 'gcs', bucket: 'more-weights', container: null, prefix: 'c/' },
  ],
};
const airGapped: InstallSettings['network'] = { mode: 'air-gapped', egressProxy: null, privateEndpoints: { modelService: true, objectStorage: true } };
const connected: InstallSettings['network'] = { mode: 'connected', egressProxy: null, privateEndpoints: { modelService: false, objectStorage: false } };
const newCluster: ClusterSettings = { mode: 'new', kubernetesVersion: '1.32', apiEndpoint: 'private', systemNodes: { min: 3, max: 6 } };
const datastores: InstallSettings['datastores'] = { postgres: 'managed', redis: 'managed', rabbitmq: 'bundled', highAvailability: true };
const workloads: InstallSettings['workloads'] = { platformNamespace: 'acme-platform', modelsNamespace: 'acme-models', serviceAccounts: { aiGateway: 'ai-gateway', platform: 'agent-platform', modelServer: 'model-server' } };
const googleApis = privateGoogleApis({ platform: 'gcp', network: airGapped, models: vertex, cloud });

describe('GCP names', () => {
  it('keeps short names readable and bounds long ones deterministically', () => {
    expect(gcpServiceAccountId('acme-prod', 'agent-platform')).toBe('acme-prod-agent-platform');
    const long = 'a-very-long-install-name-for-a-customer';
    const id = gcpServiceAccountId(long, 'agent-platform');
    expect(id.length).toBeLessThanOrEqual(30);
    expect(id).toMatch(/^[a-z][-a-z0-9]*[a-z0-9]$/);
    expect(id).toMatch(/-agent-platform$/);
    expect(gcpServiceAccountId(long, 'agent-platform')).toBe(id);
    expect(gcpServiceAccountId(`${long}-2`, 'agent-platform')).not.toBe(id);
    expect(gcpName('9lives', 'vpc', 63)).toBe('i9lives-vpc');
    expect(gcpName('acme', '', 40)).toBe('acme');
  });

  it('bounds bucket names to 63 characters and keeps the project in them', () => {
    expect(gcpBucketName('acme-prod', 'example-project')).toBe('acme-prod-example-project-agents');
    expect(gcpBucketName('x'.repeat(40), 'p'.repeat(30)).length).toBeLessThanOrEqual(63);
  });

  it('names the PSC forwarding rule with 1-20 lowercase letters and digits', () => {
    expect(pscRuleName('acme-prod')).toBe('apisacmeprod');
    for (const name of ['a', 'acme-prod', 'a-very-long-install-name-for-a-customer']) expect(pscRuleName(name)).toMatch(/^[a-z][a-z0-9]{0,19}$/);
  });

  it('builds Workload Identity members, service agents, SQL IAM users and endpoints', () => {
    expect(workloadIdentityMember(workloadPool('p-123456'), 'ns', 'sa')).toBe('serviceAccount:p-123456.svc.id.goog[ns/sa]');
    expect(serviceAgentEmail('42', 'container')).toBe('service-42@container-engine-robot.iam.gserviceaccount.com');
    expect(cloudSqlIamUser('sa@p.iam.gserviceaccount.com')).toBe('sa@p.iam');
    expect(vertexEndpoint('europe-west4')).toBe('https://europe-west4-aiplatform.googleapis.com');
    expect(vertexEndpoint('global')).toBe('https://aiplatform.googleapis.com');
    expect(artifactRegistryUrl(cloud, 'mirror')).toBe('us-central1-docker.pkg.dev/acme-agents-prod/mirror');
  });
});

describe('GCP network decisions', () => {
  it('uses one regional node subnetwork and a proxy-only subnetwork, no two blocks overlapping', () => {
    for (const [cidr, zones] of [['10.40.0.0/16', 3], ['192.168.0.0/22', 2]] as const) {
      const plan = gcpSubnetPlan(cidr, zones);
      const blocks = [plan.nodes, plan.services, plan.reserved, plan.proxyOnly].map(parseCidr);
      blocks.forEach((a, i) => blocks.slice(i + 1).forEach((b) => expect(overlaps(a, b), `${cidr}: blocks ${i} and others`).toBe(false)));
      // Internal Application Load Balancers need at least a /26 of proxies.
      expect(parseCidr(plan.proxyOnly).prefix).toBeLessThanOrEqual(26);
    }
    expect(gcpSubnetPlan('10.40.0.0/16', 3)).toEqual({ nodes: '10.40.0.0/18', services: '10.40.128.0/18', reserved: '10.40.240.0/20', proxyOnly: '10.40.64.0/18' });
  });

  it('puts the PSC address in the reserved block, or a fixed shared-space address on existing networks', () => {
    expect(pscAddress(cloud.vpc)).toBe('10.40.240.1');
    expect(pscAddress(existingCloud.vpc)).toBe(EXISTING_NETWORK_PSC_ADDRESS);
  });

  it('reaches Google APIs privately on new air-gapped networks and wherever the model service is private', () => {
    expect(privateGoogleApis({ platform: 'gcp', network: airGapped, models: selfHosted, cloud })).toMatchObject({ enabled: true, bundle: 'vpc-sc' });
    expect(privateGoogleApis({ platform: 'gcp', network: airGapped, models: selfHosted, cloud: existingCloud }).enabled).toBe(false);
    expect(privateGoogleApis({ platform: 'gcp', network: airGapped, models: vertex, cloud: existingCloud }).enabled).toBe(true);
    expect(privateGoogleApis({ platform: 'gcp', network: connected, models: vertex, cloud }).enabled).toBe(false);
    const privateVertex = privateGoogleApis({ platform: 'gcp', network: { ...connected, privateEndpoints: { modelService: true, objectStorage: false } }, models: vertex, cloud });
    expect(privateVertex).toEqual({ enabled: true, bundle: 'all-apis', domains: ['googleapis.com'] });
  });

  it('lets air-gapped nodes reach only non-internet ranges', () => {
    expect(airGappedInternalRanges('10.40.0.0/16')).toEqual(['10.40.0.0/16', '100.64.0.0/14', '100.68.0.0/20', '172.16.0.0/28', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  });

  it('enables only the APIs the install uses', () => {
    const base = { platform: 'gcp' as const, network: connected, models: vertex, cloud, registry: null };
    expect(gcpProjectApis({ ...base, datastores: { ...datastores, postgres: 'bundled', redis: 'bundled' } })).toEqual(
      ['compute', 'container', 'cloudkms', 'iam', 'iamcredentials', 'storage'].map((api) => `${api}.googleapis.com`),
    );
    const all = gcpProjectApis({ ...base, network: airGapped, datastores, registry: { kind: 'artifact-registry', name: 'mirror' } });
    expect(all).toEqual(expect.arrayContaining(['sqladmin.googleapis.com', 'redis.googleapis.com', 'servicenetworking.googleapis.com', 'artifactregistry.googleapis.com', 'dns.googleapis.com']));
    expect(all).not.toContain('aiplatform.googleapis.com');
  });

  it('grants the key only to the service agents of services the install creates', () => {
    expect(keyUsers({ datastores, registry: null, cluster: newCluster })).toEqual(['storage', 'container', 'cloudsql', 'redis']);
    expect(keyUsers({ datastores: { ...datastores, postgres: 'external', redis: 'bundled' }, registry: { kind: 'artifact-registry', name: 'm' }, cluster: { mode: 'existing', kubernetesVersion: '1.32', name: 'c' } })).toEqual([
      'storage',
      'artifactregistry',
    ]);
  });
});

describe('GCP cluster decisions', () => {
  it('keeps the GKE endpoint private unless asked for public on a connected network, and nodes always private', () => {
    const publicCluster: ClusterSettings = { ...newCluster, apiEndpoint: 'public' };
    expect(gkeEndpointAccess(publicCluster, 'connected')).toEqual({ enablePrivateNodes: true, enablePrivateEndpoint: false });
    expect(gkeEndpointAccess(publicCluster, 'air-gapped')).toEqual({ enablePrivateNodes: true, enablePrivateEndpoint: true });
    expect(gkeEndpointAccess(newCluster, 'connected').enablePrivateEndpoint).toBe(true);
  });

  it('sizes node pools by regional totals without starting above max', () => {
    expect(gkeNodePoolSize(3, 6, 'BALANCED')).toEqual({ initialNodeCount: 1, autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 6, locationPolicy: 'BALANCED' } });
    expect(gkeNodePoolSize(1, 2, 'ANY').initialNodeCount).toBe(0);
    expect(gkeNodePoolSize(5, 12, 'BALANCED').initialNodeCount).toBe(2);
    for (const [min, max] of [[0, 1], [1, 1], [2, 4], [4, 4], [7, 9]] as const) expect(gkeNodePoolSize(min, max, 'ANY').initialNodeCount * 3).toBeLessThanOrEqual(max);
  });

  it('names GPU pools after the product', () => {
    expect(gpuNodePoolName('l4')).toBe('gpu-l4');
    expect(gpuNodePoolName('H100_80GB')).toBe('gpu-h100-80gb');
  });

  it('sizes Memorystore in whole GB and reads each weights bucket once', () => {
    expect(redisMemoryGb('8')).toBe(8);
    expect(() => redisMemoryGb('Balanced_B5')).toThrow(/GB/);
    expect(weightBuckets(selfHosted)).toEqual(['more-weights', 'weights']);
  });
});

const clusterArgs = { installName: 'acme', cloud, project: cloud.projectId, networkMode: 'connected' as const, sizing: 'small' as const, networkId: 'n', subnetworkId: 's', podRangeName: 'pods', serviceRangeName: 'services', internalCidr: '10.40.0.0/16', keyId: 'k', labels };
const dataArgs = { installName: 'acme', release: '2026.11.0', cloud, project: cloud.projectId, sizing: 'small' as const, servicesNetworkId: 'n', keyId: 'k', labels };

describe('GCP components validate their inputs before creating anything', () => {
  it.each([
    ['services with a bad API name', () => new GcpServices('s', { cloud, apis: ['compute'] }), /API service names/],
    ['a key for a bad project id', () => new GcpEncryption('e', { installName: 'acme', cloud: { ...cloud, projectId: 'X' }, project: 'X', keyUsers: ['storage'], labels }), /project id/],
    ['a key granted twice', () => new GcpEncryption('e', { installName: 'acme', cloud, project: cloud.projectId, keyUsers: ['storage', 'storage'], labels }), /twice/],
    ['network with a /24', () => new GcpNetwork('n', { installName: 'acme', cloud: { ...cloud, vpc: { mode: 'new', cidr: '10.0.0.0/24', zones: 3 } }, project: 'p', network: airGapped, googleApis, privateServicesAccess: true, labels }), /\/16 to \/22/],
    ['air-gapped network with a proxy', () => new GcpNetwork('n', { installName: 'acme', cloud, project: 'p', network: { ...airGapped, egressProxy: { url: 'http://proxy:3128', noProxy: [] } }, googleApis, privateServicesAccess: true, labels }), /egress proxy/],
    ['air-gapped network without PSC', () => new GcpNetwork('n', { installName: 'acme', cloud, project: 'p', network: airGapped, googleApis: { ...googleApis, enabled: false }, privateServicesAccess: true, labels }), /Private Service Connect/],
    ['air-gapped public API', () => new GcpCluster('c', { ...clusterArgs, cluster: { ...newCluster, apiEndpoint: 'public' }, networkMode: 'air-gapped', gpuPool: null }), /public API/],
    ['system nodes min above max', () => new GcpCluster('c', { ...clusterArgs, cluster: { ...newCluster, systemNodes: { min: 4, max: 2 } }, gpuPool: null }), /systemNodes/],
    ['GPU pool min above max', () => new GcpCluster('c', { ...clusterArgs, cluster: newCluster, gpuPool: { ...selfHosted.gpuPool!, minNodes: 3, maxNodes: 1 } }), /minNodes/],
    ['GPU shape without accelerator', () => new GcpCluster('c', { ...clusterArgs, cluster: newCluster, gpuPool: { ...selfHosted.gpuPool!, shape: { name: 'g2-standard-8', gpus: 1, accelerator: null } } }), /accelerator/],
    ['one secondary range name', () => new GcpCluster('c', { ...clusterArgs, cluster: newCluster, gpuPool: null, serviceRangeName: null }), /both/],
    ['managed RabbitMQ', () => new GcpData('d', { ...dataArgs, datastores: { ...datastores, rabbitmq: 'managed' } }), /RabbitMQ/],
    ['Bedrock on GCP', () => new GcpModels('m', { cloud, models: { ...vertex, provider: 'bedrock' }, googleApis, privateModelService: true }), /vertex/],
    ['self-hosted models in GcpModels', () => new GcpModels('m', { cloud, models: selfHosted, googleApis, privateModelService: false }), /cloud-managed/],
    ['private Vertex without PSC', () => new GcpModels('m', { cloud, models: vertex, googleApis: { ...googleApis, enabled: false }, privateModelService: true }), /Private Service Connect/],
    ['S3 weights on GCP', () => new GcpIdentity('i', { installName: 'acme', cloud, project: 'p', models: { ...selfHosted, weights: [{ model: 'm', source: 's3', bucket: 'b', container: null, prefix: 'p/' }] }, workloads, workloadPool: 'p.svc.id.goog', bucketName: 'b', postgresInstanceName: null }), /gcs only/],
    ['Azure OpenAI on GCP', () => new GcpIdentity('i', { installName: 'acme', cloud, project: 'p', models: { ...vertex, provider: 'azure-openai' }, workloads, workloadPool: 'p.svc.id.goog', bucketName: 'b', postgresInstanceName: null }), /vertex/],
    ['ECR settings on GCP', () => new GcpRegistry('r', { cloud, project: 'p', registry: { kind: 'ecr', name: 'x' }, keyId: 'k', nodeServiceAccountEmail: 'n', labels }), /not artifact-registry/],
    ['an invalid repository id', () => new GcpRegistry('r', { cloud, project: 'p', registry: { kind: 'artifact-registry', name: 'Mirror_1' }, keyId: 'k', nodeServiceAccountEmail: 'n', labels }), /repository id/],
    ['AWS settings in GcpInstall', () => new GcpInstall('acme', { settings: { cloud: { type: 'aws' } } as unknown as InstallSettings }), /expected gcp/],
  ])('%s', async (_, create, message) => {
    const { resources, error } = await registered(create);
    expect(error).toBeInstanceOf(InvalidArgsError);
    expect(error!.message).toMatch(message);
    expect(resources.filter((resource) => resource.custom)).toEqual([]);
  });
});
