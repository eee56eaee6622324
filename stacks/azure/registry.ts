import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as containerregistry from '@pulumi/azure-native/containerregistry/index.js';
import type { AzureCloud, InstallSettings, RegistrySettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { roleDefinitionId } from './common.js';
import { missingZones, privateEndpoint, type PrivateEndpointContext } from './network.js';

export interface AzureRegistryArgs {
  installName: string;
  cloud: AzureCloud;
  registry: RegistrySettings;
  networkMode: InstallSettings['network']['mode'];
  resourceGroupName: pulumi.Input<string>;
  /** The cluster's kubelet identity, granted AcrPull. */
  kubeletObjectId: pulumi.Input<string>;
  encryption: { keyUri: pulumi.Input<string>; identityId: pulumi.Input<string>; identityClientId: pulumi.Input<string> };
  endpoints: PrivateEndpointContext;
  tags: Record<string, string>;
}

/** ACR names: 5-50 letters and digits (the spec's mirror host, lowercase). */
export const ACR_NAME = /^[a-z0-9]{5,50}$/;

/**
 * The image mirror in ACR: Premium (private endpoints, customer-managed key, zone redundancy),
 * admin user off, no anonymous pulls, public network access and export off when air-gapped, a
 * private endpoint, and AcrPull for the cluster's kubelet identity.
 */
export class AzureRegistry extends pulumi.ComponentResource {
  readonly loginServer: pulumi.Output<string>;

  constructor(name: string, args: AzureRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Registry', name, {}, opts);
    requireValid('AzureRegistry', [
      args.registry.kind !== 'acr' && `registry kind ${args.registry.kind} is not acr`,
      !ACR_NAME.test(args.registry.name) && `invalid ACR name ${args.registry.name}`,
      ...missingZones(args.endpoints, ['acr']),
    ]);
    const parent = { parent: this };
    const airGapped = args.networkMode === 'air-gapped';
    const registry = new containerregistry.Registry(
      `${name}-acr`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.cloud.location,
        registryName: args.registry.name,
        sku: { name: 'Premium' },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        dataEndpointEnabled: true,
        publicNetworkAccess: airGapped ? 'Disabled' : 'Enabled',
        networkRuleBypassOptions: 'AzureServices',
        zoneRedundancy: 'Enabled',
        identity: { type: 'UserAssigned', userAssignedIdentities: pulumi.output(args.encryption.identityId).apply((id) => ({ [id]: {} })) },
        encryption: { status: 'enabled', keyVaultProperties: { keyIdentifier: args.encryption.keyUri, identity: args.encryption.identityClientId } },
        // Export needs public access; an air-gapped mirror's images never leave it.
        ...(airGapped ? { policies: { exportPolicy: { status: 'disabled' } } } : {}),
        tags: args.tags,
      },
      parent,
    );
    privateEndpoint(this, `${name}-acr`, args.endpoints, 'acr', registry.id);
    new authorization.RoleAssignment(
      `${name}-acr-pull`,
      { scope: registry.id, roleDefinitionId: roleDefinitionId(args.cloud, 'acrPull'), principalId: args.kubeletObjectId, principalType: 'ServicePrincipal', description: `installctl ${args.installName}: nodes pull mirrored images` },
      parent,
    );
    this.loginServer = registry.loginServer;
    this.registerOutputs({ loginServer: this.loginServer });
  }
}
