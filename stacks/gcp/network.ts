import * as pulumi from '@pulumi/pulumi';
import * as compute from '@pulumi/gcp/compute/index.js';
import * as dns from '@pulumi/gcp/dns/index.js';
import * as servicenetworking from '@pulumi/gcp/servicenetworking/index.js';
import type { GcpCloud, InstallSettings, NewNetwork } from '../settings.js';
import { requireValid } from '../settings.js';
import { CONTROL_PLANE_CIDR, networkBlockProblems, parseCidr, planSubnets, POD_CIDR, SERVICE_CIDR } from '../decisions/subnets.js';
import { GCP_PROXY_ONLY_SUBNET, gcpName, pscAddress, pscRuleName, RESTRICTED_GOOGLE_APIS_CIDR, type PrivateGoogleApis } from './common.js';

export interface GcpNetworkArgs {
  installName: string;
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  network: InstallSettings['network'];
  /** Private Service Connect for Google APIs (privateGoogleApis). */
  googleApis: PrivateGoogleApis;
  /**
   * Reserve the plan's services block and peer it with Google's service producers (Cloud SQL,
   * Memorystore). New networks only: an existing network must already have private services access.
   */
  privateServicesAccess: boolean;
  labels: Record<string, string>;
}

/** Secondary ranges of the node subnetwork that GKE uses for pods and services (IP aliases). */
export const GKE_POD_RANGE = 'pods';
export const GKE_SERVICE_RANGE = 'services';

/**
 * GCP subnetworks are regional: one node subnetwork (the plan's first private block) serves every
 * zone. The services block is peered for managed services; the reserved block holds the PSC address.
 * The second private block, which no zone needs here, is the proxy-only subnetwork (a /18 to /24,
 * above the /26 minimum): Envoy proxies of the internal Application Load Balancer.
 */
export function gcpSubnetPlan(cidr: string, zones: number): { nodes: string; services: string; reserved: string; proxyOnly: string } {
  const plan = planSubnets(cidr, zones, false);
  return { nodes: plan.private[0]!, services: plan.services, reserved: plan.reserved, proxyOnly: plan.private[1]! };
}

/** RFC 1918: the customer's own networks (the SCM server, external datastores) over VPN or Interconnect. */
export const PRIVATE_ADDRESS_SPACE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;

/**
 * Where air-gapped nodes may still send traffic: the VPC, the cluster's pod, service and control
 * plane ranges, and private address space. Nothing here is routable to the internet.
 */
export function airGappedInternalRanges(vpcCidr: string): string[] {
  return [...new Set([vpcCidr, POD_CIDR, SERVICE_CIDR, CONTROL_PLANE_CIDR, ...PRIVATE_ADDRESS_SPACE])];
}

/**
 * The VPC: a new network with one regional node subnetwork (Private Google Access on, secondary
 * ranges for pods and services), or the spec's existing network and subnetwork. Connected networks
 * get Cloud Router + Cloud NAT for controlled egress. Air-gapped networks get no NAT, no external
 * address and no default route: an egress-deny firewall with narrow allows (the VPC's and cluster's
 * ranges, private networks, the PSC endpoint and restricted.googleapis.com) and Private Service
 * Connect for Google APIs, resolved through private Cloud DNS zones. Managed services are reached by
 * private services access. A new network also gets the regional proxy-only subnetwork of internal
 * Application Load Balancers (an existing one must have it: the runbook checks).
 */
export class GcpNetwork extends pulumi.ComponentResource {
  /** projects/P/global/networks/N. */
  readonly networkId: pulumi.Output<string>;
  readonly subnetworkId: pulumi.Output<string>;
  /** The block admins and nodes reach the cluster API from: the VPC block, or the existing subnetwork's range. */
  readonly internalCidr: pulumi.Output<string>;
  /** Secondary range names for GKE, or null on an existing subnetwork (GKE then creates them from POD_CIDR/SERVICE_CIDR). */
  readonly podRangeName: string | null;
  readonly serviceRangeName: string | null;
  /** The network id, resolved once private services access is connected (Cloud SQL, Memorystore). */
  readonly servicesNetworkId: pulumi.Output<string>;
  /** The Private Service Connect endpoint's address for Google APIs, or null. */
  readonly pscAddress: string | null;

  constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Network', name, {}, opts);
    const vpcSpec = args.cloud.vpc;
    const airGapped = args.network.mode === 'air-gapped';
    requireValid('GcpNetwork', [
      ...(vpcSpec.mode === 'new' ? networkBlockProblems(vpcSpec.cidr, vpcSpec.zones) : []),
      airGapped && args.network.egressProxy !== null && 'an air-gapped network has no egress proxy',
      airGapped && vpcSpec.mode === 'new' && !args.googleApis.enabled && 'a new air-gapped network needs Private Service Connect for Google APIs',
    ]);

