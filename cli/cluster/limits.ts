/**
 * The size caps of what cli/cluster reads. They are kept here, not in SIZE_CAPS (cli/lib/read-capped.ts),
 * until README's "Size caps" paragraph names them (test/readme.test.ts holds the two together).
 */
const MiB = 1024 * 1024;

export const CLUSTER_CAPS = {
  /** A kubeconfig, and each file it names (CA, client certificate and key, token file). */
  kubeconfig: 4 * MiB,
  /** One Kubernetes API response (a page of a list, a Pod log read by --active). */
  kubernetesResponse: 64 * MiB,
} as const;
