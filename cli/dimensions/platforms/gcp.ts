import type { PlatformDescriptor } from '../types.js';

export const gcp: PlatformDescriptor = {
  id: 'gcp',
  label: 'Google Cloud',

  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: { stack: ['stacks/gcp/'], cloud: ['cli/conformance/pulumi/clouds/gcp.ts'] },
    chartPlatforms: ['gcp'],
    cloudModelService: 'vertex',
    managedKubernetes: true,
    metadataServerEgress: [
      // GKE workload identity: the gke-metadata NetworkPolicy reaches the GKE metadata server, one port each.
      { cidr: '169.254.169.254/32', port: 80 },
      { cidr: '169.254.169.252/32', port: 988 },
    ],
    synthesisMs: { stack: 95, selfHostedExtra: 60 },
  },
};