    const vpc = vpcSpec.mode === 'existing' ? findExistingNetwork(this, args, vpcSpec) : createNetwork(this, name, args, vpcSpec);
    this.networkId = vpc.networkId;
    this.subnetworkId = vpc.subnetworkId;
    this.internalCidr = vpc.internalCidr;
    this.podRangeName = vpc.podRangeName;
    this.serviceRangeName = vpc.serviceRangeName;
    this.servicesNetworkId = vpc.servicesNetworkId;
    this.pscAddress = args.googleApis.enabled ? createGoogleApisEndpoint(this, name, args, this.networkId) : null;
    this.registerOutputs({ networkId: this.networkId, subnetworkId: this.subnetworkId });
  }
}

/** The network as the rest of the component sees it, new or existing. */
interface GcpVpc {
  networkId: pulumi.Output<string>;
  subnetworkId: pulumi.Output<string>;
  internalCidr: pulumi.Output<string>;
  podRangeName: string | null;
  serviceRangeName: string | null;
  servicesNetworkId: pulumi.Output<string>;
}

type ExistingVpc = Extract<GcpCloud['vpc'], { mode: 'existing' }>;

function findExistingNetwork(component: pulumi.Resource, args: GcpNetworkArgs, vpcSpec: ExistingVpc): GcpVpc {
  const networkId = pulumi.output(`projects/${args.cloud.projectId}/global/networks/${vpcSpec.network}`);
  return {
    networkId,
    subnetworkId: pulumi.output(`projects/${args.cloud.projectId}/regions/${args.cloud.region}/subnetworks/${vpcSpec.subnetwork}`),
    internalCidr: compute.getSubnetworkOutput({ project: args.project, region: args.cloud.region, name: vpcSpec.subnetwork }, { parent: component }).ipCidrRange,
    podRangeName: null,
    serviceRangeName: null,
    servicesNetworkId: networkId,
  };
}

/** A new VPC: the node and proxy-only subnetworks, egress (Cloud NAT, or the air-gapped firewall), private services access. */
function createNetwork(component: pulumi.Resource, name: string, args: GcpNetworkArgs, vpcSpec: NewNetwork): GcpVpc {
  const parent = { parent: component };
  const named = (suffix: string) => gcpName(args.installName, suffix, 63);
  const project = args.project;
  const airGapped = args.network.mode === 'air-gapped';
  const plan = gcpSubnetPlan(vpcSpec.cidr, vpcSpec.zones);
  // Air-gapped: drop the default internet route too; only createAirGappedEgress's restricted VIP route is added.
  const vpc = new compute.Network(
    `${name}-vpc`,
    { project, name: named('vpc'), autoCreateSubnetworks: false, routingMode: 'REGIONAL', deleteDefaultRoutesOnCreate: airGapped, description: `installctl ${args.installName}` },
    parent,
  );
  const subnet = new compute.Subnetwork(
    `${name}-nodes`,
    {
      project,
      name: named('nodes'),
      network: vpc.id,
      region: args.cloud.region,
      ipCidrRange: plan.nodes,
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: GKE_POD_RANGE, ipCidrRange: POD_CIDR },
        { rangeName: GKE_SERVICE_RANGE, ipCidrRange: SERVICE_CIDR },
      ],
    },
    parent,
  );
  // GKE's gce-internal Ingress provisions its load balancer only when the region has an active
  // proxy-only subnetwork; GKE creates the firewall rule that admits the proxies to the pods.
  new compute.Subnetwork(
    `${name}-proxy-only`,
    { project, name: named('proxy-only'), network: vpc.id, region: args.cloud.region, ipCidrRange: plan.proxyOnly, ...GCP_PROXY_ONLY_SUBNET },
    parent,
  );
  if (!airGapped) createCloudNat(component, name, args, vpc);
  else createAirGappedEgress(component, name, args, vpcSpec, vpc);
  return {
    networkId: vpc.id,
    subnetworkId: subnet.id,
    internalCidr: pulumi.output(vpcSpec.cidr),
    podRangeName: GKE_POD_RANGE,
    serviceRangeName: GKE_SERVICE_RANGE,
    servicesNetworkId: args.privateServicesAccess ? connectPrivateServices(component, name, args, plan.services, vpc) : vpc.id,
  };
}

/** Connected: Cloud Router + Cloud NAT, the network's only way out. */
function createCloudNat(component: pulumi.Resource, name: string, args: GcpNetworkArgs, vpc: compute.Network): void {
  const parent = { parent: component };
  const named = (suffix: string) => gcpName(args.installName, suffix, 63);
  const project = args.project;
  const router = new compute.Router(`${name}-router`, { project, name: named('router'), network: vpc.id, region: args.cloud.region }, parent);
  new compute.RouterNat(
    `${name}-nat`,
    {
      project,
      name: named('nat'),
      router: router.name,
      region: args.cloud.region,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    },
    parent,
  );
}

