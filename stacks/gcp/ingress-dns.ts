import * as pulumi from '@pulumi/pulumi';
import * as compute from '@pulumi/gcp/compute/index.js';
import * as dns from '@pulumi/gcp/dns/index.js';
import type { GcpCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { gcpIngressDns } from '../decisions/ingress.js';
import { gcpName } from './common.js';

export interface GcpIngressDnsArgs {
  installName: string;
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  hostname: string;
  exposure: 'internal' | 'external';
  /** The customer's Cloud DNS managed zone (and its project when not the install's). */
  zone: { managedZone: string; project: string | null };
  /** The node subnetwork: an internal Application Load Balancer's address comes from it. */
  subnetworkId: pulumi.Input<string>;
  labels: Record<string, string>;
}

/** The GKE Ingress annotation that pins its load balancer to a reserved address, by exposure. */
export const GKE_STATIC_IP_ANNOTATION = { internal: 'kubernetes.io/ingress.regional-static-ip-name', external: 'kubernetes.io/ingress.global-static-ip-name' } as const;

/** The reserved address's name: the Ingress annotation names it, so it is fixed at render. */
export function ingressAddressName(installName: string): string {
  return gcpName(installName, 'ingress', 63);
}

/**
 * The hostname's A record, created before the Ingress exists: the load balancer's address is known
 * only once GKE provisions it, unless the stack reserves it and the chart's Ingress asks for it
 * (GKE_STATIC_IP_ANNOTATION). Internal: a regional internal address in the node subnetwork
 * (SHARED_LOADBALANCER_VIP, so the HTTP and HTTPS forwarding rules can share it); external: a
 * global external address. The record goes into the customer's private managed zone.
 */
export class GcpIngressDns extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  /** The Ingress annotations that make GKE use the reserved address. */
  readonly ingressAnnotations: Record<string, string>;

  constructor(name: string, args: GcpIngressDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:IngressDns', name, {}, opts);
    requireValid('GcpIngressDns', [!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(args.hostname) && `${args.hostname} is not a DNS host name`]);
    const parent = { parent: this };
    const addressName = ingressAddressName(args.installName);
    const reserved =
      args.exposure === 'internal'
        ? new compute.Address(
            `${name}-address`,
            {
              project: args.project,
              name: addressName,
              region: args.cloud.region,
              subnetwork: args.subnetworkId,
              addressType: 'INTERNAL',
              purpose: 'SHARED_LOADBALANCER_VIP',
              description: `installctl ${args.installName}: the internal Ingress ${args.hostname}`,
              labels: args.labels,
            },
            parent,
          )
        : new compute.GlobalAddress(
            `${name}-address`,
            { project: args.project, name: addressName, addressType: 'EXTERNAL', description: `installctl ${args.installName}: the Ingress ${args.hostname}`, labels: args.labels },
            parent,
          );
    this.address = reserved.address;
    this.ingressAnnotations = { [GKE_STATIC_IP_ANNOTATION[args.exposure]]: addressName };
    new dns.RecordSet(
      `${name}-record`,
      { project: args.zone.project ?? args.project, managedZone: args.zone.managedZone, name: `${args.hostname}.`, type: 'A', ttl: 300, rrdatas: [reserved.address] },
      parent,
    );
    this.registerOutputs({ address: this.address });
  }
}

/** Whether the stack creates the hostname's record (spec ingress.dns with a managed zone). */
export function ingressDnsZone(settings: Pick<InstallSettings, 'ingress'>): { managedZone: string; project: string | null } | null {
  return gcpIngressDns(settings);
}
