/**
 * Which Kubernetes distribution a cluster is, from what it shows of itself: the version suffix its
 * build carries (v1.31.4-eks-..., v1.31.5-gke.1233000, v1.31.4+rke2r1, v1.31.4+k3s1), the labels its
 * node agents set (eks.amazonaws.com/nodegroup, kubernetes.azure.com/cluster,
 * cloud.google.com/gke-nodepool, node.openshift.io/os_id), the API groups only it serves
 * (config.openshift.io, route.openshift.io) and the system DaemonSets it runs. Pure: collectors pass
 * what they saw; the distribution with the most signals wins, and with none the cluster is vanilla.
 */
import { visibleLine } from '../lib/visible-text.js';

export type DistributionName = 'eks' | 'aks' | 'gke' | 'openshift' | 'rke2' | 'k3s' | 'vanilla';

export interface DistributionInput {
  version: { gitVersion: string } | null;
  nodes: ReadonlyArray<{ labels: Record<string, string | undefined> }>;
  apiResources: readonly string[];
  daemonSets: ReadonlyArray<{ namespace: string; name: string }>;
}

export interface DetectedDistribution {
  name: DistributionName;
  /** What pointed to it (version suffix, node labels, API groups, DaemonSets). */
  signals: string[];
}

type Detected = Exclude<DistributionName, 'vanilla'>;

interface Rules {
  /** Matched against gitVersion. */
  version: RegExp | null;
  /** Node label keys, or key=value. */
  nodeLabels: string[];
  apiGroups: string[];
  daemonSets: string[];
}

/** In order of precedence when two distributions show as many signals (OpenShift on a cloud shows cloud labels too). */
const RULES: Record<Detected, Rules> = {
  openshift: { version: null, nodeLabels: ['node.openshift.io/os_id'], apiGroups: ['config.openshift.io', 'route.openshift.io', 'security.openshift.io'], daemonSets: [] },
  eks: {
    version: /-eks-/,
    nodeLabels: ['eks.amazonaws.com/nodegroup', 'eks.amazonaws.com/compute-type'],
    apiGroups: ['vpcresources.k8s.aws'],
    daemonSets: ['kube-system/aws-node'],
  },
  aks: {
    version: null,
    nodeLabels: ['kubernetes.azure.com/cluster', 'kubernetes.azure.com/agentpool'],
    apiGroups: [],
    daemonSets: ['kube-system/azure-cns', 'kube-system/azure-ip-masq-agent'],
  },
  gke: {
    version: /-gke\./,
    nodeLabels: ['cloud.google.com/gke-nodepool', 'cloud.google.com/gke-os-distribution'],
    apiGroups: ['networking.gke.io'],
    daemonSets: ['kube-system/gke-metadata-server'],
  },
  rke2: {
    version: /\+rke2r\d+/,
    nodeLabels: ['node.kubernetes.io/instance-type=rke2'],
    apiGroups: [],
    daemonSets: ['kube-system/rke2-canal', 'kube-system/rke2-ingress-nginx-controller'],
  },
  k3s: { version: /\+k3s\d+/, nodeLabels: ['node.kubernetes.io/instance-type=k3s'], apiGroups: ['k3s.cattle.io'], daemonSets: ['kube-system/svclb-traefik'] },
};

const SIGNAL_MAX = 300;
const SIGNALS_MAX = 20;

const signal = (text: string) => {
  const line = visibleLine(text);
  return line.length <= SIGNAL_MAX ? line : `${line.slice(0, SIGNAL_MAX - 1)}…`;
};

function nodesWithLabel(nodes: DistributionInput['nodes'], label: string): number {
  const [key, value] = label.split('=') as [string, string | undefined];
  return nodes.filter((node) => Object.hasOwn(node.labels, key) && (value === undefined || node.labels[key] === value)).length;
}

function signalsFor(rules: Rules, input: DistributionInput): string[] {
  const found: string[] = [];
  const gitVersion = input.version?.gitVersion ?? '';
  const suffix = rules.version?.exec(gitVersion);
  if (suffix) found.push(signal(`version ${gitVersion} carries ${suffix[0]}`));
  for (const label of rules.nodeLabels) {
    const count = nodesWithLabel(input.nodes, label);
    if (count > 0) found.push(signal(`node label ${label} on ${count} of ${input.nodes.length} nodes`));
  }
  const groups = new Set(input.apiResources.map((resource) => (resource.includes('/') ? resource.slice(0, resource.lastIndexOf('/')) : '')));
  for (const group of rules.apiGroups) if (groups.has(group)) found.push(signal(`API group ${group} is served`));
  for (const daemonSet of rules.daemonSets) if (input.daemonSets.some((item) => `${item.namespace}/${item.name}` === daemonSet)) found.push(signal(`DaemonSet ${daemonSet} runs`));
  return found;
}

export function detectDistribution(input: DistributionInput): DetectedDistribution {
  let best: DetectedDistribution = { name: 'vanilla', signals: [] };
  for (const name of Object.keys(RULES) as Detected[]) {
    const signals = signalsFor(RULES[name], input);
    if (signals.length > best.signals.length) best = { name, signals };
  }
  if (best.name === 'vanilla')
    return { name: 'vanilla', signals: [signal(`no distribution's version suffix, node labels, API groups or DaemonSets (version ${input.version?.gitVersion ?? 'unknown'})`)] };
  return { name: best.name, signals: best.signals.slice(0, SIGNALS_MAX) };
}
