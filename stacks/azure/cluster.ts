import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as compute from '@pulumi/azure-native/compute/index.js';
import * as containerservice from '@pulumi/azure-native/containerservice/index.js';
import * as managedidentity from '@pulumi/azure-native/managedidentity/index.js';
import type * as azureInputs from '@pulumi/azure-native/types/input.js';
import type { AzureCloud, ClusterSettings, ExistingClusterSettings, GpuPoolSettings, InstallSettings, NewClusterSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { GPU_TAINT, gpuNodeLabels } from '../decisions/gpu.js';
import { cloudSizes } from '../decisions/sizing.js';
import { formatAddress, parseCidr, POD_CIDR, SERVICE_CIDR } from '../decisions/subnets.js';
import { roleDefinitionId, type AzureRole } from './common.js';
import { aksAppRouting, type IngressExposure } from '../decisions/ingress.js';
import { assignClusterAdmins, grantIngressDns } from './cluster-access.js';

export interface AzureClusterArgs {
  installName: string;
  cloud: AzureCloud;
  cluster: ClusterSettings;
  network: InstallSettings['network'];
  sizing: InstallSettings['sizing'];
  /** GPU pool for self-hosted models; null otherwise. */
  gpuPool: GpuPoolSettings | null;
  /** How the platform's Ingress is exposed: the load balancer of the add-on's default NGINX controller. */
  ingressExposure: IngressExposure;
  resourceGroupName: pulumi.Input<string>;
  nodeSubnetId: pulumi.Input<string>;
  /** The delegated API server subnet (new VNets); null disables API Server VNet Integration. */
  apiServerSubnetId: pulumi.Input<string> | null;
  /** Sources allowed to reach a public API server (publicApiSources, resolved); null keeps it private. */
  authorizedIpRanges: pulumi.Input<string[]> | null;
  encryption: {
    vaultId: pulumi.Input<string>;
    vaultPrivate: boolean;
    keyUriWithVersion: pulumi.Input<string>;
    identityId: pulumi.Input<string>;
  };
  tags: Record<string, string>;
}

/** A private API server unless a public one comes with an allow-list (AKS would admit any address without one). */
export function azureApiServerAccess(authorizedIpRanges: pulumi.Input<string[]> | null): { enablePrivateCluster: boolean; authorizedIPRanges?: pulumi.Input<string[]> } {
  return authorizedIpRanges === null ? { enablePrivateCluster: true } : { enablePrivateCluster: false, authorizedIPRanges: authorizedIpRanges };
}

/**
 * Cluster egress: the VNet's NAT gateway (connected, new VNet), the customer's routes (connected,
 * existing VNet: their firewall), or none at all (air-gapped: a network-isolated cluster).
 */
export function azureOutboundType(networkMode: 'connected' | 'air-gapped', vnetMode: 'new' | 'existing'): 'userAssignedNATGateway' | 'userDefinedRouting' | 'none' {
  if (networkMode === 'air-gapped') return 'none';
  return vnetMode === 'new' ? 'userAssignedNATGateway' : 'userDefinedRouting';
}

/** A taint in AKS's key=value:Effect syntax. */
export function aksTaint(taint: { key: string; value: string; effect: string } = GPU_TAINT): string {
  return `${taint.key}=${taint.value}:${taint.effect}`;
}

/**
 * KMS etcd encryption with the install's key: a private vault needs API Server VNet Integration;
 * without it (existing VNets) only a public vault works. Null when KMS cannot be used.
 */
export function azureKmsNetworkAccess(vaultPrivate: boolean, apiServerVnetIntegration: boolean): 'Public' | 'Private' | null {
  if (!vaultPrivate) return 'Public';
  return apiServerVnetIntegration ? 'Private' : null;
}

/** Availability zones for the system pool: the spec's zone count on a new VNet, else all three. */
export function azureZones(cloud: Pick<AzureCloud, 'vnet'>): string[] {
  return ['1', '2', '3'].slice(0, cloud.vnet.mode === 'new' ? cloud.vnet.zones : 3);
}

/** The cluster DNS service address: the tenth address of the service range. */
export const AKS_DNS_SERVICE_IP = formatAddress(parseCidr(SERVICE_CIDR).base + 10);

/**
 * AKS: a new cluster (private API server, Entra ID with Azure RBAC and no local accounts, OIDC
 * issuer and workload identity, Azure CNI overlay, node disks and etcd secrets encrypted with the
 * install's key, egress through the NAT gateway or none when air-gapped, the application routing
 * add-on serving the chart's Ingress) or the spec's existing one; a GPU pool only for self-hosted
 * models, shaped by the GPU preset and tainted nvidia.com/gpu=present:NoSchedule.
 */
export class AzureCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Object id of the kubelet identity (image pulls). */
  readonly kubeletObjectId: pulumi.Output<string>;

  constructor(name: string, args: AzureClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Cluster', name, {}, opts);
    const { cluster, gpuPool } = args;
    requireValid('AzureCluster', [
      cluster.mode === 'new' && cluster.systemNodes.min > cluster.systemNodes.max && 'systemNodes.min exceeds systemNodes.max',
      cluster.mode === 'new' && cluster.apiEndpoint === 'public' && args.network.mode === 'air-gapped' && 'an air-gapped cluster cannot have a public API server',
      args.authorizedIpRanges !== null && (cluster.mode !== 'new' || cluster.apiEndpoint !== 'public' || args.network.mode !== 'connected') && 'authorizedIpRanges without a public API server on a connected network',
      gpuPool !== null && gpuPool.minNodes > gpuPool.maxNodes && 'gpuPool.minNodes exceeds gpuPool.maxNodes',
      gpuPool !== null && gpuPool.shape.gpus < 1 && 'the GPU shape has no GPUs',
      gpuPool !== null && !/^Standard_[A-Za-z0-9_]+$/.test(gpuPool.shape.name) && `${gpuPool.shape.name} is not an Azure VM size`,
      args.network.mode === 'air-gapped' && args.network.egressProxy !== null && 'an air-gapped network has no egress proxy',
    ]);

    const aks = cluster.mode === 'new' ? createManagedCluster(this, name, args, cluster) : findExistingCluster(this, args, cluster);
    this.clusterName = aks.clusterName;
    this.oidcIssuerUrl = aks.oidcIssuerUrl;
    this.kubeletObjectId = aks.kubeletObjectId;
    if (gpuPool) createGpuPool(this, name, args, gpuPool, aks);
    this.registerOutputs({ clusterName: this.clusterName, oidcIssuerUrl: this.oidcIssuerUrl });
  }
}

