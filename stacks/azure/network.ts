import * as pulumi from '@pulumi/pulumi';
import * as network from '@pulumi/azure-native/network/index.js';
import * as privatedns from '@pulumi/azure-native/privatedns/index.js';
import type { AzureCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { formatCidr, networkBlockProblems, parseCidr, planSubnets, subBlock } from '../decisions/subnets.js';
import { PRIVATE_LINK, type PrivateService } from './common.js';

export interface AzureNetworkArgs {
  installName: string;
  cloud: AzureCloud;
  network: InstallSettings['network'];
  resourceGroupName: pulumi.Input<string>;
  /** The services reached through private endpoints (azurePrivateServices): one private DNS zone each. */
  privateServices: PrivateService[];
  tags: Record<string, string>;
}

export interface AzureSubnetPlan {
  /** AKS nodes (pods use the overlay ranges, outside the VNet). */
  nodes: string;
  /** Private endpoints of the data services, registry, Key Vault and model service. */
  endpoints: string;
  /** The AKS API server's /28, delegated to AKS (API Server VNet Integration). */
  apiServer: string;
}

/** Subnets of a new VNet: the first two private quarters, and a /28 of the reserved block for the API server. */
export function azureSubnetPlan(cidr: string, zones: number): AzureSubnetPlan {
  const plan = planSubnets(cidr, zones, false);
  return { nodes: plan.private[0]!, endpoints: plan.private[1]!, apiServer: formatCidr(subBlock(parseCidr(plan.reserved), 28, 0)) };
}

const ARM_VNET = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i;

/** Where private endpoints go and the DNS zones that resolve them; built by AzureNetwork, used by every component. */
export interface PrivateEndpointContext {
  installName: string;
  location: string;
  resourceGroupName: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  zoneIds: Partial<Record<PrivateService, pulumi.Output<string>>>;
  tags: Record<string, string>;
}

/** Missing private DNS zones for the given services (for the callers' requireValid). */
export function missingZones(context: PrivateEndpointContext, services: PrivateService[]): string[] {
  return services.filter((service) => !context.zoneIds[service]).map((service) => `no private DNS zone for ${service} (${PRIVATE_LINK[service].zone})`);
}

/**
 * A private endpoint to `targetId` in the endpoint subnet, registered in the service's private DNS
 * zone. Created as a child of `parent`, the component that owns the target, after `after` (other
 * operations on a target that takes one at a time).
 */
export function privateEndpoint(
  parent: pulumi.Resource,
  name: string,
  context: PrivateEndpointContext,
  service: PrivateService,
  targetId: pulumi.Input<string>,
  after: pulumi.Resource[] = [],
): network.PrivateEndpoint {
  const zoneId = context.zoneIds[service];
  if (!zoneId) throw new Error(`no private DNS zone for ${service}`);
  const { groupId } = PRIVATE_LINK[service];
  const endpointName = `${context.installName}-${service}-pe`;
  const endpoint = new network.PrivateEndpoint(
    `${name}-pe`,
    {
      privateEndpointName: endpointName,
      resourceGroupName: context.resourceGroupName,
      location: context.location,
      subnet: { id: context.subnetId },
      customNetworkInterfaceName: `${endpointName}-nic`,
      privateLinkServiceConnections: [{ name: endpointName, privateLinkServiceId: targetId, groupIds: [groupId] }],
      tags: context.tags,
    },
    { parent, dependsOn: after },
  );
  new network.PrivateDnsZoneGroup(
    `${name}-pe`,
    { privateEndpointName: endpoint.name, privateDnsZoneGroupName: 'default', resourceGroupName: context.resourceGroupName, privateDnsZoneConfigs: [{ name: service, privateDnsZoneId: zoneId }] },
    { parent },
  );
  return endpoint;
}

/**
 * The VNet: a nodes subnet, a private-endpoint subnet and a delegated API server subnet (new), or the
 * spec's existing VNet and subnets. Connected new VNets get a NAT gateway with one Standard public IP
 * for controlled egress; air-gapped VNets get no public IP and no NAT, and their subnets have no
 * default outbound access. One private DNS zone, linked to the VNet, per private endpoint service.
 */
export class AzureNetwork extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly vnetName: pulumi.Output<string>;
  readonly nodeSubnetId: pulumi.Output<string>;
  readonly endpointSubnetId: pulumi.Output<string>;
  /** Null on an existing VNet (no delegated subnet to integrate the API server with). */
  readonly apiServerSubnetId: pulumi.Output<string> | null;
  readonly endpoints: PrivateEndpointContext;
  /** The NAT gateway's public address (connected new VNet), else null: the install's own egress. */
  readonly natPublicIp: pulumi.Output<string> | null = null;

  constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Network', name, {}, opts);
    const vnetSpec = args.cloud.vnet;
    requireValid('AzureNetwork', [
      ...(vnetSpec.mode === 'new' ? networkBlockProblems(vnetSpec.cidr, vnetSpec.zones) : []),
      vnetSpec.mode === 'existing' && !ARM_VNET.test(vnetSpec.vnetId) && `vnetId ${vnetSpec.vnetId} is not a VNet resource id`,
      ...(vnetSpec.mode === 'existing'
        ? [vnetSpec.nodeSubnetId, vnetSpec.endpointSubnetId].map((id) => !id.toLowerCase().startsWith(`${vnetSpec.vnetId.toLowerCase()}/subnets/`) && `subnet ${id} is not in ${vnetSpec.vnetId}`)
        : []),
      args.network.mode === 'air-gapped' && args.network.egressProxy !== null && 'an air-gapped network has no egress proxy',
      new Set(args.privateServices).size !== args.privateServices.length && 'privateServices lists a service twice',
    ]);
    const parent = { parent: this };
    const common = { resourceGroupName: args.resourceGroupName, location: args.cloud.location, tags: args.tags };

    if (vnetSpec.mode === 'existing') {
      this.vnetId = pulumi.output(vnetSpec.vnetId);
      this.vnetName = pulumi.output(vnetSpec.vnetId.split('/').pop()!);
      this.nodeSubnetId = pulumi.output(vnetSpec.nodeSubnetId);
      this.endpointSubnetId = pulumi.output(vnetSpec.endpointSubnetId);
      this.apiServerSubnetId = null;
    } else {
      const plan = azureSubnetPlan(vnetSpec.cidr, vnetSpec.zones);
      const vnet = new network.VirtualNetwork(`${name}-vnet`, { ...common, virtualNetworkName: `${args.installName}-vnet`, addressSpace: { addressPrefixes: [vnetSpec.cidr] } }, parent);
      let natGateway: network.NatGateway | undefined;
      if (args.network.mode === 'connected') {
        const ip = new network.PublicIPAddress(
          `${name}-nat`,
          { ...common, publicIpAddressName: `${args.installName}-nat-ip`, sku: { name: 'Standard', tier: 'Regional' }, publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4' },
          parent,
        );
        this.natPublicIp = ip.ipAddress.apply((address) => address ?? '');
        natGateway = new network.NatGateway(`${name}-nat`, { ...common, natGatewayName: `${args.installName}-nat`, sku: { name: 'Standard' }, idleTimeoutInMinutes: 10, publicIpAddresses: [{ id: ip.id }] }, parent);
      }
      const subnetArgs = { resourceGroupName: args.resourceGroupName, virtualNetworkName: vnet.name, defaultOutboundAccess: false };
      const nodes = new network.Subnet(`${name}-nodes`, { ...subnetArgs, subnetName: 'nodes', addressPrefix: plan.nodes, ...(natGateway ? { natGateway: { id: natGateway.id } } : {}) }, parent);
      // Azure rejects concurrent changes to one VNet's subnets: create them one after another.
      const endpoints = new network.Subnet(`${name}-endpoints`, { ...subnetArgs, subnetName: 'private-endpoints', addressPrefix: plan.endpoints, privateEndpointNetworkPolicies: 'Enabled' }, { parent: this, dependsOn: [nodes] });
      const apiServer = new network.Subnet(
        `${name}-apiserver`,
        { ...subnetArgs, subnetName: 'aks-apiserver', addressPrefix: plan.apiServer, delegations: [{ name: 'aks-apiserver', serviceName: 'Microsoft.ContainerService/managedClusters' }] },
        { parent: this, dependsOn: [endpoints] },
      );
      this.vnetId = vnet.id;
      this.vnetName = vnet.name;
      this.nodeSubnetId = nodes.id;
      this.endpointSubnetId = endpoints.id;
      this.apiServerSubnetId = apiServer.id;
    }

    const zoneIds: Partial<Record<PrivateService, pulumi.Output<string>>> = {};
    for (const service of args.privateServices) {
      const zone = new privatedns.PrivateZone(`${name}-zone-${service}`, { resourceGroupName: args.resourceGroupName, privateZoneName: PRIVATE_LINK[service].zone, location: 'global', tags: args.tags }, parent);
      const link = new privatedns.VirtualNetworkLink(
        `${name}-zone-${service}`,
        { resourceGroupName: args.resourceGroupName, privateZoneName: zone.name, virtualNetworkLinkName: `${args.installName}-vnet`, location: 'global', virtualNetwork: { id: this.vnetId }, registrationEnabled: false, tags: args.tags },
        parent,
      );
      // Endpoints registered in the zone resolve only once the zone is linked to the VNet.
      zoneIds[service] = pulumi.all([zone.id, link.id]).apply(([id]) => id);
    }
    this.endpoints = { installName: args.installName, location: args.cloud.location, resourceGroupName: args.resourceGroupName, subnetId: this.endpointSubnetId, zoneIds, tags: args.tags };
    this.registerOutputs({ vnetId: this.vnetId, nodeSubnetId: this.nodeSubnetId, endpointSubnetId: this.endpointSubnetId });
  }
}
