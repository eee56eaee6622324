/** AWS: mock outputs, tags, resource policies and snapshot keys for synthesized AWS stacks. */
import type { InstallSettings } from '../../../../stacks/settings.js';
import { TAG_CUSTOMER, TAG_INSTALL } from '../../../../stacks/tags.js';
import { AWS_LAUNCH_TAGGED } from '../../../../stacks/aws/common.js';
import { planEndpoints } from '../../../../stacks/decisions/endpoints.js';
import { AWS_CLUSTER_POLICIES } from './aws-cluster-policies.js';
import { awsNetworkReachable, awsVersionPins } from './aws-edge-policies.js';
import { resourceId, type CloudModule, type PolicyContext, type SynthesizedResource, type Violation } from '../types.js';

function region(settings: InstallSettings): string {
  return settings.cloud?.type === 'aws' ? settings.cloud.region : 'us-east-1';
}

function account(settings: InstallSettings): string {
  return settings.cloud?.type === 'aws' ? settings.cloud.accountId : '000000000000';
}

type Outputs = Record<string, unknown>;
type ComputedOutputs = (name: string, inputs: Record<string, any>, settings: InstallSettings) => Outputs;

const subnetGroupName: ComputedOutputs = (name, inputs) => ({ name: inputs.name ?? `${name}-subnets` });

