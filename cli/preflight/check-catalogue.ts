/**
 * Every check preflight and support-bundle analyze report, in one table: its id, what it checks, the
 * collectors whose evidence it reads (a check whose collector was forbidden or failed reports error,
 * never the whole run), and its README anchor. README's "Preflight checks" table is generated from it.
 */
import type { CollectorName } from './types.js';

export interface CheckEntry {
  readonly id: string;
  /** preflight: analyzers of evidence; bundle: known failure patterns over a support bundle's objects. */
  readonly layer: 'preflight' | 'active' | 'bundle';
  /** One line, for README's table. */
  readonly checks: string;
  readonly collectors: readonly CollectorName[];
}

export const CHECK_CATALOGUE: readonly CheckEntry[] = [
  {
    id: 'kubernetes-version',
    layer: 'preflight',
    checks: "the cluster's Kubernetes minor against the support calendar (matrix/kubernetes-versions.yaml) and the spec's kubernetesVersion",
    collectors: ['version'],
  },
  { id: 'chart-kube-version', layer: 'preflight', checks: "the cluster's version against every chart's kubeVersion constraint", collectors: ['version'] },
  {
    id: 'distribution',
    layer: 'preflight',
    checks: 'the distribution (EKS, AKS, GKE, OpenShift, RKE2, vanilla) agrees with spec.platform and its distribution',
    collectors: ['version', 'discovery', 'nodes'],
  },
  {
    id: 'node-resources',
    layer: 'preflight',
    checks: 'schedulable nodes have the allocatable CPU and memory the sizing asks for, less what pods already request',
    collectors: ['nodes', 'pods'],
  },
  {
    id: 'gpu-capacity',
    layer: 'preflight',
    checks: 'nvidia.com/gpu allocatable less requested, per node: every model replica fits on one node (tensor-parallel size)',
    collectors: ['nodes', 'pods'],
  },
  { id: 'gpu-product', layer: 'preflight', checks: "the GPU nodes' product label (per platform) is gpuPool.product", collectors: ['nodes'] },
  { id: 'gpu-taints', layer: 'preflight', checks: 'every taint on the GPU nodes is tolerated by the model-server chart', collectors: ['nodes'] },
  { id: 'gpu-device-plugin', layer: 'preflight', checks: 'an NVIDIA device plugin or GPU Operator runs (or the chart deploys one), and not two', collectors: ['daemonSets'] },
  {
    id: 'storage-class',
    layer: 'preflight',
    checks: 'the class each claim uses exists (or a default does), binds WaitForFirstConsumer, allows expansion',
    collectors: ['storageClasses'],
  },
  { id: 'ingress-class', layer: 'preflight', checks: 'the IngressClass the values use exists (OpenShift: the Route API is served)', collectors: ['ingressClasses', 'discovery'] },
  { id: 'crds', layer: 'preflight', checks: 'the CRDs the values need are installed (ExternalSecrets for externalRef secrets, cert-manager for its TLS)', collectors: ['crds'] },
  {
    id: 'network-policy-enforcement',
    layer: 'preflight',
    checks: 'something enforces NetworkPolicies when the install relies on them (VPC CNI policy agent, Cilium, Calico, Dataplane V2, OVN)',
    collectors: ['daemonSets', 'discovery'],
  },
  {
    id: 'rbac',
    layer: 'preflight',
    checks: 'SelfSubjectAccessReview allows every verb and resource the install needs in its namespaces (and namespace creation where one is missing)',
    collectors: ['accessReviews', 'namespaces'],
  },
  {
    id: 'secret-refs',
    layer: 'preflight',
    checks: 'every Secret the values reference exists with the keys they name (key names only; values never read)',
    collectors: ['secrets'],
  },
  { id: 'configmap-refs', layer: 'preflight', checks: 'every ConfigMap the values reference (CA bundles) exists with the keys they name', collectors: ['configMaps'] },
  { id: 'pull-secret', layer: 'preflight', checks: 'the image pull secret exists in every install namespace, is a dockerconfigjson and names the mirror', collectors: ['secrets'] },
  { id: 'active-image-pull', layer: 'active', checks: '--active: a Pod pulls one mirrored image by digest with the pull secret', collectors: ['active'] },
  { id: 'active-endpoints', layer: 'active', checks: '--active: the SCM, datastores and model endpoint resolve and accept a connection from a Pod', collectors: ['active'] },
  { id: 'active-air-gap', layer: 'active', checks: '--active, air-gapped: a public host is NOT reachable from a Pod (an air gap that leaks fails)', collectors: ['active'] },
  { id: 'image-pull-foreign-registry', layer: 'bundle', checks: 'a Pod in ImagePullBackOff on an image from a registry other than the mirror', collectors: [] },
  { id: 'oom-killed', layer: 'bundle', checks: 'a container in CrashLoopBackOff whose last state was OOMKilled', collectors: [] },
  { id: 'pending-gpu', layer: 'bundle', checks: 'a Pod Pending because no node has enough nvidia.com/gpu', collectors: [] },
  { id: 'pvc-pending-class', layer: 'bundle', checks: 'a PersistentVolumeClaim Pending on a storage class that does not exist', collectors: [] },
  { id: 'migration-job-failed', layer: 'bundle', checks: 'the database migration Job failed', collectors: [] },
];

/** The README anchor of a check: each row of the generated table carries it. */
export function docAnchor(id: string): string {
  return `README.md#preflight-${id}`;
}

export function checkEntry(id: string): CheckEntry {
  const entry = CHECK_CATALOGUE.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`check ${id} is not in cli/preflight/check-catalogue.ts`);
  return entry;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** README's "Preflight checks" table: each id links to its section below the table (the anchor results link to). */
export function formatCheckTable(): string {
  const rows = CHECK_CATALOGUE.map(
    (entry) =>
      `| [\`${entry.id}\`](#preflight-${entry.id}) | ${entry.layer} | ${cell(entry.checks)} | ${entry.collectors.length ? entry.collectors.join(', ') : '(bundle objects)'} |`,
  );
  return ['| id | layer | what it checks | evidence it reads |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
