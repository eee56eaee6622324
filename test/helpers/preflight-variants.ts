/**
 * Broken variants of healthy evidence, each the change of one kind of API object, with the checks
 * it must turn (every other check still passes). The fixture API server replays the same breakage
 * as API objects: `api` says which.
 */
import type { PreflightEvidence } from '../../cli/generated/preflight-evidence.js';
import type { PreflightRequirements } from '../../cli/preflight/requirements.js';
import type { CheckOutcome } from '../../cli/preflight/types.js';
import { knownVersions, versionSupport, STANDARD_SUPPORT_WARNING_DAYS } from '../../cli/matrix/kubernetes-versions.js';
import { POLICY_ENFORCER } from './preflight-evidence.js';

export interface EvidenceVariant {
  name: string;
  /** The API object(s) a fixture cluster changes for the same breakage. */
  api: string;
  /** null when the variant means nothing for the install (no GPU, no pull secret...). */
  expect(requirements: PreflightRequirements, now: Date): Record<string, CheckOutcome> | null;
  /** Changes the evidence in place. */
  apply(evidence: PreflightEvidence, requirements: PreflightRequirements, now: Date): void;
}

const GPU = 'nvidia.com/gpu';
const isGpuNode = (node: PreflightEvidence['nodes'][number]) => node.allocatable[GPU] !== undefined;
const systemNodes = (evidence: PreflightEvidence) => evidence.nodes.filter((node) => !isGpuNode(node));
const gpuNodes = (evidence: PreflightEvidence) => evidence.nodes.filter(isGpuNode);

function setVersion(evidence: PreflightEvidence, minor: string): void {
  evidence.version = { ...evidence.version!, gitVersion: `v${minor}.3`, major: minor.split('.')[0]!, minor: minor.split('.')[1]! };
}

/** A version the calendar says is out of all support on the platform (null when it lists none). */
export function endedVersion(requirements: PreflightRequirements, now: Date): string | null {
  return (
    knownVersions(requirements.kubernetes.calendarPlatform).find((version) => versionSupport(requirements.kubernetes.calendarPlatform, version, now)?.phase === 'ended') ?? null
  );
}

/** Another version in standard support beyond the warning window (the spec mismatch alone then warns). */
export function otherSupportedVersion(requirements: PreflightRequirements, now: Date): string | null {
  const platform = requirements.kubernetes.calendarPlatform;
  return (
    knownVersions(platform).find((version) => {
      const support = versionSupport(platform, version, now);
      return version !== requirements.kubernetes.specVersion && support?.phase === 'standard' && support.daysToEndOfStandardSupport > STANDARD_SUPPORT_WARNING_DAYS;
    }) ?? null
  );
}

