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

const cleanup = (evidence: PreflightEvidence) => (evidence.active && !evidence.active.cleanedUp ? `; the probe namespace ${shown(evidence.active.namespace)} was NOT deleted` : '');

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
  return [
    checkResult(
      id,
      left ? 'warn' : 'pass',
      `a Pod pulled ${image} by digest${pullSecret}${left}`,
      left ? `delete it: kubectl delete namespace ${evidence.active?.namespace ?? ''}` : '',
      image,
    ),
  ];
};

export const activeEndpoints: Analyzer = (requirements, evidence) => {
  const id = 'active-endpoints';
  return requirements.active.endpoints.map((endpoint) => {
    const target = `${endpoint.host}:${endpoint.port}`;
    const probes = probesOf(evidence, endpoint.id);
    const failed = probes.filter((probe) => !probe.ok);
    if (!probes.length) return checkResult(id, 'error', `no probe result for ${endpoint.id} (${target})`, 'run preflight --active again', endpoint.id);
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
