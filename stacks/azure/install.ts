import * as pulumi from '@pulumi/pulumi';
import * as resources from '@pulumi/azure-native/resources/index.js';
import type { AzureCloud, InstallSettings, RegistrySettings } from '../settings.js';
import { cloudOf, requireValid } from '../settings.js';
import { resourceTags } from '../tags.js';
import { planEndpoints, publicApiSources } from '../decisions/endpoints.js';
import { azurePrivateServices } from './common.js';
import { AzureEncryption } from './encryption.js';
import { AzureNetwork } from './network.js';
import { AzureHubPeering } from './hub.js';
import { AzureCluster } from './cluster.js';
import { AzureData } from './data.js';
import { AzureRegistry } from './registry.js';
import { AzureIdentity } from './identity.js';
import { AzureModels } from './models.js';
import { infraValuesLayer, type InfraLayer } from '../helm-layer.js';
import { postgresTls } from '../decisions/datastores.js';

export interface AzureInstallArgs {
  settings: InstallSettings;
}

const vnetResourceGroup = (vnetId: string) => /\/resourceGroups\/([^/]+)\//i.exec(vnetId)?.[1] ?? null;

/**
 * Whether the stack creates the spec's resource group. It does unless something the spec adopts
 * already lives there (an existing cluster, which AKS looks up in that group, or an existing VNet).
 */
export function azureOwnsResourceGroup(cluster: InstallSettings['cluster'], cloud: Pick<AzureCloud, 'resourceGroup' | 'vnet'>): boolean {
  if (cluster.mode === 'existing') return false;
  return !(cloud.vnet.mode === 'existing' && vnetResourceGroup(cloud.vnet.vnetId)?.toLowerCase() === cloud.resourceGroup.toLowerCase());
}

/** The whole Azure install: the resource group and one component per concern, wired together. */
export class AzureInstall extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Input<unknown>>;
  /** The infrastructure values layer for the Helm charts (workload identity client ids, hosts, OpenAI endpoint). */
  readonly helmValues: InfraLayer;

  constructor(name: string, args: AzureInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Install', name, {}, opts);
    const { settings } = args;
    const cloud = cloudOf(settings, 'azure');
    requireValid('AzureInstall', [settings.registry !== null && settings.registry.kind !== 'acr' && `an Azure install mirrors into ACR, not ${settings.registry.kind}`]);
    const tags = resourceTags(settings);
    const endpoints = planEndpoints({ ...settings, newNetwork: cloud.vnet.mode === 'new' });
    const parent = { parent: this };

    const resourceGroupName = azureOwnsResourceGroup(settings.cluster, cloud)
      ? new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: cloud.resourceGroup, location: cloud.location, tags }, parent).name
      : pulumi.output(cloud.resourceGroup);
    const base: InstallBase = { installName: settings.name, cloud, resourceGroupName, tags };

    const network = new AzureNetwork(`${name}-network`, { ...base, network: settings.network, privateServices: azurePrivateServices(settings) }, parent);
    if (cloud.vnet.mode === 'new' && cloud.hub) new AzureHubPeering(`${name}-hub`, { ...base, hub: cloud.hub, vnetId: network.vnetId, vnetName: network.vnetName }, parent);
    const encryption = new AzureEncryption(`${name}-encryption`, { ...base, network: settings.network, endpoints: network.endpoints }, parent);
    const cluster = createCluster(this, name, settings, base, network, encryption);
    const data = new AzureData(
      `${name}-data`,
      { ...base, release: settings.release, sizing: settings.sizing, datastores: settings.datastores, encryption: { keyName: encryption.keyName, keyUri: encryption.keyUri, vaultUri: encryption.vaultUri, identityId: encryption.identityId }, endpoints: network.endpoints },
      parent,
    );
    const registry = settings.registry ? createRegistry(this, name, settings.registry, settings.network.mode, base, { network, encryption, cluster }) : null;
    const models =
      settings.models.hosting === 'cloud-managed'
        ? new AzureModels(`${name}-models`, { ...base, models: settings.models, endpoints, privateEndpoints: network.endpoints }, parent)
        : null;
    const identity = createIdentity(this, name, settings, base, { cluster, data, models });

    // The charts turn each client id into the azure.workload.identity/client-id annotation and pod label.
    this.helmValues = infraValuesLayer({
      postgresHost: data.postgresHost,
      postgresPort: data.postgresPort,
      postgresUser: identity.databaseUser,
      // Flexible server: verify-full against the public roots Azure chains to, shipped in the chart (files/postgres-ca/azure.pem).
      postgresTls: settings.datastores.postgres === 'managed' ? { sslMode: postgresTls('azure', 'managed').sslMode, serverCa: { bundle: 'azure' } } : null,
      redisHost: data.redisHost,
      redisPort: data.redisPort,
      serviceAccountAnnotations: {},
      clientIds: identity.clientIds,
      aiGatewayBaseUrl: models?.endpoint ?? null,
    });
    this.outputs = {
      clusterName: cluster.clusterName,
      resourceGroup: resourceGroupName,
      location: cloud.location,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      postgresHost: data.postgresHost,
      redisHost: data.redisHost,
      storageAccount: data.storageAccountName,
      objectsContainer: data.containerName,
      registryLoginServer: registry?.loginServer ?? null,
      workloadClientIds: identity.clientIds,
      openAiEndpoint: models?.endpoint ?? null,
    };
    this.registerOutputs(this.outputs);
  }
}

