import * as pulumi from '@pulumi/pulumi';
import * as ec2 from '@pulumi/aws/ec2/index.js';
import * as ec2transitgateway from '@pulumi/aws/ec2transitgateway/index.js';
import * as route53 from '@pulumi/aws/route53/index.js';
import { getAvailabilityZonesOutput } from '@pulumi/aws/getAvailabilityZones.js';
import type { AwsCloud, AwsVpcAttachments, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { networkBlockProblems, planSubnets } from '../decisions/subnets.js';
import type { EndpointPlan } from '../decisions/endpoints.js';
import { AWS_OPERATOR_INTERFACE_SERVICES } from '../decisions/attachments.js';

export interface AwsNetworkArgs {
  installName: string;
  cloud: AwsCloud;
  network: InstallSettings['network'];
  endpoints: EndpointPlan;
  tags: Record<string, string>;
}

/**
 * The VPC: private subnets across zones (new) or the spec's existing VPC and subnets. Connected
 * networks get public subnets with one NAT gateway per zone for egress; air-gapped networks get no
 * internet gateway, no NAT and no public IP, and interface endpoints for the AWS APIs the cluster uses
 * and for Session Manager (operators). A new VPC with attachments joins the site's Transit Gateway:
 * its private route tables send the site's networks there, and the site's Resolver rules apply.
 */
export class AwsNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Security group that admits HTTPS from the VPC to interface endpoints. */
  readonly endpointSecurityGroupId: pulumi.Output<string>;
  /** The NAT gateways' public addresses (connected new VPC), else null: the install's own egress. */
  readonly natPublicIps: pulumi.Output<string[]> | null = null;

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Network', name, {}, opts);
    const vpcSpec = args.cloud.vpc;
    requireValid('AwsNetwork', [
      ...(vpcSpec.mode === 'new' ? networkBlockProblems(vpcSpec.cidr, vpcSpec.zones) : []),
      vpcSpec.mode === 'existing' && vpcSpec.privateSubnetIds.length < 2 && 'an existing VPC needs private subnets in at least two zones',
      args.network.mode === 'air-gapped' && args.network.egressProxy !== null && 'an air-gapped network has no egress proxy',
      vpcSpec.mode === 'existing' && args.cloud.attachments && 'attachments apply to a new VPC; an existing VPC keeps its own routes',
      args.cloud.attachments?.routes.includes('0.0.0.0/0') && args.network.mode === 'air-gapped' && 'an air-gapped VPC routes no default route to the Transit Gateway',
    ]);
    const tags = (suffix: string) => ({ ...args.tags, Name: `${args.installName}-${suffix}` });

    if (vpcSpec.mode === 'existing') {
      const existing = ec2.getVpcOutput({ id: vpcSpec.vpcId }, { parent: this });
      this.vpcId = pulumi.output(vpcSpec.vpcId);
      this.vpcCidr = existing.cidrBlock;
      this.privateSubnetIds = pulumi.output(vpcSpec.privateSubnetIds);
    } else {
      const connected = args.network.mode === 'connected';
      const plan = planSubnets(vpcSpec.cidr, vpcSpec.zones, connected);
      const zones = getAvailabilityZonesOutput({ state: 'available' }, { parent: this }).names;
      const vpc = new ec2.Vpc(`${name}-vpc`, { cidrBlock: vpcSpec.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags('vpc') }, { parent: this });
      // Lock down the default security group: nothing may use it by accident.
      new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: tags('default') }, { parent: this });

      const natGateways: ec2.NatGateway[] = [];
      const natIps: ec2.Eip[] = [];
      if (connected) {
        const gateway = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags('igw') }, { parent: this });
        const publicRoutes = new ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: gateway.id }], tags: tags('public') }, { parent: this });
        plan.public.forEach((cidr, zone) => {
          const subnet = new ec2.Subnet(`${name}-public-${zone}`, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zones[zone]!, mapPublicIpOnLaunch: false, tags: { ...tags(`public-${zone}`), 'kubernetes.io/role/elb': '1' } }, { parent: this });
          new ec2.RouteTableAssociation(`${name}-public-${zone}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, { parent: this });
          const ip = new ec2.Eip(`${name}-nat-${zone}`, { domain: 'vpc', tags: tags(`nat-${zone}`) }, { parent: this });
          natIps.push(ip);
          natGateways.push(new ec2.NatGateway(`${name}-nat-${zone}`, { subnetId: subnet.id, allocationId: ip.id, connectivityType: 'public', tags: tags(`nat-${zone}`) }, { parent: this, dependsOn: [gateway] }));
        });
      }
      const privateSubnets = plan.private.map(
        (cidr, zone) =>
          new ec2.Subnet(`${name}-private-${zone}`, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zones[zone]!, mapPublicIpOnLaunch: false, tags: { ...tags(`private-${zone}`), 'kubernetes.io/role/internal-elb': '1' } }, { parent: this }),
      );
      // The site's network (SCM, datastores, operators) through the Transit Gateway: routes need the attachment first.
      const siteLink = args.cloud.attachments ? attachToSite(this, name, args.cloud.attachments, vpc, privateSubnets, tags) : null;
      const privateRouteTables = privateSubnets.map((subnet, zone) => {
        const nat = natGateways[zone];
        const routes = [...(nat ? [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }] : []), ...(siteLink?.routes ?? [])];
        const table = new ec2.RouteTable(`${name}-private-rt-${zone}`, { vpcId: vpc.id, routes, tags: tags(`private-${zone}`) }, { parent: this, dependsOn: siteLink ? [siteLink.attachment] : [] });
        new ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: subnet.id, routeTableId: table.id }, { parent: this });
        return table;
      });
      // S3 through a gateway endpoint: free, and the only way to S3 without internet.
      new ec2.VpcEndpoint(`${name}-s3`, { vpcId: vpc.id, serviceName: `com.amazonaws.${args.cloud.region}.s3`, vpcEndpointType: 'Gateway', routeTableIds: privateRouteTables.map((table) => table.id), tags: tags('s3') }, { parent: this });
      this.vpcId = vpc.id;
      this.vpcCidr = vpc.cidrBlock;
      this.privateSubnetIds = pulumi.all(privateSubnets.map((subnet) => subnet.id));
      if (natIps.length > 0) this.natPublicIps = pulumi.all(natIps.map((ip) => ip.publicIp));
    }

    const endpointGroup = new ec2.SecurityGroup(
      `${name}-endpoints`,
      {
        vpcId: this.vpcId,
        description: 'HTTPS from the VPC to interface endpoints',
        ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [this.vpcCidr] }],
        egress: [],
        tags: tags('endpoints'),
      },
      { parent: this },
    );
    this.endpointSecurityGroupId = endpointGroup.id;
    // Session Manager endpoints only where the core set is created (air-gapped new VPC): operators reach a bastion through them.
    const operatorServices = args.endpoints.core.length > 0 ? AWS_OPERATOR_INTERFACE_SERVICES : [];
    for (const service of [...args.endpoints.core, ...operatorServices]) {
      new ec2.VpcEndpoint(
        `${name}-${service.replace(/\./g, '-')}`,
        { vpcId: this.vpcId, serviceName: `com.amazonaws.${args.cloud.region}.${service}`, vpcEndpointType: 'Interface', privateDnsEnabled: true, subnetIds: this.privateSubnetIds, securityGroupIds: [endpointGroup.id], tags: tags(service) },
        { parent: this },
      );
    }
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds });
  }
}

/**
 * The new VPC's Transit Gateway attachment (in the private subnets, DNS support on), the routes the
 * private route tables send through it, and the site's Resolver rules associated with the VPC.
 */
function attachToSite(
  component: pulumi.Resource,
  name: string,
  attachments: AwsVpcAttachments,
  vpc: ec2.Vpc,
  subnets: ec2.Subnet[],
  tags: (suffix: string) => Record<string, string>,
): { attachment: ec2transitgateway.VpcAttachment; routes: Array<{ cidrBlock: string; transitGatewayId: string }> } {
  const attachment = new ec2transitgateway.VpcAttachment(
    `${name}-tgw`,
    { transitGatewayId: attachments.transitGatewayId, vpcId: vpc.id, subnetIds: subnets.map((subnet) => subnet.id), dnsSupport: 'enable', tags: tags('tgw') },
    { parent: component },
  );
  attachments.resolverRuleIds.forEach((ruleId, index) => {
    new route53.ResolverRuleAssociation(`${name}-resolver-${index}`, { resolverRuleId: ruleId, vpcId: vpc.id }, { parent: component });
  });
  return { attachment, routes: attachments.routes.map((cidr) => ({ cidrBlock: cidr, transitGatewayId: attachments.transitGatewayId })) };
}
