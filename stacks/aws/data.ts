import * as pulumi from '@pulumi/pulumi';
import * as ec2 from '@pulumi/aws/ec2/index.js';
import * as elasticache from '@pulumi/aws/elasticache/index.js';
import * as rds from '@pulumi/aws/rds/index.js';
import * as s3 from '@pulumi/aws/s3/index.js';
import type { AwsCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { cloudSizes } from '../decisions/sizing.js';
import { policyDocument } from './common.js';
import { awsPostgresPerformanceInsights, postgresBackupRetention } from '../release-gates.js';

export interface AwsDataArgs {
  installName: string;
  /** The platform release (settings.release): gates release-dependent settings (release-gates.ts). */
  release: string;
  cloud: AwsCloud;
  sizing: InstallSettings['sizing'];
  datastores: InstallSettings['datastores'];
  vpcId: pulumi.Input<string>;
  vpcCidr: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string[]>;
  keyArn: pulumi.Input<string>;
  /** Required when redis is managed: the ElastiCache AUTH token (a Pulumi secret). */
  redisAuthToken?: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * PostgreSQL 16 keeps pgvector available as an extension on RDS. The major only: RDS applies minor
 * upgrades itself (autoMinorVersionUpgrade), and the provider takes a major as a prefix of the running
 * version; a pinned minor ('16.6') would make the next `pulumi up` try to downgrade.
 */
export const AWS_POSTGRES_VERSION = '16';

/**
 * ElastiCache Redis 7+ must be given major.minor; ElastiCache applies patch upgrades itself and the
 * provider compares against engine_version_actual, so the minor is as fine as the pin may go.
 */
export const AWS_REDIS_VERSION = '7.1';

/**
 * Managed data services, private and encrypted with the install's key: RDS PostgreSQL (managed
 * master password in Secrets Manager, backups, deletion protection), ElastiCache Redis (TLS, AUTH,
 * snapshots) and an S3 bucket (KMS, versioned, no public access, TLS only). Bundled or external
 * datastores create nothing here.
 */
export class AwsData extends pulumi.ComponentResource {
  readonly postgresEndpoint: pulumi.Output<string | null>;
  /** The port RDS reports for the database (5432 unless set), or null. */
  readonly postgresPort: pulumi.Output<number | null>;
  /** DbiResourceId of the managed database (IAM auth grants name it), or null. */
  readonly postgresResourceId: pulumi.Output<string> | null;
  /** The Secrets Manager secret of the master user (agents_admin), which bootstraps the IAM user; or null. */
  readonly postgresAdminSecretArn: pulumi.Output<string | null>;
  readonly redisEndpoint: pulumi.Output<string | null>;
  /** The port ElastiCache reports for the replication group (6379 unless set), or null. */
  readonly redisPort: pulumi.Output<number | null>;
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: AwsDataArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Data', name, {}, opts);
    const { datastores } = args;
    requireValid('AwsData', [
      datastores.redis === 'managed' && args.redisAuthToken === undefined && 'a managed Redis needs redisAuthToken (pulumi config set --secret installctl:redisAuthToken)',
      datastores.rabbitmq === 'managed' && 'AWS has no managed RabbitMQ with customer-managed keys; use bundled or external',
    ]);

    const db = datastores.postgres === 'managed' ? createPostgres(this, name, args) : null;
    this.postgresEndpoint = db ? db.address : pulumi.output(null);
    this.postgresPort = db ? db.port.apply((port) => port ?? 5432) : pulumi.output(null);
    this.postgresResourceId = db ? db.resourceId : null;
    this.postgresAdminSecretArn = db ? db.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? null) : pulumi.output(null);
    const redis = datastores.redis === 'managed' ? createRedis(this, name, args) : null;
    this.redisEndpoint = redis ? redis.primaryEndpointAddress : pulumi.output(null);
    this.redisPort = redis ? redis.port.apply((port) => port ?? 6379) : pulumi.output(null);
    const bucket = createObjectBucket(this, name, args);
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ postgresEndpoint: this.postgresEndpoint, redisEndpoint: this.redisEndpoint, bucketName: this.bucketName });
  }
}

