/**
 * What `pulumi up` would do between two mock syntheses of the same install (two releases): which
 * resources it creates, deletes, updates in place and replaces. Mocks cannot ask the provider for a
 * diff, so replacement comes from the properties each stateful type can only set at creation (the
 * providers' ForceNew / replaceOnChanges, from their API references), plus any change of a resource's
 * URN (a new type, name or parent is a delete and a create). A replaced database, cache, bucket,
 * cluster, key or node pool with local data loses what it holds, which is why upgrade plans block on
 * one that the target release does not declare.
 */
import { compareText } from '../../lib/compare.js';
import type { SynthesizedResource } from './types.js';

export type StatefulKind = 'database' | 'cache' | 'bucket' | 'cluster' | 'node-pool' | 'registry' | 'key' | 'file-system';

interface StatefulType {
  kind: StatefulKind;
  /** Input paths (dotted) whose change makes the provider replace the resource. */
  replaceOn: string[];
  /** For node pools: whether this pool keeps data on its nodes (local SSD, ephemeral OS disk used for data); default: it does. */
  holdsData?: (inputs: Record<string, unknown>) => boolean;
}

const hasLocalSsd = (inputs: Record<string, unknown>): boolean => {
  const config = (inputs.nodeConfig ?? {}) as Record<string, unknown>;
  return Boolean(config.localSsdCount || config.localNvmeSsdBlockConfig || config.ephemeralStorageLocalSsdConfig || config.localSsdEncryptionMode);
};