/** Outputs beyond the ARN, by resource type: a type not listed reports only its ARN. */
const COMPUTED: Readonly<Record<string, ComputedOutputs>> = {
  'aws:eks/cluster:Cluster': (name, inputs, settings) => ({
    name: inputs.name ?? name,
    endpoint: `https://${name}.eks.amazonaws.com`,
    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region(settings)}.amazonaws.com/id/MOCK${name.length}` }] }],
  }),
  'aws:iam/role:Role': (name, inputs, settings) => ({ arn: `arn:aws:iam::${account(settings)}:role/${inputs.name ?? name}`, name: inputs.name ?? name }),
  'aws:iam/openIdConnectProvider:OpenIdConnectProvider': (_name, inputs, settings) => ({
    arn: `arn:aws:iam::${account(settings)}:oidc-provider/${String(inputs.url ?? '').replace(/^https:\/\//, '')}`,
  }),
  'aws:kms/key:Key': (name) => ({ keyId: `${name}-key-id` }),
  'aws:rds/instance:Instance': (name, inputs, settings) => ({
    address: `${inputs.identifier ?? name}.mock.${region(settings)}.rds.amazonaws.com`,
    resourceId: `db-MOCK${String(inputs.identifier ?? name).length}`,
  }),
  'aws:elasticache/replicationGroup:ReplicationGroup': (name, inputs) => ({ primaryEndpointAddress: `master.${inputs.replicationGroupId ?? name}.mock.cache.amazonaws.com` }),
  'aws:ec2/eip:Eip': (name) => ({ publicIp: `198.51.100.${((name.length * 7) % 254) + 1}` }),
  'aws:ec2/launchTemplate:LaunchTemplate': () => ({ latestVersion: 1 }),
  'aws:eks/nodeGroup:NodeGroup': (name) => ({ resources: [{ autoscalingGroups: [{ name: `eks-${name}-mock-asg` }] }] }),
  'aws:s3/bucket:Bucket': (name, inputs) => ({ arn: `arn:aws:s3:::${inputs.bucket ?? name}`, bucket: inputs.bucket ?? name }),
  'aws:rds/subnetGroup:SubnetGroup': subnetGroupName,
  'aws:elasticache/subnetGroup:SubnetGroup': subnetGroupName,
};

function computed(type: string, name: string, inputs: Record<string, any>, settings: InstallSettings): Outputs {
  const service = type.split(':')[1]!.split('/')[0]!;
  const base = { arn: `arn:aws:${service}:${region(settings)}:${account(settings)}:${type.split(':')[2]!.toLowerCase()}/${name}` };
  return { ...base, ...COMPUTED[type]?.(name, inputs, settings) };
}

/** Results of the data-source calls the stacks make, by token: any other call returns nothing. */
const INVOKES: Readonly<Record<string, (inputs: Record<string, any>, settings: InstallSettings) => Outputs>> = {
  'aws:index/getAvailabilityZones:getAvailabilityZones': (_inputs, settings) => {
    const r = region(settings);
    return { names: [`${r}a`, `${r}b`, `${r}c`], zoneIds: ['az1', 'az2', 'az3'], id: r };
  },
  'aws:ec2/getVpc:getVpc': (inputs) => ({ id: inputs.id, cidrBlock: '10.0.0.0/16' }),
  'aws:eks/getCluster:getCluster': (inputs, settings) => ({
    name: inputs.name,
    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region(settings)}.amazonaws.com/id/EXISTING` }] }],
  }),
  'aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider': (inputs, settings) => ({
    arn: `arn:aws:iam::${account(settings)}:oidc-provider/${String(inputs.url ?? '').replace(/^https:\/\//, '')}`,
    url: inputs.url,
  }),
};

function invoke(token: string, inputs: Record<string, any>, settings: InstallSettings): Outputs {
  return INVOKES[token]?.(inputs, settings) ?? {};
}

const violation = (policy: string, resource: SynthesizedResource | null, message: string): Violation => ({ policy, resource: resource ? resourceId(resource) : null, message });

/** Air-gapped: nothing that reaches or is reachable from the internet. Connected new VPCs: NAT egress. */
function networkExposure({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  if (settings.network.mode === 'air-gapped') {
    for (const type of [
      'aws:ec2/internetGateway:InternetGateway',
      'aws:ec2/natGateway:NatGateway',
      'aws:ec2/eip:Eip',
      'aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway',
    ]) {
      for (const resource of ofType(type)) out.push(violation('air-gapped-no-internet', resource, `${type.split(':')[2]} in an air-gapped network`));
    }
    for (const subnet of ofType('aws:ec2/subnet:Subnet').filter((s) => s.inputs.mapPublicIpOnLaunch))
      out.push(violation('air-gapped-no-internet', subnet, 'subnet assigns public IPs'));
    for (const table of ofType('aws:ec2/routeTable:RouteTable')) {
      if ((table.inputs.routes ?? []).some((route: any) => route.cidrBlock === '0.0.0.0/0'))
        out.push(violation('air-gapped-no-internet', table, 'default route in an air-gapped network'));
    }
  } else if (settings.cloud?.type === 'aws' && settings.cloud.vpc.mode === 'new') {
    if (ofType('aws:ec2/natGateway:NatGateway').length === 0) out.push(violation('connected-egress', null, 'a connected VPC needs NAT gateways for controlled egress'));
  }
  for (const cluster of ofType('aws:eks/cluster:Cluster')) {
    const publicApi = cluster.inputs.vpcConfig?.endpointPublicAccess === true;
    const allowed = settings.network.mode === 'connected' && settings.cluster.mode === 'new' && settings.cluster.apiEndpoint === 'public';
    if (publicApi && !allowed) out.push(violation('private-cluster-api', cluster, 'the EKS API endpoint is public'));
    // EKS defaults an unset list to 0.0.0.0/0.
    const sources = (cluster.inputs.vpcConfig?.publicAccessCidrs ?? []) as string[];
    if (publicApi && (sources.length === 0 || sources.includes('0.0.0.0/0')))
      out.push(violation('api-allow-list', cluster, 'the public EKS endpoint has no publicAccessCidrs or admits 0.0.0.0/0'));
    if (cluster.inputs.vpcConfig?.endpointPrivateAccess !== true) out.push(violation('private-cluster-api', cluster, 'the EKS private endpoint is off'));
    if (!(cluster.inputs.encryptionConfig?.resources ?? []).includes('secrets')) out.push(violation('encrypted', cluster, 'Kubernetes secrets are not envelope-encrypted'));
  }
  for (const db of ofType('aws:rds/instance:Instance')) if (db.inputs.publiclyAccessible !== false) out.push(violation('data-private', db, 'database is publicly accessible'));
  return out;
}

function dataEncrypted({ settings, ofType, resources }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const databases = ofType('aws:rds/instance:Instance');
  const caches = ofType('aws:elasticache/replicationGroup:ReplicationGroup');
  const buckets = ofType('aws:s3/bucket:Bucket');
  if (databases.length !== (settings.datastores.postgres === 'managed' ? 1 : 0))
    out.push(violation('data-services', null, `expected ${settings.datastores.postgres === 'managed' ? 1 : 0} RDS instance, found ${databases.length}`));
  if (caches.length !== (settings.datastores.redis === 'managed' ? 1 : 0))
    out.push(violation('data-services', null, `expected ${settings.datastores.redis === 'managed' ? 1 : 0} ElastiCache group, found ${caches.length}`));
  if (buckets.length !== 1) out.push(violation('data-services', null, `expected 1 bucket, found ${buckets.length}`));
  for (const db of databases) {
    if (db.inputs.storageEncrypted !== true || !db.inputs.kmsKeyId) out.push(violation('encrypted', db, 'database storage is not encrypted with the customer key'));
    if (!(db.inputs.backupRetentionPeriod > 0)) out.push(violation('backups', db, 'database backups are off'));
    if (!String(db.inputs.engineVersion).startsWith('16') && !String(db.inputs.engineVersion).startsWith('17'))
      out.push(violation('data-services', db, 'PostgreSQL must be 16 or newer (pgvector)'));
  }
  for (const cache of caches) {
    if (!cache.inputs.atRestEncryptionEnabled || !cache.inputs.transitEncryptionEnabled || !cache.inputs.kmsKeyId)
      out.push(violation('encrypted', cache, 'cache is not encrypted at rest with the customer key and in transit'));
    if (!(cache.inputs.snapshotRetentionLimit > 0)) out.push(violation('backups', cache, 'cache snapshots are off'));
  }
  const sse = ofType('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
  const blocks = ofType('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
  const versioning = ofType('aws:s3/bucketVersioning:BucketVersioning');
  for (const bucket of buckets) {
    const id = `${bucket.name}-id`;
    const encryption = sse.find((s) => s.inputs.bucket === id);
    const rule = encryption?.inputs.rules?.[0]?.applyServerSideEncryptionByDefault;
    if (rule?.sseAlgorithm !== 'aws:kms' || !rule.kmsMasterKeyId) out.push(violation('encrypted', bucket, 'bucket is not encrypted with the customer key'));
    const block = blocks.find((b) => b.inputs.bucket === id);
    if (!block || !['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'].every((key) => block.inputs[key] === true))
      out.push(violation('data-private', bucket, 'bucket public access is not blocked'));
    if (versioning.find((v) => v.inputs.bucket === id)?.inputs.versioningConfiguration?.status !== 'Enabled') out.push(violation('backups', bucket, 'bucket versioning is off'));
  }
  const keys = ofType('aws:kms/key:Key');
  const ownKey = settings.cloud?.type === 'aws' && settings.cloud.kmsKeyArn === null;
  if (ownKey && (keys.length !== 1 || keys[0]!.inputs.enableKeyRotation !== true)) out.push(violation('encrypted', null, 'expected one customer-managed KMS key with rotation'));
  if (!ownKey && keys.length > 0) out.push(violation('encrypted', keys[0]!, 'the spec gives a KMS key; none should be created'));
  void resources;
  return out;
}

/**
 * What the generic tag check cannot see: a node group's own tags stop at the group, so each group
 * launches from a template that tags its instances, volumes and interfaces; the EBS CSI driver tags
 * the volumes it provisions.
 */
function launchTags({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const ours = (tags: Record<string, string> | undefined) => tags?.[TAG_INSTALL] === settings.name && tags?.[TAG_CUSTOMER] === settings.customer;
  const templates = new Map(ofType('aws:ec2/launchTemplate:LaunchTemplate').map((template) => [`${template.name}-id`, template]));
  for (const group of ofType('aws:eks/nodeGroup:NodeGroup')) {
    const template = templates.get(group.inputs.launchTemplate?.id);
    if (!template) {
      out.push(violation('tagged', group, 'the node group has no launch template: its instances and volumes go untagged'));
      continue;
    }
    const specs = (template.inputs.tagSpecifications ?? []) as Array<{ resourceType: string; tags?: Record<string, string> }>;
    for (const resourceType of AWS_LAUNCH_TAGGED) {
      if (!specs.some((spec) => spec.resourceType === resourceType && ours(spec.tags)))
        out.push(violation('tagged', template, `launched ${resourceType}s lack ${TAG_INSTALL}/${TAG_CUSTOMER} tags`));
    }
  }
  for (const addon of ofType('aws:eks/addon:Addon').filter((a) => a.inputs.addonName === 'aws-ebs-csi-driver')) {
    const config = JSON.parse(addon.inputs.configurationValues ?? '{}');
    if (!ours(config.controller?.extraVolumeTags)) out.push(violation('tagged', addon, 'volumes the EBS CSI driver provisions lack the install tags (controller.extraVolumeTags)'));
  }
  return out;
}

function gpuPool({ settings, ofType }: PolicyContext): Violation[] {
  const pools = ofType('aws:eks/nodeGroup:NodeGroup').filter((group) => String(group.inputs.amiType ?? '').includes('NVIDIA'));
  const wanted = settings.models.gpuPool;
  if (!wanted) return pools.map((pool) => violation('gpu-pool', pool, 'GPU node group without self-hosted models'));
  if (pools.length !== 1) return [violation('gpu-pool', null, `expected one GPU node group, found ${pools.length}`)];
  const pool = pools[0]!;
  const out: Violation[] = [];
  if (JSON.stringify(pool.inputs.instanceTypes) !== JSON.stringify([wanted.shape.name]))
    out.push(violation('gpu-pool', pool, `instance types ${JSON.stringify(pool.inputs.instanceTypes)} differ from the preset ${wanted.shape.name}`));
  if (!(pool.inputs.taints ?? []).some((taint: any) => taint.key === 'nvidia.com/gpu' && taint.effect === 'NO_SCHEDULE'))
    out.push(violation('gpu-pool', pool, 'GPU nodes are not tainted nvidia.com/gpu'));
  if (pool.inputs.scalingConfig?.minSize !== wanted.minNodes || pool.inputs.scalingConfig?.maxSize !== wanted.maxNodes)
    out.push(violation('gpu-pool', pool, 'GPU node group size differs from the spec'));
  return out;
}

function modelService({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const endpoints = ofType('aws:ec2/vpcEndpoint:VpcEndpoint').filter((endpoint) => String(endpoint.inputs.serviceName).endsWith('.bedrock-runtime'));
  const grants = ofType('aws:iam/rolePolicy:RolePolicy').filter((policy) => String(policy.inputs.policy).includes('bedrock:InvokeModel'));
  if (settings.models.hosting !== 'cloud-managed') {
    for (const resource of [...endpoints, ...grants]) out.push(violation('model-service', resource, `Bedrock resources for ${settings.models.hosting} models`));
    return out;
  }
  const plan = planEndpoints({ ...settings, newNetwork: settings.cloud?.type === 'aws' && settings.cloud.vpc.mode === 'new' });
  if (endpoints.length !== (plan.modelService ? 1 : 0))
    out.push(violation('model-service', null, `expected ${plan.modelService ? 1 : 0} bedrock-runtime endpoint, found ${endpoints.length}`));
  if (grants.length !== 1) out.push(violation('model-service', null, 'expected one Bedrock invoke grant for the AI gateway'));
  for (const grant of grants) {
    const resources = (JSON.parse(grant.inputs.policy).Statement as any[]).flatMap((statement) => statement.Resource);
    if (resources.some((arn: string) => arn.endsWith('*'))) out.push(violation('least-privilege', grant, 'Bedrock grant uses a wildcard'));
    if (resources.length !== settings.models.catalog.length) out.push(violation('least-privilege', grant, 'Bedrock grant does not list exactly the catalog models'));
  }
  return out;
}

function registry({ settings, ofType }: PolicyContext): Violation[] {
  const templates = ofType('aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate');
  if (!settings.registry) return templates.map((template) => violation('registry', template, 'registry created without a mirror in this account'));
  if (templates.length !== 1) return [violation('registry', null, 'expected the ECR mirror template')];
  return templates[0]!.inputs.encryptionConfigurations?.[0]?.encryptionType === 'KMS' ? [] : [violation('encrypted', templates[0]!, 'mirror repositories are not KMS-encrypted')];
}

export const aws: CloudModule = {
  provider: 'aws',
  computed,
  invoke,
  tagValue: (value) => value,
  tagsOf: (resource) => resource.inputs.tags ?? resource.inputs.resourceTags,
  tagProperties: ['tags', 'resourceTags'],
  policies: [networkExposure, dataEncrypted, launchTags, gpuPool, modelService, registry, ...AWS_CLUSTER_POLICIES, awsVersionPins, awsNetworkReachable],
  keyProperties: [
    'cidrBlock',
    'availabilityZone',
    'mapPublicIpOnLaunch',
    'connectivityType',
    'vpcEndpointType',
    'serviceName',
    'privateDnsEnabled',
    'routes',
    'version',
    'vpcConfig',
    'accessConfig',
    'encryptionConfig',
    'nodeGroupName',
    'instanceTypes',
    'amiType',
    'scalingConfig',
    'taints',
    'labels',
    'addonName',
    'addonVersion',
    'customRoleArn',
    'tag',
    'launchTemplate',
    'tagSpecifications',
    'blockDeviceMappings',
    'configurationValues',
    'engine',
    'engineVersion',
    'autoMinorVersionUpgrade',
    'transitGatewayId',
    'resolverRuleId',
    'zoneId',
    'instanceClass',
    'storageEncrypted',
    'publiclyAccessible',
    'multiAz',
    'backupRetentionPeriod',
    'deletionProtection',
    'manageMasterUserPassword',
    'nodeType',
    'numCacheClusters',
    'atRestEncryptionEnabled',
    'transitEncryptionEnabled',
    'snapshotRetentionLimit',
    'bucket',
    'versioningConfiguration',
    'blockPublicAcls',
    'restrictPublicBuckets',
    'rules',
    'prefix',
    'appliedFors',
    'imageTagMutability',
    'encryptionConfigurations',
    'enableKeyRotation',
    'name',
    'policyArn',
    'policy',
    'ingress',
    'egress',
  ],
};
