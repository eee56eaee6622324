import type { PlatformDescriptor } from '../types.js';

export const gcp: PlatformDescriptor<'gcp'> = {
  id: 'gcp',
  label: 'Google Cloud',
  cloudModelService: 'vertex',
  emit: {
    cloud: true,
    starterLines: (cluster, placeholders, network, kubernetesVersion) => [
      'type: gcp',
      `projectId: ${placeholders.gcpProject}`,
      'region: us-central1',
      `kubernetesVersion: "${kubernetesVersion}"`,
      ...cluster,
      'vpc:',
      '  mode: new                   # or: mode: existing, network, subnetwork',
      '  cidr: 10.40.0.0/16',
      // A new air-gapped VPC reaches the SCM and the operators only through the customer's hub.
      ...(network === 'air-gapped'
        ? [
            'hub:                          # peered with the new VPC (the hub creates the reverse peering)',
            `  network: projects/${placeholders.gcpProject}/global/networks/hub`,
            `  dnsDomains: [${placeholders.customerLabel}.${placeholders.exampleTld}]`,
          ]
        : ['# hub:                        # the hub network to peer with, to reach the SCM and operators', `#   network: projects/${placeholders.gcpProject}/global/networks/hub`]),
    ],
    starterMirror: (placeholders) => `us-central1-docker.pkg.dev/${placeholders.gcpProject}/installctl`,
    weightsObjectStore: 'gcs',
    gpuPresets: 'gcp',
    // the GKE GPU pool has autoscaling
    gpuPoolAutoscales: true,
    starterGpuPool: { product: 'l4', chatGpus: 4 },
    starterWeights: (model, placeholders) => `{ source: gcs, bucket: ${placeholders.names.bucket}, prefix: ${model}/ }`,
    defaultDatastores: 'managed',
    pulumiProvider: '@pulumi/gcp',
    installClass: 'GcpInstall',
    cloudCli: { command: 'gcloud', scope: { noun: 'project', value: (platform) => platform.projectId } },
    cloudSettings: (platform) => ({
      type: 'gcp',
      projectId: platform.projectId,
      region: platform.region,
      vpc:
        platform.vpc.mode === 'new'
          ? { mode: 'new', cidr: platform.vpc.cidr, zones: platform.vpc.zones ?? 3 }
          : { mode: 'existing', network: platform.vpc.network, subnetwork: platform.vpc.subnetwork },
      hub: platform.hub ? { network: platform.hub.network, dnsDomains: [...(platform.hub.dnsDomains ?? [])] } : null,
    }),
  },
  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: {
      stack: ['stacks/gcp/'],
      cloud: ['cli/conformance/pulumi/clouds/gcp.ts', 'cli/conformance/pulumi/clouds/gcp-mocks.ts', 'cli/conformance/pulumi/clouds/gcp-cluster-policies.ts'],
    },
    chartPlatforms: ['gcp'],
    managedKubernetes: true,
    metadataServerEgress: [
      // GKE workload identity: the gke-metadata NetworkPolicy reaches the GKE metadata server, one port each.
      { cidr: '169.254.169.254/32', port: 80 },
      { cidr: '169.254.169.252/32', port: 988 },
    ],
    synthesisMs: { stack: 95, selfHostedExtra: 60 },
  },
};