/**
 * Stateful resource types and what replaces them. Keep in step with the stacks: a test fails when a
 * synthesized type of a stateful module (databases, caches, storage, clusters, registries, keys) is missing.
 */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  // AWS (Terraform-bridged: ForceNew in the provider schema).
  'aws:rds/instance:Instance': {
    kind: 'database',
    replaceOn: ['identifier', 'identifierPrefix', 'engine', 'dbName', 'storageEncrypted', 'kmsKeyId', 'username', 'characterSetName', 'timezone', 'availabilityZone'],
  },
  'aws:rds/cluster:Cluster': { kind: 'database', replaceOn: ['clusterIdentifier', 'engine', 'engineMode', 'databaseName', 'storageEncrypted', 'kmsKeyId', 'masterUsername'] },
  'aws:elasticache/replicationGroup:ReplicationGroup': {
    kind: 'cache',
    replaceOn: ['replicationGroupId', 'atRestEncryptionEnabled', 'kmsKeyId', 'subnetGroupName', 'port', 'snapshotArns'],
  },
  'aws:s3/bucket:Bucket': { kind: 'bucket', replaceOn: ['bucket', 'bucketPrefix', 'objectLockEnabled'] },
  'aws:s3/bucketV2:BucketV2': { kind: 'bucket', replaceOn: ['bucket', 'bucketPrefix', 'objectLockEnabled'] },
  'aws:efs/fileSystem:FileSystem': { kind: 'file-system', replaceOn: ['creationToken', 'encrypted', 'kmsKeyId', 'performanceMode', 'availabilityZoneName'] },
  'aws:eks/cluster:Cluster': { kind: 'cluster', replaceOn: ['name', 'roleArn', 'kubernetesNetworkConfig', 'bootstrapSelfManagedAddons', 'outpostConfig'] },
  'aws:eks/nodeGroup:NodeGroup': {
    kind: 'node-pool',
    replaceOn: ['nodeGroupName', 'nodeGroupNamePrefix', 'clusterName', 'nodeRoleArn', 'subnetIds', 'instanceTypes', 'amiType', 'capacityType', 'diskSize', 'remoteAccess'],
    // EBS-backed nodes keep nothing: the install's data lives on PersistentVolumes.
    holdsData: () => false,
  },
  'aws:ecr/repository:Repository': { kind: 'registry', replaceOn: ['name', 'encryptionConfigurations'] },
  'aws:kms/key:Key': { kind: 'key', replaceOn: ['customerMasterKeySpec', 'keyUsage', 'multiRegion', 'customKeyStoreId', 'xksKeyId'] },
  // Azure (azure-native: the properties the ARM API accepts only at creation).
  'azure-native:dbforpostgresql:Server': {
    kind: 'database',
    replaceOn: [
      'serverName',
      'resourceGroupName',
      'location',
      'administratorLogin',
      'network.delegatedSubnetResourceId',
      'network.privateDnsZoneArmResourceId',
      'dataEncryption.type',
    ],
  },
  'azure-native:redisenterprise:RedisEnterprise': { kind: 'cache', replaceOn: ['clusterName', 'resourceGroupName', 'location', 'zones'] },
  'azure-native:redisenterprise:Database': { kind: 'cache', replaceOn: ['databaseName', 'clusterName', 'resourceGroupName', 'clusteringPolicy', 'modules', 'port'] },
  'azure-native:storage:StorageAccount': { kind: 'bucket', replaceOn: ['accountName', 'resourceGroupName', 'location', 'isHnsEnabled'] },
  'azure-native:storage:BlobContainer': { kind: 'bucket', replaceOn: ['containerName', 'accountName', 'resourceGroupName'] },
  'azure-native:containerservice:ManagedCluster': {
    kind: 'cluster',
    replaceOn: ['resourceName', 'resourceGroupName', 'location', 'dnsPrefix', 'networkProfile.networkPlugin', 'networkProfile.podCidr', 'networkProfile.serviceCidr'],
  },
  'azure-native:containerservice:AgentPool': {
    kind: 'node-pool',
    replaceOn: ['agentPoolName', 'resourceName', 'resourceGroupName', 'vmSize', 'osDiskType', 'osDiskSizeGB', 'vnetSubnetID', 'availabilityZones', 'kubeletDiskType'],
    holdsData: (inputs) => inputs.kubeletDiskType === 'Temporary',
  },
  'azure-native:containerregistry:Registry': { kind: 'registry', replaceOn: ['registryName', 'resourceGroupName', 'location'] },
  'azure-native:keyvault:Vault': { kind: 'key', replaceOn: ['vaultName', 'resourceGroupName', 'location'] },
  'azure-native:keyvault:Key': { kind: 'key', replaceOn: ['keyName', 'vaultName', 'resourceGroupName', 'properties.kty', 'properties.curveName'] },
  // GCP (Terraform-bridged: ForceNew in the provider schema).
  'gcp:sql/databaseInstance:DatabaseInstance': { kind: 'database', replaceOn: ['name', 'region', 'project', 'encryptionKeyName', 'masterInstanceName'] },
  'gcp:redis/instance:Instance': {
    kind: 'cache',
    replaceOn: ['name', 'region', 'project', 'tier', 'locationId', 'authorizedNetwork', 'connectMode', 'transitEncryptionMode', 'customerManagedKey', 'reservedIpRange'],
  },
  'gcp:storage/bucket:Bucket': { kind: 'bucket', replaceOn: ['name', 'location', 'project'] },
  'gcp:container/cluster:Cluster': {
    kind: 'cluster',
    replaceOn: ['name', 'location', 'project', 'network', 'subnetwork', 'ipAllocationPolicy', 'privateClusterConfig.enablePrivateNodes'],
  },
  'gcp:container/nodePool:NodePool': {
    kind: 'node-pool',
    replaceOn: [
      'name',
      'namePrefix',
      'cluster',
      'location',
      'project',
      'nodeConfig.machineType',
      'nodeConfig.diskSizeGb',
      'nodeConfig.diskType',
      'nodeConfig.guestAccelerators',
      'nodeConfig.localSsdCount',
      'nodeConfig.serviceAccount',
    ],
    holdsData: hasLocalSsd,
  },
  'gcp:artifactregistry/repository:Repository': { kind: 'registry', replaceOn: ['repositoryId', 'location', 'project', 'format', 'kmsKeyName'] },
  'gcp:kms/cryptoKey:CryptoKey': { kind: 'key', replaceOn: ['name', 'keyRing', 'purpose', 'importOnly', 'skipInitialVersionCreation'] },
  'gcp:kms/keyRing:KeyRing': { kind: 'key', replaceOn: ['name', 'location', 'project'] },
};

/** Modules whose resources hold data or identity: every type of theirs the stacks create must be classified above or in STATELESS_IN_STATEFUL_MODULES. */
export const STATEFUL_MODULES = [
  'aws:rds',
  'aws:elasticache',
  'aws:s3',
  'aws:efs',
  'aws:eks',
  'aws:ecr',
  'aws:kms',
  'azure-native:dbforpostgresql',
  'azure-native:redisenterprise',
  'azure-native:storage',
  'azure-native:containerservice',
  'azure-native:containerregistry',
  'azure-native:keyvault',
  'gcp:sql',
  'gcp:redis',
  'gcp:storage',
  'gcp:container',
  'gcp:artifactregistry',
  'gcp:kms',
];

