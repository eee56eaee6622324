/**
 * The API-object twin of healthyEvidence (./preflight-evidence.ts): a FixtureCluster of the
 * distribution an install's platform runs on, on which every applicable preflight check passes
 * when the real client collects it through the fixture API server. Built from the install's
 * requirements: the spec's Kubernetes minor in the distribution's version style, system nodes
 * large enough for the sizing, GPU nodes for the model plan with the chart's selector and the
 * platform's product label, the device plugin the platform's GPU software says, the storage
 * classes the claims use, the ingress class (or Route / ingress-gce API), the CRDs, a NetworkPolicy
 * enforcer, the namespaces, every referenced Secret and ConfigMap with its keys, and the pull secret
 * naming the mirror. Secret values are distinctive dummies (dummySecretValues lists them) so a test
 * can prove none reaches the evidence.
 */
import type { PreflightRequirements } from '../../cli/preflight/requirements.js';
import { GPU_TAINT } from '../../stacks/decisions/gpu.js';
import {
  addApiGroup,
  addConfigMap,
  addCrd,
  addGpuNodes,
  addNamespace,
  addPullSecret,
  addSecret,
  baseCluster,
  type FixtureCluster,
  type FixtureDistribution,
  type KubeObject,
} from './fixture-cluster.js';
import { healthyDistribution, VERSION_SUFFIX } from './preflight-evidence.js';

const GiB = 1024 ** 3;
const GPU = 'nvidia.com/gpu';

/** The fixture distribution a platform's healthy cluster is (k3s has no recorded fixture: rke2 stands in, as Rancher's). */
export function fixtureDistributionFor(requirements: PreflightRequirements): FixtureDistribution {
  const distribution = healthyDistribution(requirements);
  return distribution === 'k3s' ? 'rke2' : distribution;
}

/** The Secret value the healthy cluster stores under a key: distinctive, so its absence from evidence means something. */
export function dummySecretValue(namespace: string, name: string, key: string): string {
  return `dummy-secret-value:${namespace}/${name}/${key}:7c41f0e2`;
}

/** The password the healthy cluster's pull secrets carry for the mirror. */
export const DUMMY_PULL_PASSWORD = 'dummy-pull-password-5b9d3a17';

/** Every value the healthy cluster stores in a Secret, for "never in the evidence" assertions. */
export function dummySecretValues(requirements: PreflightRequirements): string[] {
  return [...requirements.secrets.flatMap((reference) => reference.keys.map((key) => dummySecretValue(reference.namespace, reference.name, key))), DUMMY_PULL_PASSWORD];
}

const isGpuNode = (node: KubeObject) => (node.status as { allocatable?: Record<string, string> } | undefined)?.allocatable?.[GPU] !== undefined;
const statusOf = (node: KubeObject) => node.status as { allocatable: Record<string, string>; capacity: Record<string, string> };

export function gpuNodesOf(cluster: FixtureCluster): KubeObject[] {
  return cluster.nodes.filter(isGpuNode);
}

export function systemNodesOf(cluster: FixtureCluster): KubeObject[] {
  return cluster.nodes.filter((node) => !isGpuNode(node));
}

/** Enough allocatable on every untainted node for half the platform's pods (as healthyEvidence's system nodes), keeping larger recorded nodes. */
function sizeSystemNodes(cluster: FixtureCluster, requirements: PreflightRequirements): void {
  const cpu = requirements.platformPods.reduce((sum, pod) => sum + pod.replicas * pod.cpuMillis, 0);
  const memory = requirements.platformPods.reduce((sum, pod) => sum + pod.replicas * pod.memoryBytes, 0);
  const cpuMillis = Math.ceil(cpu / 2) + 4000;
  const memoryKi = Math.ceil((memory / 2 / GiB + 8) * 1024 * 1024);
  for (const node of systemNodesOf(cluster)) {
    const status = statusOf(node);
    status.allocatable = { ...status.allocatable, cpu: `${cpuMillis}m`, memory: `${memoryKi}Ki` };
    status.capacity = { ...status.capacity, cpu: `${cpuMillis + 100}m`, memory: `${memoryKi + 1024 * 1024}Ki` };
  }
}