/** The cluster as the rest of the component sees it, new or existing. */
interface AksCluster {
  clusterName: pulumi.Output<string>;
  oidcIssuerUrl: pulumi.Output<string>;
  kubeletObjectId: pulumi.Output<string>;
  resourceGroupName: pulumi.Input<string>;
  /** The subnet a new node pool joins. */
  nodeSubnetId: pulumi.Input<string | undefined>;
}

/**
 * The control plane's identity and what it must be granted before AKS is created: the node and API
 * server subnets, the disk encryption set, and the vault when etcd secrets use KMS.
 */
function createControlPlaneAccess(component: pulumi.Resource, name: string, args: AzureClusterArgs) {
  const parent = { parent: component };
  const { cloud } = args;
  const identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, { resourceGroupName: args.resourceGroupName, location: cloud.location, resourceName: `${args.installName}-aks`, tags: args.tags }, parent);
  const grant = (suffix: string, role: AzureRole, scope: pulumi.Input<string>) =>
    new authorization.RoleAssignment(`${name}-${suffix}`, { scope, roleDefinitionId: roleDefinitionId(cloud, role), principalId: identity.principalId, principalType: 'ServicePrincipal', description: `installctl ${args.installName}: AKS control plane` }, parent);

  const diskEncryption = new compute.DiskEncryptionSet(
    `${name}-disks`,
    {
      resourceGroupName: args.resourceGroupName,
      location: cloud.location,
      diskEncryptionSetName: `${args.installName}-aks-disks`,
      encryptionType: 'EncryptionAtRestWithCustomerKey',
      activeKey: { keyUrl: args.encryption.keyUriWithVersion, sourceVault: { id: args.encryption.vaultId } },
      rotationToLatestKeyVersionEnabled: true,
      identity: { type: 'UserAssigned', userAssignedIdentities: [args.encryption.identityId] },
      tags: args.tags,
    },
    parent,
  );
  const kms = azureKmsNetworkAccess(args.encryption.vaultPrivate, args.apiServerSubnetId !== null);
  const grants = [
    grant('nodes-subnet', 'networkContributor', args.nodeSubnetId),
    ...(args.apiServerSubnetId !== null ? [grant('apiserver-subnet', 'networkContributor', args.apiServerSubnetId)] : []),
    grant('disks', 'reader', diskEncryption.id),
    ...(kms ? [grant('kms', 'keyVaultCryptoUser', args.encryption.vaultId)] : []),
    // With a private vault, AKS creates its own private endpoint to it for the KMS plugin.
    ...(kms === 'Private' ? [grant('kms-private', 'keyVaultContributor', args.encryption.vaultId)] : []),
  ];
  return { identity, diskEncryption, kms, grants };
}

