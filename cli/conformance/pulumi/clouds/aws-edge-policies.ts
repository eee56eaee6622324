/**
 * AWS policies on version pins and on reaching the site's network (issue 13, points 6 and 14):
 * a managed database or cache that upgrades itself pins no finer version than it keeps, and a new
 * air-gapped VPC routes every network its pods must reach through an attachment, with the Session
 * Manager endpoints operators reach the private API server through.
 */
import { AWS_OPERATOR_INTERFACE_SERVICES } from '../../../../stacks/decisions/attachments.js';
import { unroutedCidrs } from '../../../lib/cidr.js';
import { resourceId, type PolicyContext, type SynthesizedResource, type Violation } from '../types.js';
import { isMajorOnly, pinsNoFinerThan } from '../version-pins.js';

const violation = (policy: string, resource: SynthesizedResource | null, message: string): Violation => ({ policy, resource: resource ? resourceId(resource) : null, message });

/** RDS and Aurora default autoMinorVersionUpgrade to true, ElastiCache (Redis 6+) too: only an explicit false turns it off. */
const upgradesItself = (resource: SynthesizedResource) => resource.inputs.autoMinorVersionUpgrade !== false;

/**
 * version-pin-major: RDS upgrades minors itself, so its engineVersion is the major only; ElastiCache
 * upgrades patches and requires major.minor for Redis 7+, so no patch is pinned.
 */
export function awsVersionPins({ ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const db of [...ofType('aws:rds/instance:Instance'), ...ofType('aws:rds/cluster:Cluster')].filter(upgradesItself)) {
    if (!isMajorOnly(db.inputs.engineVersion))
      out.push(
        violation(
          'version-pin-major',
          db,
          `engineVersion ${JSON.stringify(db.inputs.engineVersion)} pins a minor version while RDS upgrades minors: the next pulumi up tries to downgrade`,
        ),
      );
  }
  for (const cache of ofType('aws:elasticache/replicationGroup:ReplicationGroup').filter(upgradesItself)) {
    if (!pinsNoFinerThan(cache.inputs.engineVersion, 2))
      out.push(violation('version-pin-major', cache, `engineVersion ${JSON.stringify(cache.inputs.engineVersion)} pins a patch version while ElastiCache upgrades patches`));
  }
  return out;
}

/**
 * network-reachable: in a new air-gapped VPC, every private route table sends each allowedEgressCidrs
 * network outside the VPC through an attachment that exists, and the Session Manager endpoints exist.
 */
export function awsNetworkReachable({ settings, ofType }: PolicyContext): Violation[] {
  const cloud = settings.cloud;
  if (cloud?.type !== 'aws' || cloud.vpc.mode !== 'new' || settings.network.mode !== 'air-gapped') return [];
  const out: Violation[] = [];
  const attached = new Set(ofType('aws:ec2transitgateway/vpcAttachment:VpcAttachment').map((attachment) => attachment.inputs.transitGatewayId as string));
  const targets = settings.network.allowedEgressCidrs ?? [];
  for (const table of ofType('aws:ec2/routeTable:RouteTable')) {
    const routes = ((table.inputs.routes ?? []) as Array<{ cidrBlock?: string; transitGatewayId?: string }>).filter(
      (route) => route.transitGatewayId && attached.has(route.transitGatewayId),
    );
    const unrouted = unroutedCidrs(
      cloud.vpc.cidr,
      targets,
      routes.map((route) => route.cidrBlock ?? ''),
    );
    if (unrouted.length > 0) out.push(violation('network-reachable', table, `no route through an attachment to ${unrouted.join(', ')}: the VPC is an island`));
  }
  const endpoints = new Set(ofType('aws:ec2/vpcEndpoint:VpcEndpoint').map((endpoint) => String(endpoint.inputs.serviceName).split('.').slice(3).join('.')));
  for (const service of AWS_OPERATOR_INTERFACE_SERVICES) {
    if (!endpoints.has(service))
      out.push(violation('network-reachable', null, `no ${service} interface endpoint: operators cannot reach a bastion (Session Manager) in the air-gapped VPC`));
  }
  return out;
}
