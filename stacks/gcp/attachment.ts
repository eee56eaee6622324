import * as pulumi from '@pulumi/pulumi';
import * as compute from '@pulumi/gcp/compute/index.js';
import * as dns from '@pulumi/gcp/dns/index.js';
import type { GcpCloud } from '../settings.js';
import { requireValid } from '../settings.js';
import { gcpName } from './common.js';

export interface GcpHubAttachmentArgs {
  installName: string;
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  hub: NonNullable<GcpCloud['hub']>;
  networkId: pulumi.Input<string>;
  labels: Record<string, string>;
}

/** projects/P/global/networks/N, as the spec names the hub network. */
const HUB_NETWORK = /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/global\/networks\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The hub's DNS domain as a Cloud DNS zone name suffix (at most 63 characters with the install name). */
export function hubDnsZoneSuffix(domain: string): string {
  return `hub-${domain.replace(/\./g, '-')}`;
}

/**
 * A new VPC on its own is an island: nothing routes to the customer's SCM, datastores or
 * operators. This peers it with the customer's hub network (importing the hub's custom routes, so
 * what the hub reaches over HA VPN or Interconnect is reachable from the nodes) and resolves the
 * hub's private domains through Cloud DNS peering zones. The hub side creates the reverse peering
 * (with --export-custom-routes): GCP activates a peering only once both sides exist. Peering is
 * not transitive: the GKE control plane's own peering is not reachable from the hub, which is why
 * the runbook reaches the private API endpoint through a bastion (IAP) or Connect Gateway.
 */
export class GcpHubAttachment extends pulumi.ComponentResource {
  readonly peeringName: string;

  constructor(name: string, args: GcpHubAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:HubAttachment', name, {}, opts);
    requireValid('GcpHubAttachment', [!HUB_NETWORK.test(args.hub.network) && `hub network ${args.hub.network} is not projects/PROJECT/global/networks/NETWORK`]);
    const parent = { parent: this };
    const project = args.project;
    this.peeringName = gcpName(args.installName, 'to-hub', 63);
    new compute.NetworkPeering(
      `${name}-peering`,
      {
        name: this.peeringName,
        network: args.networkId,
        peerNetwork: args.hub.network,
        // The hub's routes to the SCM and the site (learned over VPN/Interconnect) apply to the nodes; ours stay local.
        importCustomRoutes: true,
        exportCustomRoutes: false,
      },
      parent,
    );
    for (const domain of args.hub.dnsDomains) {
      new dns.ManagedZone(
        `${name}-${hubDnsZoneSuffix(domain)}`,
        {
          project,
          name: gcpName(args.installName, hubDnsZoneSuffix(domain), 63),
          dnsName: `${domain}.`,
          description: `${domain}: resolved by the hub network`,
          visibility: 'private',
          privateVisibilityConfig: { networks: [{ networkUrl: args.networkId }] },
          peeringConfig: { targetNetwork: { networkUrl: args.hub.network } },
          labels: args.labels,
        },
        parent,
      );
    }
    this.registerOutputs({ peeringName: this.peeringName });
  }
}