function createManagedCluster(component: pulumi.Resource, name: string, args: AzureClusterArgs, cluster: NewClusterSettings): AksCluster {
  const { cloud } = args;
  const { identity, diskEncryption, kms, grants } = createControlPlaneAccess(component, name, args);
  const airGapped = args.network.mode === 'air-gapped';
  const proxy = args.network.egressProxy;
  const created = new containerservice.ManagedCluster(
    `${name}-aks`,
    {
      resourceGroupName: args.resourceGroupName,
      location: cloud.location,
      resourceName: args.installName,
      dnsPrefix: args.installName,
      kubernetesVersion: cluster.kubernetesVersion,
      sku: { name: 'Base', tier: 'Standard' },
      identity: { type: 'UserAssigned', userAssignedIdentities: [identity.id] },
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: cloud.tenantId },
      enableRBAC: true,
      disableLocalAccounts: true,
      apiServerAccessProfile: {
        ...azureApiServerAccess(args.authorizedIpRanges),
        enablePrivateClusterPublicFQDN: false,
        ...(args.apiServerSubnetId !== null ? { enableVnetIntegration: true, subnetId: args.apiServerSubnetId } : {}),
      },
      networkProfile: aksNetworkProfile(args),
      // Network-isolated clusters pull their bootstrap images through an AKS-managed registry cache.
      ...(airGapped ? { bootstrapProfile: { artifactSource: 'Cache' } } : {}),
      ...(proxy ? { httpProxyConfig: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: [...proxy.noProxy] } } : {}),
      oidcIssuerProfile: { enabled: true },
      ingressProfile: aksIngressProfile(args.ingressExposure, cloud.ingressPrivateZoneId ?? null),
      securityProfile: {
        workloadIdentity: { enabled: true },
        ...(kms ? { azureKeyVaultKms: { enabled: true, keyId: args.encryption.keyUriWithVersion, keyVaultNetworkAccess: kms, ...(kms === 'Private' ? { keyVaultResourceId: args.encryption.vaultId } : {}) } } : {}),
      },
      diskEncryptionSetID: diskEncryption.id,
      autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
      agentPoolProfiles: [aksSystemPool(args, cluster)],
      tags: args.tags,
    },
    // The autoscaler owns the system pool's node count: `count` is only the initial size.
    { parent: component, dependsOn: grants, ignoreChanges: ['agentPoolProfiles[0].count'] },
  );
  // Local accounts are off: without an Azure RBAC cluster admin nobody can run kubectl.
  assignClusterAdmins(component, name, { installName: args.installName, cloud, clusterId: created.id });
  if (cloud.ingressPrivateZoneId) {
    const addOnObjectId = created.ingressProfile.apply((profile) => profile?.webAppRouting?.identity?.objectId ?? '');
    grantIngressDns(component, name, { installName: args.installName, zoneId: cloud.ingressPrivateZoneId, addOnObjectId });
  }
  return {
    clusterName: created.name,
    oidcIssuerUrl: created.oidcIssuerProfile.apply((profile) => profile?.issuerURL ?? ''),
    kubeletObjectId: created.identityProfile.apply((profile) => profile?.kubeletidentity?.objectId ?? ''),
    resourceGroupName: args.resourceGroupName,
    nodeSubnetId: args.nodeSubnetId,
  };
}

