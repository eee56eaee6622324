import type { PlatformDescriptor } from '../types.js';

export const aws: PlatformDescriptor<'aws'> = {
  id: 'aws',
  label: 'AWS',
  cloudModelService: 'bedrock',
  emit: {
    cloud: true,
    starterLines: (cluster, placeholders, kubernetesVersion) => [
      'type: aws',
      'region: us-east-1',
      `accountId: "${placeholders.accountId}"     # quoted: a 12-digit id`,
      `kubernetesVersion: "${kubernetesVersion}"`,
      ...cluster,
      'vpc:',
      '  mode: new                   # or: mode: existing, vpcId, privateSubnetIds',
      '  cidr: 10.40.0.0/16',
      '  zones: 3',
      '# kmsKeyArn: arn:aws:kms:...  # an existing customer-managed key; created when absent',
    ],
    starterMirror: (placeholders) => `${placeholders.accountId}.dkr.ecr.us-east-1.amazonaws.com/installctl`,
    weightsObjectStore: 's3',
    gpuPresets: 'aws',
    // a managed node group stays at its desired size (minNodes): no cluster autoscaler or Karpenter runs
    gpuPoolAutoscales: false,
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
    }),
  },
  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: { stack: ['stacks/aws/'], cloud: ['cli/conformance/pulumi/clouds/aws.ts'] },
    chartPlatforms: ['aws'],
    managedKubernetes: true,
    metadataServerEgress: [],
    synthesisMs: { stack: 115, selfHostedExtra: 50 },
  },
};