export const EVIDENCE_VARIANTS: readonly EvidenceVariant[] = [
  {
    name: 'cluster version older than the calendar and the charts',
    api: 'GET /version: gitVersion v1.29.3',
    expect: () => ({ 'kubernetes-version': 'fail', 'chart-kube-version': 'fail' }),
    apply: (evidence) => setVersion(evidence, '1.29'),
  },
  {
    name: 'cluster version out of all support',
    api: "GET /version: the calendar's oldest ended minor",
    expect: (requirements, now) => (endedVersion(requirements, now) ? { 'kubernetes-version': 'fail' } : null),
    apply: (evidence, requirements, now) => setVersion(evidence, endedVersion(requirements, now)!),
  },
  {
    name: 'cluster version differs from spec.kubernetesVersion',
    api: 'GET /version: another minor in standard support',
    expect: (requirements, now) => (otherSupportedVersion(requirements, now) ? { 'kubernetes-version': 'warn' } : null),
    apply: (evidence, requirements, now) => setVersion(evidence, otherSupportedVersion(requirements, now)!),
  },
  {
    name: 'wrong distribution',
    api: 'a cluster of another distribution (version suffix, node labels, API groups)',
    expect: () => ({ distribution: 'fail' }),
    apply: (evidence, requirements) => {
      evidence.distribution = { name: requirements.distributions.includes('eks') ? 'gke' : 'eks', signals: ['gitVersion suffix'] };
    },
  },
  {
    name: 'nodes too small',
    api: 'Node status.allocatable of the system nodes: cpu 1, memory 2Gi',
    expect: () => ({ 'node-resources': 'fail' }),
    apply: (evidence) => {
      for (const node of systemNodes(evidence)) node.allocatable = { ...node.allocatable, cpu: '1', memory: '2Gi' };
    },
  },
  {
    name: 'nodes full',
    api: 'Pods on the system nodes requesting all their allocatable CPU',
    expect: () => ({ 'node-resources': 'fail' }),
    apply: (evidence) => {
      for (const node of systemNodes(evidence)) node.requested = { ...node.requested, cpu: node.allocatable.cpu! };
    },
  },
  {
    name: 'no GPU allocatable',
    api: 'Node status.allocatable["nvidia.com/gpu"] "0" on the GPU nodes (capacity unchanged)',
    expect: (requirements) => (requirements.gpu ? { 'gpu-capacity': 'fail' } : null),
    apply: (evidence) => {
      for (const node of gpuNodes(evidence)) node.allocatable = { ...node.allocatable, [GPU]: '0' };
    },
  },
  {
    name: 'GPUs all requested',
    api: 'Pods on the GPU nodes requesting every nvidia.com/gpu',
    expect: (requirements) => (requirements.gpu ? { 'gpu-capacity': 'fail' } : null),
    apply: (evidence) => {
      for (const node of gpuNodes(evidence)) node.requested = { ...node.requested, [GPU]: node.allocatable[GPU]! };
    },
  },
  {
    name: 'enough GPUs in total but not on one node',
    api: 'Pods on each GPU node requesting all but (largest gpuCount - 1) GPUs',
    expect: (requirements) => (requirements.gpu && Math.max(...requirements.gpu.models.map((model) => model.gpuCount)) > 1 ? { 'gpu-capacity': 'fail' } : null),
    apply: (evidence, requirements) => {
      const largest = Math.max(...requirements.gpu!.models.map((model) => model.gpuCount));
      const extra = Array.from({ length: 4 }, (_, index) => structuredClone({ ...gpuNodes(evidence)[0]!, name: `gpu-extra-${index + 1}` }));
      evidence.nodes.push(...extra);
      for (const node of gpuNodes(evidence)) node.requested = { ...node.requested, [GPU]: String(Number(node.allocatable[GPU]) - (largest - 1)) };
    },
  },
  {
    name: 'wrong GPU product label',
    api: 'GPU Node labels: the product label (instance type, accelerator, nvidia.com/gpu.product) of another product',
    expect: (requirements): Record<string, CheckOutcome> | null => {
      const gpu = requirements.gpu;
      if (!gpu) return null;
      // Where the product label is the selector (all but AKS), the chart selects no node: capacity fails too.
      return gpu.nodeSelector[gpu.productLabel.key] !== undefined ? { 'gpu-product': 'fail', 'gpu-capacity': 'fail' } : { 'gpu-product': 'fail' };
    },
    apply: (evidence, requirements) => {
      const key = requirements.gpu!.productLabel.key;
      for (const node of gpuNodes(evidence)) node.labels = { ...node.labels, [key]: 'other-product' };
    },
  },
  {
    name: 'untolerated taint on the GPU nodes',
    api: 'GPU Node spec.taints: dedicated=ml:NoSchedule',
    expect: (requirements) => (requirements.gpu ? { 'gpu-taints': 'fail', 'gpu-capacity': 'fail' } : null),
    apply: (evidence) => {
      for (const node of gpuNodes(evidence)) node.taints = [...node.taints, { key: 'dedicated', value: 'ml', effect: 'NoSchedule' }];
    },
  },
  {
    name: 'device plugin: missing where the platform or GPU Operator runs it, doubled where the chart does',
    api: 'DaemonSets: the GKE/GPU Operator plugin deleted; or an nvidia-device-plugin DaemonSet added in kube-system',
    expect: (requirements) => (requirements.gpu ? { 'gpu-device-plugin': 'fail' } : null),
    apply: (evidence, requirements) => {
      if (requirements.gpu!.software !== 'chart-device-plugin') {
        evidence.daemonSets = evidence.daemonSets.filter((set) => !/device-plugin/.test(set.name));
        return;
      }
      evidence.daemonSets.push({
        namespace: 'kube-system',
        name: 'nvidia-device-plugin-daemonset',
        labels: {},
        containers: [{ name: 'nvidia-device-plugin-ctr', image: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.0', args: [] }],
        desired: 2,
        ready: 2,
      });
    },
  },
  {
    name: 'missing storage class',
    api: 'StorageClasses: the class the claims name deleted',
    expect: (requirements) => (requirements.storage.claims.length ? { 'storage-class': 'fail' } : null),
    apply: (evidence, requirements) => {
      const named = new Set(requirements.storage.claims.map((claim) => claim.storageClass));
      evidence.storageClasses = evidence.storageClasses.filter((candidate) => !named.has(candidate.name));
    },
  },
  {
    name: 'storage class binds Immediate',
    api: 'StorageClass volumeBindingMode: Immediate',
    expect: (requirements) => (requirements.storage.claims.length ? { 'storage-class': 'warn' } : null),
    apply: (evidence) => {
      for (const candidate of evidence.storageClasses) candidate.volumeBindingMode = 'Immediate';
    },
  },
  {
    name: 'missing ingress class or Route API',
    api: 'IngressClasses deleted; discovery without route.openshift.io/v1 and cloud.google.com/v1',
    expect: (requirements) => (requirements.ingress ? { 'ingress-class': 'fail' } : null),
    apply: (evidence) => {
      evidence.ingressClasses = [];
      evidence.apiResources = evidence.apiResources.filter((groupVersion) => groupVersion !== 'route.openshift.io/v1' && groupVersion !== 'cloud.google.com/v1');
    },
  },
  {
    name: 'missing CRD',
    api: 'CustomResourceDefinitions: the ones the values need deleted',
    expect: (requirements) => (requirements.crds.length ? { crds: 'fail' } : null),
    apply: (evidence) => {
      evidence.crds = [];
    },
  },
  {
    name: 'no NetworkPolicy enforcer',
    api: 'DaemonSets: the CNI policy agent deleted (aws-node without --enable-network-policy; no cilium/calico/anetd/ovnkube); OpenShift network APIs not served',
    expect: (requirements) => (requirements.networkPolicyNamespaces.length ? { 'network-policy-enforcement': 'warn' } : null),
    apply: (evidence) => {
      const enforcers = new Set(Object.values(POLICY_ENFORCER).map((set) => set?.name));
      evidence.daemonSets = evidence.daemonSets.filter((set) => !enforcers.has(set.name));
      evidence.apiResources = evidence.apiResources.filter((groupVersion) => !/^network\.openshift\.io\/|^k8s\.ovn\.org\//.test(groupVersion));
      if (evidence.distribution?.name === 'k3s') evidence.distribution = { name: 'vanilla', signals: [] };
    },
  },
  {
    name: 'SelfSubjectAccessReview denies creating Deployments',
    api: 'SSAR create deployments.apps in the platform namespace: allowed false',
    expect: () => ({ rbac: 'fail' }),
    apply: (evidence, requirements) => {
      const namespace = requirements.namespaces.find((entry) => entry.chart === 'agent-platform')!.name;
      for (const review of evidence.accessReviews)
        if (review.namespace === namespace && review.resource === 'deployments' && review.verb === 'create')
          Object.assign(review, { allowed: false, reason: 'RBAC: no rule allows it' });
    },
  },
  {
    name: 'missing secret',
    api: 'the first referenced Secret deleted',
    expect: (requirements) => (requirements.secrets.length ? { 'secret-refs': 'fail' } : null),
    apply: (evidence, requirements) => {
      const [first] = requirements.secrets;
      const secret = evidence.secrets.find((candidate) => candidate.namespace === first!.namespace && candidate.name === first!.name)!;
      Object.assign(secret, { found: false, type: null, keys: [] });
    },
  },
  {
    name: 'secret without a key the values read',
    api: 'the first referenced Secret without its last key',
    expect: (requirements) => (requirements.secrets.length ? { 'secret-refs': 'fail' } : null),
    apply: (evidence, requirements) => {
      const [first] = requirements.secrets;
      const secret = evidence.secrets.find((candidate) => candidate.namespace === first!.namespace && candidate.name === first!.name)!;
      secret.keys = secret.keys.filter((key) => key !== first!.keys[first!.keys.length - 1]);
    },
  },
  {
    name: 'configmap without the key the values read',
    api: 'the first referenced ConfigMap with its key renamed',
    expect: (requirements) => (requirements.configMaps.length ? { 'configmap-refs': 'fail' } : null),
    apply: (evidence, requirements) => {
      const [first] = requirements.configMaps;
      const configMap = evidence.configMaps.find((candidate) => candidate.namespace === first!.namespace && candidate.name === first!.name)!;
      configMap.keys = ['ca.pem'];
    },
  },
  {
    name: 'pull secret missing',
    api: 'the pull Secret deleted from the platform namespace',
    expect: (requirements) => (requirements.pullSecret ? { 'pull-secret': 'fail' } : null),
    apply: (evidence, requirements) => {
      const namespace = requirements.namespaces.find((entry) => entry.chart === 'agent-platform')!.name;
      const secret = evidence.secrets.find((candidate) => candidate.namespace === namespace && candidate.name === requirements.pullSecret!.name)!;
      Object.assign(secret, { found: false, type: null, keys: [], registries: [] });
    },
  },
  {
    name: 'pull secret for another registry',
    api: 'the pull Secret .dockerconfigjson auths: docker.io only',
    expect: (requirements) => (requirements.pullSecret ? { 'pull-secret': 'fail' } : null),
    apply: (evidence, requirements) => {
      for (const secret of evidence.secrets) if (secret.name === requirements.pullSecret!.name) secret.registries = ['https://index.docker.io/v1/'];
    },
  },
];
