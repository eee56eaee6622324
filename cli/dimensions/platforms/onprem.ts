import type { PlatformDescriptor } from '../types.js';

export const onprem: PlatformDescriptor<'onprem'> = {
  id: 'onprem',
  label: 'on-premises Kubernetes',
  cloudModelService: null,
  emit: {
    cloud: false,
    starterLines: (_cluster, _placeholders, _network, kubernetesVersion) => [
      'type: onprem                  # an existing cluster; no cloud resources are created',
      'distribution: vanilla         # openshift | rancher | vanilla',
      `kubernetesVersion: "${kubernetesVersion}"`,
      'kubeContext: agents-prod      # the kubeconfig context that reaches the cluster',
      'storageClass: standard        # for the git clone cache and bundled datastores',
      'ingressClass: nginx           # ignored on OpenShift, which uses Routes',
    ],
    starterMirror: (placeholders) => `registry.${placeholders.customerLabel}.${placeholders.exampleTld}/installctl`,
    weightsObjectStore: null,
    gpuPresets: null,
    // the site's existing GPU nodes: installctl adds none
    gpuPoolAutoscales: false,
    starterGpuPool: { product: 'l40s', chatGpus: 2, extra: 'gpusPerNode: 4              # GPUs on each existing GPU node' },
    // No object store of the install's own: weights come from a claim the site fills.
    starterWeights: () => null,
    defaultDatastores: 'bundled',
    pulumiProvider: null,
    installClass: 'OnpremInstall',
    cloudCli: null,
    cloudSettings: () => null,
  },
  // ---- Checker side (conformance, matrix requirements, --affected) ----
  check: {
    affectedFiles: { stack: ['stacks/onprem/'], cloud: ['cli/conformance/pulumi/clouds/onprem.ts'] },
    chartPlatforms: ['openshift', 'rancher', 'vanilla'],
    managedKubernetes: false,
    metadataServerEgress: [],
    synthesisMs: { stack: 35, selfHostedExtra: 10 },
  },
};
