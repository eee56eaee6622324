/**
 * Issue 13 on Azure: the policies that make a green cell an install that would come up. Each case
 * synthesizes real cells once, puts back one shape main produced before the fix (no network policy
 * engine, a minor-pinned PostgreSQL, pools without ignoreChanges, no cluster admin, an unpeered
 * air-gapped VNet, concurrent flexible server operations...) and expects that policy to fire; the
 * unmodified cells pass them all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { synthesizeProject } from '../../../cli/conformance/pulumi/synthesize.js';
import { checkPolicies } from '../../../cli/conformance/pulumi/policies.js';
import type { Synthesis, SynthesizedResource } from '../../../cli/conformance/pulumi/types.js';
import { AZURE_ROLES } from '../../../stacks/azure/common.js';
import { supportMatrix, type Cell } from '../../../cli/matrix/engine.js';
import { renderCell } from '../../helpers/cells.js';
import { synthesizeEdited } from '../../helpers/stack-synthesis.js';

const T = {
  cluster: 'azure-native:containerservice:ManagedCluster',
  agentPool: 'azure-native:containerservice:AgentPool',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
  postgres: 'azure-native:dbforpostgresql:Server',
  peering: 'azure-native:network:VirtualNetworkPeering',
  zoneLink: 'azure-native:privatedns:VirtualNetworkLink',
} as const;

/** The first Azure cell of the matrix (not unsupported) with the given models and network, managed PostgreSQL by default. */
function azureCell(models: Cell['models'], network: Cell['network']): Cell {
  const cell = supportMatrix()
    .cells()
    .find((c) => c.platform === 'azure' && c.models === models && c.network === network && c.status !== 'unsupported');
  if (!cell) throw new Error(`no azure ${models}/${network} cell`);
  return cell;
}

const HUB_SUBSCRIPTION = '11111111-2222-4333-8444-555555555555';
const HUB_ZONE = `/subscriptions/${HUB_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/acme.internal`;
const INGRESS_ZONE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/agents.acme.internal';
const ADMIN = { objectId: '99999999-8888-4777-8666-555555555555', type: 'Group' as const };

/** A rendered cell whose settings name cluster admins, hub DNS zones in another subscription and an ingress zone (the spec fields, set directly). */
async function synthesizeAttached(cell: Cell): Promise<Synthesis> {
  return synthesizeEdited(cell, (settings) => {
    if (settings.cloud?.type !== 'azure') throw new Error('not an azure cell');
    settings.cloud.clusterAdmins = [ADMIN];
    settings.cloud.hub = { vnetId: `/subscriptions/${HUB_SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub`, useRemoteGateways: true, privateDnsZoneIds: [HUB_ZONE] };
    settings.cloud.ingressPrivateZoneId = INGRESS_ZONE;
  });
}

const syntheses = {} as Record<'airGapped' | 'connectedSelfHosted' | 'attached', Synthesis>;

beforeAll(async () => {
  syntheses.airGapped = await synthesizeProject(join(renderCell(azureCell('cloud-managed', 'air-gapped')).dir, 'pulumi'));
  syntheses.connectedSelfHosted = await synthesizeProject(join(renderCell(azureCell('self-hosted', 'connected')).dir, 'pulumi'));
  syntheses.attached = await synthesizeAttached(azureCell('self-hosted', 'connected'));
}, 120_000);

type Mutation = (resources: SynthesizedResource[]) => SynthesizedResource[];
const edit =
  (type: string, change: (resource: SynthesizedResource) => void): Mutation =>
  (resources) =>
    resources.map((resource) => {
      if (resource.type !== type) return resource;
      const copy = structuredClone(resource);
      change(copy);
      return copy;
    });
const dropWhere =
  (keep: (resource: SynthesizedResource) => boolean): Mutation =>
  (resources) =>
    resources.filter((resource) => !keep(resource));
