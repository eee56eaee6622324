/**
 * A mutable model of a cluster's API objects, loaded from recorded-shape JSON fixtures
 * (test/fixtures/clusters/<distribution>/: version, discovery, nodes, pods, DaemonSets, storage and
 * ingress classes, CRDs, namespaces). A test breaks it the way a real cluster is broken (a storage
 * class removed, a 403 on one path, a GPU node short of GPUs) and serves it with
 * startFixtureApiServer (./fixture-api-server.ts). Plain objects as the API returns them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli.js';

export const DISTRIBUTIONS = ['eks', 'aks', 'gke', 'openshift', 'rke2', 'vanilla'] as const;
export type FixtureDistribution = (typeof DISTRIBUTIONS)[number];

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, unknown> & {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
};

/** One line of a container log as the kubelet keeps it (RFC 3339 time with nanoseconds, the text). */
export interface LogLine {
  time: string;
  text: string;
}

/** The key of a container's log (its previous run's with `previous`). */
export const logKey = (namespace: string, pod: string, container: string, previous: boolean) => `${namespace}/${pod}/${container}${previous ? '/previous' : ''}`;

/** What --active probe Pods meet: images that pull, hosts that resolve, host:port that accept a connection. */
export interface FixtureNetwork {
  pullableImages: Set<string>;
  resolvable: Set<string>;
  reachable: Set<string>;
  /** The probe Pod never finishes (a timeout test). */
  podHangs: boolean;
}

export interface FixtureCluster {
  distribution: FixtureDistribution;
  version: Record<string, string>;
  /** /api */
  coreApi: Record<string, unknown>;
  /** /apis: the APIGroupList. */
  apiGroups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion: { groupVersion: string; version: string } }>;
  nodes: KubeObject[];
  pods: KubeObject[];
  daemonSets: KubeObject[];
  storageClasses: KubeObject[];
  ingressClasses: KubeObject[];
  crds: KubeObject[];
  namespaces: KubeObject[];
  secrets: KubeObject[];
  configMaps: KubeObject[];
  /** What support-bundle collects per namespace (./fixture-workloads.ts adds them). */
  events: KubeObject[];
  deployments: KubeObject[];
  statefulSets: KubeObject[];
  jobs: KubeObject[];
  persistentVolumeClaims: KubeObject[];
  /** Container logs by logKey(namespace, pod, container, previous): the kubelet's lines with their timestamps. */
  logs: Map<string, LogLine[]>;
  /** SelfSubjectAccessReview answers: a check matching one of these is denied. */
  deny: Array<{ namespace?: string | null; verb?: string; group?: string; resource?: string }>;
  /** Forced answers by "METHOD /path" (no query), e.g. 'GET /api/v1/nodes': 403; `*` stands for one path segment. */
  statusOverrides: Map<string, number>;
  /** The bearer token the server accepts (null: any request is accepted). */
  token: string | null;
  network: FixtureNetwork;
}

const FIXTURES = join(REPO, 'test', 'fixtures', 'clusters');

function fixture<T>(distribution: FixtureDistribution, file: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, distribution, file), 'utf8')) as T;
}

const items = (distribution: FixtureDistribution, file: string) => fixture<{ items: KubeObject[] }>(distribution, file).items;

/** A fresh, healthy model of the distribution's recorded cluster (each call a new copy). */
export function baseCluster(distribution: FixtureDistribution): FixtureCluster {
  return {
    distribution,
    version: fixture(distribution, 'version.json'),
    coreApi: fixture(distribution, 'api.json'),
    apiGroups: fixture<{ groups: FixtureCluster['apiGroups'] }>(distribution, 'apis.json').groups,
    nodes: items(distribution, 'nodes.json'),
    pods: items(distribution, 'pods.json'),
    daemonSets: items(distribution, 'daemonsets.json'),
    storageClasses: items(distribution, 'storageclasses.json'),
    ingressClasses: items(distribution, 'ingressclasses.json'),
    crds: items(distribution, 'crds.json'),
    namespaces: items(distribution, 'namespaces.json'),
    secrets: [],
    configMaps: [],
    events: [],
    deployments: [],
    statefulSets: [],
    jobs: [],
    persistentVolumeClaims: [],
    logs: new Map(),
    deny: [],
    statusOverrides: new Map(),
    token: null,
    network: { pullableImages: new Set(), resolvable: new Set(), reachable: new Set(), podHangs: false },
  };
}

let sequence = 0;
/** Metadata as the API server fills it in (uid, resourceVersion, creationTimestamp). */
export const objectMeta = (name: string, namespace?: string, labels?: Record<string, string>) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
  resourceVersion: String(500000 + sequence),
  creationTimestamp: '2026-11-20T08:00:00Z',
  ...(labels ? { labels } : {}),
});

