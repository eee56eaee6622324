/**
 * The new VNet's attachment to the site's hub: without it an air-gapped VNet is an island (the SCM,
 * the operators and the mirror's pushes all live behind the hub). Peering both ways, as the hub and
 * spoke of aks-baseline do, and the hub's private DNS zones linked to the new VNet so its names
 * (the SCM's, the site's) resolve from the cluster.
 */
import * as pulumi from '@pulumi/pulumi';
import * as network from '@pulumi/azure-native/network/index.js';
import * as privatedns from '@pulumi/azure-native/privatedns/index.js';
import { Provider } from '@pulumi/azure-native/provider.js';
import type { AzureCloud, AzureHub } from '../settings.js';
import { requireValid } from '../settings.js';
import { armIdParts } from './common.js';

export interface AzureHubPeeringArgs {
  installName: string;
  cloud: AzureCloud;
  hub: AzureHub;
  resourceGroupName: pulumi.Input<string>;
  /** The new VNet: its resource id and name. */
  vnetId: pulumi.Input<string>;
  vnetName: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** The two peerings' settings: forwarded traffic both ways (the hub's firewall), gateway transit when the spoke uses the hub's gateway. */
export function hubPeeringFlags(hub: Pick<AzureHub, 'useRemoteGateways'>): {
  spoke: { allowVirtualNetworkAccess: true; allowForwardedTraffic: true; useRemoteGateways: boolean };
  hub: { allowVirtualNetworkAccess: true; allowForwardedTraffic: true; allowGatewayTransit: boolean };
} {
  return {
    spoke: { allowVirtualNetworkAccess: true, allowForwardedTraffic: true, useRemoteGateways: hub.useRemoteGateways },
    hub: { allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: hub.useRemoteGateways },
  };
}

export class AzureHubPeering extends pulumi.ComponentResource {
  constructor(name: string, args: AzureHubPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:HubPeering', name, {}, opts);
    const { hub, cloud } = args;
    const hubVnet = armIdParts(hub.vnetId);
    const zones = hub.privateDnsZoneIds.map((id) => ({ id, parts: armIdParts(id) }));
    requireValid('AzureHubPeering', [
      (!hubVnet || !/\/providers\/Microsoft\.Network\/virtualNetworks\//i.test(hub.vnetId)) && `hub vnetId ${hub.vnetId} is not a VNet resource id`,
      cloud.vnet.mode !== 'new' && 'only a new VNet is peered with the hub (an existing VNet keeps its own connectivity)',
      ...zones.map(({ id, parts }) => (!parts || !/\/providers\/Microsoft\.Network\/privateDnsZones\//i.test(id)) && `${id} is not a private DNS zone resource id`),
    ]);
    // Resources in another subscription (the hub's) need a provider for that subscription.
    const providers = new Map<string, Provider>();
    const inSubscription = (subscriptionId: string): pulumi.CustomResourceOptions => {
      if (subscriptionId.toLowerCase() === cloud.subscriptionId.toLowerCase()) return { parent: this };
      let provider = providers.get(subscriptionId.toLowerCase());
      if (!provider) {
        provider = new Provider(`${name}-${subscriptionId}`, { subscriptionId }, { parent: this });
        providers.set(subscriptionId.toLowerCase(), provider);
      }
      return { parent: this, provider };
    };
    const flags = hubPeeringFlags(hub);
    // The hub's side first: the spoke may use its gateway only once the hub offers transit.
    const hubSide = new network.VirtualNetworkPeering(
      `${name}-hub-to-spoke`,
      { resourceGroupName: hubVnet!.resourceGroup, virtualNetworkName: hubVnet!.name, virtualNetworkPeeringName: `${args.installName}-vnet`, remoteVirtualNetwork: { id: args.vnetId }, ...flags.hub },
      inSubscription(hubVnet!.subscriptionId),
    );
    new network.VirtualNetworkPeering(
      `${name}-spoke-to-hub`,
      { resourceGroupName: args.resourceGroupName, virtualNetworkName: args.vnetName, virtualNetworkPeeringName: `to-${hubVnet!.name}`, remoteVirtualNetwork: { id: hub.vnetId }, ...flags.spoke },
      { parent: this, dependsOn: [hubSide] },
    );
    for (const { parts } of zones) {
      new privatedns.VirtualNetworkLink(
        `${name}-zone-${parts!.name}`,
        {
          resourceGroupName: parts!.resourceGroup,
          privateZoneName: parts!.name,
          virtualNetworkLinkName: `${args.installName}-vnet`,
          location: 'global',
          virtualNetwork: { id: args.vnetId },
          registrationEnabled: false,
          tags: args.tags,
        },
        inSubscription(parts!.subscriptionId),
      );
    }
    this.registerOutputs({});
  }
}
