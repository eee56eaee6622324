import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as keyvault from '@pulumi/azure-native/keyvault/index.js';
import * as managedidentity from '@pulumi/azure-native/managedidentity/index.js';
import type { AzureCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { azureNames, roleDefinitionId } from './common.js';
import { missingZones, privateEndpoint, type PrivateEndpointContext } from './network.js';

export interface AzureEncryptionArgs {
  installName: string;
  cloud: AzureCloud;
  network: InstallSettings['network'];
  resourceGroupName: pulumi.Input<string>;
  /** Private endpoint placement: the vault is reached only through its private endpoint. */
  endpoints: PrivateEndpointContext;
  tags: Record<string, string>;
}

/**
 * The install's Key Vault (RBAC authorization, soft delete, purge protection; firewall default
 * Deny with public network access off in every network mode, reached through a private endpoint in
 * the endpoint subnet; trusted Azure services that wrap data keys pass the firewall) and its
 * customer-managed key with rotation, plus the user-assigned
 * identity the data services, disks and registry use to wrap their data keys with it (Key Vault
 * Crypto Service Encryption User on the vault).
 */
export class AzureEncryption extends pulumi.ComponentResource {
  readonly vaultId: pulumi.Output<string>;
  readonly vaultUri: pulumi.Output<string>;
  readonly keyName: pulumi.Output<string>;
  /** Versionless key URI: services that follow rotation automatically. */
  readonly keyUri: pulumi.Output<string>;
  readonly keyUriWithVersion: pulumi.Output<string>;
  /** The encryption identity's resource id; resolves once its role on the vault is assigned. */
  readonly identityId: pulumi.Output<string>;
  readonly identityClientId: pulumi.Output<string>;
  /**
   * Always true: AKS KMS then reaches the vault privately, which needs API Server VNet Integration;
   * AKS cannot use KMS through a firewalled vault's public endpoint, so without it KMS is off.
   */
  readonly vaultPrivate = true;

  constructor(name: string, args: AzureEncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Encryption', name, {}, opts);
    requireValid('AzureEncryption', [
      !/^[0-9a-f-]{36}$/i.test(args.cloud.tenantId) && `tenantId ${args.cloud.tenantId} is not a GUID`,
      ...missingZones(args.endpoints, ['vault']),
    ]);
    const parent = { parent: this };
    const vault = new keyvault.Vault(
      `${name}-vault`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.cloud.location,
        vaultName: azureNames(args.installName, args.cloud).keyVault,
        properties: {
          tenantId: args.cloud.tenantId,
          sku: { family: 'A', name: 'premium' },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          enablePurgeProtection: true,
          publicNetworkAccess: 'Disabled',
          // Trusted Azure services (disk encryption sets, storage, PostgreSQL, Redis, ACR) pass the firewall.
          networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] },
        },
        tags: args.tags,
      },
      parent,
    );
    // RSA 3072, rotated yearly; each version is valid for two years, with a notice 30 days before expiry.
    const key = new keyvault.Key(
      `${name}-key`,
      {
        resourceGroupName: args.resourceGroupName,
        vaultName: vault.name,
        keyName: `${args.installName}-cmk`,
        properties: {
          kty: 'RSA',
          keySize: 3072,
          keyOps: ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt'],
          rotationPolicy: {
            attributes: { expiryTime: 'P2Y' },
            lifetimeActions: [
              { trigger: { timeAfterCreate: 'P1Y' }, action: { type: 'rotate' } },
              { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'notify' } },
            ],
          },
        },
        tags: args.tags,
      },
      parent,
    );
    const identity = new managedidentity.UserAssignedIdentity(`${name}-cmk`, { resourceGroupName: args.resourceGroupName, location: args.cloud.location, resourceName: `${args.installName}-cmk`, tags: args.tags }, parent);
    const grant = new authorization.RoleAssignment(
      `${name}-cmk`,
      { scope: vault.id, roleDefinitionId: roleDefinitionId(args.cloud, 'keyVaultCryptoServiceEncryptionUser'), principalId: identity.principalId, principalType: 'ServicePrincipal', description: `installctl ${args.installName}: wrap and unwrap data keys` },
      parent,
    );
    privateEndpoint(this, `${name}-vault`, args.endpoints, 'vault', vault.id);

    this.vaultId = vault.id;
    this.vaultUri = vault.properties.apply((properties) => properties.vaultUri ?? '');
    this.keyName = key.name;
    this.keyUri = key.keyUri;
    this.keyUriWithVersion = key.keyUriWithVersion;
    this.identityId = pulumi.all([identity.id, grant.id]).apply(([id]) => id);
    this.identityClientId = pulumi.all([identity.clientId, grant.id]).apply(([clientId]) => clientId);
    this.registerOutputs({ vaultId: this.vaultId, keyUri: this.keyUri, identityId: this.identityId });
  }
}
