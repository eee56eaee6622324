/** The size caps of what cli/cluster reads: entries of SIZE_CAPS (one table, named in README's "Size caps"). */
import { SIZE_CAPS } from '../lib/read-capped.js';

export const CLUSTER_CAPS = {
  /** A kubeconfig, and each file it names (CA, client certificate and key, token file). */
  kubeconfig: SIZE_CAPS.kubeconfig,
  /** One Kubernetes API response (a page of a list, a Pod log read by --active). */
  kubernetesResponse: SIZE_CAPS.kubernetesResponse,
} as const;