/** The labels GPU nodes carry on each distribution (the cloud's accelerator labels, the GPU Operator's product label on-prem). */
function gpuLabels(distribution: FixtureDistribution, product: string, instanceType: string): Record<string, string> {
  const ours = { 'installctl.dev/pool': 'gpu', 'nvidia.com/gpu.present': 'true' };
  switch (distribution) {
    case 'eks':
      return {
        ...ours,
        'eks.amazonaws.com/nodegroup': 'gpu',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'node.kubernetes.io/instance-type': instanceType,
        'k8s.amazonaws.com/accelerator': 'nvidia',
      };
    case 'aks':
      return {
        ...ours,
        agentpool: 'gpu',
        'kubernetes.azure.com/agentpool': 'gpu',
        'kubernetes.azure.com/accelerator': 'nvidia',
        'kubernetes.azure.com/cluster': 'MC_rg-agents-prod_aks-agents-prod_westeurope',
        'node.kubernetes.io/instance-type': instanceType,
      };
    case 'gke':
      return {
        ...ours,
        'cloud.google.com/gke-nodepool': 'gpu',
        'cloud.google.com/gke-accelerator': product,
        'cloud.google.com/gke-gpu': 'true',
        'node.kubernetes.io/instance-type': instanceType,
      };
    case 'openshift':
      return {
        ...ours,
        'node-role.kubernetes.io/worker': '',
        'node.openshift.io/os_id': 'rhcos',
        'nvidia.com/gpu.product': product,
        'feature.node.kubernetes.io/pci-10de.present': 'true',
      };
    case 'rke2':
      return { ...ours, 'node.kubernetes.io/instance-type': 'rke2', 'nvidia.com/gpu.product': product };
    case 'vanilla':
      return { ...ours, 'nvidia.com/gpu.product': product };
  }
}

export interface GpuNodeOptions {
  count: number;
  gpusPerNode: number;
  /** The product label value (gpu.product, or gke-accelerator on GKE). */
  product?: string;
  instanceType?: string;
  /** GPUs already requested by running Pods on each node. */
  requestedPerNode?: number;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

/** Adds GPU nodes with nvidia.com/gpu capacity and allocatable, the platform's labels and the installctl GPU taint. */
export function addGpuNodes(cluster: FixtureCluster, options: GpuNodeOptions): string[] {
  const product = options.product ?? (cluster.distribution === 'gke' ? 'nvidia-l4' : 'NVIDIA-A100-SXM4-80GB');
  const instanceType = options.instanceType ?? 'g5.12xlarge';
  const names: string[] = [];
  for (let index = 0; index < options.count; index++) {
    const name = `gpu-node-${cluster.distribution}-${index}`;
    const gpus = String(options.gpusPerNode);
    cluster.nodes.push({
      metadata: objectMeta(name, undefined, {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...gpuLabels(cluster.distribution, product, instanceType),
      }),
      spec: { taints: options.taints ?? [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '48', memory: '195706460Ki', pods: '110', 'nvidia.com/gpu': gpus, 'ephemeral-storage': '203056560Ki' },
        allocatable: { cpu: '47810m', memory: '192388188Ki', pods: '110', 'nvidia.com/gpu': gpus, 'ephemeral-storage': '187136760190' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: '2026-12-02T22:40:11Z',
            lastTransitionTime: '2026-11-20T08:01:00Z',
          },
        ],
        nodeInfo: {
          kubeletVersion: String(cluster.version.gitVersion),
          osImage: 'Ubuntu 22.04.5 LTS',
          containerRuntimeVersion: 'containerd://1.7.24',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
    if (options.requestedPerNode)
      cluster.pods.push({
        metadata: objectMeta(`training-${index}`, 'ml-batch'),
        spec: {
          nodeName: name,
          containers: [
            {
              name: 'train',
              image: 'registry.example/train:1',
              resources: { requests: { 'nvidia.com/gpu': String(options.requestedPerNode), cpu: '4' }, limits: { 'nvidia.com/gpu': String(options.requestedPerNode) } },
            },
          ],
        },
        status: { phase: 'Running' },
      });
    names.push(name);
  }
  return names;
}

export function addNamespace(cluster: FixtureCluster, name: string, labels: Record<string, string> = {}): void {
  cluster.namespaces.push({
    metadata: objectMeta(name, undefined, { 'kubernetes.io/metadata.name': name, ...labels }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A Secret with `data` base64-encoded as the API returns it. */
export function addSecret(cluster: FixtureCluster, namespace: string, name: string, data: Record<string, string>, type = 'Opaque'): void {
  cluster.secrets.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: objectMeta(name, namespace),
    type,
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, base64(value)])),
  });
}

/** A kubernetes.io/dockerconfigjson pull secret for the registries, with a credential per registry. */
export function addPullSecret(cluster: FixtureCluster, namespace: string, name: string, registries: Record<string, { username: string; password: string }>): void {
  const auths = Object.fromEntries(
    Object.entries(registries).map(([host, login]) => [host, { username: login.username, password: login.password, auth: base64(`${login.username}:${login.password}`) }]),
  );
  addSecret(cluster, namespace, name, { '.dockerconfigjson': JSON.stringify({ auths }) }, 'kubernetes.io/dockerconfigjson');
}

export function addConfigMap(cluster: FixtureCluster, namespace: string, name: string, data: Record<string, string>, binaryData: Record<string, string> = {}): void {
  cluster.configMaps.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: objectMeta(name, namespace), data, ...(Object.keys(binaryData).length ? { binaryData } : {}) });
}

/** Adds an API group (and its CRDs' group) to discovery, e.g. external-secrets.io/v1beta1. */
export function addApiGroup(cluster: FixtureCluster, group: string, versions: string[]): void {
  const listed = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  cluster.apiGroups.push({ name: group, versions: listed, preferredVersion: listed[0]! });
}

export function addCrd(cluster: FixtureCluster, group: string, plural: string, kind: string, versions: string[]): void {
  cluster.crds.push({
    metadata: objectMeta(`${plural}.${group}`),
    spec: {
      group,
      names: { plural, kind, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: versions.map((name, index) => ({
        name,
        served: true,
        storage: index === 0,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      })),
    },
  });
}