/** Types in those modules that hold no data of their own (settings, memberships, grants): replacing one loses nothing. */
export const STATELESS_IN_STATEFUL_MODULES = new Set([
  'aws:rds/subnetGroup:SubnetGroup',
  'aws:elasticache/subnetGroup:SubnetGroup',
  'aws:eks/addon:Addon',
  'aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration',
  'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate',
  'aws:kms/alias:Alias',
  'aws:s3/bucketPolicy:BucketPolicy',
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  'aws:s3/bucketVersioning:BucketVersioning',
  'azure-native:dbforpostgresql:Administrator',
  'azure-native:dbforpostgresql:Configuration',
  'azure-native:dbforpostgresql:Database',
  'azure-native:redisenterprise:AccessPolicyAssignment',
  'azure-native:storage:BlobServiceProperties',
  'gcp:sql/database:Database',
  'gcp:sql/user:User',
  'gcp:storage/bucketIAMMember:BucketIAMMember',
  'gcp:artifactregistry/repositoryIamMember:RepositoryIamMember',
  'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember',
]);

/** The module of a type token: aws:rds/instance:Instance -> aws:rds, azure-native:storage:StorageAccount -> azure-native:storage. */
export function moduleOf(type: string): string {
  const [provider, module] = type.split(':');
  return `${provider}:${(module ?? '').split('/')[0]}`;
}

export type ResourceAction = 'create' | 'delete' | 'update' | 'replace';

export interface ResourceChange {
  /** type::name */
  id: string;
  type: string;
  name: string;
  action: ResourceAction;
  /** Changed input paths (dotted, sorted); for a replace, the ones that force it come first. */
  properties: string[];
  /** Why a replace: the creation-only properties that changed, or "URN changed (parent type)". */
  replaceBecause: string[];
  /** Set for a resource that holds data (a node pool only when it keeps data on its nodes). */
  stateful: StatefulKind | null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Leaf paths where two input trees differ (arrays compare whole: a changed list is one change at its path). */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText);
    return keys.flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return canonical(before) === canonical(after) ? [] : [prefix || '(root)'];
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort(compareText)
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

const underAny = (path: string, roots: readonly string[]) => roots.some((root) => path === root || path.startsWith(`${root}.`));

function statefulOf(resource: SynthesizedResource): StatefulKind | null {
  const entry = STATEFUL_TYPES[resource.type];
  if (!entry) return null;
  return entry.holdsData && !entry.holdsData(resource.inputs) ? null : entry.kind;
}

/** The engine's view of one resource: its URN without the stack and project (type chain and name). */
const identity = (resource: SynthesizedResource) => `${resource.type}::${resource.name}`;

/**
 * Every resource that differs between two syntheses, sorted by id. Only custom resources count
 * (components have no cloud state). A resource whose type and name stay but whose parent changes
 * has a new URN: without an alias the engine deletes and creates it, i.e. a replacement.
 */
export function diffResources(before: readonly SynthesizedResource[], after: readonly SynthesizedResource[]): ResourceChange[] {
  const custom = (list: readonly SynthesizedResource[]) => new Map(list.filter((resource) => resource.custom).map((resource) => [identity(resource), resource]));
  const was = custom(before);
  const now = custom(after);
  const changes: ResourceChange[] = [];
  for (const [id, resource] of now) {
    const old = was.get(id);
    const base = { id, type: resource.type, name: resource.name };
    if (!old) {
      changes.push({ ...base, action: 'create', properties: [], replaceBecause: [], stateful: statefulOf(resource) });
      continue;
    }
    const properties = changedPaths(old.inputs, resource.inputs);
    const urnChanged = old.urn.split('::').slice(2).join('::') !== resource.urn.split('::').slice(2).join('::');
    if (!properties.length && !urnChanged) continue;
    const forcing = properties.filter((path) => underAny(path, STATEFUL_TYPES[resource.type]?.replaceOn ?? []));
    const replaceBecause = [...forcing, ...(urnChanged ? [`URN changed (parent ${old.parentType ?? 'none'} -> ${resource.parentType ?? 'none'})`] : [])];
    const ordered = [...forcing, ...properties.filter((path) => !forcing.includes(path))];
    changes.push({ ...base, action: replaceBecause.length ? 'replace' : 'update', properties: ordered, replaceBecause, stateful: statefulOf(resource) ?? statefulOf(old) });
  }
  for (const [id, resource] of was) {
    if (!now.has(id)) changes.push({ id, type: resource.type, name: resource.name, action: 'delete', properties: [], replaceBecause: [], stateful: statefulOf(resource) });
  }
  return changes.sort((a, b) => compareText(a.id, b.id));
}

export interface DeclaredReplacementLike {
  type: string;
}

/** Replacements and deletions of stateful resources that the target release does not declare: each one blocks the upgrade. */
export function undeclaredStatefulLosses(changes: readonly ResourceChange[], declared: readonly DeclaredReplacementLike[]): ResourceChange[] {
  const allowed = new Set(declared.map((entry) => entry.type));
  return changes.filter((change) => change.stateful !== null && (change.action === 'replace' || change.action === 'delete') && !allowed.has(change.type));
}
