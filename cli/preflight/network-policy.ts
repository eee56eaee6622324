/**
 * network-policy-enforcement: the charts' NetworkPolicies do nothing unless the CNI enforces them.
 * Enforcers recognised from their DaemonSets (or, on OpenShift, the network APIs): the VPC CNI's
 * policy agent (aws-node with --enable-network-policy=true), Cilium, Calico (calico-node, canal),
 * GKE Dataplane V2 (anetd), Azure Network Policy Manager, Antrea, kube-router, Weave; OpenShift SDN
 * or OVN-Kubernetes; k3s's embedded controller. None found: warn (the install works, unisolated).
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { checkResult, shown, type Analyzer } from './analyzer-kit.js';

const BY_NAME: Array<[RegExp, string]> = [
  [/^cilium$/, 'Cilium'],
  [/^(calico-node|canal|rke2-canal)$/, 'Calico'],
  [/^anetd$/, 'GKE Dataplane V2 (anetd)'],
  [/^azure-npm$/, 'Azure Network Policy Manager'],
  [/^antrea-agent$/, 'Antrea'],
  [/^kube-router$/, 'kube-router'],
  [/^weave-net$/, 'Weave Net'],
  [/^ovnkube-node$/, 'OVN-Kubernetes'],
  [/^sdn$/, 'OpenShift SDN'],
];

const OPENSHIFT_NETWORK_APIS: Array<[string, string]> = [
  ['k8s.ovn.org/v1', 'OVN-Kubernetes (k8s.ovn.org)'],
  ['network.openshift.io/v1', 'OpenShift SDN (network.openshift.io)'],
];

/** What enforces NetworkPolicies, with the evidence for it; empty when nothing does. */
export function policyEnforcers(evidence: PreflightEvidence): string[] {
  const found: string[] = [];
  for (const set of evidence.daemonSets) {
    const named = BY_NAME.find(([pattern]) => pattern.test(set.name));
    if (named) found.push(`${named[1]}: DaemonSet ${shown(set.namespace)}/${shown(set.name)}`);
    if (set.name === 'aws-node' && set.containers.some((container) => container.args.includes('--enable-network-policy=true')))
      found.push(`the VPC CNI network policy agent: ${shown(set.namespace)}/aws-node with --enable-network-policy=true`);
  }
  if (evidence.distribution?.name === 'openshift') for (const [groupVersion, label] of OPENSHIFT_NETWORK_APIS) if (evidence.apiResources.includes(groupVersion)) found.push(label);
  if (evidence.distribution?.name === 'k3s') found.push("k3s's embedded network policy controller");
  return found;
}

const REMEDY: Record<string, string> = {
  aws: 'enable network policy in the VPC CNI add-on (configuration enableNetworkPolicy: "true"), or install Calico or Cilium',
  azure: 'create the cluster with --network-policy azure or cilium (AKS cannot add it later to a cluster without one)',
  gcp: 'enable Dataplane V2 or network policy enforcement on the GKE cluster',
  onprem: 'run a CNI that enforces NetworkPolicies (Calico, Cilium, Antrea); OpenShift enforces them with OVN-Kubernetes',
};

export const networkPolicyEnforcement: Analyzer = (requirements, evidence) => {
  const id = 'network-policy-enforcement';
  const enforcers = policyEnforcers(evidence);
  const namespaces = requirements.networkPolicyNamespaces.join(', ');
  return enforcers.length
    ? [checkResult(id, 'pass', `NetworkPolicies in ${namespaces} are enforced by ${enforcers.join('; ')}`, '')]
    : [
        checkResult(
          id,
          'warn',
          `the charts isolate ${namespaces} with NetworkPolicies, but nothing in the cluster enforces them (no Calico, Cilium, Dataplane V2, VPC CNI policy agent, OVN or other enforcer found): the pods would run unisolated`,
          REMEDY[requirements.platform] ?? REMEDY.onprem!,
        ),
      ];
};
