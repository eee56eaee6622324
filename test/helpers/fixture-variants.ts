/**
 * API-level twins of the evidence variants (./preflight-variants.ts): the same breakage made to a
 * FixtureCluster's objects, as a real cluster would be broken, so the real client collects it. Each
 * twin has its evidence variant's name and takes its `expect` from it: the expectations have one
 * source (test/preflight/cells.int.test.ts asserts every evidence variant has a twin).
 */
import type { PreflightRequirements } from '../../cli/preflight/requirements.js';
import type { CheckOutcome } from '../../cli/preflight/types.js';
import type { FixtureCluster, KubeObject } from './fixture-cluster.js';
import { gpuNodesOf, healthyFixtureCluster, systemNodesOf } from './fixture-cluster-for.js';
import { VERSION_SUFFIX } from './preflight-evidence.js';
import { EVIDENCE_VARIANTS, endedVersion, otherSupportedVersion } from './preflight-variants.js';

export interface FixtureVariant {
  name: string;
  expect(requirements: PreflightRequirements, now: Date): Record<string, CheckOutcome> | null;
  /** Breaks the cluster model in place (the fixture server reads it live). */
  apply(cluster: FixtureCluster, requirements: PreflightRequirements, now: Date): void;
}

const GPU = 'nvidia.com/gpu';
type NodeStatus = { allocatable: Record<string, string>; capacity: Record<string, string> };
type NodeSpec = { taints?: Array<{ key: string; value?: string; effect: string }> };
const statusOf = (node: KubeObject) => node.status as NodeStatus;

/** /version of the distribution's build style at minor `version` (e.g. 1.29 -> v1.29.2-eks-3025e55). */
function setVersion(cluster: FixtureCluster, version: string): void {
  const minor = version.split('.')[1]!;
  const styled = VERSION_SUFFIX[cluster.distribution](minor);
  cluster.version = { ...cluster.version, gitVersion: styled.gitVersion, major: version.split('.')[0]!, minor: styled.minor };
}

let podSequence = 0;
/** A running Pod on `node` requesting `requests` (what the scheduler and the pods collector count). */
function addRunningPod(cluster: FixtureCluster, node: string, requests: Record<string, string>): void {
  const name = `busy-${++podSequence}`;
  cluster.pods.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'batch-jobs', uid: `pod-${podSequence}`, resourceVersion: String(600000 + podSequence), creationTimestamp: '2026-12-01T10:00:00Z' },
    spec: { nodeName: node, containers: [{ name: 'work', image: 'registry.example/work:1', resources: { requests, limits: requests } }] },
    status: { phase: 'Running' },
  });
}

const ENFORCER = /^(cilium|calico-node|canal|rke2-canal|anetd|azure-npm|antrea-agent|kube-router|weave-net|ovnkube-node|sdn)$/;

function withoutGroupVersions(cluster: FixtureCluster, drop: (groupVersion: string) => boolean): void {
  cluster.apiGroups = cluster.apiGroups
    .map((group) => {
      const versions = group.versions.filter((version) => !drop(version.groupVersion));
      return { ...group, versions, preferredVersion: versions.some((version) => version.version === group.preferredVersion.version) ? group.preferredVersion : versions[0]! };
    })
    .filter((group) => group.versions.length > 0);
}

const platformNamespace = (requirements: PreflightRequirements) => requirements.namespaces.find((entry) => entry.chart === 'agent-platform')!.name;
const findObject = (list: KubeObject[], namespace: string, name: string) => list.find((item) => item.metadata.namespace === namespace && item.metadata.name === name);

