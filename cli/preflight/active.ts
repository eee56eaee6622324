/**
 * The --active checks, over the probes cli/cluster ran from short-lived Pods. Probe ids the
 * collector records: `image-pull` (kind image-pull), each plan endpoint's id (kinds dns and tcp),
 * `public-egress` (kind public-egress: ok means the public host was NOT reachable).
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { checkResult, shown, type Analyzer } from './analyzer-kit.js';

type Probe = NonNullable<PreflightEvidence['active']>['probes'][number];

const probesOf = (evidence: PreflightEvidence, id: string, kind?: string): Probe[] =>
  (evidence.active?.probes ?? []).filter((probe) => probe.id === id && (!kind || probe.kind === kind));

/** The probe runs in a namespace of its own (installctl-preflight-*) or, with a pull secret, in the install's namespace: never delete that one. */
const ownNamespace = (namespace: string) => namespace.startsWith('installctl-preflight-');

const cleanup = (evidence: PreflightEvidence) =>
  evidence.active && !evidence.active.cleanedUp
    ? ownNamespace(evidence.active.namespace)
      ? `; the probe namespace ${shown(evidence.active.namespace)} was NOT deleted`
      : `; the probe Pod in ${shown(evidence.active.namespace)} was NOT deleted`
    : '';

/** How to remove what a probe left: its own namespace whole, or only the labelled probe Pod in the install's namespace. */
function leftoverRemedy(namespace: string): string {
  return ownNamespace(namespace)
    ? `delete it: kubectl delete namespace ${namespace}`
    : `delete it: kubectl -n ${namespace} delete pod -l app.kubernetes.io/managed-by=installctl,app.kubernetes.io/component=preflight-probe`;
}

/** A probe that could not tell (no tool in the image, or never ran) is neither a pass nor a fail. */
const cannotTell = (probe: Probe) => probe.detail.startsWith(CANNOT_TELL);
export const CANNOT_TELL = 'cannot tell';

export const activeImagePull: Analyzer = (requirements, evidence) => {
  const id = 'active-image-pull';
  const image = requirements.active.image;
  const [probe] = probesOf(evidence, 'image-pull', 'image-pull');
  const left = cleanup(evidence);
  if (!probe) return [checkResult(id, 'error', `no image-pull probe result${left}`, 'run preflight --active again', image)];
  const pullSecret = requirements.active.pullSecret ? ` with the pull Secret ${requirements.active.pullSecret}` : '';
  if (!probe.ok)
    return [
      checkResult(
        id,
        'fail',
        `a Pod could not pull ${image}${pullSecret}: ${shown(probe.detail, 400)}${left}`,
        'check that bundle push put the image in the mirror, that the nodes trust its CA, and the pull Secret',
        image,
      ),
    ];
  return [checkResult(id, left ? 'warn' : 'pass', `a Pod pulled ${image} by digest${pullSecret}${left}`, left ? leftoverRemedy(evidence.active?.namespace ?? '') : '', image)];
};

export const activeEndpoints: Analyzer = (requirements, evidence) => {
  const id = 'active-endpoints';
  return requirements.active.endpoints.map((endpoint) => {
    const target = `${endpoint.host}:${endpoint.port}`;
    const probes = probesOf(evidence, endpoint.id);
    const failed = probes.filter((probe) => !probe.ok);
    if (!probes.length) return checkResult(id, 'error', `no probe result for ${endpoint.id} (${target})`, 'run preflight --active again', endpoint.id);
    const unknown = failed.filter(cannotTell);
    if (unknown.length)
      return checkResult(
        id,
        'error',
        `${endpoint.id} ${target}: ${unknown.map((probe) => `${probe.kind}: ${shown(probe.detail, 300)}`).join('; ')}`,
        'the probe image lacks the tools, or the probe never ran: see the image-pull result; probe by hand from a Pod in the namespace',
        endpoint.id,
      );
    if (failed.length)
      return checkResult(
        id,
        'fail',
        `${endpoint.id} ${target}: ${failed.map((probe) => `${probe.kind} failed: ${shown(probe.detail, 300)}`).join('; ')}`,
        failed.some((probe) => probe.kind === 'dns')
          ? `make ${endpoint.host} resolvable from the cluster (CoreDNS forwarding, a private DNS zone link)`
          : `open egress from the cluster's pods to ${target} (firewall, security groups, spec.network.allowedEgressCidrs)`,
        endpoint.id,
      );
    return checkResult(id, 'pass', `${endpoint.id} ${target}: ${probes.map((probe) => probe.kind).join(' and ')} ok from a Pod`, '', endpoint.id);
  });
};

export const activeAirGap: Analyzer = (requirements, evidence) => {
  const id = 'active-air-gap';
  const host = requirements.active.publicHost!;
  const [probe] = probesOf(evidence, 'public-egress', 'public-egress');
  if (!probe) return [checkResult(id, 'error', `no public-egress probe result for ${host}`, 'run preflight --active again', host)];
  if (!probe.ok && cannotTell(probe))
    return [
      checkResult(
        id,
        'error',
        `whether ${host} is reachable from a Pod: ${shown(probe.detail, 300)}`,
        'see the image-pull result; probe by hand from a Pod in the namespace',
        host,
      ),
    ];
  return probe.ok
    ? [checkResult(id, 'pass', `${host} is not reachable from a Pod, as an air gap should be (${shown(probe.detail, 200)})`, '', host)]
    : [
        checkResult(
          id,
          'fail',
          `${host} IS reachable from a Pod: the air gap leaks (${shown(probe.detail, 300)})`,
          'block egress to the internet from the cluster (firewall, no NAT or internet gateway route); a proxy must refuse public hosts',
          host,
        ),
      ];
};
