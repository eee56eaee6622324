import * as pulumi from '@pulumi/pulumi';
import * as redis from '@pulumi/gcp/redis/index.js';
import * as sql from '@pulumi/gcp/sql/index.js';
import * as storage from '@pulumi/gcp/storage/index.js';
import type { GcpCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { cloudSizes } from '../decisions/sizing.js';
import { gcpBucketName, gcpName } from './common.js';
import { postgresBackupRetention } from '../release-gates.js';

export interface GcpDataArgs {
  installName: string;
  /** The platform release (settings.release): gates release-dependent settings (release-gates.ts). */
  release: string;
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  sizing: InstallSettings['sizing'];
  datastores: InstallSettings['datastores'];
  /** The VPC, resolved once private services access is connected (GcpNetwork.servicesNetworkId). */
  servicesNetworkId: pulumi.Input<string>;
  keyId: pulumi.Input<string>;
  labels: Record<string, string>;
}

/**
 * PostgreSQL 16 keeps pgvector available as an extension on Cloud SQL. Cloud SQL versions are
 * majors only: it applies minor versions itself in the maintenance window, so the stack never
 * fights it (unlike a pinned RDS minor).
 */
export const GCP_POSTGRES_VERSION = 'POSTGRES_16';
/** Memorystore's finest version choice; it applies patch releases itself in the maintenance window. */
export const GCP_REDIS_VERSION = 'REDIS_7_2';

/** When Cloud SQL and Memorystore apply minor versions and patches: Sunday 03:00 UTC, stable update track. */
export const GCP_MAINTENANCE = { day: 7, hour: 3, redisDay: 'SUNDAY', updateTrack: 'stable' } as const;

/** Memorystore sizes are whole GB; the sizing table gives them as strings. */
export function redisMemoryGb(cache: string): number {
  const size = Number(cache);
  if (!Number.isInteger(size) || size < 1 || size > 300) throw new Error(`not a Memorystore size in GB: ${cache}`);
  return size;
}

/**
 * Managed data services, private and encrypted with the install's key: Cloud SQL for PostgreSQL
 * (private IP only, TLS required, IAM database authentication, backups with point-in-time recovery,
 * regional HA when asked, deletion protection), Memorystore for Redis (private services access,
 * AUTH, TLS, RDB snapshots, STANDARD_HA when asked) and a Cloud Storage bucket (uniform access,
 * public access prevention, versioning). Bundled or external datastores create nothing here.
 */
export class GcpData extends pulumi.ComponentResource {
  readonly postgresPrivateIp: pulumi.Output<string | null>;
  /** Cloud SQL for PostgreSQL listens on 5432 on its private IP; null without a managed database. */
  readonly postgresPort: pulumi.Output<number | null>;
  /** PROJECT:REGION:INSTANCE for the Cloud SQL connectors, or null. */
  readonly postgresConnectionName: pulumi.Output<string | null>;
  readonly postgresInstanceName: pulumi.Output<string | null>;
  /** PEM of the Cloud SQL instance's server CA (no public root signs it; PGSSLROOTCERT of the platform), or null. */
  readonly postgresServerCa: pulumi.Output<string | null>;
  readonly redisHost: pulumi.Output<string | null>;
  /** Memorystore's port: 6378 with in-transit encryption. */
  readonly redisPort: pulumi.Output<number | null>;
  /** The Memorystore instance name (`gcloud redis instances get-auth-string`), or null. */
  readonly redisInstanceName: pulumi.Output<string | null>;
  /** PEM of the Memorystore server CA (in-transit encryption; no public root signs it), or null. */
  readonly redisServerCa: pulumi.Output<string | null>;
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: GcpDataArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Data', name, {}, opts);
    const { datastores } = args;
    const sizes = cloudSizes('gcp', args.sizing);
    requireValid('GcpData', [
      datastores.rabbitmq === 'managed' && 'GCP has no managed RabbitMQ with customer-managed keys; use bundled or external',
      datastores.redis === 'managed' && !/^\d+$/.test(sizes.cache) && `the ${args.sizing} Memorystore size ${sizes.cache} is not whole GB`,
    ]);

    const instance = datastores.postgres === 'managed' ? createPostgres(this, name, args) : null;
    this.postgresPrivateIp = instance ? instance.privateIpAddress : pulumi.output(null);
    this.postgresPort = pulumi.output(instance ? 5432 : null);
    this.postgresConnectionName = instance ? instance.connectionName : pulumi.output(null);
    this.postgresInstanceName = instance ? instance.name : pulumi.output(null);
    this.postgresServerCa = instance ? instance.serverCaCerts.apply((certs) => (certs ?? []).map((cert) => cert.cert).filter(Boolean).join('\n') || null) : pulumi.output(null);
    const cache = datastores.redis === 'managed' ? createRedis(this, name, args) : null;
    this.redisHost = cache ? cache.host : pulumi.output(null);
    this.redisPort = cache ? cache.port.apply((port) => port ?? 6378) : pulumi.output(null);
    this.redisInstanceName = cache ? cache.name : pulumi.output(null);
    this.redisServerCa = cache ? cache.serverCaCerts.apply((certs) => (certs ?? []).map((cert) => cert.cert).filter(Boolean).join('\n') || null) : pulumi.output(null);
    this.bucketName = createObjectBucket(this, name, args).name;
    this.registerOutputs({ postgresPrivateIp: this.postgresPrivateIp, redisHost: this.redisHost, bucketName: this.bucketName });
  }
}

