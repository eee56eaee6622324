/**
 * Pure GCP decisions shared by the GCP components and the GCP resource policies: resource names
 * within GCP's length rules, the project APIs an install uses, service agents, Workload Identity
 * members and Private Service Connect for Google APIs. No Pulumi imports: the policies use it too.
 */
import type { GcpCloud, InstallSettings } from '../settings.js';
import { gcpIngressDns } from '../decisions/ingress.js';
import { planEndpoints } from '../decisions/endpoints.js';
import { formatAddress, parseCidr, planSubnets } from '../decisions/subnets.js';

/** A short deterministic hash (FNV-1a, base 36, 4 characters) that keeps truncated names distinct. */
export function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (const char of value) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(4, '0').slice(-4);
}

/**
 * `${installName}-${suffix}` when it fits in max characters, else the install name cut short plus
 * a hash of it, so two long install names never share a resource name. Always starts with a letter
 * and ends with a letter or digit, as GCP resource names must.
 */
export function gcpName(installName: string, suffix: string, max: number): string {
  const base = /^[a-z]/.test(installName) ? installName : `i${installName}`;
  const full = suffix ? `${base}-${suffix}` : base;
  if (full.length <= max) return full;
  const room = max - (suffix ? suffix.length + 1 : 0) - 5;
  if (room < 1) throw new Error(`cannot fit ${installName}-${suffix} in ${max} characters`);
  const head = base.slice(0, room).replace(/-+$/, '');
  return [head, shortHash(installName), suffix].filter(Boolean).join('-');
}

/** Service account ids are 6 to 30 characters; fixed, so render can write the emails into Helm values. */
export function gcpServiceAccountId(installName: string, serviceAccount: string): string {
  return gcpName(installName, serviceAccount, 30);
}

