import * as pulumi from '@pulumi/pulumi';
import * as container from '@pulumi/gcp/container/index.js';
import * as projects from '@pulumi/gcp/projects/index.js';
import * as serviceaccount from '@pulumi/gcp/serviceaccount/index.js';
import type { ClusterSettings, ExistingClusterSettings, GcpCloud, GpuPoolSettings, InstallSettings, NewClusterSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { GPU_TAINT, gpuNodeLabels } from '../decisions/gpu.js';
import { cloudSizes } from '../decisions/sizing.js';
import { CONTROL_PLANE_CIDR, POD_CIDR, SERVICE_CIDR } from '../decisions/subnets.js';
import { publicApiSources } from '../decisions/endpoints.js';
import { GKE_AUTOSCALER_OWNED, GKE_DATAPATH_PROVIDER, gcpName, gcpServiceAccountId, gkeReleaseChannel, workloadPool } from './common.js';

export interface GcpClusterArgs {
  installName: string;
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  cluster: ClusterSettings;
  networkMode: InstallSettings['network']['mode'];
  sizing: InstallSettings['sizing'];
  /** GPU pool for self-hosted models; null otherwise. */
  gpuPool: GpuPoolSettings | null;
  networkId: pulumi.Input<string>;
  subnetworkId: pulumi.Input<string>;
  /** Secondary range names on the subnetwork, or null to let GKE create them from POD_CIDR and SERVICE_CIDR. */
  podRangeName: string | null;
  serviceRangeName: string | null;
  /** The block allowed to reach a private API endpoint. */
  internalCidr: pulumi.Input<string>;
  keyId: pulumi.Input<string>;
  labels: Record<string, string>;
  /** The product's release channel: picks the GKE release channel of a new cluster. */
  releaseChannel?: InstallSettings['releaseChannel'];
}

/** The node roles GKE documents for a least-privilege node service account (logs, metrics, metadata). */
export const GKE_NODE_ROLES = ['roles/container.defaultNodeServiceAccount'] as const;

/** A regional cluster's node pools span three zones. */
export const GKE_REGIONAL_ZONES = 3;

/** Private nodes always; a public endpoint only when the spec asks for one and the network is connected. */
export function gkeEndpointAccess(cluster: ClusterSettings, networkMode: 'connected' | 'air-gapped'): { enablePrivateNodes: true; enablePrivateEndpoint: boolean } {
  return { enablePrivateNodes: true, enablePrivateEndpoint: publicApiSources(cluster, networkMode, true).kind === 'private' };
}

/**
 * Master authorized networks, always on (without them a public endpoint admits any address): the
 * spec's CIDRs for a public endpoint when given, else only the internal block, so a public endpoint
 * without a list is reachable from nowhere outside. Google's own ranges are never admitted.
 */
export function gkeAuthorizedNetworks(cluster: ClusterSettings, networkMode: 'connected' | 'air-gapped', internalCidr: pulumi.Input<string>): { cidrBlocks: Array<{ cidrBlock: pulumi.Input<string>; displayName: string }>; gcpPublicCidrsAccessEnabled: false } {
  const sources = publicApiSources(cluster, networkMode, true);
  const cidrBlocks = sources.kind === 'cidrs' ? sources.cidrs.map((cidr, index) => ({ cidrBlock: cidr, displayName: `spec-${index}` })) : [{ cidrBlock: internalCidr, displayName: 'internal' }];
  return { cidrBlocks, gcpPublicCidrsAccessEnabled: false };
}

/**
 * A node pool's size: the spec's min and max are totals across the region's zones (GKE's total
 * limits), and the initial count per zone never starts the pool above max (0 lets the autoscaler
 * add the first node where there is capacity). GPU pools use the ANY location policy, which places
 * scarce accelerators wherever they are available; system pools stay BALANCED across zones.
 */
export function gkeNodePoolSize(
  min: number,
  max: number,
  locationPolicy: 'BALANCED' | 'ANY',
  zones = GKE_REGIONAL_ZONES,
): { initialNodeCount: number; autoscaling: { totalMinNodeCount: number; totalMaxNodeCount: number; locationPolicy: 'BALANCED' | 'ANY' } } {
  return { initialNodeCount: Math.min(Math.ceil(min / zones), Math.floor(max / zones)), autoscaling: { totalMinNodeCount: min, totalMaxNodeCount: max, locationPolicy } };
}

/** gpu-<product>, as a node pool name (at most 40 characters). */
export function gpuNodePoolName(product: string): string {
  return `gpu-${product.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 40).replace(/-+$/, '');
}

/**
 * GKE: a new regional cluster (private nodes, private endpoint unless allowed public, VPC-native
 * with the subnetwork's secondary ranges, Workload Identity, secrets encrypted with the install's
 * key, no default node pool, deletion protection) or the spec's existing one; a system node pool
 * with a dedicated least-privilege node service account; a GPU node pool only for self-hosted
 * models, shaped by the GPU preset and tainted nvidia.com/gpu=present:NoSchedule.
 */
export class GcpCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly nodeServiceAccountEmail: pulumi.Output<string>;
  /**
   * PROJECT.svc.id.goog, resolved once the cluster exists: the pool exists only from the first
   * Workload Identity cluster on, and IAM refuses bindings for a pool that does not exist yet.
   */
  readonly workloadPool: pulumi.Output<string>;

  constructor(name: string, args: GcpClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Cluster', name, {}, opts);
    const { cluster, gpuPool } = args;
    requireValid('GcpCluster', [
      cluster.mode === 'new' && cluster.systemNodes.min > cluster.systemNodes.max && 'systemNodes.min exceeds systemNodes.max',
      cluster.mode === 'new' && cluster.apiEndpoint === 'public' && args.networkMode === 'air-gapped' && 'an air-gapped cluster cannot have a public API endpoint',
      (args.podRangeName === null) !== (args.serviceRangeName === null) && 'podRangeName and serviceRangeName must both be set or both be null',
      gpuPool !== null && gpuPool.minNodes > gpuPool.maxNodes && 'gpuPool.minNodes exceeds gpuPool.maxNodes',
      gpuPool !== null && gpuPool.shape.gpus < 1 && 'the GPU shape has no GPUs',
      gpuPool !== null && !gpuPool.shape.accelerator && `the GPU shape ${gpuPool.shape.name} has no GKE accelerator type`,
      gpuPool?.zones?.some((zone) => !zone.startsWith(`${args.cloud.region}-`)) && `GPU zones ${gpuPool.zones.join(', ')} are not all in ${args.cloud.region}`,
      gpuPool !== null && gpuPool.zones?.length === 0 && `no zone of ${args.cloud.region} offers ${gpuPool.shape.accelerator}`,
    ]);

    const nodeAccount = createNodeServiceAccount(this, name, args);
    this.nodeServiceAccountEmail = nodeAccount.email;
    const nodeConfig = gkeNodeConfig(args, nodeAccount.email);
    const gke = cluster.mode === 'new' ? createGkeCluster(this, name, args, cluster, nodeConfig) : findExistingCluster(this, args, cluster);
    this.clusterName = gke.clusterName;
    this.workloadPool = gke.workloadPool;
    if (gpuPool) createGpuNodePool(this, name, args, gpuPool, nodeConfig);
    this.registerOutputs({ clusterName: this.clusterName, nodeServiceAccountEmail: this.nodeServiceAccountEmail, workloadPool: this.workloadPool });
  }
}

/** The cluster as the rest of the component sees it, new or existing. */
interface GkeCluster {
  clusterName: pulumi.Output<string>;
  workloadPool: pulumi.Output<string>;
}

/** The node settings every pool shares: the node service account, GKE metadata server, shielded COS nodes. */
type GkeNodeConfig = ReturnType<typeof gkeNodeConfig>;

function gkeNodeConfig(args: GcpClusterArgs, serviceAccount: pulumi.Output<string>) {
  return {
    serviceAccount,
    oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    imageType: 'COS_CONTAINERD',
    diskType: 'pd-balanced',
    resourceLabels: args.labels,
  };
}

/** The dedicated least-privilege node service account (GKE_NODE_ROLES). */
function createNodeServiceAccount(component: pulumi.Resource, name: string, args: GcpClusterArgs): serviceaccount.Account {
  const parent = { parent: component };
  const project = args.project;
  const nodeAccount = new serviceaccount.Account(
    `${name}-nodes`,
    { project, accountId: gcpServiceAccountId(args.installName, 'gke-nodes'), displayName: `installctl ${args.installName} GKE nodes`, description: 'GKE node service account: logs, metrics and image pulls only' },
    parent,
  );
  GKE_NODE_ROLES.forEach((role) => new projects.IAMMember(`${name}-nodes-${role.split('/')[1]}`, { project, role, member: nodeAccount.member }, parent));
  return nodeAccount;
}

/** A new regional cluster and its system node pool. */
function createGkeCluster(component: pulumi.Resource, name: string, args: GcpClusterArgs, cluster: NewClusterSettings, nodeConfig: GkeNodeConfig): GkeCluster {
  const parent = { parent: component };
  const project = args.project;
  const pool = workloadPool(args.cloud.projectId);
  const created = new container.Cluster(
    `${name}-gke`,
    {
      project,
      name: gcpName(args.installName, '', 40),
      location: args.cloud.region,
      // A minimum: GKE upgrades the control plane and the nodes within the release channel.
      minMasterVersion: cluster.kubernetesVersion,
      releaseChannel: { channel: gkeReleaseChannel(args.releaseChannel) },
      // Dataplane V2 enforces the charts' NetworkPolicies (without it they are silent no-ops).
      datapathProvider: GKE_DATAPATH_PROVIDER,
      network: args.networkId,
      subnetwork: args.subnetworkId,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy:
        args.podRangeName && args.serviceRangeName
          ? { clusterSecondaryRangeName: args.podRangeName, servicesSecondaryRangeName: args.serviceRangeName }
          : { clusterIpv4CidrBlock: POD_CIDR, servicesIpv4CidrBlock: SERVICE_CIDR },
      privateClusterConfig: { ...gkeEndpointAccess(cluster, args.networkMode), masterIpv4CidrBlock: CONTROL_PLANE_CIDR },
      masterAuthorizedNetworksConfig: gkeAuthorizedNetworks(cluster, args.networkMode, args.internalCidr),
      workloadIdentityConfig: { workloadPool: pool },
      databaseEncryption: { state: 'ENCRYPTED', keyName: args.keyId },
      // The default pool is replaced by the system and GPU pools; it runs as the node service account while it exists.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig,
      deletionProtection: true,
      resourceLabels: args.labels,
    },
    parent,
  );
  new container.NodePool(
    `${name}-system`,
    {
      project,
      cluster: created.name,
      location: args.cloud.region,
      name: 'system',
      ...gkeNodePoolSize(cluster.systemNodes.min, cluster.systemNodes.max, 'BALANCED'),
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: { ...nodeConfig, machineType: cloudSizes('gcp', args.sizing).systemNode, diskSizeGb: 100, labels: { 'installctl.dev/pool': 'system' } },
    },
    { ...parent, ignoreChanges: [...GKE_AUTOSCALER_OWNED] },
  );
  return { clusterName: created.name, workloadPool: created.id.apply(() => pool) };
}

/** The spec's existing cluster, which must already use Workload Identity. */
function findExistingCluster(component: pulumi.Resource, args: GcpClusterArgs, cluster: ExistingClusterSettings): GkeCluster {
  const pool = workloadPool(args.cloud.projectId);
  const existing = container.getClusterOutput({ project: args.project, location: args.cloud.region, name: cluster.name }, { parent: component });
  return {
    clusterName: existing.name,
    workloadPool: existing.workloadIdentityConfigs.apply((configs) => {
      if (!configs.some((config) => config.workloadPool === pool)) throw new Error(`GKE cluster ${cluster.name} does not use Workload Identity (${pool}); enable it before installing`);
      return pool;
    }),
  };
}

/**
 * The GPU pool: only in the zones that offer its accelerator when the table knows the region (a
 * regional pool otherwise asks every zone of the cluster for GPUs some do not have).
 */
function createGpuNodePool(component: GcpCluster, name: string, args: GcpClusterArgs, gpuPool: GpuPoolSettings, nodeConfig: GkeNodeConfig): void {
  const zones = gpuPool.zones ?? null;
  new container.NodePool(
    `${name}-gpu`,
    {
      project: args.project,
      cluster: component.clusterName,
      location: args.cloud.region,
      name: gpuNodePoolName(gpuPool.product),
      ...(zones ? { nodeLocations: zones } : {}),
      ...gkeNodePoolSize(gpuPool.minNodes, gpuPool.maxNodes, 'ANY', zones?.length ?? GKE_REGIONAL_ZONES),
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        ...nodeConfig,
        machineType: gpuPool.shape.name,
        guestAccelerators: [{ type: gpuPool.shape.accelerator!, count: gpuPool.shape.gpus, gpuDriverInstallationConfig: { gpuDriverVersion: 'DEFAULT' } }],
        diskSizeGb: 500,
        labels: gpuNodeLabels(),
        taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }],
      },
    },
    { parent: component, ignoreChanges: [...GKE_AUTOSCALER_OWNED] },
  );
}
