/**
 * The Azure resource policies catch what they are meant to: each case synthesizes a real cell once,
 * breaks one thing in a copy of the synthesis, and expects that policy (and only it) to fire.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { synthesizeProject } from '../../../cli/conformance/pulumi/synthesize.js';
import { checkPolicies } from '../../../cli/conformance/pulumi/policies.js';
import type { Synthesis, SynthesizedResource } from '../../../cli/conformance/pulumi/types.js';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { renderCell } from '../../helpers/cells.js';
import { synthesizeEdited } from '../../helpers/stack-synthesis.js';

const CELLS = {
  airGappedCloudModels: 'azure/gitlab-self-managed/cloud-managed/air-gapped',
  connectedSelfHosted: 'azure/gitlab-self-managed/self-hosted/connected',
} as const;

const syntheses: Partial<Record<keyof typeof CELLS, Synthesis>> = {};
let adopted: Synthesis;

/** A rendered cell whose settings adopt an existing AKS cluster and VNet (no starter spec does). */
async function synthesizeAdopted(): Promise<Synthesis> {
  return synthesizeEdited(supportMatrix().cell('azure/gitlab-self-managed/self-hosted/air-gapped')!, (settings) => {
    const vnetId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub';
    settings.cluster = { mode: 'existing', kubernetesVersion: '1.32', name: 'aks-shared' };
    if (settings.cloud?.type === 'azure') settings.cloud.vnet = { mode: 'existing', vnetId, nodeSubnetId: `${vnetId}/subnets/aks`, endpointSubnetId: `${vnetId}/subnets/endpoints` };
  });
}

beforeAll(async () => {
  for (const [key, id] of Object.entries(CELLS) as Array<[keyof typeof CELLS, string]>) {
    syntheses[key] = await synthesizeProject(join(renderCell(supportMatrix().cell(id)!).dir, 'pulumi'));
  }
  adopted = await synthesizeAdopted();
}, 120_000);

type Mutation = (resources: SynthesizedResource[]) => SynthesizedResource[];
const edit = (type: string, change: (inputs: Record<string, any>) => void): Mutation => (resources) =>
  resources.map((resource) => {
    if (resource.type !== type) return resource;
    const inputs = structuredClone(resource.inputs);
    change(inputs);
    return { ...resource, inputs };
  });
const drop = (type: string): Mutation => (resources) => resources.filter((resource) => resource.type !== type);
const add = (type: string, name: string, inputs: Record<string, any>): Mutation => (resources) => [
  ...resources,
  { urn: `urn:test::${name}`, type, name, parentType: 'installctl:azure:Network', custom: true, inputs: { ...inputs, tags: { 'installctl-install': 'acme-prod', 'installctl-customer': 'Example Corp' } } },
];

function violationsAfter(cell: keyof typeof CELLS, mutation: Mutation) {
  const synthesis = syntheses[cell]!;
  return checkPolicies({ ...synthesis, resources: mutation(structuredClone(synthesis.resources)) });
}