/** The arguments every Azure component shares. */
interface InstallBase {
  installName: string;
  cloud: AzureCloud;
  resourceGroupName: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** AKS in the network's node subnet, its API server reachable as publicApiSources decides. */
function createCluster(component: pulumi.Resource, name: string, settings: InstallSettings, base: InstallBase, network: AzureNetwork, encryption: AzureEncryption): AzureCluster {
  const sources = publicApiSources(settings.cluster, settings.network.mode, network.natPublicIp !== null);
  const authorizedIpRanges = sources.kind === 'cidrs' ? pulumi.output(sources.cidrs) : sources.kind === 'own-egress' ? network.natPublicIp!.apply((ip) => [`${ip}/32`]) : null;
  return new AzureCluster(
    `${name}-cluster`,
    {
      ...base,
      authorizedIpRanges,
      cluster: settings.cluster,
      network: settings.network,
      sizing: settings.sizing,
      gpuPool: settings.models.gpuPool,
      ingressExposure: settings.ingress?.exposure ?? 'internal',
      nodeSubnetId: network.nodeSubnetId,
      apiServerSubnetId: network.apiServerSubnetId,
      encryption: { vaultId: encryption.vaultId, vaultPrivate: encryption.vaultPrivate, keyUriWithVersion: encryption.keyUriWithVersion, identityId: encryption.identityId },
    },
    { parent: component },
  );
}

/** The ACR mirror, pulled by the cluster's kubelet identity. */
function createRegistry(
  component: pulumi.Resource,
  name: string,
  registry: RegistrySettings,
  networkMode: InstallSettings['network']['mode'],
  base: InstallBase,
  from: { network: AzureNetwork; encryption: AzureEncryption; cluster: AzureCluster },
): AzureRegistry {
  const { encryption } = from;
  return new AzureRegistry(
    `${name}-registry`,
    {
      ...base,
      registry,
      networkMode,
      kubeletObjectId: from.cluster.kubeletObjectId,
      encryption: { keyUri: encryption.keyUri, identityId: encryption.identityId, identityClientId: encryption.identityClientId },
      endpoints: from.network.endpoints,
    },
    { parent: component },
  );
}

/** The workload identities, federated with the cluster's OIDC issuer and granted the data services and models. */
function createIdentity(component: pulumi.Resource, name: string, settings: InstallSettings, base: InstallBase, from: { cluster: AzureCluster; data: AzureData; models: AzureModels | null }): AzureIdentity {
  const { data } = from;
  return new AzureIdentity(
    `${name}-identity`,
    {
      ...base,
      models: settings.models,
      workloads: settings.workloads,
      oidcIssuerUrl: from.cluster.oidcIssuerUrl,
      storageAccountId: data.storageAccountId,
      openAiAccountId: from.models?.accountId ?? null,
      postgresServerName: data.postgresServerName,
      postgresLastOperation: data.postgresLastOperation,
      redis: data.redis,
    },
    { parent: component },
  );
}
