import type { PlatformDescriptor } from '../types.js';

export const azure: PlatformDescriptor<'azure'> = {
  id: 'azure',
  label: 'Azure',
  cloudModelService: 'azure-openai',
  emit: {
    cloud: true,
    starterLines: (cluster, placeholders, _network, kubernetesVersion) => [
      'type: azure',
      'location: eastus2',
      `subscriptionId: ${placeholders.uuid}`,
      `tenantId: ${placeholders.uuid}`,
      'resourceGroup: rg-agents-prod',
      `kubernetesVersion: "${kubernetesVersion}"`,
      ...cluster,
      'vnet:',
      '  mode: new                   # or: mode: existing, vnetId, nodeSubnetId, endpointSubnetId',
      '  cidr: 10.40.0.0/16',
      "hub:                          # the site's hub VNet, peered both ways (required when air-gapped: nothing else reaches the VNet)",
      `  vnetId: /subscriptions/${placeholders.uuid}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub`,
      "  useRemoteGateways: false     # true: reach on-premises networks through the hub's VPN/ExpressRoute gateway",
    ],
    starterMirror: (placeholders) => `${placeholders.names.azureRegistry}.azurecr.io/installctl`,
    weightsObjectStore: 'azure-blob',
    gpuPresets: 'azure',
    // the AKS GPU pool has enableAutoScaling
    gpuPoolAutoscales: true,
    starterGpuPool: { product: 'a100-80gb', chatGpus: 1 },
    starterWeights: (model, placeholders) => `{ source: azure-blob, account: ${placeholders.names.storageAccount}, container: models, prefix: ${model}/ }`,
    defaultDatastores: 'managed',
    pulumiProvider: '@pulumi/azure-native',
    installClass: 'AzureInstall',
    cloudCli: { command: 'az', scope: { noun: 'subscription', value: (platform) => platform.subscriptionId } },
    cloudSettings: (platform) => ({
      type: 'azure',
      location: platform.location,
      subscriptionId: platform.subscriptionId,
      tenantId: platform.tenantId,
      resourceGroup: platform.resourceGroup,
      vnet:
        platform.vnet.mode === 'new'
          ? { mode: 'new', cidr: platform.vnet.cidr, zones: platform.vnet.zones ?? 3 }
          : { mode: 'existing', vnetId: platform.vnet.vnetId, nodeSubnetId: platform.vnet.nodeSubnetId, endpointSubnetId: platform.vnet.endpointSubnetId },
      // Only when the spec names them: the stack grants the deployer otherwise, and peers nothing.
      ...(platform.clusterAdmins ? { clusterAdmins: platform.clusterAdmins.map((admin) => ({ objectId: admin.objectId, type: admin.type })) } : {}),
      ...(platform.hub
        ? { hub: { vnetId: platform.hub.vnetId, useRemoteGateways: platform.hub.useRemoteGateways ?? false, privateDnsZoneIds: [...(platform.hub.privateDnsZoneIds ?? [])] } }
        : {}),
    }),
  },
  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: {
      stack: ['stacks/azure/'],
      cloud: [
        'cli/conformance/pulumi/clouds/azure.ts',
        'cli/conformance/pulumi/clouds/azure-mocks.ts',
        'cli/conformance/pulumi/clouds/azure-data.ts',
        'cli/conformance/pulumi/clouds/azure-cluster-policies.ts',
        'cli/conformance/pulumi/clouds/azure-reach-policies.ts',
      ],
    },
    chartPlatforms: ['azure'],
    managedKubernetes: true,
    metadataServerEgress: [],
    synthesisMs: { stack: 220, selfHostedExtra: 250 },
  },
};
