/** detectDistribution: table-driven over the signals each distribution really shows. */
import { describe, expect, it } from 'vitest';
import { detectDistribution, type DistributionInput, type DistributionName } from '../../cli/preflight/distribution.js';

const CORE = ['v1', 'apps/v1', 'networking.k8s.io/v1', 'storage.k8s.io/v1'];
const input = (overrides: Partial<DistributionInput>): DistributionInput => ({
  version: { gitVersion: 'v1.31.4' },
  nodes: [{ labels: {} }],
  apiResources: CORE,
  daemonSets: [],
  ...overrides,
});
const labelled = (labels: Record<string, string>) => [{ labels }, { labels }];

const CASES: Array<[string, DistributionInput, DistributionName]> = [
  ['EKS by its version suffix alone', input({ version: { gitVersion: 'v1.31.4-eks-2d5f260' } }), 'eks'],
  ['EKS by its node group label', input({ nodes: labelled({ 'eks.amazonaws.com/nodegroup': 'system' }) }), 'eks'],
  ['EKS by aws-node', input({ daemonSets: [{ namespace: 'kube-system', name: 'aws-node' }] }), 'eks'],
  [
    'AKS by its cluster label (plain gitVersion)',
    input({ nodes: labelled({ 'kubernetes.azure.com/cluster': 'MC_rg_aks_westeurope', 'kubernetes.azure.com/agentpool': 'system' }) }),
    'aks',
  ],
  ['GKE by its version suffix', input({ version: { gitVersion: 'v1.31.5-gke.1233000' } }), 'gke'],
  ['GKE by its node pool label', input({ nodes: labelled({ 'cloud.google.com/gke-nodepool': 'default-pool' }) }), 'gke'],
  ['OpenShift by its API groups', input({ apiResources: [...CORE, 'config.openshift.io/v1', 'route.openshift.io/v1'] }), 'openshift'],
  ['OpenShift by the RHCOS node label', input({ nodes: labelled({ 'node.openshift.io/os_id': 'rhcos' }) }), 'openshift'],
  ['RKE2 by its version suffix', input({ version: { gitVersion: 'v1.31.4+rke2r1' } }), 'rke2'],
  [
    'RKE2 by its instance-type label and canal',
    input({ nodes: labelled({ 'node.kubernetes.io/instance-type': 'rke2' }), daemonSets: [{ namespace: 'kube-system', name: 'rke2-canal' }] }),
    'rke2',
  ],
  ['k3s by its version suffix', input({ version: { gitVersion: 'v1.31.4+k3s1' } }), 'k3s'],
  [
    'vanilla kubeadm with Calico',
    input({ daemonSets: [{ namespace: 'calico-system', name: 'calico-node' }], nodes: labelled({ 'node-role.kubernetes.io/control-plane': '' }) }),
    'vanilla',
  ],
  ['vanilla when nothing was collected', { version: null, nodes: [], apiResources: [], daemonSets: [] }, 'vanilla'],
  // ROSA: OpenShift on AWS nodes shows its API groups and RHCOS, not an EKS node group.
  [
    'OpenShift on AWS',
    input({
      apiResources: [...CORE, 'config.openshift.io/v1', 'route.openshift.io/v1', 'security.openshift.io/v1'],
      nodes: labelled({ 'node.openshift.io/os_id': 'rhcos', 'topology.kubernetes.io/region': 'us-east-1' }),
    }),
    'openshift',
  ],
  ['a node label key with another value is no signal', input({ nodes: labelled({ 'node.kubernetes.io/instance-type': 'm6i.2xlarge' }) }), 'vanilla'],
];

describe('detectDistribution', () => {
  it.each(CASES)('%s', (_name, given, expected) => {
    const detected = detectDistribution(given);
    expect(detected.name).toBe(expected);
    expect(detected.signals.length).toBeGreaterThan(0);
  });

  it('names what pointed to the distribution', () => {
    expect(detectDistribution(input({ version: { gitVersion: 'v1.31.4-eks-2d5f260' }, nodes: labelled({ 'eks.amazonaws.com/nodegroup': 'gpu' }) })).signals).toEqual([
      'version v1.31.4-eks-2d5f260 carries -eks-',
      'node label eks.amazonaws.com/nodegroup on 2 of 2 nodes',
    ]);
  });

  it('shows a hostile version string escaped and bounded', () => {
    const detected = detectDistribution(input({ version: { gitVersion: `v1.31.4-eks-\x1b[2J${'x'.repeat(400)}` } }));
    expect(detected.signals[0]).toContain('\\x1b[2J');
    expect(detected.signals[0]!.length).toBeLessThanOrEqual(300);
  });
});