export function gcpServiceAccountEmail(projectId: string, accountId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`;
}

/** Bucket names are global: the project id keeps them unique. At most 63 characters. */
export function gcpBucketName(installName: string, projectId: string): string {
  return gcpName(installName, `${projectId}-agents`, 63);
}

/** GKE's Workload Identity pool of a project. */
export function workloadPool(projectId: string): string {
  return `${projectId}.svc.id.goog`;
}

/** The IAM member a Kubernetes service account is under Workload Identity (pool: PROJECT.svc.id.goog). */
export function workloadIdentityMember(pool: string, namespace: string, serviceAccount: string): string {
  return `serviceAccount:${pool}[${namespace}/${serviceAccount}]`;
}

/** Google's restricted VIP (restricted.googleapis.com): the only Google range air-gapped nodes may reach besides the PSC endpoint. */
export const RESTRICTED_GOOGLE_APIS_CIDR = '199.36.153.4/30';

/**
 * The Private Service Connect address for Google APIs on an existing network, where we know no
 * free block: in shared address space (RFC 6598) outside GKE's pod and service ranges.
 */
export const EXISTING_NETWORK_PSC_ADDRESS = '100.100.0.2';

export interface PrivateGoogleApis {
  /** Reach Google APIs through a Private Service Connect endpoint in the VPC. */
  enabled: boolean;
  /** all-apis, or vpc-sc (the VPC Service Controls bundle) on an air-gapped network. */
  bundle: 'all-apis' | 'vpc-sc';
  /** Private DNS zones pointed at the endpoint. */
  domains: string[];
}

/**
 * Private Service Connect for Google APIs: on every new air-gapped network (the nodes reach GKE,
 * Artifact Registry, Cloud Storage and KMS only through it) and wherever the endpoint plan asks for
 * the model service privately (Vertex AI).
 */
export function privateGoogleApis(settings: Pick<InstallSettings, 'network' | 'models' | 'platform'> & { cloud: GcpCloud }): PrivateGoogleApis {
  const newNetwork = settings.cloud.vpc.mode === 'new';
  const airGapped = settings.network.mode === 'air-gapped';
  return {
    enabled: (airGapped && newNetwork) || planEndpoints({ ...settings, newNetwork }).modelService,
    bundle: airGapped ? 'vpc-sc' : 'all-apis',
    // Images come from gcr.io (GKE system images) and pkg.dev (the mirror) when nothing else is reachable.
    domains: airGapped ? ['googleapis.com', 'gcr.io', 'pkg.dev'] : ['googleapis.com'],
  };
}

/** The PSC endpoint's address: the first host of the subnet plan's reserved block on a new network. */
export function pscAddress(vpc: GcpCloud['vpc']): string {
  if (vpc.mode === 'existing') return EXISTING_NETWORK_PSC_ADDRESS;
  return formatAddress(parseCidr(planSubnets(vpc.cidr, vpc.zones, false).reserved).base + 1);
}

/** The name of the PSC forwarding rule for Google APIs: 1 to 20 lowercase letters and digits. */
export function pscRuleName(installName: string): string {
  const compact = installName.replace(/[^a-z0-9]/g, '');
  const name = `apis${compact}`;
  return name.length <= 20 ? name : `apis${compact.slice(0, 12)}${shortHash(installName)}`;
}

/** The project APIs the install's own resources need (Vertex AI is enabled by GcpModels). */
export function gcpProjectApis(settings: Pick<InstallSettings, 'network' | 'models' | 'platform' | 'datastores' | 'registry' | 'ingress'> & { cloud: GcpCloud }): string[] {
  const managed = settings.datastores.postgres === 'managed' || settings.datastores.redis === 'managed';
  const apis = ['compute', 'container', 'cloudkms', 'iam', 'iamcredentials', 'storage'];
  if (settings.datastores.postgres === 'managed') apis.push('sqladmin');
  if (settings.datastores.redis === 'managed') apis.push('redis');
  if (managed) apis.push('servicenetworking');
  if (settings.registry?.kind === 'artifact-registry') apis.push('artifactregistry');
  const ingressZone = gcpIngressDns(settings);
  const ownDnsZone = ingressZone !== null && !ingressZone.project;
  if (privateGoogleApis(settings).enabled || (settings.cloud.hub?.dnsDomains.length ?? 0) > 0 || ownDnsZone) apis.push('dns');
  return apis.map((api) => `${api}.googleapis.com`);
}

/** Google-managed service agents that encrypt with the install's key. */
export type KeyUser = 'cloudsql' | 'storage' | 'redis' | 'artifactregistry' | 'container';

/** A service agent's email from the project number (Cloud SQL and Artifact Registry use ServiceIdentity instead). */
export function serviceAgentEmail(projectNumber: string, agent: 'redis' | 'container' | 'storage'): string {
  const domain = { redis: 'cloud-redis', container: 'container-engine-robot', storage: 'gs-project-accounts' }[agent];
  return `service-${projectNumber}@${domain}.iam.gserviceaccount.com`;
}

/** Which service agents need the key: only those of services this install creates. */
export function keyUsers(settings: Pick<InstallSettings, 'datastores' | 'registry' | 'cluster'>): KeyUser[] {
  const users: KeyUser[] = ['storage'];
  if (settings.cluster.mode === 'new') users.push('container');
  if (settings.datastores.postgres === 'managed') users.push('cloudsql');
  if (settings.datastores.redis === 'managed') users.push('redis');
  if (settings.registry?.kind === 'artifact-registry') users.push('artifactregistry');
  return users;
}

/** The Vertex AI endpoint of a region (the global endpoint for 'global'). */
export function vertexEndpoint(region: string): string {
  return region === 'global' ? 'https://aiplatform.googleapis.com' : `https://${region}-aiplatform.googleapis.com`;
}

/** What an internal Application Load Balancer (the chart's gce-internal Ingress) needs in the VPC's region. */
export const GCP_PROXY_ONLY_SUBNET = { purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' } as const;

/**
 * The GKE release channel of a new cluster: GKE upgrades the control plane and nodes within it
 * (terraform-google-kubernetes-engine defaults to REGULAR). An lts product release follows STABLE.
 */
export function gkeReleaseChannel(productChannel: InstallSettings['releaseChannel']): 'STABLE' | 'REGULAR' {
  return productChannel === 'lts' ? 'STABLE' : 'REGULAR';
}

/** GKE Dataplane V2 (Cilium): enforces NetworkPolicies without the Calico add-on. */
export const GKE_DATAPATH_PROVIDER = 'ADVANCED_DATAPATH';

/**
 * Node pool properties the cluster autoscaler owns once a pool autoscales: the stack leaves their
 * changes alone (a changed initialNodeCount would even replace the pool).
 */
export const GKE_AUTOSCALER_OWNED = ['initialNodeCount', 'nodeCount'] as const;
