import * as pulumi from '@pulumi/pulumi';
import * as dbforpostgresql from '@pulumi/azure-native/dbforpostgresql/index.js';
import * as redisenterprise from '@pulumi/azure-native/redisenterprise/index.js';
import * as storage from '@pulumi/azure-native/storage/index.js';
import type { AzureCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { cloudSizes } from '../decisions/sizing.js';
import { azureNames, type PrivateService } from './common.js';
import { missingZones, privateEndpoint, type PrivateEndpointContext } from './network.js';
import { azureRedisClusteringPolicy, postgresBackupRetention } from '../release-gates.js';

export interface AzureDataArgs {
  installName: string;
  /** The platform release (settings.release): gates release-dependent settings (release-gates.ts). */
  release: string;
  cloud: AzureCloud;
  sizing: InstallSettings['sizing'];
  datastores: InstallSettings['datastores'];
  resourceGroupName: pulumi.Input<string>;
  encryption: {
    keyName: pulumi.Input<string>;
    keyUri: pulumi.Input<string>;
    vaultUri: pulumi.Input<string>;
    /** The user-assigned identity allowed to wrap data keys with the install's key. */
    identityId: pulumi.Input<string>;
  };
  endpoints: PrivateEndpointContext;
  tags: Record<string, string>;
}

/** PostgreSQL 16: pgvector is available (allow-listed through azure.extensions). */
export const AZURE_POSTGRES_VERSION = '16';
/** Days deleted blobs and containers stay recoverable (soft delete); PostgreSQL backups follow the release (release-gates.ts). */
export const AZURE_SOFT_DELETE_DAYS = 14;
export const AZURE_POSTGRES_PORT = 5432;
/** The port of the Azure Managed Redis database (TLS; Azure Managed Redis serves databases from 10000). */
export const AZURE_REDIS_PORT = 10000;
/** The blob container the platform stores its objects in. */
export const AZURE_OBJECTS_CONTAINER = 'agents';

/** The private endpoint services the managed datastores need. */
export function azureDataServices(datastores: InstallSettings['datastores']): PrivateService[] {
  return [...(datastores.postgres === 'managed' ? (['postgres'] as const) : []), ...(datastores.redis === 'managed' ? (['redis'] as const) : []), 'blob'];
}

/**
 * Managed data services, private (public network access off, private endpoints) and encrypted with
 * the install's key through its encryption identity: PostgreSQL flexible server 16 with pgvector,
 * Entra ID authentication and backups (zone-redundant HA when asked); Azure Managed Redis with TLS
 * only and RDB persistence; a StorageV2 account without shared keys or public access, versioned,
 * with soft delete. Bundled or external datastores create nothing here; the account always exists.
 */
export class AzureData extends pulumi.ComponentResource {
  readonly postgresHost: pulumi.Output<string | null>;
  /** The flexible server's port (5432; PgBouncer, when enabled, would be 6432), or null. */
  readonly postgresPort: pulumi.Output<number | null>;
  readonly postgresServerName: pulumi.Output<string> | null;
  /** The last operation on the managed PostgreSQL server: later operations on it depend on it; null unless managed. */
  readonly postgresLastOperation: pulumi.Resource | null;
  readonly redisHost: pulumi.Output<string | null>;
  /** Azure Managed Redis listens on the database's port (10000, TLS), not on 6379: the charts take it from here. */
  readonly redisPort: pulumi.Output<number | null>;
  /** The managed Redis cluster and database (for access policy assignments); null unless managed. */
  readonly redis: { clusterName: pulumi.Output<string>; databaseName: pulumi.Output<string> } | null;
  readonly storageAccountName: pulumi.Output<string>;
  readonly storageAccountId: pulumi.Output<string>;
  readonly containerName: string = AZURE_OBJECTS_CONTAINER;

  constructor(name: string, args: AzureDataArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Data', name, {}, opts);
    const { datastores } = args;
    requireValid('AzureData', [
      datastores.rabbitmq === 'managed' && 'Azure has no managed RabbitMQ with customer-managed keys; use bundled or external',
      ...missingZones(args.endpoints, azureDataServices(datastores)),
    ]);

    const postgres = datastores.postgres === 'managed' ? createPostgres(this, name, args) : null;
    this.postgresHost = postgres ? postgres.server.fullyQualifiedDomainName : pulumi.output(null);
    this.postgresPort = pulumi.output(postgres ? AZURE_POSTGRES_PORT : null);
    this.postgresServerName = postgres ? postgres.server.name : null;
    this.postgresLastOperation = postgres?.lastOperation ?? null;
    const redis = datastores.redis === 'managed' ? createRedis(this, name, args) : null;
    this.redisHost = redis ? redis.cluster.hostName : pulumi.output(null);
    this.redisPort = redis ? redis.database.port.apply((port) => port ?? AZURE_REDIS_PORT) : pulumi.output(null);
    this.redis = redis ? { clusterName: redis.cluster.name, databaseName: redis.database.name } : null;
    const account = createObjectStore(this, name, args);
    this.storageAccountName = account.name;
    this.storageAccountId = account.id;
    this.registerOutputs({ postgresHost: this.postgresHost, redisHost: this.redisHost, storageAccountName: this.storageAccountName });
  }
}

/** Resource group and location, shared by every top-level data service. */
function placement(args: AzureDataArgs) {
  return { resourceGroupName: args.resourceGroupName, location: args.cloud.location };
}

/**
 * PostgreSQL flexible server with Entra ID authentication, pgvector allow-listed, the platform's
 * database and a private endpoint, created one after another; lastOperation is what the next
 * operation on the server (its Entra ID administrator) must wait for.
 */
function createPostgres(component: pulumi.Resource, name: string, args: AzureDataArgs): { server: dbforpostgresql.Server; lastOperation: pulumi.Resource } {
  const parent = { parent: component };
  const { datastores, cloud } = args;
  const sizes = cloudSizes('azure', args.sizing);
  const server = new dbforpostgresql.Server(
    `${name}-postgres`,
    {
      ...placement(args),
      serverName: azureNames(args.installName, cloud).postgres,
      version: AZURE_POSTGRES_VERSION,
      sku: { name: sizes.database, tier: 'GeneralPurpose' },
      storage: { storageSizeGB: sizes.databaseStorageGiB, autoGrow: 'Enabled' },
      authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled', tenantId: cloud.tenantId },
      network: { publicNetworkAccess: 'Disabled' },
      backup: { backupRetentionDays: postgresBackupRetention(args.release), geoRedundantBackup: 'Disabled' },
      highAvailability: { mode: datastores.highAvailability ? 'ZoneRedundant' : 'Disabled' },
      identity: { type: 'UserAssigned', userAssignedIdentities: pulumi.output(args.encryption.identityId).apply((id) => ({ [id]: {} })) },
      dataEncryption: { type: 'AzureKeyVault', primaryKeyURI: args.encryption.keyUri, primaryUserAssignedIdentityId: args.encryption.identityId },
      tags: args.tags,
    },
    parent,
  );
  // A flexible server takes one operation at a time ("ServerBusy"): each child waits for the one before.
  const pgvector = new dbforpostgresql.Configuration(
    `${name}-pgvector`,
    { resourceGroupName: args.resourceGroupName, serverName: server.name, configurationName: 'azure.extensions', value: 'VECTOR', source: 'user-override' },
    parent,
  );
  const database = new dbforpostgresql.Database(
    `${name}-database`,
    { resourceGroupName: args.resourceGroupName, serverName: server.name, databaseName: 'agents', charset: 'UTF8', collation: 'en_US.utf8' },
    { parent: component, dependsOn: [pgvector] },
  );
  const endpoint = privateEndpoint(component, `${name}-postgres`, args.endpoints, 'postgres', server.id, [database]);
  return { server, lastOperation: endpoint };
}

/** Azure Managed Redis: TLS only, Entra ID only, RDB persistence, and a private endpoint. */
function createRedis(component: pulumi.Resource, name: string, args: AzureDataArgs): { cluster: redisenterprise.RedisEnterprise; database: redisenterprise.Database } {
  const parent = { parent: component };
  const cluster = new redisenterprise.RedisEnterprise(
    `${name}-redis`,
    {
      ...placement(args),
      clusterName: azureNames(args.installName, args.cloud).redis,
      sku: { name: cloudSizes('azure', args.sizing).cache },
      highAvailability: args.datastores.highAvailability ? 'Enabled' : 'Disabled',
      minimumTlsVersion: '1.2',
      publicNetworkAccess: 'Disabled',
      identity: { type: 'UserAssigned', userAssignedIdentities: [args.encryption.identityId] },
      encryption: {
        customerManagedKeyEncryption: {
          keyEncryptionKeyUrl: args.encryption.keyUri,
          keyEncryptionKeyIdentity: { identityType: 'userAssignedIdentity', userAssignedIdentityResourceId: args.encryption.identityId },
        },
      },
      tags: args.tags,
    },
    parent,
  );
  const database = new redisenterprise.Database(
    `${name}-redis`,
    {
      resourceGroupName: args.resourceGroupName,
      clusterName: cluster.name,
      databaseName: 'default',
      clientProtocol: 'Encrypted',
      port: AZURE_REDIS_PORT,
      // EnterpriseCluster since 2026.12.0: Azure sets it only at creation, so that release replaces the database (declared in its catalog entry).
      clusteringPolicy: azureRedisClusteringPolicy(args.release),
      evictionPolicy: 'VolatileLRU',
      // Entra ID only: the platform identity gets an access policy assignment (AzureIdentity).
      accessKeysAuthentication: 'Disabled',
      persistence: { rdbEnabled: true, rdbFrequency: '1h', aofEnabled: false },
    },
    parent,
  );
  privateEndpoint(component, `${name}-redis`, args.endpoints, 'redis', cluster.id);
  return { cluster, database };
}

/** The StorageV2 account (no shared keys, no public access), versioned with soft delete, its container and a private endpoint. */
function createObjectStore(component: pulumi.Resource, name: string, args: AzureDataArgs): storage.StorageAccount {
  const parent = { parent: component };
  const account = new storage.StorageAccount(
    `${name}-objects`,
    {
      ...placement(args),
      accountName: azureNames(args.installName, args.cloud).storageAccount,
      kind: 'StorageV2',
      sku: { name: 'Standard_ZRS' },
      accessTier: 'Hot',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      publicNetworkAccess: 'Disabled',
      networkRuleSet: { defaultAction: 'Deny', bypass: 'None' },
      identity: { type: 'UserAssigned', userAssignedIdentities: [args.encryption.identityId] },
      encryption: {
        keySource: 'Microsoft.Keyvault',
        keyVaultProperties: { keyName: args.encryption.keyName, keyVaultUri: args.encryption.vaultUri },
        encryptionIdentity: { encryptionUserAssignedIdentity: args.encryption.identityId },
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: 'Account' }, file: { enabled: true, keyType: 'Account' } },
      },
      tags: args.tags,
    },
    parent,
  );
  new storage.BlobServiceProperties(
    `${name}-objects`,
    {
      resourceGroupName: args.resourceGroupName,
      accountName: account.name,
      blobServicesName: 'default',
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: AZURE_SOFT_DELETE_DAYS },
      containerDeleteRetentionPolicy: { enabled: true, days: AZURE_SOFT_DELETE_DAYS },
    },
    parent,
  );
  new storage.BlobContainer(`${name}-objects`, { resourceGroupName: args.resourceGroupName, accountName: account.name, containerName: AZURE_OBJECTS_CONTAINER, publicAccess: 'None' }, parent);
  privateEndpoint(component, `${name}-blob`, args.endpoints, 'blob', account.id);
  return account;
}