/** Air-gapped: deny all egress but internal ranges and Google APIs, and route only restricted.googleapis.com. */
function createAirGappedEgress(component: pulumi.Resource, name: string, args: GcpNetworkArgs, vpcSpec: NewNetwork, vpc: compute.Network): void {
  const parent = { parent: component };
  const named = (suffix: string) => gcpName(args.installName, suffix, 63);
  const project = args.project;
  const egress = (suffix: string, priority: number, rule: Pick<compute.FirewallArgs, 'allows' | 'denies' | 'destinationRanges' | 'description'>) =>
    new compute.Firewall(`${name}-${suffix}`, { project, name: named(suffix), network: vpc.id, direction: 'EGRESS', priority, logConfig: { metadata: 'INCLUDE_ALL_METADATA' }, ...rule }, parent);
  egress('deny-egress', 65534, { description: 'air-gapped: no egress but the allows below', denies: [{ protocol: 'all' }], destinationRanges: ['0.0.0.0/0'] });
  egress('allow-internal', 1000, { description: 'the VPC, pods, services, the GKE control plane and private networks', allows: [{ protocol: 'all' }], destinationRanges: airGappedInternalRanges(vpcSpec.cidr) });
  egress('allow-google-apis', 1000, {
    description: 'HTTPS to Google APIs through Private Service Connect and restricted.googleapis.com',
    allows: [{ protocol: 'tcp', ports: ['443'] }],
    destinationRanges: [`${pscAddress(vpcSpec)}/32`, RESTRICTED_GOOGLE_APIS_CIDR],
  });
  new compute.Route(
    `${name}-restricted-apis`,
    { project, name: named('restricted-apis'), network: vpc.id, destRange: RESTRICTED_GOOGLE_APIS_CIDR, nextHopGateway: 'default-internet-gateway', description: 'restricted.googleapis.com only' },
    parent,
  );
}

/** Private services access: the plan's services block, peered with Google's service producers. Returns the network id once peered. */
function connectPrivateServices(component: pulumi.Resource, name: string, args: GcpNetworkArgs, servicesBlock: string, vpc: compute.Network): pulumi.Output<string> {
  const parent = { parent: component };
  const project = args.project;
  const services = parseCidr(servicesBlock);
  const range = new compute.GlobalAddress(
    `${name}-services`,
    { project, name: gcpName(args.installName, 'services', 63), network: vpc.id, purpose: 'VPC_PEERING', addressType: 'INTERNAL', address: servicesBlock.split('/')[0]!, prefixLength: services.prefix, labels: args.labels },
    parent,
  );
  const peering = new servicenetworking.Connection(`${name}-services`, { network: vpc.id, service: 'servicenetworking.googleapis.com', reservedPeeringRanges: [range.name] }, parent);
  return pulumi.all([vpc.id, peering.id]).apply(([id]) => id);
}

/**
 * Private Service Connect for Google APIs: the endpoint's address and forwarding rule, and a private
 * Cloud DNS zone per API domain that resolves to it. Returns the endpoint's address.
 */
function createGoogleApisEndpoint(component: pulumi.Resource, name: string, args: GcpNetworkArgs, networkId: pulumi.Output<string>): string {
  const parent = { parent: component };
  const named = (suffix: string) => gcpName(args.installName, suffix, 63);
  const project = args.project;
  const endpoint = pscAddress(args.cloud.vpc);
  const address = new compute.GlobalAddress(
    `${name}-psc`,
    { project, name: named('google-apis'), network: networkId, purpose: 'PRIVATE_SERVICE_CONNECT', addressType: 'INTERNAL', address: endpoint, labels: args.labels },
    parent,
  );
  new compute.GlobalForwardingRule(
    `${name}-psc`,
    { project, name: pscRuleName(args.installName), network: networkId, ipAddress: address.id, target: args.googleApis.bundle, loadBalancingScheme: '', noAutomateDnsZone: true, labels: args.labels },
    parent,
  );
  for (const domain of args.googleApis.domains) {
    const slug = domain.replace(/\./g, '-');
    const zone = new dns.ManagedZone(
      `${name}-${slug}`,
      {
        project,
        name: named(slug),
        dnsName: `${domain}.`,
        description: `${domain} through Private Service Connect`,
        visibility: 'private',
        privateVisibilityConfig: { networks: [{ networkUrl: networkId }] },
        labels: args.labels,
      },
      parent,
    );
    new dns.RecordSet(`${name}-${slug}-a`, { project, managedZone: zone.name, name: `${domain}.`, type: 'A', ttl: 300, rrdatas: [endpoint] }, parent);
    new dns.RecordSet(`${name}-${slug}-wildcard`, { project, managedZone: zone.name, name: `*.${domain}.`, type: 'CNAME', ttl: 300, rrdatas: [`${domain}.`] }, parent);
  }
  return endpoint;
}
