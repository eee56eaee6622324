/**
 * Azure mocks: what Azure Resource Manager would report for the resources and data sources of a
 * synthesized Azure stack (names, ids, endpoints), for the policies in azure.ts to check against.
 */
import { createHash } from 'node:crypto';
import type { InstallSettings } from '../../../../stacks/settings.js';

/** The Azure resource types the mocks and the policies name. */
export const T = {
  publicIp: 'azure-native:network:PublicIPAddress',
  natGateway: 'azure-native:network:NatGateway',
  subnet: 'azure-native:network:Subnet',
  privateEndpoint: 'azure-native:network:PrivateEndpoint',
  zoneGroup: 'azure-native:network:PrivateDnsZoneGroup',
  privateZone: 'azure-native:privatedns:PrivateZone',
  zoneLink: 'azure-native:privatedns:VirtualNetworkLink',
  cluster: 'azure-native:containerservice:ManagedCluster',
  agentPool: 'azure-native:containerservice:AgentPool',
  diskEncryptionSet: 'azure-native:compute:DiskEncryptionSet',
  vault: 'azure-native:keyvault:Vault',
  key: 'azure-native:keyvault:Key',
  identity: 'azure-native:managedidentity:UserAssignedIdentity',
  federated: 'azure-native:managedidentity:FederatedIdentityCredential',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
  postgres: 'azure-native:dbforpostgresql:Server',
  postgresConfiguration: 'azure-native:dbforpostgresql:Configuration',
  postgresDatabase: 'azure-native:dbforpostgresql:Database',
  postgresAdministrator: 'azure-native:dbforpostgresql:Administrator',
  vnet: 'azure-native:network:VirtualNetwork',
  peering: 'azure-native:network:VirtualNetworkPeering',
  redis: 'azure-native:redisenterprise:RedisEnterprise',
  redisDatabase: 'azure-native:redisenterprise:Database',
  storageAccount: 'azure-native:storage:StorageAccount',
  blobService: 'azure-native:storage:BlobServiceProperties',
  registry: 'azure-native:containerregistry:Registry',
  openAi: 'azure-native:cognitiveservices:Account',
  deployment: 'azure-native:cognitiveservices:Deployment',
} as const;

/** The input that names each resource in Azure (the mock's `name` output). */
const NAME_INPUT: Record<string, string> = {
  'azure-native:resources:ResourceGroup': 'resourceGroupName',
  [T.vnet]: 'virtualNetworkName',
  [T.peering]: 'virtualNetworkPeeringName',
  [T.subnet]: 'subnetName',
  [T.natGateway]: 'natGatewayName',
  [T.publicIp]: 'publicIpAddressName',
  [T.privateEndpoint]: 'privateEndpointName',
  [T.zoneGroup]: 'privateDnsZoneGroupName',
  [T.privateZone]: 'privateZoneName',
  [T.zoneLink]: 'virtualNetworkLinkName',
  [T.cluster]: 'resourceName',
  [T.agentPool]: 'agentPoolName',
  [T.diskEncryptionSet]: 'diskEncryptionSetName',
  [T.vault]: 'vaultName',
  [T.key]: 'keyName',
  [T.identity]: 'resourceName',
  [T.federated]: 'federatedIdentityCredentialResourceName',
  [T.postgres]: 'serverName',
  [T.postgresConfiguration]: 'configurationName',
  [T.postgresDatabase]: 'databaseName',
  [T.redis]: 'clusterName',
  [T.redisDatabase]: 'databaseName',
  [T.storageAccount]: 'accountName',
  'azure-native:storage:BlobContainer': 'containerName',
  [T.blobService]: 'blobServicesName',
  [T.registry]: 'registryName',
  [T.openAi]: 'accountName',
  [T.deployment]: 'deploymentName',
};

