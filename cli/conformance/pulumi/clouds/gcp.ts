/** GCP: labels, resource policies and snapshot keys for synthesized GCP stacks (mocks: gcp-mocks.ts). */
import type { InstallSettings } from '../../../../stacks/settings.js';
import { planEndpoints } from '../../../../stacks/decisions/endpoints.js';
import { parseCidr, type Ipv4Block } from '../../../../stacks/decisions/subnets.js';
import { GPU_TAINT } from '../../../../stacks/decisions/gpu.js';
import { gcpLabelValue } from '../../../../stacks/tags.js';
import { GCP_PROXY_ONLY_SUBNET, gcpServiceAccountEmail, gcpServiceAccountId, privateGoogleApis, RESTRICTED_GOOGLE_APIS_CIDR } from '../../../../stacks/gcp/common.js';
import { computed, invoke, project, region } from './gcp-mocks.js';
import { gcpClusterPolicies } from './gcp-cluster-policies.js';
import { resourceId, type CloudModule, type PolicyContext, type SynthesizedResource, type Violation } from '../types.js';

export { MOCK_PROJECT_NUMBER } from './gcp-mocks.js';

/** Blocks an air-gapped firewall may allow: private (RFC 1918), shared (RFC 6598) and the restricted Google APIs VIP. */
const NON_INTERNET = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', RESTRICTED_GOOGLE_APIS_CIDR].map(parseCidr);

function within(inner: Ipv4Block, outer: Ipv4Block): boolean {
  return inner.prefix >= outer.prefix && Math.floor(inner.base / 2 ** (32 - outer.prefix)) === Math.floor(outer.base / 2 ** (32 - outer.prefix));
}

const violation = (policy: string, resource: SynthesizedResource | null, message: string): Violation => ({ policy, resource: resource ? resourceId(resource) : null, message });

const NEW_NETWORK = (settings: InstallSettings) => settings.cloud?.type === 'gcp' && settings.cloud.vpc.mode === 'new';

/** Whether the stack should reach Google APIs through Private Service Connect (air-gapped new networks, private model service). */
function pscExpected(settings: InstallSettings): boolean {
  return settings.cloud?.type === 'gcp' && privateGoogleApis({ ...settings, cloud: settings.cloud }).enabled;
}

