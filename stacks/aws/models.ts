import * as pulumi from '@pulumi/pulumi';
import * as ec2 from '@pulumi/aws/ec2/index.js';
import type { AwsCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import type { EndpointPlan } from '../decisions/endpoints.js';

export interface AwsModelsArgs {
  installName: string;
  cloud: AwsCloud;
  models: InstallSettings['models'];
  endpoints: EndpointPlan;
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string[]>;
  endpointSecurityGroupId: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * Amazon Bedrock for cloud-managed models: a bedrock-runtime interface endpoint with private DNS,
 * so the AI gateway's calls never leave the VPC. Model access itself is granted by AwsIdentity.
 */
export class AwsModels extends pulumi.ComponentResource {
  readonly runtimeEndpoint: string;

  constructor(name: string, args: AwsModelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Models', name, {}, opts);
    const region = args.models.region ?? args.cloud.region;
    requireValid('AwsModels', [
      args.models.hosting !== 'cloud-managed' && `AwsModels is for cloud-managed models, not ${args.models.hosting}`,
      args.models.provider !== 'bedrock' && `AWS serves cloud-managed models through bedrock, not ${args.models.provider}`,
      args.endpoints.modelService && region !== args.cloud.region && `a VPC endpoint reaches Bedrock in ${args.cloud.region} only, not ${region}`,
    ]);
    if (args.endpoints.modelService) {
      new ec2.VpcEndpoint(
        `${name}-bedrock-runtime`,
        {
          vpcId: args.vpcId,
          serviceName: `com.amazonaws.${region}.bedrock-runtime`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: args.privateSubnetIds,
          securityGroupIds: [args.endpointSecurityGroupId],
          tags: { ...args.tags, Name: `${args.installName}-bedrock-runtime` },
        },
        { parent: this },
      );
    }
    this.runtimeEndpoint = `https://bedrock-runtime.${region}.amazonaws.com`;
    this.registerOutputs({ runtimeEndpoint: this.runtimeEndpoint });
  }
}