/** Cloud SQL for PostgreSQL on a private IP only, with the platform's database. */
function createPostgres(component: pulumi.Resource, name: string, args: GcpDataArgs): sql.DatabaseInstance {
  const parent = { parent: component };
  const project = args.project;
  const sizes = cloudSizes('gcp', args.sizing);
  const instance = new sql.DatabaseInstance(
    `${name}-postgres`,
    {
      project,
      name: gcpName(args.installName, 'postgres', 63),
      region: args.cloud.region,
      databaseVersion: GCP_POSTGRES_VERSION,
      encryptionKeyName: args.keyId,
      deletionProtection: true,
      settings: {
        // db-custom-* tiers exist only in the Enterprise edition (PostgreSQL 16 defaults to Enterprise Plus).
        edition: 'ENTERPRISE',
        tier: sizes.database,
        availabilityType: args.datastores.highAvailability ? 'REGIONAL' : 'ZONAL',
        diskType: 'PD_SSD',
        diskSize: sizes.databaseStorageGiB,
        diskAutoresize: true,
        diskAutoresizeLimit: sizes.databaseStorageGiB * 4,
        deletionProtectionEnabled: true,
        ipConfiguration: { ipv4Enabled: false, privateNetwork: args.servicesNetworkId, sslMode: 'ENCRYPTED_ONLY' },
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          startTime: '03:00',
          transactionLogRetentionDays: 7,
          backupRetentionSettings: { retainedBackups: postgresBackupRetention(args.release), retentionUnit: 'COUNT' },
        },
        databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }],
        maintenanceWindow: { day: GCP_MAINTENANCE.day, hour: GCP_MAINTENANCE.hour, updateTrack: GCP_MAINTENANCE.updateTrack },
        userLabels: args.labels,
      },
    },
    parent,
  );
  new sql.Database(`${name}-agents`, { project, instance: instance.name, name: 'agents' }, parent);
  return instance;
}

/** Memorystore for Redis through private services access: AUTH, TLS, RDB snapshots. */
function createRedis(component: pulumi.Resource, name: string, args: GcpDataArgs): redis.Instance {
  return new redis.Instance(
    `${name}-redis`,
    {
      project: args.project,
      name: gcpName(args.installName, 'redis', 40),
      displayName: `installctl ${args.installName} cache`,
      region: args.cloud.region,
      tier: args.datastores.highAvailability ? 'STANDARD_HA' : 'BASIC',
      memorySizeGb: redisMemoryGb(cloudSizes('gcp', args.sizing).cache),
      redisVersion: GCP_REDIS_VERSION,
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      authorizedNetwork: args.servicesNetworkId,
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      customerManagedKey: args.keyId,
      persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'TWELVE_HOURS' },
      maintenancePolicy: { weeklyMaintenanceWindows: [{ day: GCP_MAINTENANCE.redisDay, startTime: { hours: GCP_MAINTENANCE.hour, minutes: 0 } }] },
      labels: args.labels,
    },
    { parent: component },
  );
}

/** The objects bucket: uniform access, public access prevention, versioning. */
function createObjectBucket(component: pulumi.Resource, name: string, args: GcpDataArgs): storage.Bucket {
  return new storage.Bucket(
    `${name}-objects`,
    {
      project: args.project,
      name: gcpBucketName(args.installName, args.cloud.projectId),
      location: args.cloud.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      encryption: { defaultKmsKeyName: args.keyId },
      versioning: { enabled: true },
      forceDestroy: false,
      labels: args.labels,
    },
    { parent: component },
  );
}