function daemonSetObject(namespace: string, name: string, containers: Array<{ name: string; image: string; args?: string[] }>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name }, uid: `ds-${namespace}-${name}`, resourceVersion: '400100', creationTimestamp: '2026-11-20T08:00:00Z' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: containers.map((container) => ({ ...container, args: container.args ?? [] })) } },
    },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3, numberMisscheduled: 0 },
  };
}

const DEVICE_PLUGIN_NAME = /device-plugin/;

/** GPU nodes for the model plan: one per model replica, the preset's GPUs and room for each replica's CPU and memory. */
function addModelGpuNodes(cluster: FixtureCluster, requirements: PreflightRequirements): void {
  const gpu = requirements.gpu;
  cluster.daemonSets = cluster.daemonSets.filter((set) => !DEVICE_PLUGIN_NAME.test(set.metadata.name));
  if (!gpu) return;
  const replicas = gpu.models.reduce((sum, model) => sum + model.replicas, 0);
  const names = addGpuNodes(cluster, {
    count: Math.max(replicas, 1),
    gpusPerNode: gpu.shape.gpus,
    product: gpu.productLabel.value,
    instanceType: gpu.shape.name,
    taints: [{ ...GPU_TAINT }],
  });
  const cpu = Math.max(48, gpu.shape.gpus * 12, ...gpu.models.map((model) => Math.ceil(model.cpuMillis / 1000) + 4));
  const memoryGi = Math.max(192, gpu.shape.gpus * 96, ...gpu.models.map((model) => Math.ceil(model.memoryBytes / GiB) + 16));
  for (const node of cluster.nodes.filter((candidate) => names.includes(candidate.metadata.name))) {
    node.metadata.labels = { ...node.metadata.labels, ...gpu.nodeSelector, [gpu.productLabel.key]: gpu.productLabel.value };
    const status = statusOf(node);
    status.allocatable = { ...status.allocatable, cpu: String(cpu), memory: `${memoryGi}Gi` };
    status.capacity = { ...status.capacity, cpu: String(cpu), memory: `${memoryGi + 2}Gi` };
  }
  if (gpu.software === 'platform-managed')
    cluster.daemonSets.push(
      daemonSetObject('kube-system', 'nvidia-gpu-device-plugin-small-cos', [{ name: 'nvidia-gpu-device-plugin', image: 'gke.gcr.io/nvidia-gpu-device-plugin:v1.0.25-gke.56' }]),
    );
  if (gpu.software === 'gpu-operator')
    cluster.daemonSets.push(
      daemonSetObject('gpu-operator', 'nvidia-device-plugin-daemonset', [{ name: 'nvidia-device-plugin', image: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.2' }]),
    );
}

const PROVISIONER: Record<PreflightRequirements['platform'], string> = {
  aws: 'ebs.csi.aws.com',
  azure: 'disk.csi.azure.com',
  gcp: 'pd.csi.storage.gke.io',
  onprem: 'csi.example.com',
};

/** Every class the claims name, binding WaitForFirstConsumer and expandable; a claim naming none gets one default class that does too. */
function fitStorageClasses(cluster: FixtureCluster, requirements: PreflightRequirements): void {
  const names = [...new Set(requirements.storage.claims.map((claim) => claim.storageClass))];
  for (const name of names) {
    const existing = name
      ? cluster.storageClasses.find((candidate) => candidate.metadata.name === name)
      : cluster.storageClasses.find((candidate) => candidate.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    const storageClass = existing ?? {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: name || 'standard-default', uid: `sc-${name}`, resourceVersion: '400200', creationTimestamp: '2026-11-20T08:00:00Z' },
      provisioner: PROVISIONER[requirements.platform],
      reclaimPolicy: 'Delete',
    };
    if (!name) storageClass.metadata.annotations = { ...storageClass.metadata.annotations, 'storageclass.kubernetes.io/is-default-class': 'true' };
    Object.assign(storageClass, { volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
    if (!existing) cluster.storageClasses.push(storageClass);
  }
}

function ensureApiGroupVersion(cluster: FixtureCluster, groupVersion: string): void {
  const [group, version] = groupVersion.split('/') as [string, string];
  const known = cluster.apiGroups.find((entry) => entry.name === group);
  if (!known) addApiGroup(cluster, group, [version]);
  else if (!known.versions.some((entry) => entry.version === version)) known.versions.push({ groupVersion, version });
}

function fitIngress(cluster: FixtureCluster, requirements: PreflightRequirements): void {
  const ingress = requirements.ingress;
  if (!ingress) return;
  if (ingress.kind !== 'ingress-class') return ensureApiGroupVersion(cluster, ingress.apiGroupVersion);
  if (cluster.ingressClasses.some((candidate) => candidate.metadata.name === ingress.className)) return;
  cluster.ingressClasses.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: ingress.className, uid: `ic-${ingress.className}`, resourceVersion: '400300', creationTimestamp: '2026-11-20T08:00:00Z' },
    spec: { controller: ingress.className === 'alb' ? 'ingress.k8s.aws/alb' : 'k8s.io/ingress-nginx' },
  });
}

function fitCrds(cluster: FixtureCluster, requirements: PreflightRequirements): void {
  for (const need of requirements.crds) {
    const [plural, ...rest] = need.name.split('.') as [string, ...string[]];
    const group = rest.join('.');
    cluster.crds = cluster.crds.filter((crd) => crd.metadata.name !== need.name);
    const kind = plural.replace(/ies$/, 'y').replace(/s$/, '');
    addCrd(cluster, group, plural, kind.charAt(0).toUpperCase() + kind.slice(1), [need.version]);
    ensureApiGroupVersion(cluster, `${group}/${need.version}`);
  }
}

/** The enforcer each distribution's recorded cluster runs: EKS's VPC CNI policy agent is the aws-node flag. */
function ensurePolicyEnforcer(cluster: FixtureCluster): void {
  if (cluster.distribution !== 'eks') return;
  const awsNode = cluster.daemonSets.find((set) => set.metadata.name === 'aws-node');
  const containers = (awsNode?.spec as { template: { spec: { containers: Array<{ name: string; args?: string[] | null }> } } } | undefined)?.template.spec.containers ?? [];
  if (!containers.some((container) => container.args?.includes('--enable-network-policy=true')))
    throw new Error('the recorded EKS fixture lost aws-node --enable-network-policy=true: the healthy cluster would warn');
}

function addReferences(cluster: FixtureCluster, requirements: PreflightRequirements): void {
  for (const reference of requirements.secrets) {
    const data = Object.fromEntries(reference.keys.map((key) => [key, dummySecretValue(reference.namespace, reference.name, key)]));
    addSecret(cluster, reference.namespace, reference.name, data, reference.keys.includes('tls.crt') ? 'kubernetes.io/tls' : 'Opaque');
  }
  for (const reference of requirements.configMaps)
    addConfigMap(cluster, reference.namespace, reference.name, Object.fromEntries(reference.keys.map((key) => [key, `config for ${reference.name}/${key}`])));
  const pull = requirements.pullSecret;
  if (pull)
    for (const namespace of pull.namespaces)
      if (!cluster.secrets.some((secret) => secret.metadata.namespace === namespace && secret.metadata.name === pull.name))
        addPullSecret(cluster, namespace, pull.name, { [pull.registryHost]: { username: 'robot$installer', password: DUMMY_PULL_PASSWORD } });
}

/** A cluster of `distribution` (default: the platform's) on which every applicable preflight check passes for these requirements. */
export function healthyFixtureCluster(requirements: PreflightRequirements, distribution: FixtureDistribution = fixtureDistributionFor(requirements)): FixtureCluster {
  const cluster = baseCluster(distribution);
  const minor = requirements.kubernetes.specVersion.split('.')[1]!;
  const version = VERSION_SUFFIX[distribution](minor);
  cluster.version = { ...cluster.version, gitVersion: version.gitVersion, major: '1', minor: version.minor };
  sizeSystemNodes(cluster, requirements);
  addModelGpuNodes(cluster, requirements);
  fitStorageClasses(cluster, requirements);
  fitIngress(cluster, requirements);
  fitCrds(cluster, requirements);
  ensurePolicyEnforcer(cluster);
  for (const namespace of requirements.namespaces)
    if (!cluster.namespaces.some((candidate) => candidate.metadata.name === namespace.name))
      addNamespace(cluster, namespace.name, { 'pod-security.kubernetes.io/enforce': 'restricted' });
  addReferences(cluster, requirements);
  return cluster;
}
