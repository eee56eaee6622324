/**
 * GCP resource policies from issue 13 (deployability): GKE enforces NetworkPolicies, follows a
 * release channel, autoscales its pools and leaves their size to the autoscaler, places GPU nodes
 * only in zones with the accelerator; managed datastores pin majors only; a new air-gapped VPC is
 * attached to the customer's hub; the ingress hostname gets its record when the spec names a zone.
 */
import type { InstallSettings } from '../../../../stacks/settings.js';
import { GKE_AUTOSCALER_OWNED, GKE_DATAPATH_PROVIDER, gkeReleaseChannel } from '../../../../stacks/gcp/common.js';
import { ingressAddressName } from '../../../../stacks/gcp/ingress-dns.js';
import { gcpIngressDns as gcpIngressZone } from '../../../../stacks/decisions/ingress.js';
import { gcpAcceleratorZones } from '../../../matrix/gpu-presets.js';
import { resourceId, type PolicyContext, type SynthesizedResource, type Violation } from '../types.js';

const violation = (policy: string, resource: SynthesizedResource | null, message: string): Violation => ({ policy, resource: resource ? resourceId(resource) : null, message });

const CLUSTER = 'gcp:container/cluster:Cluster';
const NODE_POOL = 'gcp:container/nodePool:NodePool';
const isGpuPool = (pool: SynthesizedResource) => (pool.inputs.nodeConfig?.guestAccelerators ?? []).length > 0;

/**
 * NetworkPolicies are no-ops on GKE without Dataplane V2 or the network policy add-on: every
 * chart renders them, so every new cluster must enforce them (an existing one: runbook prerequisite).
 */
export function gkeNetworkPolicyEnforced({ ofType }: PolicyContext): Violation[] {
  return ofType(CLUSTER).flatMap((cluster) => {
    const dataplaneV2 = cluster.inputs.datapathProvider === GKE_DATAPATH_PROVIDER;
    const calico = cluster.inputs.networkPolicy?.enabled === true && cluster.inputs.addonsConfig?.networkPolicyConfig?.disabled === false;
    return dataplaneV2 || calico ? [] : [violation('network-policy-enforced', cluster, 'GKE enforces no NetworkPolicy: enable Dataplane V2 (datapathProvider ADVANCED_DATAPATH)')];
  });
}

/** A new cluster follows a release channel (REGULAR, or STABLE for an lts product release): GKE upgrades it within supported versions. */
export function gkeReleaseChannelSet({ settings, ofType }: PolicyContext): Violation[] {
  const wanted = gkeReleaseChannel(settings.releaseChannel);
  return ofType(CLUSTER).flatMap((cluster) => {
    const channel = cluster.inputs.releaseChannel?.channel;
    return channel === wanted ? [] : [violation('release-channel', cluster, `GKE release channel is ${channel ?? 'unset'}, expected ${wanted}`)];
  });
}

/**
 * Versions the cloud upgrades are pinned to their major only: Cloud SQL POSTGRES_N, Memorystore
 * REDIS_N[_M] (its finest choice), each with a maintenance window; no node pool or cluster pins a
 * node version against the release channel's auto-upgrade.
 */
export function gcpVersionPins({ ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const db of ofType('gcp:sql/databaseInstance:DatabaseInstance')) {
    if (!/^POSTGRES_\d+$/.test(String(db.inputs.databaseVersion)))
      out.push(violation('version-pin-major', db, `Cloud SQL version ${db.inputs.databaseVersion} is not a major (POSTGRES_N)`));
    if (!db.inputs.settings?.maintenanceWindow) out.push(violation('version-pin-major', db, 'Cloud SQL has no maintenance window for its minor upgrades'));
  }
  for (const cache of ofType('gcp:redis/instance:Instance')) {
    if (!/^REDIS_\d+(_\d+)?$/.test(String(cache.inputs.redisVersion)))
      out.push(violation('version-pin-major', cache, `Memorystore version ${cache.inputs.redisVersion} is not REDIS_N[_M]`));
    if (!cache.inputs.maintenancePolicy?.weeklyMaintenanceWindows?.length) out.push(violation('version-pin-major', cache, 'Memorystore has no maintenance window for its patches'));
  }
  const channelled = ofType(CLUSTER).some((cluster) => cluster.inputs.releaseChannel?.channel && cluster.inputs.releaseChannel.channel !== 'UNSPECIFIED');
  for (const cluster of ofType(CLUSTER)) {
    if (cluster.inputs.nodeVersion) out.push(violation('version-pin-major', cluster, `nodeVersion ${cluster.inputs.nodeVersion} fights the release channel's node upgrades`));
  }
  for (const pool of ofType(NODE_POOL)) {
    if (pool.inputs.version && (channelled || pool.inputs.management?.autoUpgrade === true))
      out.push(violation('version-pin-major', pool, `node pool version ${pool.inputs.version} fights auto-upgrade`));
  }
  return out;
}

/** The min and max the spec asks of each pool the stack creates, by the pool's name. */
function wantedPoolSizes(settings: InstallSettings, pools: SynthesizedResource[]): Map<SynthesizedResource, { min: number; max: number }> {
  const sizes = new Map<SynthesizedResource, { min: number; max: number }>();
  for (const pool of pools) {
    if (isGpuPool(pool) && settings.models.gpuPool) sizes.set(pool, { min: settings.models.gpuPool.minNodes, max: settings.models.gpuPool.maxNodes });
    else if (!isGpuPool(pool) && settings.cluster.mode === 'new') sizes.set(pool, settings.cluster.systemNodes);
  }
  return sizes;
}