/**
 * The application routing add-on, and the customer's private DNS zone its managed external-dns
 * writes the Ingress host's A record into (the internal load balancer's address exists only once the
 * add-on has created it, so the record cannot be a stack resource).
 */
export function aksIngressProfile(exposure: IngressExposure, privateZoneId: string | null): azureInputs.containerservice.ManagedClusterIngressProfileArgs {
  const { webAppRouting } = aksAppRouting(exposure);
  return { webAppRouting: { ...webAppRouting, ...(privateZoneId ? { dnsZoneResourceIds: [privateZoneId] } : {}) } };
}

/** Azure CNI overlay with Cilium; egress as azureOutboundType decides. */
function aksNetworkProfile(args: AzureClusterArgs): azureInputs.containerservice.ContainerServiceNetworkProfileArgs {
  return {
    networkPlugin: 'azure',
    networkPluginMode: 'overlay',
    networkDataplane: 'cilium',
    networkPolicy: 'cilium',
    podCidr: POD_CIDR,
    serviceCidr: SERVICE_CIDR,
    dnsServiceIP: AKS_DNS_SERVICE_IP,
    loadBalancerSku: 'standard',
    outboundType: azureOutboundType(args.network.mode, args.cloud.vnet.mode),
  };
}

/** The autoscaled system pool, in the node subnet, across the install's zones. */
function aksSystemPool(args: AzureClusterArgs, cluster: NewClusterSettings): azureInputs.containerservice.ManagedClusterAgentPoolProfileArgs {
  return {
    name: 'system',
    mode: 'System',
    type: 'VirtualMachineScaleSets',
    vmSize: cloudSizes('azure', args.sizing).systemNode,
    osType: 'Linux',
    osSKU: 'AzureLinux',
    osDiskType: 'Managed',
    count: cluster.systemNodes.min,
    minCount: cluster.systemNodes.min,
    maxCount: cluster.systemNodes.max,
    enableAutoScaling: true,
    enableNodePublicIP: false,
    availabilityZones: azureZones(args.cloud),
    vnetSubnetID: args.nodeSubnetId,
    nodeLabels: { 'installctl.dev/pool': 'system' },
    tags: args.tags,
  };
}

function findExistingCluster(component: pulumi.Resource, args: AzureClusterArgs, cluster: ExistingClusterSettings): AksCluster {
  const existing = containerservice.getManagedClusterOutput({ resourceGroupName: args.cloud.resourceGroup, resourceName: cluster.name }, { parent: component });
  return {
    clusterName: existing.name,
    oidcIssuerUrl: existing.apply((found) => found.oidcIssuerProfile?.issuerURL ?? ''),
    kubeletObjectId: existing.apply((found) => found.identityProfile?.kubeletidentity?.objectId ?? ''),
    resourceGroupName: args.cloud.resourceGroup,
    // A new pool joins the cluster's own node subnet.
    nodeSubnetId: existing.apply((found) => found.agentPoolProfiles?.find((pool) => pool.mode === 'System')?.vnetSubnetID ?? found.agentPoolProfiles?.[0]?.vnetSubnetID),
  };
}

function createGpuPool(component: pulumi.Resource, name: string, args: AzureClusterArgs, gpuPool: GpuPoolSettings, aks: AksCluster): void {
  new containerservice.AgentPool(
    `${name}-gpu`,
    {
      resourceGroupName: aks.resourceGroupName,
      resourceName: aks.clusterName,
      agentPoolName: 'gpu',
      mode: 'User',
      type: 'VirtualMachineScaleSets',
      vmSize: gpuPool.shape.name,
      osType: 'Linux',
      osSKU: 'Ubuntu',
      osDiskType: 'Managed',
      osDiskSizeGB: 512,
      count: gpuPool.minNodes,
      minCount: gpuPool.minNodes,
      maxCount: gpuPool.maxNodes,
      enableAutoScaling: true,
      enableNodePublicIP: false,
      vnetSubnetID: aks.nodeSubnetId,
      nodeLabels: gpuNodeLabels(),
      nodeTaints: [aksTaint(GPU_TAINT)],
      tags: args.tags,
    },
    // The autoscaler owns the node count: `count` is only the initial size.
    { parent: component, ignoreChanges: ['count'] },
  );
}
