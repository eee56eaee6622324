import { describe, expect, it } from 'vitest';
import { AKS_APP_ROUTING } from '../../../stacks/decisions/ingress.js';
import * as pulumi from '@pulumi/pulumi';
import { AKS_DNS_SERVICE_IP, AzureCluster, aksTaint, azureApiServerAccess, azureKmsNetworkAccess, azureOutboundType, azureZones, type AzureClusterArgs } from '../../../stacks/azure/cluster.js';
import { AZURE_ROLES, azureNames, azurePrivateServices, roleDefinitionId, shortHash } from '../../../stacks/azure/common.js';
import { AzureData, azureDataServices } from '../../../stacks/azure/data.js';
import { AzureEncryption } from '../../../stacks/azure/encryption.js';
import { AzureIdentity, azureIdentityName, azureWeightsScopes, type AzureIdentityArgs } from '../../../stacks/azure/identity.js';
import { AzureInstall, azureOwnsResourceGroup } from '../../../stacks/azure/install.js';
import { AzureModels, azureOpenAiDeployments, AZURE_OPENAI_DEFAULT_CAPACITY } from '../../../stacks/azure/models.js';
import { AzureNetwork, azureSubnetPlan, type PrivateEndpointContext } from '../../../stacks/azure/network.js';
import { AzureRegistry } from '../../../stacks/azure/registry.js';
import { InvalidArgsError, type AzureCloud, type ClusterSettings, type InstallSettings } from '../../../stacks/settings.js';
import { registered } from '../../helpers/pulumi-mocks.js';

const cloud: AzureCloud = {
  type: 'azure',
  location: 'eastus2',
  subscriptionId: '11111111-2222-3333-4444-555555555555',
  tenantId: '66666666-7777-8888-9999-000000000000',
  resourceGroup: 'rg-agents',
  vnet: { mode: 'new', cidr: '10.40.0.0/16', zones: 3 },
};
const vnetId = `/subscriptions/${cloud.subscriptionId}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/hub`;
const existingVnet: AzureCloud['vnet'] = { mode: 'existing', vnetId, nodeSubnetId: `${vnetId}/subnets/nodes`, endpointSubnetId: `${vnetId}/subnets/endpoints` };
const tags = { 'installctl-install': 'acme', 'installctl-customer': 'Acme' };
const airGapped: InstallSettings['network'] = { mode: 'air-gapped', egressProxy: null, privateEndpoints: { modelService: true, objectStorage: true } };
const connected: InstallSettings['network'] = { mode: 'connected', egressProxy: null, privateEndpoints: { modelService: false, objectStorage: false } };
const models: InstallSettings['models'] = {
  hosting: 'cloud-managed',
  provider: 'azure-openai',
  region: null,
  catalog: [{ name: 'gpt-4.1', role: 'chat', deployment: 'gpt-41', version: '2025-04-14', capacity: 100 }],
  gpuPool: null,
  weights: [],
};
const selfHosted: InstallSettings['models'] = {
  hosting: 'self-hosted',
  provider: null,
  region: null,
  catalog: [],
  gpuPool: { product: 'a100-80gb', minNodes: 1, maxNodes: 2, shape: { name: 'Standard_NC24ads_A100_v4', gpus: 1, accelerator: null } },
  weights: [{ model: 'qwen', source: 'azure-blob', bucket: 'acmeweights', container: 'models', prefix: 'qwen/' }],
};
const workloads: InstallSettings['workloads'] = { platformNamespace: 'acme-platform', modelsNamespace: 'acme-models', serviceAccounts: { aiGateway: 'ai-gateway', platform: 'agent-platform', modelServer: 'model-server' } };
const newCluster: ClusterSettings = { mode: 'new', kubernetesVersion: '1.32', apiEndpoint: 'private', systemNodes: { min: 2, max: 4 } };
const zone = pulumi.output('zone-id');
const allZones: PrivateEndpointContext = { installName: 'acme', location: 'eastus2', resourceGroupName: 'rg-agents', subnetId: 'subnet', zoneIds: { vault: zone, postgres: zone, redis: zone, blob: zone, openai: zone, acr: zone }, tags };
const noZones: PrivateEndpointContext = { ...allZones, zoneIds: {} };
const encryption = { vaultId: 'v', vaultPrivate: false, keyUriWithVersion: 'https://kv/keys/k/1', identityId: 'i' };
const clusterArgs: AzureClusterArgs = { installName: 'acme', cloud, cluster: newCluster, network: connected, sizing: 'small', gpuPool: null, ingressExposure: 'internal', resourceGroupName: 'rg-agents', nodeSubnetId: 'n', apiServerSubnetId: 'a', authorizedIpRanges: null, encryption, tags };
const identityArgs: AzureIdentityArgs = { installName: 'acme', cloud, models, workloads, resourceGroupName: 'rg-agents', oidcIssuerUrl: 'https://issuer', storageAccountId: 's', openAiAccountId: 'o', postgresServerName: null, redis: null, tags };
const datastores: InstallSettings['datastores'] = { postgres: 'managed', redis: 'managed', rabbitmq: 'bundled', highAvailability: true };

