/**
 * Evidence as cli/cluster would record it from a healthy cluster of a distribution, built from an
 * install's requirements: every check passes on it. Tests break one API object at a time (see
 * test/preflight/variants.ts) and expect the check that reads it to fail.
 */
import type { PreflightEvidence } from '../../cli/generated/preflight-evidence.js';
import validatePreflightEvidence from '../../cli/generated/preflight-evidence.validator.js';
import type { DistributionName, PreflightRequirements } from '../../cli/preflight/requirements.js';
import { COLLECTORS } from '../../cli/preflight/types.js';
import { GPU_TAINT } from '../../stacks/decisions/gpu.js';

type Node = PreflightEvidence['nodes'][number];

/** As the API writes them: cpu in millicores (3920m), memory in Ki (16266544Ki). */
const formatQuantityForTest = (amount: number, resource: 'cpu' | 'memory') => (resource === 'cpu' ? `${amount}m` : `${Math.ceil(amount / 1024)}Ki`);
type DaemonSet = PreflightEvidence['daemonSets'][number];

export const VERSION_SUFFIX: Record<DistributionName, (minor: string) => { gitVersion: string; minor: string }> = {
  eks: (minor) => ({ gitVersion: `v1.${minor}.2-eks-3025e55`, minor: `${minor}+` }),
  aks: (minor) => ({ gitVersion: `v1.${minor}.3`, minor }),
  gke: (minor) => ({ gitVersion: `v1.${minor}.1-gke.1200000`, minor: `${minor}+` }),
  openshift: (minor) => ({ gitVersion: `v1.${minor}.5`, minor }),
  rke2: (minor) => ({ gitVersion: `v1.${minor}.4+rke2r1`, minor }),
  k3s: (minor) => ({ gitVersion: `v1.${minor}.4+k3s1`, minor }),
  vanilla: (minor) => ({ gitVersion: `v1.${minor}.0`, minor }),
};

/** The distribution a platform's healthy cluster is (onprem: by the requirement's first accepted one). */
export function healthyDistribution(requirements: PreflightRequirements): DistributionName {
  return requirements.distributions[0]!;
}

const daemonSet = (namespace: string, name: string, containers: Array<{ name: string; image: string; args?: string[] }>): DaemonSet => ({
  namespace,
  name,
  labels: { 'app.kubernetes.io/name': name },
  containers: containers.map((container) => ({ name: container.name, image: container.image, args: container.args ?? [] })),
  desired: 3,
  ready: 3,
});

