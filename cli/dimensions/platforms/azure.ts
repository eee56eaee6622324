import type { PlatformDescriptor } from '../types.js';

export const azure: PlatformDescriptor = {
  id: 'azure',
  label: 'Azure',

  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: { stack: ['stacks/azure/'], cloud: ['cli/conformance/pulumi/clouds/azure.ts', 'cli/conformance/pulumi/clouds/azure-mocks.ts'] },
    chartPlatforms: ['azure'],
    cloudModelService: 'azure-openai',
    managedKubernetes: true,
    metadataServerEgress: [],
    synthesisMs: { stack: 220, selfHostedExtra: 250 },
  },
};
