import type { PlatformDescriptor } from '../types.js';

export const onprem: PlatformDescriptor = {
  id: 'onprem',
  label: 'on-premises Kubernetes',

  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: { stack: ['stacks/onprem/'], cloud: ['cli/conformance/pulumi/clouds/onprem.ts'] },
    chartPlatforms: ['openshift', 'rancher', 'vanilla'],
    cloudModelService: null,
    managedKubernetes: false,
    metadataServerEgress: [],
    synthesisMs: { stack: 35, selfHostedExtra: 10 },
  },
};
