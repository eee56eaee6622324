import type { PlatformDescriptor } from '../types.js';
import { eksAddonVersions } from '../../../stacks/decisions/eks-addons.js';

export const aws: PlatformDescriptor<'aws'> = {
  id: 'aws',
  label: 'AWS',
  cloudModelService: 'bedrock',
  emit: {
    cloud: true,
    starterLines: (cluster, placeholders, network, kubernetesVersion) => [
      'type: aws',
      'region: us-east-1',
      `accountId: "${placeholders.accountId}"     # quoted: a 12-digit id`,
      `kubernetesVersion: "${kubernetesVersion}"`,
      ...cluster,
      'vpc:',
      '  mode: new                   # or: mode: existing, vpcId, privateSubnetIds',
      '  cidr: 10.40.0.0/16',
      '  zones: 3',
      ...(network === 'air-gapped'
        ? [
            '  attachments:                # the only way to the site (SCM, users, operators): a Transit Gateway',
            `    transitGatewayId: ${placeholders.transitGatewayId}`,
            '    routes: [10.0.0.0/8]      # every allowedEgressCidrs entry and the SCM server',
            "    # resolverRuleIds: [rslvr-rr-0a1b2c3d4e5f60718]   # shared rules that resolve the site's domains",
          ]
        : []),
      '# kmsKeyArn: arn:aws:kms:...  # an existing customer-managed key; created when absent',
    ],
    starterIngressLines: (placeholders) => [
      '# the ALB serves ACM certificates only: import yours (aws acm import-certificate) or issue one with ACM / Private CA',
      `tls: { mode: acm, certificateArn: "arn:aws:acm:us-east-1:${placeholders.accountId}:certificate/${placeholders.uuid}" }`,
      '# dns: { zoneId: Z0123456789ABCDEFGHIJ }   # the private hosted zone of the hostname: associated with a new VPC; the runbook adds the record',
    ],
    starterMirror: (placeholders) => `${placeholders.accountId}.dkr.ecr.us-east-1.amazonaws.com/installctl`,
    weightsObjectStore: 's3',
    gpuPresets: 'aws',
    // the stack tags the GPU node group for the cluster autoscaler, which the runbook's prerequisites install
    gpuPoolAutoscales: true,
    buildsKubernetesVersion: (version) => eksAddonVersions(version) !== null,
    starterGpuPool: { product: 'l4', chatGpus: 4 },
    starterWeights: (model, placeholders) => `{ source: s3, bucket: ${placeholders.names.bucket}, prefix: ${model}/ }`,
    defaultDatastores: 'managed',
    pulumiProvider: '@pulumi/aws',
    installClass: 'AwsInstall',
    cloudCli: { command: 'aws', scope: { noun: 'account', value: (platform) => platform.accountId } },
    cloudSettings: (platform) => ({
      type: 'aws',
      region: platform.region,
      accountId: platform.accountId,
      kmsKeyArn: platform.kmsKeyArn ?? null,
      vpc:
        platform.vpc.mode === 'new'
          ? { mode: 'new', cidr: platform.vpc.cidr, zones: platform.vpc.zones ?? 3 }
          : { mode: 'existing', vpcId: platform.vpc.vpcId, privateSubnetIds: [...platform.vpc.privateSubnetIds] },
      attachments:
        platform.vpc.mode === 'new' && platform.vpc.attachments
          ? {
              transitGatewayId: platform.vpc.attachments.transitGatewayId,
              routes: [...platform.vpc.attachments.routes],
              resolverRuleIds: [...(platform.vpc.attachments.resolverRuleIds ?? [])],
            }
          : null,
    }),
  },
  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: {
      stack: ['stacks/aws/'],
      cloud: ['cli/conformance/pulumi/clouds/aws.ts', 'cli/conformance/pulumi/clouds/aws-edge-policies.ts', 'cli/conformance/pulumi/clouds/aws-cluster-policies.ts'],
    },
    chartPlatforms: ['aws'],
    managedKubernetes: true,
    metadataServerEgress: [],
    synthesisMs: { stack: 115, selfHostedExtra: 50 },
  },
};