/** Pools whose spec allows growth (min < max) autoscale between those bounds; none has a fixed nodeCount. */
export function gkeNodeAutoscaling({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const [pool, wanted] of wantedPoolSizes(settings, ofType(NODE_POOL))) {
    const scaling = pool.inputs.autoscaling ?? {};
    const min = scaling.totalMinNodeCount ?? scaling.minNodeCount;
    const max = scaling.totalMaxNodeCount ?? scaling.maxNodeCount;
    if (pool.inputs.nodeCount !== undefined) out.push(violation('node-autoscaling', pool, `a fixed nodeCount ${pool.inputs.nodeCount} leaves no room to the autoscaler`));
    if (wanted.min < wanted.max && (min === undefined || max === undefined || max <= min))
      out.push(violation('node-autoscaling', pool, `the spec allows ${wanted.min} to ${wanted.max} nodes but the pool does not autoscale`));
  }
  return out;
}

/** An autoscaled pool ignores changes to the sizes the autoscaler owns (else every update resets or replaces it). */
export function gkeAutoscalerOwnsSize({ ofType }: PolicyContext): Violation[] {
  return ofType(NODE_POOL)
    .filter((pool) => pool.inputs.autoscaling)
    .flatMap((pool) => {
      const missing = GKE_AUTOSCALER_OWNED.filter((property) => !(pool.options?.ignoreChanges ?? []).includes(property));
      return missing.length ? [violation('autoscaler-owns-size', pool, `autoscaled node pool does not ignore changes to ${missing.join(', ')}`)] : [];
    });
}

/** The GPU pool runs only in zones of the region that offer its accelerator (matrix/gpu-presets.yaml gcpAcceleratorZones). */
export function gkeGpuZones({ settings, ofType }: PolicyContext): Violation[] {
  const region = settings.cloud?.type === 'gcp' ? settings.cloud.region : '';
  return ofType(NODE_POOL)
    .filter(isGpuPool)
    .flatMap((pool) => {
      const accelerator = String(pool.inputs.nodeConfig.guestAccelerators[0]?.type);
      const offered = gcpAcceleratorZones(region, accelerator);
      if (offered === null) return [];
      const locations: string[] = pool.inputs.nodeLocations ?? [];
      if (locations.length === 0)
        return [
          violation('gpu-zones', pool, `the GPU pool has no nodeLocations: GKE asks every zone of ${region} for ${accelerator} (offered in ${offered.join(', ') || 'none'})`),
        ];
      const outside = locations.filter((zone) => !offered.includes(zone));
      return outside.length ? [violation('gpu-zones', pool, `${outside.join(', ')} offer no ${accelerator} (offered in ${offered.join(', ') || 'none'})`)] : [];
    });
}

/**
 * A new air-gapped VPC reaches nothing outside itself: the SCM and the allowed ranges are always
 * outside a VPC the stack creates, so it must be peered with the customer's hub.
 */
export function gcpNetworkReachable({ settings, ofType }: PolicyContext): Violation[] {
  if (settings.network.mode !== 'air-gapped' || settings.cloud?.type !== 'gcp' || settings.cloud.vpc.mode !== 'new') return [];
  const peerings = ofType('gcp:compute/networkPeering:NetworkPeering').filter((peering) => peering.inputs.peerNetwork && peering.inputs.importCustomRoutes === true);
  return peerings.length
    ? []
    : [violation('network-reachable', null, 'the new air-gapped VPC is peered with no hub network (platform.hub): the SCM and operators are unreachable')];
}

/** With spec ingress.dns, the hostname's A record is in the customer's zone, on the address reserved for the Ingress. */
export function gcpIngressDns({ settings, ofType }: PolicyContext): Violation[] {
  const zone = gcpIngressZone(settings);
  const hostname = settings.ingress?.hostname;
  if (!zone || !hostname) return [];
  const addressName = ingressAddressName(settings.name);
  const addresses = [...ofType('gcp:compute/address:Address'), ...ofType('gcp:compute/globalAddress:GlobalAddress')].filter((address) => address.inputs.name === addressName);
  const records = ofType('gcp:dns/recordSet:RecordSet').filter(
    (record) => record.inputs.name === `${hostname}.` && record.inputs.type === 'A' && record.inputs.managedZone === zone.managedZone,
  );
  const out: Violation[] = [];
  if (addresses.length !== 1) out.push(violation('ingress-dns', null, `expected the address ${addressName} reserved for the Ingress, found ${addresses.length}`));
  if (records.length !== 1) out.push(violation('ingress-dns', null, `expected an A record ${hostname}. in the managed zone ${zone.managedZone}, found ${records.length}`));
  return out;
}

export const gcpClusterPolicies = [
  gkeNetworkPolicyEnforced,
  gkeReleaseChannelSet,
  gcpVersionPins,
  gkeNodeAutoscaling,
  gkeAutoscalerOwnsSize,
  gkeGpuZones,
  gcpNetworkReachable,
  gcpIngressDns,
];