describe('Azure decisions', () => {
  it('keeps the AKS API server private unless a public one comes with authorized IP ranges', () => {
    expect(azureApiServerAccess(['198.51.100.0/24'])).toEqual({ enablePrivateCluster: false, authorizedIPRanges: ['198.51.100.0/24'] });
    expect(azureApiServerAccess(null)).toEqual({ enablePrivateCluster: true });
  });

  it('egresses through the NAT gateway, the customer routes, or not at all', () => {
    expect(azureOutboundType('connected', 'new')).toBe('userAssignedNATGateway');
    expect(azureOutboundType('connected', 'existing')).toBe('userDefinedRouting');
    expect(azureOutboundType('air-gapped', 'new')).toBe('none');
    expect(azureOutboundType('air-gapped', 'existing')).toBe('none');
  });

  it('uses KMS with a private vault only through API Server VNet Integration', () => {
    expect(azureKmsNetworkAccess(false, false)).toBe('Public');
    expect(azureKmsNetworkAccess(false, true)).toBe('Public');
    expect(azureKmsNetworkAccess(true, true)).toBe('Private');
    expect(azureKmsNetworkAccess(true, false)).toBeNull();
  });

  it('writes the GPU taint in AKS syntax and places the DNS service inside the service range', () => {
    expect(aksTaint()).toBe('nvidia.com/gpu=present:NoSchedule');
    expect(AKS_DNS_SERVICE_IP).toBe('100.68.0.10');
    expect(azureZones(cloud)).toEqual(['1', '2', '3']);
    expect(azureZones({ vnet: { mode: 'new', cidr: '10.0.0.0/16', zones: 2 } })).toEqual(['1', '2']);
    expect(azureZones({ vnet: existingVnet })).toEqual(['1', '2', '3']);
  });

  it('cuts a new VNet into nodes, private endpoint and API server subnets that do not overlap', () => {
    expect(azureSubnetPlan('10.40.0.0/16', 3)).toEqual({ nodes: '10.40.0.0/18', endpoints: '10.40.64.0/18', apiServer: '10.40.240.0/28' });
    expect(azureSubnetPlan('10.0.0.0/22', 2)).toEqual({ nodes: '10.0.0.0/24', endpoints: '10.0.1.0/24', apiServer: '10.0.3.192/28' });
    expect(() => azureSubnetPlan('10.0.0.0/24', 3)).toThrow(/\/16 to \/22/);
  });

  it('names globally unique resources deterministically and within Azure limits', () => {
    const names = azureNames('acme-prod', cloud);
    expect(azureNames('acme-prod', cloud)).toEqual(names);
    expect(azureNames('acme-prod', { ...cloud, subscriptionId: '00000000-0000-0000-0000-000000000000' }).storageAccount).not.toBe(names.storageAccount);
    expect(shortHash('')).toBe('811c9dc5');
    for (const installName of ['a', 'acme-prod', 'a'.repeat(63), 'x--y-'.repeat(12)]) {
      const n = azureNames(installName, cloud);
      expect(n.keyVault).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
      expect(n.keyVault).not.toMatch(/--/);
      expect(n.storageAccount).toMatch(/^[a-z0-9]{3,24}$/);
      for (const label of [n.postgres, n.redis, n.openAi]) expect(label).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    }
  });

  it('plans one private endpoint service per private thing the install creates', () => {
    const base = { platform: 'azure' as const, cloud, models, datastores, registry: null };
    // The Key Vault is firewalled in every network mode: its private endpoint is always planned.
    expect(azurePrivateServices({ ...base, network: connected })).toEqual(['vault', 'postgres', 'redis', 'blob']);
    expect(azurePrivateServices({ ...base, network: airGapped, registry: { kind: 'acr', name: 'acmeagents' } })).toEqual(['vault', 'postgres', 'redis', 'blob', 'openai', 'acr']);
    expect(azurePrivateServices({ ...base, network: connected, models: selfHosted, datastores: { ...datastores, postgres: 'bundled', redis: 'external' } })).toEqual(['vault', 'blob']);
    expect(azureDataServices({ ...datastores, redis: 'bundled' })).toEqual(['postgres', 'blob']);
  });

  it('deploys each catalog entry under its deployment name', () => {
    expect(azureOpenAiDeployments({ catalog: [...models.catalog, { name: 'text-embedding-3-large', role: 'embedding', deployment: null, version: null, capacity: null }] })).toEqual([
      { name: 'gpt-41', model: 'gpt-4.1', version: '2025-04-14', capacity: 100 },
      { name: 'text-embedding-3-large', model: 'text-embedding-3-large', version: null, capacity: AZURE_OPENAI_DEFAULT_CAPACITY },
    ]);
  });

  it('scopes weights access to each container and role definitions to the subscription', () => {
    expect(azureWeightsScopes(cloud, [...selfHosted.weights, { ...selfHosted.weights[0]!, model: 'other', prefix: 'other/' }])).toEqual([
      `/subscriptions/${cloud.subscriptionId}/resourceGroups/rg-agents/providers/Microsoft.Storage/storageAccounts/acmeweights/blobServices/default/containers/models`,
    ]);
    expect(roleDefinitionId(cloud, 'acrPull')).toBe(`/subscriptions/${cloud.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AZURE_ROLES.acrPull}`);
    expect(azureIdentityName('acme', 'ai-gateway')).toBe('acme-ai-gateway');
  });

  it('creates the resource group unless an adopted cluster or VNet lives in it', () => {
    expect(azureOwnsResourceGroup(newCluster, cloud)).toBe(true);
    expect(azureOwnsResourceGroup({ mode: 'existing', kubernetesVersion: '1.32', name: 'aks' }, cloud)).toBe(false);
    expect(azureOwnsResourceGroup(newCluster, { ...cloud, vnet: existingVnet })).toBe(true);
    expect(azureOwnsResourceGroup(newCluster, { resourceGroup: 'RG-Network', vnet: existingVnet })).toBe(false);
  });
});