describe('Azure resource policies', () => {
  it('pass on the unmodified cells', () => {
    for (const synthesis of Object.values(syntheses)) expect(checkPolicies(synthesis!)).toEqual([]);
  });

  it('pass on an install that adopts an existing cluster and VNet, adding only the GPU pool to the cluster', () => {
    expect(adopted.errors).toEqual([]);
    expect(checkPolicies(adopted)).toEqual([]);
    expect(adopted.invokes).toContain('azure-native:containerservice:getManagedCluster');
    const types = adopted.resources.filter((r) => r.custom).map((r) => r.type);
    for (const absent of ['azure-native:containerservice:ManagedCluster', 'azure-native:network:VirtualNetwork', 'azure-native:network:Subnet', 'azure-native:resources:ResourceGroup']) expect(types).not.toContain(absent);
    const pool = adopted.resources.find((r) => r.type === 'azure-native:containerservice:AgentPool')!;
    expect(pool.inputs).toMatchObject({ resourceName: 'aks-shared', resourceGroupName: 'rg-agents-prod', vnetSubnetID: expect.stringMatching(/\/subnets\/aks$/) });
  });

  it.each<[string, keyof typeof CELLS, Mutation, string]>([
    ['a public IP in an air-gapped network', 'airGappedCloudModels', add('azure-native:network:PublicIPAddress', 'leak', { sku: { name: 'Standard' } }), 'air-gapped-no-internet'],
    ['an air-gapped cluster with internet egress', 'airGappedCloudModels', edit('azure-native:containerservice:ManagedCluster', (i) => (i.networkProfile.outboundType = 'loadBalancer')), 'air-gapped-no-internet'],
    ['an air-gapped registry open to the internet', 'airGappedCloudModels', edit('azure-native:containerregistry:Registry', (i) => (i.publicNetworkAccess = 'Enabled')), 'air-gapped-no-internet'],
    ['a subnet with default outbound access', 'airGappedCloudModels', edit('azure-native:network:Subnet', (i) => (i.defaultOutboundAccess = true)), 'no-default-outbound'],
    ['a public API server', 'airGappedCloudModels', edit('azure-native:containerservice:ManagedCluster', (i) => (i.apiServerAccessProfile.enablePrivateCluster = false)), 'private-cluster-api'],
    ['secrets without KMS', 'airGappedCloudModels', edit('azure-native:containerservice:ManagedCluster', (i) => delete i.securityProfile.azureKeyVaultKms), 'encrypted'],
    ['PostgreSQL without the customer key', 'airGappedCloudModels', edit('azure-native:dbforpostgresql:Server', (i) => delete i.dataEncryption), 'encrypted'],
    ['PostgreSQL open to the internet', 'airGappedCloudModels', edit('azure-native:dbforpostgresql:Server', (i) => (i.network.publicNetworkAccess = 'Enabled')), 'data-private'],
    ['PostgreSQL without its private endpoint', 'airGappedCloudModels', (r) => r.filter((x) => x.name !== 'acme-prod-data-postgres-pe'), 'data-private'],
    ['Redis without persistence', 'airGappedCloudModels', edit('azure-native:redisenterprise:Database', (i) => (i.persistence = { rdbEnabled: false, aofEnabled: false })), 'backups'],
    ['blob versioning off', 'airGappedCloudModels', edit('azure-native:storage:BlobServiceProperties', (i) => (i.isVersioningEnabled = false)), 'backups'],
    ['a missing pgvector allow-list', 'airGappedCloudModels', drop('azure-native:dbforpostgresql:Configuration'), 'data-services'],
    ['a deployment missing from the catalog', 'airGappedCloudModels', (r) => r.filter((x) => x.name !== 'acme-prod-models-gpt-41'), 'model-service'],
    ['an OpenAI account reachable publicly when the plan says private', 'airGappedCloudModels', edit('azure-native:cognitiveservices:Account', (i) => (i.properties.publicNetworkAccess = 'Enabled')), 'model-service'],
    ['OpenAI access granted to the platform identity', 'airGappedCloudModels', edit('azure-native:authorization:RoleAssignment', (i) => { if (String(i.roleDefinitionId).endsWith('5e0bd9bd-7b93-4f28-af87-19fc36ad61bd')) i.principalId = 'someone-else'; }), 'least-privilege'],
    ['a registry without the customer key', 'airGappedCloudModels', edit('azure-native:containerregistry:Registry', (i) => delete i.encryption), 'encrypted'],
    ['a federated credential for the wrong service account', 'airGappedCloudModels', edit('azure-native:managedidentity:FederatedIdentityCredential', (i) => (i.subject = 'system:serviceaccount:default:default')), 'workload-identity'],
    ['a resource without install tags', 'airGappedCloudModels', edit('azure-native:keyvault:Vault', (i) => delete i.tags), 'tagged'],
    ['a connected VNet without NAT', 'connectedSelfHosted', drop('azure-native:network:NatGateway'), 'connected-egress'],
    ['a GPU pool without the taint', 'connectedSelfHosted', edit('azure-native:containerservice:AgentPool', (i) => (i.nodeTaints = [])), 'gpu-pool'],
    ['a GPU pool of another shape', 'connectedSelfHosted', edit('azure-native:containerservice:AgentPool', (i) => (i.vmSize = 'Standard_NC4as_T4_v3')), 'gpu-pool'],
    ['a GPU pool with a fixed size', 'connectedSelfHosted', edit('azure-native:containerservice:AgentPool', (i) => (i.enableAutoScaling = false)), 'gpu-pool'],
    ['OpenAI resources for self-hosted models', 'connectedSelfHosted', add('azure-native:cognitiveservices:Account', 'stray', { kind: 'OpenAI' }), 'model-service'],
    ['a registry nobody asked for', 'connectedSelfHosted', add('azure-native:containerregistry:Registry', 'stray', { registryName: 'stray' }), 'registry'],
    ['a role at resource group scope', 'connectedSelfHosted', edit('azure-native:authorization:RoleAssignment', (i) => (i.scope = '/subscriptions/x/resourceGroups/rg-agents-prod')), 'least-privilege'],
  ])('flag %s', (_, cell, mutation, policy) => {
    const violations = violationsAfter(cell, mutation);
    expect(violations.map((v) => v.policy)).toContain(policy);
  });
});
