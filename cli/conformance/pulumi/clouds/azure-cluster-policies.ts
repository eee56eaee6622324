/**
 * AKS deployability (issue 13): what makes a green Azure cell a cluster that comes up and stays up.
 * NetworkPolicies are enforced, versions are pinned only as far as Azure does not upgrade them
 * itself, the autoscaler owns node counts, and a cluster without local accounts has an admin.
 */
import { AZURE_ROLES } from '../../../../stacks/azure/common.js';
import { T } from './azure-mocks.js';
import { idOf, roleGuid, violation } from './azure-data.js';
import type { PolicyContext, SynthesizedResource, Violation } from '../types.js';

/** The network policy engines AKS enforces NetworkPolicy objects with (none: they are silent no-ops). */
export const AKS_POLICY_ENGINES = ['azure', 'cilium', 'calico'] as const;

/** A node pool as a policy sees it: an AgentPool resource, or a profile inline on the cluster (index into agentPoolProfiles). */
interface Pool {
  resource: SynthesizedResource;
  profile: Record<string, any>;
  /** The property path of the pool's count in its resource's inputs. */
  countPath: string;
}

function poolsOf(ofType: PolicyContext['ofType']): Pool[] {
  return [
    ...ofType(T.agentPool).map((pool) => ({ resource: pool, profile: pool.inputs, countPath: 'count' })),
    ...ofType(T.cluster).flatMap((cluster) =>
      ((cluster.inputs.agentPoolProfiles ?? []) as Array<Record<string, any>>).map((profile, index) => ({
        resource: cluster,
        profile,
        countPath: `agentPoolProfiles[${index}].count`,
      })),
    ),
  ];
}

const poolName = (pool: Pool) => String(pool.profile.name ?? pool.profile.agentPoolName ?? pool.resource.name);

/** A cluster that renders NetworkPolicies enforces them: AKS with Azure NPM, Cilium (on the Cilium dataplane) or Calico. */
export function networkPolicyEnforced({ ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const cluster of ofType(T.cluster)) {
    const profile = cluster.inputs.networkProfile ?? {};
    if (!(AKS_POLICY_ENGINES as readonly string[]).includes(profile.networkPolicy))
      out.push(violation('network-policy-enforced', cluster, `network policy engine ${profile.networkPolicy ?? 'none'}: NetworkPolicies are not enforced`));
    else if (profile.networkPolicy === 'cilium' && profile.networkDataplane !== 'cilium')
      out.push(violation('network-policy-enforced', cluster, 'Cilium network policy needs the Cilium dataplane (networkDataplane: cilium)'));
  }
  return out;
}

/** The major (PostgreSQL) or minor (AKS with the patch channel) a version may name, no finer: Azure upgrades the rest itself. */
export function versionPinMajor({ ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const server of ofType(T.postgres))
    if (!/^\d+$/.test(String(server.inputs.version ?? '')))
      out.push(violation('version-pin-major', server, `PostgreSQL version ${server.inputs.version} pins a minor: the flexible server applies minor versions itself`));
  for (const cluster of ofType(T.redis))
    if (cluster.inputs.redisVersion !== undefined) out.push(violation('version-pin-major', cluster, "Azure Managed Redis versions are the service's own: pin none"));
  for (const cluster of ofType(T.cluster)) {
    const channel = String(cluster.inputs.autoUpgradeProfile?.upgradeChannel ?? 'none');
    const version = String(cluster.inputs.kubernetesVersion ?? '');
    if (channel === 'patch' && !/^\d+\.\d+$/.test(version))
      out.push(violation('version-pin-major', cluster, `Kubernetes ${version} pins a patch the patch upgrade channel moves past (use MAJOR.MINOR)`));
    if ((channel === 'stable' || channel === 'rapid') && version !== '')
      out.push(violation('version-pin-major', cluster, `the ${channel} upgrade channel moves the minor version the stack pins (${version})`));
  }
  for (const pool of poolsOf(ofType)) {
    const version = pool.profile.orchestratorVersion;
    if (version !== undefined && !/^\d+\.\d+$/.test(String(version)))
      out.push(violation('version-pin-major', pool.resource, `node pool ${poolName(pool)} pins Kubernetes ${version}: the cluster's upgrade channel moves patches`));
  }
  return out;
}

/** An autoscaled pool's count is the autoscaler's: the stack ignores changes to it, or every `pulumi up` resizes the pool back. */
export function autoscalerOwnsSize({ ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const pool of poolsOf(ofType)) {
    if (pool.profile.enableAutoScaling !== true) continue;
    const ignored = pool.resource.options?.ignoreChanges ?? [];
    const owned = ignored.includes(pool.countPath) || (pool.countPath !== 'count' && (ignored.includes('agentPoolProfiles') || ignored.includes('agentPoolProfiles[*].count')));
    if (!owned) out.push(violation('autoscaler-owns-size', pool.resource, `autoscaled pool ${poolName(pool)} does not ignore changes to ${pool.countPath}`));
  }
  return out;
}

/** Every pool with room to grow (min < max) autoscales, and the system pool spans the spec's range. */
export function nodeAutoscaling({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const pools = poolsOf(ofType);
  for (const pool of pools) {
    const { minCount, maxCount } = pool.profile;
    if (typeof minCount === 'number' && typeof maxCount === 'number' && minCount < maxCount && pool.profile.enableAutoScaling !== true)
      out.push(violation('node-autoscaling', pool.resource, `pool ${poolName(pool)} has ${minCount}-${maxCount} nodes but no autoscaler`));
  }
  if (settings.cluster.mode === 'new') {
    const { min, max } = settings.cluster.systemNodes;
    const system = pools.filter((pool) => pool.profile.mode === 'System');
    for (const pool of system)
      if (pool.profile.minCount !== min || pool.profile.maxCount !== max || (min < max && pool.profile.enableAutoScaling !== true))
        out.push(violation('node-autoscaling', pool.resource, `system pool ${poolName(pool)} does not autoscale over the spec's ${min}-${max} nodes`));
    if (system.length === 0 && ofType(T.cluster).length > 0) out.push(violation('node-autoscaling', null, 'the new cluster has no system pool'));
  }
  return out;
}

/**
 * A cluster without local accounts has an Azure Kubernetes Service RBAC Cluster Admin scoped to it
 * (the spec's principals, each of them, else the deployer): otherwise every kubectl step gets 403.
 */
export function clusterAdminAssigned({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const admins = ofType(T.roleAssignment).filter((assignment) => roleGuid(assignment) === AZURE_ROLES.aksRbacClusterAdmin);
  const wanted = settings.cloud?.type === 'azure' ? (settings.cloud.clusterAdmins ?? []) : [];
  for (const cluster of ofType(T.cluster)) {
    if (cluster.inputs.disableLocalAccounts !== true) continue;
    const own = admins.filter((assignment) => assignment.inputs.scope === idOf(cluster));
    if (own.length === 0)
      out.push(violation('cluster-admin-assigned', cluster, 'local accounts are off and nobody is Azure Kubernetes Service RBAC Cluster Admin: kubectl gets 403'));
    for (const admin of wanted)
      if (!own.some((assignment) => assignment.inputs.principalId === admin.objectId))
        out.push(violation('cluster-admin-assigned', cluster, `the spec's cluster admin ${admin.objectId} is not assigned`));
  }
  return out;
}