/** A deterministic GUID for mock principal, client and object ids. */
export function mockGuid(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function cloud(settings: InstallSettings): { subscriptionId: string; tenantId: string; resourceGroup: string; location: string } {
  return settings.cloud?.type === 'azure'
    ? settings.cloud
    : { subscriptionId: '00000000-0000-0000-0000-000000000000', tenantId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg', location: 'eastus2' };
}

function armId(settings: InstallSettings, provider: string, path: string): string {
  const { subscriptionId, resourceGroup } = cloud(settings);
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${provider}/${path}`;
}

function kubeletIdentity(settings: InstallSettings, cluster: string) {
  return {
    clientId: mockGuid('kubelet-client', cluster),
    objectId: mockGuid('kubelet-object', cluster),
    resourceId: armId(settings, 'Microsoft.ManagedIdentity', `userAssignedIdentities/${cluster}-agentpool`),
  };
}

/** The application routing add-on's managed identity on a cluster. */
export function appRoutingIdentity(settings: InstallSettings, cluster: string) {
  return {
    clientId: mockGuid('approuting-client', cluster),
    objectId: mockGuid('approuting-object', cluster),
    resourceId: armId(settings, 'Microsoft.ManagedIdentity', `userAssignedIdentities/webapprouting-${cluster}`),
  };
}

type Outputs = Record<string, unknown>;
interface MockResource {
  /** The Pulumi resource name. */
  name: string;
  /** The name Azure knows it by (its NAME_INPUT, else the Pulumi name). */
  azureName: string;
  inputs: Record<string, any>;
  settings: InstallSettings;
}

/** Outputs beyond the Azure name, by resource type: a type not listed reports only its name. */
const COMPUTED: Readonly<Record<string, (resource: MockResource) => Outputs>> = {
  [T.cluster]: ({ name, azureName, inputs, settings }) => {
    const { location, tenantId } = cloud(settings);
    return {
      oidcIssuerProfile: { enabled: true, issuerURL: `https://${location}.oic.prod-aks.azure.com/${tenantId}/${mockGuid('issuer', name)}/` },
      identityProfile: { kubeletidentity: kubeletIdentity(settings, azureName) },
      privateFQDN: `${azureName}.privatelink.${location}.azmk8s.io`,
      // The application routing add-on's identity (the one granted the ingress host's private DNS zone).
      ingressProfile: { ...inputs.ingressProfile, webAppRouting: { ...inputs.ingressProfile?.webAppRouting, identity: appRoutingIdentity(settings, azureName) } },
    };
  },
  [T.identity]: ({ name, settings }) => ({ principalId: mockGuid('principal', name), clientId: mockGuid('client', name), tenantId: cloud(settings).tenantId }),
  [T.vault]: ({ azureName, inputs }) => ({ properties: { ...(inputs.properties ?? {}), vaultUri: `https://${azureName}.vault.azure.net/` } }),
  [T.key]: ({ name, azureName, inputs }) => {
    const keyUri = `https://${inputs.vaultName}.vault.azure.net/keys/${azureName}`;
    return { keyUri, keyUriWithVersion: `${keyUri}/${createHash('sha1').update(name).digest('hex').slice(0, 32)}` };
  },
  [T.openAi]: ({ azureName, inputs }) => ({
    properties: { ...(inputs.properties ?? {}), endpoint: `https://${inputs.properties?.customSubDomainName ?? azureName}.openai.azure.com/` },
  }),
  [T.postgres]: ({ azureName }) => ({ fullyQualifiedDomainName: `${azureName}.postgres.database.azure.com` }),
  [T.redis]: ({ azureName, settings }) => ({ hostName: `${azureName}.${cloud(settings).location}.redis.azure.net` }),
  [T.storageAccount]: ({ azureName }) => ({ primaryEndpoints: { blob: `https://${azureName}.blob.core.windows.net/` } }),
  [T.registry]: ({ azureName }) => ({ loginServer: `${azureName}.azurecr.io` }),
  [T.publicIp]: ({ name }) => ({ ipAddress: `203.0.113.${(parseInt(createHash('sha1').update(name).digest('hex').slice(0, 2), 16) % 254) + 1}` }),
};

export function computed(type: string, name: string, inputs: Record<string, any>, settings: InstallSettings): Outputs {
  const nameInput = NAME_INPUT[type];
  const azureName = String((nameInput ? inputs[nameInput] : undefined) ?? name);
  return { name: azureName, ...COMPUTED[type]?.({ name, azureName, inputs, settings }) };
}

/** Results of the data-source calls the stacks make, by token: any other call returns nothing. */
const INVOKES: Readonly<Record<string, (inputs: Record<string, any>, settings: InstallSettings) => Outputs>> = {
  'azure-native:containerservice:getManagedCluster': (inputs, settings) => {
    const { tenantId, location } = cloud(settings);
    const vnet = settings.cloud?.type === 'azure' ? settings.cloud.vnet : null;
    return {
      id: armId(settings, 'Microsoft.ContainerService', `managedClusters/${inputs.resourceName}`),
      name: inputs.resourceName,
      location,
      oidcIssuerProfile: { enabled: true, issuerURL: `https://${location}.oic.prod-aks.azure.com/${tenantId}/${mockGuid('issuer', String(inputs.resourceName))}/` },
      identityProfile: { kubeletidentity: kubeletIdentity(settings, String(inputs.resourceName)) },
      agentPoolProfiles: [
        {
          name: 'system',
          mode: 'System',
          vnetSubnetID: vnet?.mode === 'existing' ? vnet.nodeSubnetId : armId(settings, 'Microsoft.Network', 'virtualNetworks/existing/subnets/nodes'),
        },
      ],
    };
  },
  'azure-native:authorization:getClientConfig': (_inputs, settings) => {
    const { subscriptionId, tenantId } = cloud(settings);
    return { clientId: mockGuid('deployer-client'), objectId: mockGuid('deployer-object'), subscriptionId, tenantId };
  },
};

export function invoke(token: string, inputs: Record<string, any>, settings: InstallSettings): Outputs {
  return INVOKES[token]?.(inputs, settings) ?? {};
}
