import type { PlatformDescriptor } from '../types.js';

export const aws: PlatformDescriptor = {
  id: 'aws',
  label: 'AWS',

  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: { stack: ['stacks/aws/'], cloud: ['cli/conformance/pulumi/clouds/aws.ts'] },
    chartPlatforms: ['aws'],
    cloudModelService: 'bedrock',
    managedKubernetes: true,
    metadataServerEgress: [],
    synthesisMs: { stack: 115, selfHostedExtra: 50 },
  },
};