describe('Azure components validate their inputs before creating anything', () => {
  it.each([
    ['network with a /24', () => new AzureNetwork('n', { installName: 'acme', cloud: { ...cloud, vnet: { mode: 'new', cidr: '10.0.0.0/24', zones: 3 } }, network: connected, resourceGroupName: 'rg', privateServices: ['blob'], tags }), /\/16 to \/22/],
    ['network with a subnet outside the VNet', () => new AzureNetwork('n', { installName: 'acme', cloud: { ...cloud, vnet: { ...existingVnet, nodeSubnetId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/other/subnets/a' } }, network: connected, resourceGroupName: 'rg', privateServices: ['blob'], tags }), /is not in/],
    ['network with a VNet name instead of an id', () => new AzureNetwork('n', { installName: 'acme', cloud: { ...cloud, vnet: { ...existingVnet, vnetId: 'hub' } }, network: connected, resourceGroupName: 'rg', privateServices: ['blob'], tags }), /not a VNet resource id/],
    ['air-gapped network with an egress proxy', () => new AzureNetwork('n', { installName: 'acme', cloud, network: { ...airGapped, egressProxy: { url: 'http://proxy:3128', noProxy: [] } }, resourceGroupName: 'rg', privateServices: ['blob'], tags }), /egress proxy/],
    ['a tenant id that is not a GUID', () => new AzureEncryption('e', { installName: 'acme', cloud: { ...cloud, tenantId: 'contoso.onmicrosoft.com' }, network: connected, resourceGroupName: 'rg', endpoints: allZones, tags }), /not a GUID/],
    ['a private vault without its DNS zone', () => new AzureEncryption('e', { installName: 'acme', cloud, network: airGapped, resourceGroupName: 'rg', endpoints: noZones, tags }), /privatelink\.vaultcore/],
    ['a connected vault without its DNS zone (the vault is firewalled in every mode)', () => new AzureEncryption('e', { installName: 'acme', cloud, network: connected, resourceGroupName: 'rg', endpoints: noZones, tags }), /privatelink\.vaultcore/],
    ['authorized IP ranges for a private API server', () => new AzureCluster('c', { ...clusterArgs, authorizedIpRanges: ['198.51.100.0/24'] }), /authorizedIpRanges/],
    ['air-gapped public API server', () => new AzureCluster('c', { ...clusterArgs, cluster: { ...newCluster, apiEndpoint: 'public' }, network: airGapped }), /public API server/],
    ['GPU pool min above max', () => new AzureCluster('c', { ...clusterArgs, gpuPool: { ...selfHosted.gpuPool!, minNodes: 3, maxNodes: 1 } }), /minNodes/],
    ['an AWS instance type as GPU shape', () => new AzureCluster('c', { ...clusterArgs, gpuPool: { ...selfHosted.gpuPool!, shape: { name: 'g6.xlarge', gpus: 1, accelerator: null } } }), /not an Azure VM size/],
    ['system nodes min above max', () => new AzureCluster('c', { ...clusterArgs, cluster: { ...newCluster, systemNodes: { min: 5, max: 2 } } }), /systemNodes/],
    ['managed RabbitMQ', () => new AzureData('d', { installName: 'acme', release: '2026.11.0', cloud, sizing: 'small', datastores: { ...datastores, rabbitmq: 'managed' }, resourceGroupName: 'rg', encryption: { keyName: 'k', keyUri: 'u', vaultUri: 'v', identityId: 'i' }, endpoints: allZones, tags }), /RabbitMQ/],
    ['managed PostgreSQL without its DNS zone', () => new AzureData('d', { installName: 'acme', release: '2026.11.0', cloud, sizing: 'small', datastores, resourceGroupName: 'rg', encryption: { keyName: 'k', keyUri: 'u', vaultUri: 'v', identityId: 'i' }, endpoints: { ...allZones, zoneIds: { blob: zone, redis: zone } }, tags }), /postgres/],
    ['ECR settings on Azure', () => new AzureRegistry('r', { installName: 'acme', cloud, registry: { kind: 'ecr', name: 'installctl' }, networkMode: 'air-gapped', resourceGroupName: 'rg', kubeletObjectId: 'k', encryption: { keyUri: 'u', identityId: 'i', identityClientId: 'c' }, endpoints: allZones, tags }), /not acr/],
    ['an invalid ACR name', () => new AzureRegistry('r', { installName: 'acme', cloud, registry: { kind: 'acr', name: 'acme-agents' }, networkMode: 'air-gapped', resourceGroupName: 'rg', kubeletObjectId: 'k', encryption: { keyUri: 'u', identityId: 'i', identityClientId: 'c' }, endpoints: allZones, tags }), /invalid ACR name/],
    ['Bedrock on Azure', () => new AzureModels('m', { installName: 'acme', cloud, models: { ...models, provider: 'bedrock' }, endpoints: { core: [], objectStorage: true, modelService: true }, resourceGroupName: 'rg', privateEndpoints: allZones, tags }), /azure-openai/],
    ['two deployments with one name', () => new AzureModels('m', { installName: 'acme', cloud, models: { ...models, catalog: [models.catalog[0]!, { ...models.catalog[0]!, name: 'gpt-4o' }] }, endpoints: { core: [], objectStorage: true, modelService: false }, resourceGroupName: 'rg', privateEndpoints: allZones, tags }), /share a deployment name/],
    ['a private model service without its DNS zone', () => new AzureModels('m', { installName: 'acme', cloud, models, endpoints: { core: [], objectStorage: true, modelService: true }, resourceGroupName: 'rg', privateEndpoints: noZones, tags }), /openai/],
    ['S3 weights on Azure', () => new AzureIdentity('i', { ...identityArgs, models: { ...selfHosted, weights: [{ model: 'm', source: 's3', bucket: 'b', container: null, prefix: 'p/' }] }, openAiAccountId: null }), /azure-blob only/],
    ['cloud-managed models without the OpenAI account', () => new AzureIdentity('i', { ...identityArgs, openAiAccountId: null }), /OpenAI account/],
    ['AWS settings for the Azure install', () => new AzureInstall('acme', { settings: { cloud: { type: 'aws', region: 'us-east-1', accountId: '123456789012', kmsKeyArn: null, vpc: { mode: 'new', cidr: '10.0.0.0/16', zones: 3 } } } as InstallSettings }), /expected azure/],
  ])('%s', async (_, create, message) => {
    const { resources, error } = await registered(create);
    expect(error).toBeInstanceOf(InvalidArgsError);
    expect(error!.message).toMatch(message);
    expect(resources.filter((resource) => resource.custom)).toEqual([]);
  });
});

describe('Azure network exposure', () => {
  const types = (resources: Array<{ type: string; custom: boolean }>) => resources.filter((r) => r.custom).map((r) => r.type);

  it('gives a connected new VNet a NAT gateway with one Standard public IP', async () => {
    const { resources, error } = await registered(() => new AzureNetwork('n', { installName: 'acme', cloud, network: connected, resourceGroupName: 'rg', privateServices: ['blob'], tags }));
    expect(error).toBeNull();
    expect(types(resources).filter((type) => /NatGateway|PublicIPAddress/.test(type)).sort()).toEqual(['azure-native:network:NatGateway', 'azure-native:network:PublicIPAddress']);
    expect(resources.find((r) => r.type === 'azure-native:network:PublicIPAddress')!.inputs.sku).toEqual({ name: 'Standard', tier: 'Regional' });
  });

  it('gives an air-gapped VNet no public IP, no NAT and no default outbound access', async () => {
    const { resources, error } = await registered(() => new AzureNetwork('n', { installName: 'acme', cloud, network: airGapped, resourceGroupName: 'rg', privateServices: ['vault', 'blob'], tags }));
    expect(error).toBeNull();
    expect(types(resources).filter((type) => /NatGateway|PublicIPAddress/.test(type))).toEqual([]);
    const subnets = resources.filter((r) => r.type === 'azure-native:network:Subnet');
    expect(subnets).toHaveLength(3);
    expect(subnets.every((subnet) => subnet.inputs.defaultOutboundAccess === false)).toBe(true);
    expect(resources.filter((r) => r.type === 'azure-native:privatedns:PrivateZone').map((r) => r.inputs.privateZoneName)).toEqual(['privatelink.vaultcore.azure.net', 'privatelink.blob.core.windows.net']);
  });

  it('adopts an existing VNet without creating subnets in it', async () => {
    const { resources, error } = await registered(() => new AzureNetwork('n', { installName: 'acme', cloud: { ...cloud, vnet: existingVnet }, network: connected, resourceGroupName: 'rg', privateServices: ['blob'], tags }));
    expect(error).toBeNull();
    expect(types(resources).sort()).toEqual(['azure-native:privatedns:PrivateZone', 'azure-native:privatedns:VirtualNetworkLink']);
  });
});

describe('Azure ingress', () => {
  it('enables the application routing add-on whose default NGINX controller serves the chart\'s class, internal unless exposed', async () => {
    for (const [exposure, type] of [['internal', 'Internal'], ['external', 'External']] as const) {
      const { resources, error } = await registered(() => new AzureCluster('c', { ...clusterArgs, ingressExposure: exposure }));
      expect(error).toBeNull();
      const aks = resources.find((r) => r.type === 'azure-native:containerservice:ManagedCluster')!;
      expect(aks.inputs.ingressProfile).toEqual({ webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: type } } });
    }
    expect(AKS_APP_ROUTING.ingressClass).toBe('webapprouting.kubernetes.azure.com');
  });
});