/** Air-gapped: nothing that reaches or is reachable from the internet. Connected new VPCs: Cloud NAT egress. Private GKE and Cloud SQL everywhere. */
function networkExposure({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const airGapped = settings.network.mode === 'air-gapped';
  if (airGapped) {
    for (const type of ['gcp:compute/routerNat:RouterNat', 'gcp:compute/router:Router']) {
      for (const resource of ofType(type)) out.push(violation('air-gapped-no-internet', resource, `${type.split(':')[2]} in an air-gapped network`));
    }
    for (const address of [...ofType('gcp:compute/address:Address'), ...ofType('gcp:compute/globalAddress:GlobalAddress')]) {
      if (address.inputs.addressType !== 'INTERNAL') out.push(violation('air-gapped-no-internet', address, 'external IP address in an air-gapped network'));
    }
    for (const route of ofType('gcp:compute/route:Route')) {
      if (route.inputs.destRange === '0.0.0.0/0') out.push(violation('air-gapped-no-internet', route, 'default route in an air-gapped network'));
    }
    if (NEW_NETWORK(settings)) {
      for (const network of ofType('gcp:compute/network:Network')) {
        if (network.inputs.deleteDefaultRoutesOnCreate !== true) out.push(violation('air-gapped-no-internet', network, 'the default internet route is kept'));
      }
      const denyAll = ofType('gcp:compute/firewall:Firewall').some(
        (rule) =>
          rule.inputs.direction === 'EGRESS' &&
          (rule.inputs.destinationRanges ?? []).includes('0.0.0.0/0') &&
          (rule.inputs.denies ?? []).some((deny: any) => deny.protocol === 'all'),
      );
      if (!denyAll) out.push(violation('air-gapped-no-internet', null, 'no egress-deny firewall rule'));
      const vpc = settings.cloud?.type === 'gcp' && settings.cloud.vpc.mode === 'new' ? [parseCidr(settings.cloud.vpc.cidr)] : [];
      for (const rule of ofType('gcp:compute/firewall:Firewall').filter((r) => (r.inputs.allows ?? []).length > 0)) {
        const open = (rule.inputs.destinationRanges ?? []).filter((range: string) => ![...NON_INTERNET, ...vpc].some((allowed) => within(parseCidr(range), allowed)));
        if (rule.inputs.direction !== 'EGRESS' || open.length > 0)
          out.push(violation('air-gapped-no-internet', rule, `firewall allows traffic to the internet: ${open.join(', ') || rule.inputs.direction}`));
      }
    }
  } else if (NEW_NETWORK(settings)) {
    if (ofType('gcp:compute/routerNat:RouterNat').length === 0) out.push(violation('connected-egress', null, 'a connected VPC needs Cloud NAT for controlled egress'));
  }
  const proxyOnly = ofType('gcp:compute/subnetwork:Subnetwork').filter((subnet) => subnet.inputs.purpose === GCP_PROXY_ONLY_SUBNET.purpose);
  for (const subnet of ofType('gcp:compute/subnetwork:Subnetwork').filter((candidate) => !proxyOnly.includes(candidate))) {
    if (subnet.inputs.privateIpGoogleAccess !== true) out.push(violation('private-google-access', subnet, 'Private Google Access is off'));
  }
  // The chart's gce-internal Ingress gets no internal Application Load Balancer without it.
  const activeProxies = proxyOnly.filter((subnet) => subnet.inputs.role === GCP_PROXY_ONLY_SUBNET.role && subnet.inputs.region === region(settings));
  if (NEW_NETWORK(settings) && activeProxies.length !== 1)
    out.push(violation('internal-load-balancing', null, `expected one active proxy-only subnetwork in ${region(settings)}, found ${activeProxies.length}`));
  const psc = ofType('gcp:compute/globalForwardingRule:GlobalForwardingRule').filter((rule) => ['all-apis', 'vpc-sc'].includes(rule.inputs.target));
  if (psc.length !== (pscExpected(settings) ? 1 : 0))
    out.push(violation('private-google-apis', null, `expected ${pscExpected(settings) ? 1 : 0} Private Service Connect endpoint for Google APIs, found ${psc.length}`));
  if (psc.length > 0 && !ofType('gcp:dns/managedZone:ManagedZone').some((zone) => zone.inputs.dnsName === 'googleapis.com.' && zone.inputs.visibility === 'private')) {
    out.push(violation('private-google-apis', null, 'no private googleapis.com zone for the Private Service Connect endpoint'));
  }

  const allowedPublic = settings.network.mode === 'connected' && settings.cluster.mode === 'new' && settings.cluster.apiEndpoint === 'public';
  for (const cluster of ofType('gcp:container/cluster:Cluster')) {
    const config = cluster.inputs.privateClusterConfig ?? {};
    if (config.enablePrivateNodes !== true) out.push(violation('private-cluster-api', cluster, 'GKE nodes are not private'));
    if (config.enablePrivateEndpoint !== true && !allowedPublic) out.push(violation('private-cluster-api', cluster, 'the GKE API endpoint is public'));
    // Without authorized networks a public endpoint admits any address.
    const authorized = cluster.inputs.masterAuthorizedNetworksConfig;
    const blocks = ((authorized?.cidrBlocks ?? []) as any[]).map((block) => String(block.cidrBlock));
    if (blocks.length === 0 || blocks.includes('0.0.0.0/0') || authorized?.gcpPublicCidrsAccessEnabled !== false)
      out.push(violation('api-allow-list', cluster, 'master authorized networks are off, open to 0.0.0.0/0 or admit Google public ranges'));
    if (cluster.inputs.databaseEncryption?.state !== 'ENCRYPTED' || !cluster.inputs.databaseEncryption?.keyName)
      out.push(violation('encrypted', cluster, 'Kubernetes secrets are not encrypted with the customer key'));
    if (!cluster.inputs.workloadIdentityConfig?.workloadPool) out.push(violation('workload-identity', cluster, 'Workload Identity is off'));
  }
  for (const db of ofType('gcp:sql/databaseInstance:DatabaseInstance')) {
    const ip = db.inputs.settings?.ipConfiguration ?? {};
    if (ip.ipv4Enabled !== false || !ip.privateNetwork) out.push(violation('data-private', db, 'Cloud SQL has a public IPv4 address or no private network'));
  }
  return out;
}

function dataEncrypted({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const count = (what: string, found: SynthesizedResource[], expected: number) => {
    if (found.length !== expected) out.push(violation('data-services', null, `expected ${expected} ${what}, found ${found.length}`));
  };
  const databases = ofType('gcp:sql/databaseInstance:DatabaseInstance');
  const caches = ofType('gcp:redis/instance:Instance');
  const buckets = ofType('gcp:storage/bucket:Bucket');
  count('Cloud SQL instance', databases, settings.datastores.postgres === 'managed' ? 1 : 0);
  count('Memorystore instance', caches, settings.datastores.redis === 'managed' ? 1 : 0);
  count('bucket', buckets, 1);
  const ha = settings.datastores.highAvailability;
  for (const db of databases) {
    const dbSettings = db.inputs.settings ?? {};
    const backups = dbSettings.backupConfiguration ?? {};
    if (!db.inputs.encryptionKeyName) out.push(violation('encrypted', db, 'Cloud SQL is not encrypted with the customer key'));
    if (dbSettings.ipConfiguration?.sslMode !== 'ENCRYPTED_ONLY' && dbSettings.ipConfiguration?.sslMode !== 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED')
      out.push(violation('encrypted', db, 'Cloud SQL accepts unencrypted connections'));
    if (backups.enabled !== true || backups.pointInTimeRecoveryEnabled !== true) out.push(violation('backups', db, 'Cloud SQL backups or point-in-time recovery are off'));
    if (!/^POSTGRES_(1[6-9]|[2-9]\d)$/.test(String(db.inputs.databaseVersion))) out.push(violation('data-services', db, 'PostgreSQL must be 16 or newer (pgvector)'));
    if ((dbSettings.availabilityType === 'REGIONAL') !== ha)
      out.push(violation('data-services', db, `availability ${dbSettings.availabilityType} does not match highAvailability ${ha}`));
    if (db.inputs.deletionProtection !== true) out.push(violation('backups', db, 'Cloud SQL deletion protection is off'));
  }
  for (const cache of caches) {
    const inputs = cache.inputs;
    if (!inputs.customerManagedKey || inputs.transitEncryptionMode !== 'SERVER_AUTHENTICATION')
      out.push(violation('encrypted', cache, 'Memorystore is not encrypted at rest with the customer key and in transit'));
    if (inputs.authEnabled !== true || inputs.connectMode !== 'PRIVATE_SERVICE_ACCESS') out.push(violation('data-private', cache, 'Memorystore is not private with AUTH'));
    if (inputs.persistenceConfig?.persistenceMode !== 'RDB') out.push(violation('backups', cache, 'Memorystore RDB snapshots are off'));
    if ((inputs.tier === 'STANDARD_HA') !== ha) out.push(violation('data-services', cache, `tier ${inputs.tier} does not match highAvailability ${ha}`));
  }
  for (const bucket of buckets) {
    if (!bucket.inputs.encryption?.defaultKmsKeyName) out.push(violation('encrypted', bucket, 'bucket is not encrypted with the customer key'));
    if (bucket.inputs.publicAccessPrevention !== 'enforced' || bucket.inputs.uniformBucketLevelAccess !== true)
      out.push(violation('data-private', bucket, 'bucket public access prevention or uniform access is off'));
    if (bucket.inputs.versioning?.enabled !== true) out.push(violation('backups', bucket, 'bucket versioning is off'));
  }
  const keys = ofType('gcp:kms/cryptoKey:CryptoKey');
  if (keys.length !== 1 || !keys[0]!.inputs.rotationPeriod) out.push(violation('encrypted', null, 'expected one customer-managed KMS key with rotation'));
  return out;
}

function gpuPool({ settings, ofType }: PolicyContext): Violation[] {
  const pools = ofType('gcp:container/nodePool:NodePool').filter((pool) => (pool.inputs.nodeConfig?.guestAccelerators ?? []).length > 0);
  const wanted = settings.models.gpuPool;
  if (!wanted) return pools.map((pool) => violation('gpu-pool', pool, 'GPU node pool without self-hosted models'));
  if (pools.length !== 1) return [violation('gpu-pool', null, `expected one GPU node pool, found ${pools.length}`)];
  const pool = pools[0]!;
  const config = pool.inputs.nodeConfig;
  const accelerator = config.guestAccelerators[0];
  const out: Violation[] = [];
  if (config.machineType !== wanted.shape.name) out.push(violation('gpu-pool', pool, `machine type ${config.machineType} differs from the preset ${wanted.shape.name}`));
  if (config.guestAccelerators.length !== 1 || accelerator.type !== wanted.shape.accelerator || accelerator.count !== wanted.shape.gpus) {
    out.push(
      violation(
        'gpu-pool',
        pool,
        `accelerators ${JSON.stringify(config.guestAccelerators.map((a: any) => `${a.count}x${a.type}`))} differ from the preset ${wanted.shape.gpus}x${wanted.shape.accelerator}`,
      ),
    );
  }
  if (!(config.taints ?? []).some((taint: any) => taint.key === GPU_TAINT.key && taint.value === GPU_TAINT.value && taint.effect === 'NO_SCHEDULE'))
    out.push(violation('gpu-pool', pool, 'GPU nodes are not tainted nvidia.com/gpu'));
  // Without a driver version GKE installs no NVIDIA driver, and its device plugin advertises no GPUs.
  if (!['DEFAULT', 'LATEST'].includes(accelerator?.gpuDriverInstallationConfig?.gpuDriverVersion))
    out.push(violation('gpu-pool', pool, 'GKE does not install the NVIDIA driver (gpuDriverInstallationConfig)'));
  if (pool.inputs.autoscaling?.totalMinNodeCount !== wanted.minNodes || pool.inputs.autoscaling?.totalMaxNodeCount !== wanted.maxNodes)
    out.push(violation('gpu-pool', pool, 'GPU node pool size differs from the spec'));
  return out;
}

function modelService({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const apis = ofType('gcp:projects/service:Service').filter((service) => service.inputs.service === 'aiplatform.googleapis.com');
  const grants = ofType('gcp:projects/iAMMember:IAMMember').filter((member) => String(member.inputs.role).startsWith('roles/aiplatform.'));
  if (settings.models.hosting !== 'cloud-managed') {
    for (const resource of [...apis, ...grants]) out.push(violation('model-service', resource, `Vertex AI resources for ${settings.models.hosting} models`));
    return out;
  }
  if (apis.length !== 1) out.push(violation('model-service', null, 'expected the aiplatform API enabled'));
  const gateway = `serviceAccount:${gcpServiceAccountEmail(project(settings), gcpServiceAccountId(settings.name, settings.workloads.serviceAccounts.aiGateway))}`;
  if (grants.length !== 1 || grants[0]!.inputs.member !== gateway || grants[0]!.inputs.role !== 'roles/aiplatform.user')
    out.push(violation('model-service', null, `expected one roles/aiplatform.user grant for ${gateway}`));
  const plan = planEndpoints({ ...settings, newNetwork: NEW_NETWORK(settings) });
  const psc = ofType('gcp:compute/globalForwardingRule:GlobalForwardingRule').filter((rule) => ['all-apis', 'vpc-sc'].includes(rule.inputs.target));
  if (plan.modelService && psc.length !== 1)
    out.push(violation('model-service', null, 'the model service is private but there is no Private Service Connect endpoint for Google APIs'));
  return out;
}

function registry({ settings, ofType }: PolicyContext): Violation[] {
  const repositories = ofType('gcp:artifactregistry/repository:Repository');
  if (!settings.registry) return repositories.map((repository) => violation('registry', repository, 'registry created without a mirror in this project'));
  if (repositories.length !== 1) return [violation('registry', null, 'expected the Artifact Registry mirror')];
  const repository = repositories[0]!;
  const out: Violation[] = [];
  if (repository.inputs.repositoryId !== settings.registry.name || repository.inputs.format !== 'DOCKER')
    out.push(violation('registry', repository, `expected a DOCKER repository ${settings.registry.name}`));
  if (!repository.inputs.kmsKeyName) out.push(violation('encrypted', repository, 'the mirror is not encrypted with the customer key'));
  const nodes = `serviceAccount:${gcpServiceAccountEmail(project(settings), gcpServiceAccountId(settings.name, 'gke-nodes'))}`;
  if (
    !ofType('gcp:artifactregistry/repositoryIamMember:RepositoryIamMember').some(
      (member) => member.inputs.member === nodes && member.inputs.role === 'roles/artifactregistry.reader',
    )
  ) {
    out.push(violation('registry', repository, 'the GKE nodes may not pull from the mirror'));
  }
  return out;
}

/** No basic roles, and every workload service account usable only through its own Kubernetes service account. */
function leastPrivilege({ ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const grants = [...ofType('gcp:projects/iAMMember:IAMMember'), ...ofType('gcp:storage/bucketIAMMember:BucketIAMMember'), ...ofType('gcp:serviceaccount/iAMMember:IAMMember')];
  for (const grant of grants) {
    if (['roles/owner', 'roles/editor', 'roles/viewer', 'roles/storage.admin', 'roles/iam.serviceAccountTokenCreator'].includes(grant.inputs.role))
      out.push(violation('least-privilege', grant, `grants ${grant.inputs.role}`));
  }
  for (const binding of ofType('gcp:serviceaccount/iAMMember:IAMMember')) {
    if (binding.inputs.role === 'roles/iam.workloadIdentityUser' && !/^serviceAccount:[a-z][-a-z0-9]*\.svc\.id\.goog\[[^/\]]+\/[^/\]]+\]$/.test(binding.inputs.member)) {
      out.push(violation('least-privilege', binding, 'Workload Identity binding is not for one Kubernetes service account'));
    }
  }
  return out;
}

export const gcp: CloudModule = {
  provider: 'gcp',
  computed,
  invoke,
  // GCP label values are lowercase letters, digits, - and _ (at most 63): the stacks label with gcpLabelValue.
  tagValue: gcpLabelValue,
  tagsOf: (resource) => resource.inputs.labels ?? resource.inputs.resourceLabels ?? resource.inputs.settings?.userLabels,
  tagProperties: ['labels', 'resourceLabels'],
  policies: [networkExposure, dataEncrypted, gpuPool, modelService, registry, leastPrivilege, ...gcpClusterPolicies],
  keyProperties: [
    'service',
    'name',
    'accountId',
    'role',
    'member',
    'bucket',
    'instance',
    'location',
    'region',
    'autoCreateSubnetworks',
    'routingMode',
    'deleteDefaultRoutesOnCreate',
    'ipCidrRange',
    'privateIpGoogleAccess',
    'secondaryIpRanges',
    'natIpAllocateOption',
    'sourceSubnetworkIpRangesToNat',
    'direction',
    'priority',
    'allows',
    'denies',
    'destinationRanges',
    'destRange',
    'nextHopGateway',
    'purpose',
    'addressType',
    'address',
    'prefixLength',
    'reservedPeeringRanges',
    'target',
    'dnsName',
    'visibility',
    'type',
    'rrdatas',
    'minMasterVersion',
    'networkingMode',
    'ipAllocationPolicy',
    'privateClusterConfig',
    'masterAuthorizedNetworksConfig',
    'workloadIdentityConfig',
    'databaseEncryption',
    'removeDefaultNodePool',
    'deletionProtection',
    'initialNodeCount',
    'autoscaling',
    'nodeConfig',
    'databaseVersion',
    'encryptionKeyName',
    'settings',
    'databaseRoles',
    'tier',
    'memorySizeGb',
    'redisVersion',
    'connectMode',
    'authEnabled',
    'transitEncryptionMode',
    'customerManagedKey',
    'persistenceConfig',
    'uniformBucketLevelAccess',
    'publicAccessPrevention',
    'encryption',
    'versioning',
    'repositoryId',
    'format',
    'dockerConfig',
    'kmsKeyName',
    'rotationPeriod',
    'releaseChannel',
    'datapathProvider',
    'nodeLocations',
    'maintenancePolicy',
    'peerNetwork',
    'importCustomRoutes',
    'exportCustomRoutes',
    'peeringConfig',
    'managedZone',
  ],
};
