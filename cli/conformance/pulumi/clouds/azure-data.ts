/** Azure data services (Key Vault, PostgreSQL, Redis, storage) and the helpers the Azure policies share (policies: azure.ts). */
import { AZURE_ROLES, PRIVATE_LINK, type PrivateService } from '../../../../stacks/azure/common.js';
import { T } from './azure-mocks.js';
import { resourceId, type PolicyContext, type SynthesizedResource, type Violation } from '../types.js';

export const violation = (policy: string, resource: SynthesizedResource | null, message: string): Violation => ({
  policy,
  resource: resource ? resourceId(resource) : null,
  message,
});
export const idOf = (resource: SynthesizedResource) => `${resource.name}-id`;
export const roleGuid = (assignment: SynthesizedResource) =>
  String(assignment.inputs.roleDefinitionId ?? '')
    .split('/')
    .pop();

/** Private endpoints (with a DNS zone group) that reach the given resource through the service's group. */
export function endpointsTo({ ofType }: PolicyContext, target: SynthesizedResource, service: PrivateService): SynthesizedResource[] {
  const groups = ofType(T.zoneGroup);
  return ofType(T.privateEndpoint).filter((endpoint) => {
    const connection = endpoint.inputs.privateLinkServiceConnections?.[0];
    const zoned = groups.some((group) => group.inputs.privateEndpointName === endpoint.inputs.privateEndpointName && group.inputs.privateDnsZoneConfigs?.length > 0);
    return connection?.privateLinkServiceId === idOf(target) && (connection.groupIds ?? []).includes(PRIVATE_LINK[service].groupId) && zoned;
  });
}

export function requirePrivateEndpoint(context: PolicyContext, target: SynthesizedResource, service: PrivateService, out: Violation[]): void {
  const count = endpointsTo(context, target, service).length;
  if (count !== 1) out.push(violation('data-private', target, `expected one private endpoint (${PRIVATE_LINK[service].groupId}) with a DNS zone group, found ${count}`));
}

export function dataEncrypted(context: PolicyContext): Violation[] {
  const { settings, ofType } = context;
  const out: Violation[] = [];
  const expect = (type: string, wanted: number, label: string) => {
    const found = ofType(type);
    if (found.length !== wanted) out.push(violation('data-services', null, `expected ${wanted} ${label}, found ${found.length}`));
    return found;
  };
  const servers = expect(T.postgres, settings.datastores.postgres === 'managed' ? 1 : 0, 'PostgreSQL flexible server');
  const caches = expect(T.redis, settings.datastores.redis === 'managed' ? 1 : 0, 'Azure Managed Redis cluster');
  const accounts = expect(T.storageAccount, 1, 'storage account');
  const vaults = expect(T.vault, 1, 'Key Vault');
  const keys = expect(T.key, 1, 'customer-managed key');
  keyVaultViolations(context, vaults, keys, out);
  postgresViolations(context, servers, out);
  redisViolations(context, caches, out);
  storageViolations(context, accounts, out);
  return out;
}

/** The Key Vault holding the customer key: locked down, granted to the encryption identity, and a key that rotates. */
function keyVaultViolations(context: PolicyContext, vaults: SynthesizedResource[], keys: SynthesizedResource[], out: Violation[]): void {
  const { ofType } = context;
  for (const vault of vaults) {
    const p = vault.inputs.properties ?? {};
    if (p.enableRbacAuthorization !== true || p.enablePurgeProtection !== true || p.enableSoftDelete !== true)
      out.push(violation('encrypted', vault, 'Key Vault needs RBAC authorization, soft delete and purge protection'));
    const grants = ofType(T.roleAssignment).filter((a) => a.inputs.scope === idOf(vault) && roleGuid(a) === AZURE_ROLES.keyVaultCryptoServiceEncryptionUser);
    if (grants.length !== 1) out.push(violation('encrypted', vault, 'expected one Key Vault Crypto Service Encryption User assignment for the encryption identity'));
    // Also when connected: nothing but the private endpoint and trusted Azure services reaches the vault.
    if (p.publicNetworkAccess !== 'Disabled' || p.networkAcls?.defaultAction !== 'Deny')
      out.push(violation('data-private', vault, 'the Key Vault firewall is not default Deny with public network access off'));
    requirePrivateEndpoint(context, vault, 'vault', out);
  }
  for (const key of keys) {
    const actions = (key.inputs.properties?.rotationPolicy?.lifetimeActions ?? []) as any[];
    if (!actions.some((action) => String(action.action?.type).toLowerCase() === 'rotate')) out.push(violation('encrypted', key, 'the customer-managed key does not rotate'));
  }
}