/** The CNI (and the NetworkPolicy enforcer) each distribution runs by default in these fixtures. */
export const POLICY_ENFORCER: Record<DistributionName, DaemonSet | null> = {
  eks: daemonSet('kube-system', 'aws-node', [
    { name: 'aws-node', image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.2' },
    { name: 'aws-eks-nodeagent', image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6', args: ['--enable-network-policy=true'] },
  ]),
  aks: daemonSet('kube-system', 'cilium', [{ name: 'cilium-agent', image: 'mcr.microsoft.com/oss/cilium/cilium:1.16.6' }]),
  gke: daemonSet('kube-system', 'anetd', [{ name: 'cilium-agent', image: 'gke.gcr.io/cilium/cilium:v1.15.7-gke.1' }]),
  openshift: daemonSet('openshift-ovn-kubernetes', 'ovnkube-node', [
    { name: 'ovnkube-controller', image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:' + 'a'.repeat(64) },
  ]),
  rke2: daemonSet('kube-system', 'rke2-canal', [{ name: 'calico-node', image: 'rancher/hardened-calico:v3.29.1-build20250117' }]),
  k3s: null,
  vanilla: daemonSet('calico-system', 'calico-node', [{ name: 'calico-node', image: 'docker.io/calico/node:v3.29.1' }]),
};

const DEVICE_PLUGIN: Record<string, DaemonSet | null> = {
  'chart-device-plugin': null,
  'platform-managed': daemonSet('kube-system', 'nvidia-gpu-device-plugin-small-cos', [
    { name: 'nvidia-gpu-device-plugin', image: 'gke.gcr.io/nvidia-gpu-device-plugin@sha256:' + 'b'.repeat(64) },
  ]),
  'gpu-operator': daemonSet('gpu-operator', 'nvidia-device-plugin-daemonset', [{ name: 'nvidia-device-plugin', image: 'nvcr.io/nvidia/k8s-device-plugin:v0.17.2' }]),
};

const API_RESOURCES: Record<DistributionName, string[]> = {
  eks: ['elbv2.k8s.aws/v1beta1', 'vpcresources.k8s.aws/v1beta1'],
  aks: ['approuting.kubernetes.azure.com/v1alpha1'],
  gke: ['cloud.google.com/v1', 'networking.gke.io/v1'],
  openshift: ['route.openshift.io/v1', 'config.openshift.io/v1', 'k8s.ovn.org/v1', 'security.openshift.io/v1'],
  rke2: ['helm.cattle.io/v1'],
  k3s: ['helm.cattle.io/v1', 'k3s.cattle.io/v1'],
  vanilla: [],
};

const CORE_APIS = ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'policy/v1', 'storage.k8s.io/v1', 'apiextensions.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v2'];

const INGRESS_CONTROLLER: Record<string, string> = { alb: 'ingress.k8s.aws/alb', 'webapprouting.kubernetes.azure.com': 'webapprouting.kubernetes.azure.com/nginx' };

const PROVISIONER: Record<PreflightRequirements['platform'], string> = {
  aws: 'ebs.csi.aws.com',
  azure: 'disk.csi.azure.com',
  gcp: 'pd.csi.storage.gke.io',
  onprem: 'csi.example.com',
};

function node(name: string, labels: Record<string, string>, cpuMillis: number, memoryBytes: number, extra: Record<string, string> = {}): Node {
  const allocatable = { cpu: formatQuantityForTest(cpuMillis, 'cpu'), memory: formatQuantityForTest(memoryBytes, 'memory'), pods: '110', ...extra };
  return {
    name,
    labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': 'zone-a', ...labels },
    taints: [],
    capacity: { ...allocatable, cpu: formatQuantityForTest(cpuMillis + 80, 'cpu') },
    allocatable,
    requested: { cpu: '250m', memory: '256Mi' },
    unschedulable: false,
    ready: true,
    kubeletVersion: 'v1.0.0',
    osImage: 'Linux',
    containerRuntimeVersion: 'containerd://2.0.5',
  };
}

/** System nodes that fit the platform's pods with room to spare: three, each able to hold half the total. */
function systemNodes(requirements: PreflightRequirements): Node[] {
  const cpu = requirements.platformPods.reduce((sum, pod) => sum + pod.replicas * pod.cpuMillis, 0);
  const memory = requirements.platformPods.reduce((sum, pod) => sum + pod.replicas * pod.memoryBytes, 0);
  const GiB = 1024 ** 3;
  return ['system-1', 'system-2', 'system-3'].map((name) =>
    node(name, { 'node.kubernetes.io/instance-type': 'system' }, Math.ceil(cpu / 2) + 2000, Math.ceil(memory / 2 / GiB + 4) * GiB),
  );
}

/** One GPU node per model replica, of the preset shape, carrying the chart's selector and the product label, tainted as the stacks taint them. */
function gpuNodes(requirements: PreflightRequirements): Node[] {
  const gpu = requirements.gpu;
  if (!gpu) return [];
  const replicas = gpu.models.reduce((sum, model) => sum + model.replicas, 0);
  const GiB = 1024 ** 3;
  return Array.from({ length: Math.max(replicas, 1) }, (_, index) => {
    const labels: Record<string, string> = { 'nvidia.com/gpu.present': 'true', ...gpu.nodeSelector, [gpu.productLabel.key]: gpu.productLabel.value };
    if (requirements.platform === 'gcp') labels['node.kubernetes.io/instance-type'] = gpu.shape.name;
    const gpuNode = node(`gpu-${index + 1}`, labels, gpu.shape.gpus * 12_000, gpu.shape.gpus * 96 * GiB, { 'nvidia.com/gpu': String(gpu.shape.gpus) });
    gpuNode.taints = [{ ...GPU_TAINT }];
    gpuNode.requested = { cpu: '100m', memory: '128Mi', 'nvidia.com/gpu': '0' };
    return gpuNode;
  });
}

function storageClasses(requirements: PreflightRequirements): PreflightEvidence['storageClasses'] {
  const names = [...new Set(requirements.storage.claims.map((claim) => claim.storageClass).filter(Boolean))];
  if (!names.length) names.push('standard');
  return names.map((name, index) => ({
    name,
    provisioner: PROVISIONER[requirements.platform],
    isDefault: index === 0,
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  }));
}

function references(requirements: PreflightRequirements): { secrets: PreflightEvidence['secrets']; configMaps: PreflightEvidence['configMaps'] } {
  const secrets: PreflightEvidence['secrets'] = requirements.secrets.map((reference) => ({
    namespace: reference.namespace,
    name: reference.name,
    found: true,
    type: reference.keys.includes('tls.crt') ? 'kubernetes.io/tls' : 'Opaque',
    keys: [...reference.keys].sort(),
    registries: [],
  }));
  const pull = requirements.pullSecret;
  if (pull)
    for (const namespace of pull.namespaces)
      secrets.push({ namespace, name: pull.name, found: true, type: 'kubernetes.io/dockerconfigjson', keys: ['.dockerconfigjson'], registries: [pull.registryHost] });
  const configMaps = requirements.configMaps.map((reference) => ({
    namespace: reference.namespace,
    name: reference.name,
    found: true,
    type: null,
    keys: [...reference.keys].sort(),
    registries: [],
  }));
  return { secrets, configMaps };
}

function activeEvidence(requirements: PreflightRequirements): NonNullable<PreflightEvidence['active']> {
  const plan = requirements.active;
  return {
    namespace: 'installctl-preflight-3f2a',
    image: plan.image,
    probes: [
      { id: 'image-pull', kind: 'image-pull', target: plan.image, ok: true, detail: 'pulled in 2.1s' },
      ...plan.endpoints.flatMap((endpoint) => [
        { id: endpoint.id, kind: 'dns' as const, target: endpoint.host, ok: true, detail: 'resolved to 10.0.12.7' },
        { id: endpoint.id, kind: 'tcp' as const, target: `${endpoint.host}:${endpoint.port}`, ok: true, detail: 'connected in 12ms' },
      ]),
      ...(plan.publicHost ? [{ id: 'public-egress', kind: 'public-egress' as const, target: `${plan.publicHost}:443`, ok: true, detail: 'connect timed out after 5s' }] : []),
    ],
    cleanedUp: true,
  };
}

export interface HealthyOptions {
  active?: boolean;
  now?: Date;
}

/** Evidence of a cluster of `distribution` on which every applicable check passes for these requirements. */
export function healthyEvidence(
  requirements: PreflightRequirements,
  distribution: DistributionName = healthyDistribution(requirements),
  options: HealthyOptions = {},
): PreflightEvidence {
  const minor = requirements.kubernetes.specVersion.split('.')[1]!;
  const version = VERSION_SUFFIX[distribution](minor);
  const gpu = requirements.gpu;
  const ingress = requirements.ingress;
  const { secrets, configMaps } = references(requirements);
  const evidence: PreflightEvidence = {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'PreflightEvidence',
    installctl: '0.0.0-test',
    collectedAt: (options.now ?? new Date('2026-12-02T00:00:00Z')).toISOString().replace(/\.\d+Z$/, 'Z'),
    install: { name: requirements.install.name, cell: requirements.install.cell, specSha256: '0'.repeat(64) },
    cluster: { context: 'test', server: 'https://127.0.0.1:6443', namespacePrefix: '' },
    collectors: Object.fromEntries(COLLECTORS.map((name) => [name, { status: name === 'active' && !options.active ? 'skipped' : 'ok', httpStatus: null, message: '' }])),
    version: { gitVersion: version.gitVersion, major: '1', minor: version.minor, platform: 'linux/amd64' },
    distribution: { name: distribution, signals: [`gitVersion ${version.gitVersion}`] },
    apiResources: [
      ...new Set([...CORE_APIS, ...API_RESOURCES[distribution], ...requirements.crds.map((crd) => `${crd.name.split('.').slice(1).join('.')}/${crd.version}`)]),
    ].sort(),
    nodes: [...systemNodes(requirements), ...gpuNodes(requirements)],
    daemonSets: [POLICY_ENFORCER[distribution], gpu ? DEVICE_PLUGIN[gpu.software]! : null].filter((set): set is DaemonSet => set !== null),
    storageClasses: storageClasses(requirements),
    ingressClasses:
      ingress?.kind === 'ingress-class' ? [{ name: ingress.className, controller: INGRESS_CONTROLLER[ingress.className] ?? 'k8s.io/ingress-nginx', isDefault: true }] : [],
    crds: requirements.crds.map((crd) => ({ name: crd.name, versions: [crd.version] })),
    namespaces: requirements.namespaces.map((namespace) => ({ name: namespace.name, exists: false, labels: {} })),
    accessReviews: requirements.access.map((check) => ({ ...check, allowed: true, reason: '' })),
    secrets,
    configMaps,
    active: options.active ? activeEvidence(requirements) : null,
  };
  return evidence;
}

/** The evidence schema's verdict: a helper that builds invalid evidence is a broken test. */
export function evidenceProblems(evidence: PreflightEvidence): string[] {
  return validatePreflightEvidence(evidence) ? [] : (validatePreflightEvidence.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