const TWINS: Record<string, FixtureVariant['apply']> = {
  'cluster version older than the calendar and the charts': (cluster) => setVersion(cluster, '1.29'),
  'cluster version out of all support': (cluster, requirements, now) => setVersion(cluster, endedVersion(requirements, now)!),
  'cluster version differs from spec.kubernetesVersion': (cluster, requirements, now) => setVersion(cluster, otherSupportedVersion(requirements, now)!),
  'wrong distribution': (cluster, requirements) => {
    // The whole cluster is another distribution's, healthy in every other way for this install.
    Object.assign(cluster, healthyFixtureCluster(requirements, requirements.distributions.includes('eks') ? 'gke' : 'eks'));
  },
  'nodes too small': (cluster) => {
    for (const node of systemNodesOf(cluster)) statusOf(node).allocatable = { ...statusOf(node).allocatable, cpu: '1', memory: '2Gi' };
  },
  'nodes full': (cluster) => {
    for (const node of systemNodesOf(cluster)) addRunningPod(cluster, node.metadata.name, { cpu: statusOf(node).allocatable.cpu! });
  },
  'no GPU allocatable': (cluster) => {
    for (const node of gpuNodesOf(cluster)) statusOf(node).allocatable = { ...statusOf(node).allocatable, [GPU]: '0' };
  },
  'GPUs all requested': (cluster) => {
    for (const node of gpuNodesOf(cluster)) addRunningPod(cluster, node.metadata.name, { [GPU]: statusOf(node).allocatable[GPU]! });
  },
  'enough GPUs in total but not on one node': (cluster, requirements) => {
    const largest = Math.max(...requirements.gpu!.models.map((model) => model.gpuCount));
    const [template] = gpuNodesOf(cluster);
    for (let index = 1; index <= 4; index++) {
      const copy = structuredClone(template!);
      const name = `gpu-extra-${index}`;
      cluster.nodes.push({ ...copy, metadata: { ...copy.metadata, name, uid: `node-${name}`, labels: { ...copy.metadata.labels, 'kubernetes.io/hostname': name } } });
    }
    for (const node of gpuNodesOf(cluster)) addRunningPod(cluster, node.metadata.name, { [GPU]: String(Number(statusOf(node).allocatable[GPU]) - (largest - 1)) });
  },
  'wrong GPU product label': (cluster, requirements) => {
    const key = requirements.gpu!.productLabel.key;
    for (const node of gpuNodesOf(cluster)) node.metadata.labels = { ...node.metadata.labels, [key]: 'other-product' };
  },
  'untolerated taint on the GPU nodes': (cluster) => {
    for (const node of gpuNodesOf(cluster)) (node.spec as NodeSpec).taints = [...((node.spec as NodeSpec).taints ?? []), { key: 'dedicated', value: 'ml', effect: 'NoSchedule' }];
  },
  'device plugin: missing where the platform or GPU Operator runs it, doubled where the chart does': (cluster, requirements) => {
    if (requirements.gpu!.software !== 'chart-device-plugin') {
      cluster.daemonSets = cluster.daemonSets.filter((set) => !/device-plugin/.test(set.metadata.name));
      return;
    }
    cluster.daemonSets.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'nvidia-device-plugin-daemonset', namespace: 'kube-system', uid: 'ds-nvidia-extra', resourceVersion: '400500', creationTimestamp: '2026-11-20T08:00:00Z' },
      spec: {
        selector: { matchLabels: { name: 'nvidia-device-plugin-ds' } },
        template: {
          metadata: { labels: { name: 'nvidia-device-plugin-ds' } },
          spec: { containers: [{ name: 'nvidia-device-plugin-ctr', image: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.0' }] },
        },
      },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2 },
    });
  },
  'missing storage class': (cluster, requirements) => {
    const named = new Set(requirements.storage.claims.map((claim) => claim.storageClass));
    cluster.storageClasses = cluster.storageClasses.filter((candidate) => !named.has(candidate.metadata.name));
  },
  'storage class binds Immediate': (cluster) => {
    for (const candidate of cluster.storageClasses) candidate.volumeBindingMode = 'Immediate';
  },
  'missing ingress class or Route API': (cluster) => {
    cluster.ingressClasses = [];
    withoutGroupVersions(cluster, (groupVersion) => groupVersion === 'route.openshift.io/v1' || groupVersion === 'cloud.google.com/v1');
  },
  'missing CRD': (cluster, requirements) => {
    const needed = new Set(requirements.crds.map((crd) => crd.name));
    cluster.crds = cluster.crds.filter((crd) => !needed.has(crd.metadata.name));
  },
  'no NetworkPolicy enforcer': (cluster) => {
    cluster.daemonSets = cluster.daemonSets.filter((set) => !ENFORCER.test(set.metadata.name));
    for (const set of cluster.daemonSets.filter((candidate) => candidate.metadata.name === 'aws-node'))
      for (const container of (set.spec as { template: { spec: { containers: Array<{ args?: string[] | null }> } } }).template.spec.containers)
        container.args = (container.args ?? []).filter((arg) => !arg.startsWith('--enable-network-policy'));
    withoutGroupVersions(cluster, (groupVersion) => /^network\.openshift\.io\/|^k8s\.ovn\.org\//.test(groupVersion));
  },
  'SelfSubjectAccessReview denies creating Deployments': (cluster, requirements) => {
    cluster.deny.push({ namespace: platformNamespace(requirements), verb: 'create', group: 'apps', resource: 'deployments' });
  },
  'missing secret': (cluster, requirements) => {
    const [first] = requirements.secrets;
    cluster.secrets = cluster.secrets.filter((secret) => secret !== findObject(cluster.secrets, first!.namespace, first!.name));
  },
  'secret without a key the values read': (cluster, requirements) => {
    const [first] = requirements.secrets;
    const secret = findObject(cluster.secrets, first!.namespace, first!.name)!;
    const data = { ...(secret.data as Record<string, string>) };
    delete data[first!.keys[first!.keys.length - 1]!];
    secret.data = data;
  },
  'configmap without the key the values read': (cluster, requirements) => {
    const [first] = requirements.configMaps;
    const configMap = findObject(cluster.configMaps, first!.namespace, first!.name)!;
    configMap.data = { 'ca.pem': '-----BEGIN CERTIFICATE-----' };
  },
  'pull secret missing': (cluster, requirements) => {
    const pull = findObject(cluster.secrets, platformNamespace(requirements), requirements.pullSecret!.name);
    cluster.secrets = cluster.secrets.filter((secret) => secret !== pull);
  },
  'pull secret for another registry': (cluster, requirements) => {
    const auths = { 'https://index.docker.io/v1/': { username: 'someone', password: 'not-the-mirror', auth: Buffer.from('someone:not-the-mirror').toString('base64') } };
    for (const secret of cluster.secrets.filter((candidate) => candidate.metadata.name === requirements.pullSecret!.name))
      secret.data = { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths })).toString('base64') };
  },
};

/** Every evidence variant's twin, in EVIDENCE_VARIANTS' order, with its expect; a variant without a twin is a missing twin (see missingTwins). */
export const FIXTURE_VARIANTS: readonly FixtureVariant[] = EVIDENCE_VARIANTS.filter((variant) => TWINS[variant.name]).map((variant) => ({
  name: variant.name,
  expect: variant.expect,
  apply: TWINS[variant.name]!,
}));

/** Evidence variants with no API twin, and twins whose evidence variant is gone. */
export function missingTwins(): { withoutTwin: string[]; orphanTwins: string[] } {
  const evidenceNames = new Set(EVIDENCE_VARIANTS.map((variant) => variant.name));
  return {
    withoutTwin: EVIDENCE_VARIANTS.filter((variant) => !TWINS[variant.name]).map((variant) => variant.name),
    orphanTwins: Object.keys(TWINS).filter((name) => !evidenceNames.has(name)),
  };
}
