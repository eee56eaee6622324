import * as pulumi from '@pulumi/pulumi';
import * as route53 from '@pulumi/aws/route53/index.js';
import type { AwsCloud } from '../settings.js';
import { requireValid } from '../settings.js';

export interface AwsDnsArgs {
  cloud: AwsCloud;
  /** The private hosted zone of the ingress hostname (spec.ingress.dns), or null. */
  dns: { zoneId: string } | null;
  vpcId: pulumi.Input<string>;
}

/**
 * The ingress hostname's private hosted zone, associated with a new VPC so the name resolves inside
 * it. The record itself is not created here: the ALB exists only once the AWS Load Balancer Controller
 * reconciles the chart's Ingress, after `pulumi up`, so its DNS name is unknown now; the runbook
 * upserts the alias record after Helm (or external-dns does). An existing VPC is associated already
 * (or by its owner): associating it twice fails.
 */
export class AwsDns extends pulumi.ComponentResource {
  /** The zone that gets the hostname's record, or null. */
  readonly zoneId: pulumi.Output<string | null>;

  constructor(name: string, args: AwsDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Dns', name, {}, opts);
    requireValid('AwsDns', [args.dns !== null && !/^Z[0-9A-Z]{1,31}$/.test(args.dns.zoneId) && `${args.dns.zoneId} is not a Route 53 hosted zone id`]);
    if (args.dns && args.cloud.vpc.mode === 'new') {
      new route53.ZoneAssociation(`${name}-zone`, { zoneId: args.dns.zoneId, vpcId: args.vpcId, vpcRegion: args.cloud.region }, { parent: this });
    }
    this.zoneId = pulumi.output(args.dns?.zoneId ?? null);
    this.registerOutputs({ zoneId: this.zoneId });
  }
}