/** A security group that admits one TCP port from inside the VPC, and sends nothing out. */
function createVpcOnlySecurityGroup(component: pulumi.Resource, name: string, args: AwsDataArgs, suffix: string, port: number): ec2.SecurityGroup {
  return new ec2.SecurityGroup(
    `${name}-${suffix}`,
    { vpcId: args.vpcId, description: `${suffix} from inside the VPC only`, ingress: [{ protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: [args.vpcCidr] }], egress: [], tags: { ...args.tags, Name: `${args.installName}-${suffix}` } },
    { parent: component },
  );
}

/** RDS PostgreSQL in the private subnets: IAM authentication, the master password managed in Secrets Manager, backups, deletion protection. */
function createPostgres(component: pulumi.Resource, name: string, args: AwsDataArgs): rds.Instance {
  const sizes = cloudSizes('aws', args.sizing);
  const subnets = new rds.SubnetGroup(`${name}-postgres`, { subnetIds: args.privateSubnetIds, tags: args.tags }, { parent: component });
  return new rds.Instance(
    `${name}-postgres`,
    {
      identifier: `${args.installName}-postgres`,
      engine: 'postgres',
      engineVersion: AWS_POSTGRES_VERSION,
      autoMinorVersionUpgrade: true,
      instanceClass: sizes.database,
      allocatedStorage: sizes.databaseStorageGiB,
      maxAllocatedStorage: sizes.databaseStorageGiB * 4,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: args.keyArn,
      dbName: 'agents',
      username: 'agents_admin',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: args.keyArn,
      iamDatabaseAuthenticationEnabled: true,
      publiclyAccessible: false,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [createVpcOnlySecurityGroup(component, name, args, 'postgres', 5432).id],
      multiAz: args.datastores.highAvailability,
      backupRetentionPeriod: postgresBackupRetention(args.release),
      copyTagsToSnapshot: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${args.installName}-postgres-final`,
      // Since 2026.11.0 (in place); an older release's render keeps it off.
      ...(awsPostgresPerformanceInsights(args.release) ? { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: args.keyArn } : { performanceInsightsEnabled: false }),
      tags: args.tags,
    },
    { parent: component },
  );
}

/** ElastiCache Redis in the private subnets: TLS, AUTH, snapshots; replicated across zones when highly available. */
function createRedis(component: pulumi.Resource, name: string, args: AwsDataArgs): elasticache.ReplicationGroup {
  const { highAvailability } = args.datastores;
  const subnets = new elasticache.SubnetGroup(`${name}-redis`, { subnetIds: args.privateSubnetIds, tags: args.tags }, { parent: component });
  return new elasticache.ReplicationGroup(
    `${name}-redis`,
    {
      replicationGroupId: `${args.installName}-redis`,
      description: `installctl ${args.installName} cache`,
      engine: 'redis',
      engineVersion: AWS_REDIS_VERSION,
      autoMinorVersionUpgrade: true,
      nodeType: cloudSizes('aws', args.sizing).cache,
      numCacheClusters: highAvailability ? 2 : 1,
      automaticFailoverEnabled: highAvailability,
      multiAzEnabled: highAvailability,
      atRestEncryptionEnabled: true,
      kmsKeyId: args.keyArn,
      transitEncryptionEnabled: true,
      authToken: args.redisAuthToken,
      snapshotRetentionLimit: 7,
      subnetGroupName: subnets.name,
      securityGroupIds: [createVpcOnlySecurityGroup(component, name, args, 'redis', 6379).id],
      tags: args.tags,
    },
    { parent: component },
  );
}

/** The objects bucket: KMS-encrypted, versioned, no public access, TLS only. */
function createObjectBucket(component: pulumi.Resource, name: string, args: AwsDataArgs): s3.Bucket {
  const parent = { parent: component };
  const bucket = new s3.Bucket(`${name}-objects`, { bucket: `${args.installName}-${args.cloud.accountId}-agents`, forceDestroy: false, tags: args.tags }, parent);
  new s3.BucketServerSideEncryptionConfiguration(
    `${name}-objects`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true }] },
    parent,
  );
  new s3.BucketPublicAccessBlock(`${name}-objects`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, parent);
  new s3.BucketVersioning(`${name}-objects`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, parent);
  new s3.BucketPolicy(
    `${name}-objects`,
    {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) =>
        policyDocument([{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]),
      ),
    },
    parent,
  );
  return bucket;
}
