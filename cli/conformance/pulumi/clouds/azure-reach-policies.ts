/**
 * Azure reachability and ordering (issue 13): an air-gapped new VNet is attached to the site's hub,
 * the ingress host gets its record in the customer's private DNS zone, and the operations on one
 * PostgreSQL flexible server run one after another (it answers "ServerBusy" to a second one).
 */
import { AZURE_ROLES } from '../../../../stacks/azure/common.js';
import { T, appRoutingIdentity } from './azure-mocks.js';
import { idOf, roleGuid, violation } from './azure-data.js';
import { resourceId, type PolicyContext, type SynthesizedResource, type Violation } from '../types.js';

const azureCloud = (settings: PolicyContext['settings']) => (settings.cloud?.type === 'azure' ? settings.cloud : null);

/**
 * An air-gapped new VNet (or any new VNet whose spec names a hub) is peered both ways with the hub,
 * and linked to each of the hub's private DNS zones the spec lists.
 */
export function networkReachable({ settings, ofType }: PolicyContext): Violation[] {
  const cloud = azureCloud(settings);
  if (!cloud || cloud.vnet.mode !== 'new') return [];
  const needed = settings.network.mode === 'air-gapped' || Boolean(cloud.hub);
  if (!needed) return [];
  const out: Violation[] = [];
  const peerings = ofType(T.peering);
  for (const vnet of ofType(T.vnet)) {
    const outbound = peerings.filter((peering) => peering.inputs.virtualNetworkName === vnet.inputs.virtualNetworkName && peering.inputs.remoteVirtualNetwork?.id);
    const inbound = peerings.filter((peering) => peering.inputs.remoteVirtualNetwork?.id === idOf(vnet));
    if (outbound.length === 0 || inbound.length === 0)
      out.push(violation('network-reachable', vnet, `the ${settings.network.mode} VNet is an island: no peering ${outbound.length === 0 ? 'from it to' : 'back from'} the hub`));
    for (const zoneId of cloud.hub?.privateDnsZoneIds ?? []) {
      const zone = zoneId.split('/').pop();
      const linked = ofType(T.zoneLink).some((link) => link.inputs.privateZoneName === zone && link.inputs.virtualNetwork?.id === idOf(vnet));
      if (!linked) out.push(violation('network-reachable', vnet, `the hub's private DNS zone ${zone} is not linked to the VNet`));
    }
  }
  return out;
}

/**
 * The spec's private DNS zone for the ingress host: the application routing add-on manages it
 * (dnsZoneResourceIds) and its identity may write records there (Private DNS Zone Contributor).
 */
export function ingressDns({ settings, ofType }: PolicyContext): Violation[] {
  const zoneId = azureCloud(settings)?.ingressPrivateZoneId;
  if (!zoneId) return [];
  const out: Violation[] = [];
  for (const cluster of ofType(T.cluster)) {
    const zones = (cluster.inputs.ingressProfile?.webAppRouting?.dnsZoneResourceIds ?? []) as string[];
    if (!zones.includes(zoneId)) out.push(violation('ingress-dns', cluster, `the application routing add-on does not manage ${zoneId}: no record for the ingress host`));
    const addOn = appRoutingIdentity(settings, String(cluster.inputs.resourceName)).objectId;
    const granted = ofType(T.roleAssignment).some(
      (assignment) => roleGuid(assignment) === AZURE_ROLES.privateDnsZoneContributor && assignment.inputs.scope === zoneId && assignment.inputs.principalId === addOn,
    );
    if (!granted) out.push(violation('ingress-dns', cluster, 'the application routing identity may not write records into the ingress zone (Private DNS Zone Contributor)'));
  }
  return out;
}

/** Types of the operations on a flexible server that Azure runs one at a time. */
const SERVER_OPERATIONS = [
  T.postgresConfiguration,
  T.postgresDatabase,
  T.postgresAdministrator,
  'azure-native:dbforpostgresql:FirewallRule',
  'azure-native:dbforpostgresql:VirtualEndpoint',
];

/** Everything a resource waits for, directly or through others (its dependsOn closure). */
function waitsFor(resources: SynthesizedResource[]): (from: string) => Set<string> {
  const direct = new Map(resources.map((resource) => [resourceId(resource), resource.options?.dependsOn ?? []]));
  const memo = new Map<string, Set<string>>();
  const visit = (from: string): Set<string> => {
    const known = memo.get(from);
    if (known) return known;
    const seen = new Set<string>();
    memo.set(from, seen);
    for (const next of direct.get(from) ?? []) {
      seen.add(next);
      for (const further of visit(next)) seen.add(further);
    }
    return seen;
  };
  return visit;
}

/** The operations on each flexible server (children by server name, private endpoints by target) form one chain. */
export function serializedServerOps({ resources, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const closure = waitsFor(resources);
  for (const server of ofType(T.postgres)) {
    const operations = [
      ...SERVER_OPERATIONS.flatMap((type) => ofType(type)).filter((child) => child.inputs.serverName === server.inputs.serverName),
      ...ofType(T.privateEndpoint).filter((endpoint) => endpoint.inputs.privateLinkServiceConnections?.[0]?.privateLinkServiceId === idOf(server)),
    ];
    const ids = operations.map(resourceId);
    for (let first = 0; first < ids.length; first++) {
      for (let second = first + 1; second < ids.length; second++) {
        const [a, b] = [ids[first]!, ids[second]!];
        if (!closure(a).has(b) && !closure(b).has(a)) {
          out.push(violation('serialized-server-ops', server, `${a} and ${b} run concurrently on one flexible server ("ServerBusy"): chain them with dependsOn`));
        }
      }
    }
  }
  return out;
}