const roleIs = (role: string) => (resource: SynthesizedResource) => resource.type === T.roleAssignment && String(resource.inputs.roleDefinitionId).endsWith(role);
/** Main's flexible server children: each waited only for the server (its name), never for a sibling. */
const serverOperation = (resource: SynthesizedResource) =>
  /^azure-native:dbforpostgresql:(Configuration|Database|Administrator)$/.test(resource.type) || (resource.type === 'azure-native:network:PrivateEndpoint' && resource.name.includes('postgres'));
const siblingOperation = (id: string) => !id.startsWith(`${T.postgres}::`) && (id.startsWith('azure-native:dbforpostgresql:') || id.startsWith('azure-native:network:PrivateEndpoint'));
const concurrentServerOps: Mutation = (resources) =>
  resources.map((resource) =>
    serverOperation(resource)
      ? { ...resource, options: { ignoreChanges: resource.options?.ignoreChanges ?? [], dependsOn: (resource.options?.dependsOn ?? []).filter((id) => !siblingOperation(id)) } }
      : resource,
  );

const violationsAfter = (synthesis: Synthesis, mutation: Mutation) => checkPolicies({ ...synthesis, resources: mutation(structuredClone(synthesis.resources)) });

describe('Azure deployability policies', () => {
  it('pass on the unmodified cells, with the options the harness captured', () => {
    for (const synthesis of Object.values(syntheses)) {
      expect(synthesis.errors).toEqual([]);
      expect(checkPolicies(synthesis)).toEqual([]);
    }
    const cluster = syntheses.connectedSelfHosted.resources.find((r) => r.type === T.cluster)!;
    expect(cluster.options?.ignoreChanges).toEqual(['agentPoolProfiles[0].count']);
    expect(syntheses.connectedSelfHosted.resources.find((r) => r.type === T.agentPool)!.options?.ignoreChanges).toEqual(['count']);
  });

  it.each<[string, keyof typeof syntheses, Mutation, string]>([
    ['a cluster without a network policy engine', 'connectedSelfHosted', edit(T.cluster, (r) => delete r.inputs.networkProfile.networkPolicy), 'network-policy-enforced'],
    ['Cilium policy on the Azure dataplane', 'connectedSelfHosted', edit(T.cluster, (r) => delete r.inputs.networkProfile.networkDataplane), 'network-policy-enforced'],
    ['PostgreSQL pinned to a minor version', 'airGapped', edit(T.postgres, (r) => (r.inputs.version = '16.6')), 'version-pin-major'],
    ['Kubernetes pinned to a patch under the patch channel', 'airGapped', edit(T.cluster, (r) => (r.inputs.kubernetesVersion = '1.32.4')), 'version-pin-major'],
    ['an autoscaled GPU pool whose count Pulumi resets', 'connectedSelfHosted', edit(T.agentPool, (r) => (r.options = { ignoreChanges: [], dependsOn: r.options?.dependsOn ?? [] })), 'autoscaler-owns-size'],
    ['an autoscaled system pool whose count Pulumi resets', 'airGapped', edit(T.cluster, (r) => (r.options = { ignoreChanges: [], dependsOn: r.options?.dependsOn ?? [] })), 'autoscaler-owns-size'],
    ['a system pool with a range but no autoscaler', 'airGapped', edit(T.cluster, (r) => (r.inputs.agentPoolProfiles[0].enableAutoScaling = false)), 'node-autoscaling'],
    [
      'a GPU pool with a range but no autoscaler',
      'connectedSelfHosted',
      edit(T.agentPool, (r) => Object.assign(r.inputs, { minCount: 1, maxCount: 3, enableAutoScaling: false })),
      'node-autoscaling',
    ],
    ['no RBAC cluster admin on a cluster without local accounts', 'airGapped', dropWhere(roleIs(AZURE_ROLES.aksRbacClusterAdmin)), 'cluster-admin-assigned'],
    ['the spec admin missing', 'attached', edit(T.roleAssignment, (r) => { if (r.inputs.principalId === ADMIN.objectId) r.inputs.principalId = 'someone-else'; }), 'cluster-admin-assigned'],
    ['an air-gapped VNet without peering', 'airGapped', dropWhere((r) => r.type === T.peering), 'network-reachable'],
    ['a peering the hub does not return', 'airGapped', dropWhere((r) => r.type === T.peering && r.name.endsWith('hub-to-spoke')), 'network-reachable'],
    ['a hub DNS zone not linked', 'attached', dropWhere((r) => r.type === T.zoneLink && r.inputs.privateZoneName === 'acme.internal'), 'network-reachable'],
    ['an ingress zone the add-on does not manage', 'attached', edit(T.cluster, (r) => delete r.inputs.ingressProfile.webAppRouting.dnsZoneResourceIds), 'ingress-dns'],
    ['an ingress zone the add-on may not write', 'attached', dropWhere(roleIs(AZURE_ROLES.privateDnsZoneContributor)), 'ingress-dns'],
    ['concurrent operations on the flexible server', 'airGapped', concurrentServerOps, 'serialized-server-ops'],
  ])('flag %s', (_, cell, mutation, policy) => {
    expect(violationsAfter(syntheses[cell], mutation).map((v) => v.policy)).toContain(policy);
  });

  it('chains every operation on the flexible server: pgvector, database, private endpoint, Entra ID administrator', () => {
    const ids = new Map(syntheses.airGapped.resources.map((r) => [`${r.type}::${r.name}`, r]));
    const byType = (type: string) => syntheses.airGapped.resources.find((r) => r.type === type)!;
    const database = byType('azure-native:dbforpostgresql:Database');
    const administrator = byType('azure-native:dbforpostgresql:Administrator');
    expect(database.options?.dependsOn).toContain(`azure-native:dbforpostgresql:Configuration::${byType('azure-native:dbforpostgresql:Configuration').name}`);
    const endpoint = [...ids.values()].find((r) => r.type === 'azure-native:network:PrivateEndpoint' && r.options?.dependsOn.includes(`azure-native:dbforpostgresql:Database::${database.name}`));
    expect(endpoint).toBeDefined();
    expect(administrator.options?.dependsOn).toContain(`azure-native:network:PrivateEndpoint::${endpoint!.name}`);
  });

  it('attaches the new VNet to a hub in another subscription through a provider for it, and grants the spec admins only', () => {
    const { resources } = syntheses.attached;
    const provider = resources.find((r) => r.type === 'pulumi:providers:azure-native');
    expect(provider?.inputs.subscriptionId).toBe(HUB_SUBSCRIPTION);
    const hubSide = resources.find((r) => r.type === T.peering && r.name.endsWith('hub-to-spoke'))!;
    expect(hubSide.inputs).toMatchObject({ resourceGroupName: 'rg-hub', virtualNetworkName: 'hub', allowGatewayTransit: true, allowForwardedTraffic: true });
    const spokeSide = resources.find((r) => r.type === T.peering && r.name.endsWith('spoke-to-hub'))!;
    expect(spokeSide.inputs).toMatchObject({ useRemoteGateways: true, virtualNetworkName: 'acme-prod-vnet' });
    expect(spokeSide.options?.dependsOn).toContain(`${T.peering}::${hubSide.name}`);
    const admins = resources.filter(roleIs(AZURE_ROLES.aksRbacClusterAdmin));
    expect(admins.map((a) => [a.inputs.principalId, a.inputs.principalType])).toEqual([[ADMIN.objectId, 'Group']]);
    expect(syntheses.attached.invokes).not.toContain('azure-native:authorization:getClientConfig');
  });

  it('makes the deployer cluster admin when the spec names nobody', () => {
    const admins = syntheses.airGapped.resources.filter(roleIs(AZURE_ROLES.aksRbacClusterAdmin));
    expect(admins).toHaveLength(1);
    // The mock deployer signs in with its own client id: a service principal, not the Azure CLI.
    expect(admins[0]!.inputs.principalType).toBe('ServicePrincipal');
    expect(syntheses.airGapped.invokes).toContain('azure-native:authorization:getClientConfig');
  });
});