/** PostgreSQL flexible servers: customer key, private, backed up, 16+ with pgvector, Entra ID only. */
function postgresViolations(context: PolicyContext, servers: SynthesizedResource[], out: Violation[]): void {
  const { settings, ofType } = context;
  const configurations = ofType(T.postgresConfiguration);
  for (const server of servers) {
    const i = server.inputs;
    if (i.dataEncryption?.type !== 'AzureKeyVault' || !i.dataEncryption.primaryKeyURI || !i.dataEncryption.primaryUserAssignedIdentityId)
      out.push(violation('encrypted', server, 'PostgreSQL is not encrypted with the customer key'));
    if (i.network?.publicNetworkAccess !== 'Disabled') out.push(violation('data-private', server, 'PostgreSQL public network access is on'));
    if (!(i.backup?.backupRetentionDays > 0)) out.push(violation('backups', server, 'PostgreSQL backups are off'));
    if (!(Number(i.version) >= 16)) out.push(violation('data-services', server, 'PostgreSQL must be 16 or newer (pgvector)'));
    if (i.highAvailability?.mode !== (settings.datastores.highAvailability ? 'ZoneRedundant' : 'Disabled'))
      out.push(violation('data-services', server, 'PostgreSQL high availability differs from the settings'));
    if (i.authConfig?.passwordAuth !== 'Disabled' || i.authConfig?.activeDirectoryAuth !== 'Enabled')
      out.push(violation('least-privilege', server, 'PostgreSQL allows password authentication'));
    const vector = configurations.some(
      (c) => c.inputs.serverName === i.serverName && c.inputs.configurationName === 'azure.extensions' && String(c.inputs.value).split(',').includes('VECTOR'),
    );
    if (!vector) out.push(violation('data-services', server, 'pgvector is not allow-listed (azure.extensions = VECTOR)'));
    requirePrivateEndpoint(context, server, 'postgres', out);
  }
}

/** Azure Managed Redis: customer key, TLS 1.2, private, one encrypted persistent database without access keys. */
function redisViolations(context: PolicyContext, caches: SynthesizedResource[], out: Violation[]): void {
  const { ofType } = context;
  const databases = ofType(T.redisDatabase);
  for (const cache of caches) {
    const i = cache.inputs;
    const cmk = i.encryption?.customerManagedKeyEncryption;
    if (!cmk?.keyEncryptionKeyUrl || !cmk.keyEncryptionKeyIdentity?.userAssignedIdentityResourceId)
      out.push(violation('encrypted', cache, 'Redis is not encrypted with the customer key'));
    if (i.minimumTlsVersion !== '1.2') out.push(violation('encrypted', cache, 'Redis accepts TLS older than 1.2'));
    if (i.publicNetworkAccess !== 'Disabled') out.push(violation('data-private', cache, 'Redis public network access is on'));
    const own = databases.filter((d) => d.inputs.clusterName === i.clusterName);
    if (own.length !== 1) out.push(violation('data-services', cache, `expected one Redis database, found ${own.length}`));
    for (const database of own) {
      if (database.inputs.clientProtocol !== 'Encrypted') out.push(violation('encrypted', database, 'Redis accepts plaintext connections'));
      if (database.inputs.persistence?.rdbEnabled !== true && database.inputs.persistence?.aofEnabled !== true)
        out.push(violation('backups', database, 'Redis persistence is off'));
      if (database.inputs.accessKeysAuthentication !== 'Disabled') out.push(violation('least-privilege', database, 'Redis access keys are on'));
    }
    requirePrivateEndpoint(context, cache, 'redis', out);
  }
}

/** The storage account: customer key, private, no shared keys or plain HTTP, blob versioning and soft delete. */
function storageViolations(context: PolicyContext, accounts: SynthesizedResource[], out: Violation[]): void {
  const { ofType } = context;
  const blobServices = ofType(T.blobService);
  for (const account of accounts) {
    const i = account.inputs;
    if (
      String(i.encryption?.keySource).toLowerCase() !== 'microsoft.keyvault' ||
      !i.encryption?.keyVaultProperties?.keyName ||
      !i.encryption?.encryptionIdentity?.encryptionUserAssignedIdentity
    )
      out.push(violation('encrypted', account, 'the storage account is not encrypted with the customer key'));
    if (i.allowBlobPublicAccess !== false || i.publicNetworkAccess !== 'Disabled' || i.networkRuleSet?.defaultAction !== 'Deny')
      out.push(violation('data-private', account, 'the storage account allows public access'));
    if (i.allowSharedKeyAccess !== false || i.minimumTlsVersion !== 'TLS1_2' || i.enableHttpsTrafficOnly !== true)
      out.push(violation('least-privilege', account, 'the storage account allows shared keys, plain HTTP or TLS older than 1.2'));
    const service = blobServices.find((s) => s.inputs.accountName === i.accountName);
    if (service?.inputs.isVersioningEnabled !== true || service.inputs.deleteRetentionPolicy?.enabled !== true)
      out.push(violation('backups', account, 'blob versioning or soft delete is off'));
    requirePrivateEndpoint(context, account, 'blob', out);
  }
}
