import { describe, expect, it } from 'vitest';
import { analyzeEvidence } from '../../cli/preflight/analyze.js';
import { preflightRequirements } from '../../cli/preflight/requirements.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { healthyEvidence } from '../helpers/preflight-evidence.js';
import { starterInstalls } from '../helpers/preflight-cells.js';

const now = calendarAsOf();
const entry = starterInstalls().find((candidate) => candidate.cell.id === 'onprem/gitlab-self-managed/self-hosted/air-gapped')!;
const requirements = preflightRequirements(entry.install, entry.cell, { now });
const outcomes = (evidence: ReturnType<typeof healthyEvidence>, id: string) =>
  analyzeEvidence(requirements, evidence, now)
    .filter((result) => result.id === id)
    .map((result) => result.outcome);

describe('rbac: namespace creation only where a namespace is missing', () => {
  const denyNamespaces = (evidence: ReturnType<typeof healthyEvidence>) => {
    for (const review of evidence.accessReviews) if (review.resource === 'namespaces') review.allowed = false;
  };

  it('fails when the namespaces do not exist and creating them is denied', () => {
    const evidence = healthyEvidence(requirements);
    denyNamespaces(evidence);
    expect(outcomes(evidence, 'rbac')).toContain('fail');
  });

  it('passes when an administrator created them', () => {
    const evidence = healthyEvidence(requirements);
    denyNamespaces(evidence);
    for (const namespace of evidence.namespaces) namespace.exists = true;
    expect(outcomes(evidence, 'rbac')).toEqual(['pass', 'pass', 'pass']);
  });

  it('errors the namespace when a review was not answered', () => {
    const evidence = healthyEvidence(requirements);
    evidence.accessReviews = evidence.accessReviews.filter((review) => review.resource !== 'networkpolicies');
    expect(outcomes(evidence, 'rbac')).toContain('error');
  });
});

describe('rbac without the namespaces collector', () => {
  it('cannot tell whether namespaces must be created: error, not a fail asking to grant namespace creation', () => {
    const evidence = healthyEvidence(requirements);
    evidence.collectors.namespaces = { status: 'forbidden', httpStatus: 403, message: 'namespaces is forbidden' };
    for (const review of evidence.accessReviews) if (review.resource === 'namespaces') review.allowed = false;
    expect(outcomes(evidence, 'rbac')).not.toContain('fail');
    expect(outcomes(evidence, 'rbac')).toContain('error');
  });
});

describe('storage-class defaults', () => {
  it('warns (not fails) on two default classes: a claim without a class gets the newest (Kubernetes >= 1.26)', () => {
    const evidence = healthyEvidence(requirements);
    const onpremClass = requirements.storage.claims[0]!.storageClass;
    evidence.storageClasses = [
      { name: 'fast', provisioner: 'x', isDefault: true, volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true },
      { name: 'slow', provisioner: 'x', isDefault: true, volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true },
      ...(onpremClass ? [{ name: onpremClass, provisioner: 'x', isDefault: false, volumeBindingMode: 'WaitForFirstConsumer' as const, allowVolumeExpansion: true }] : []),
    ];
    const claimless = { ...requirements, storage: { claims: [{ storageClass: '', namespace: 'acme-prod-platform', usedBy: 'agent-platform: x' }] } };
    expect(
      analyzeEvidence(claimless, evidence, now)
        .filter((result) => result.id === 'storage-class')
        .map((result) => result.outcome),
    ).toEqual(['warn']);
    evidence.storageClasses = evidence.storageClasses.map((entry) => ({ ...entry, isDefault: false }));
    expect(
      analyzeEvidence(claimless, evidence, now)
        .filter((result) => result.id === 'storage-class')
        .map((result) => result.outcome),
    ).toEqual(['fail']);
  });
});

describe('network-policy-enforcement', () => {
  it('warns on an EKS aws-node without the policy agent flag', () => {
    const aws = starterInstalls().find((candidate) => candidate.cell.id === 'aws/github/saas-api/connected')!;
    const awsRequirements = preflightRequirements(aws.install, aws.cell, { now });
    const evidence = healthyEvidence(awsRequirements);
    for (const container of evidence.daemonSets.find((set) => set.name === 'aws-node')!.containers) container.args = ['--enable-network-policy=false'];
    const results = analyzeEvidence(awsRequirements, evidence, now).filter((result) => result.id === 'network-policy-enforcement');
    expect(results.map((result) => result.outcome)).toEqual(['warn']);
    expect(results[0]!.remedy).toContain('enableNetworkPolicy');
  });
});

describe('--active', () => {
  const active = () => healthyEvidence(requirements, undefined, { active: true });

  it('fails the image pull with the kubelet message, escaped', () => {
    const evidence = active();
    Object.assign(
      evidence.active!.probes.find((probe) => probe.kind === 'image-pull')!,
      { ok: false, detail: 'ErrImagePull: 401 Unauthorized\u001b]0;x\u0007' },
    );
    const [result] = analyzeEvidence(requirements, evidence, now).filter((candidate) => candidate.id === 'active-image-pull');
    expect(result!.outcome).toBe('fail');
    expect(result!.message).toContain('401 Unauthorized\\x1b]0;x\\x07');
  });

  it('fails an endpoint that does not accept a connection, and only that one', () => {
    const evidence = active();
    Object.assign(
      evidence.active!.probes.find((probe) => probe.id === 'scm' && probe.kind === 'tcp')!,
      { ok: false, detail: 'connect ETIMEDOUT' },
    );
    const results = analyzeEvidence(requirements, evidence, now).filter((candidate) => candidate.id === 'active-endpoints');
    expect(results.map((result) => [result.subject, result.outcome])).toEqual([['scm', 'fail']]);
  });

  it('fails an air gap that leaks', () => {
    const evidence = active();
    Object.assign(
      evidence.active!.probes.find((probe) => probe.kind === 'public-egress')!,
      { ok: false, detail: 'connected to github.com:443' },
    );
    expect(analyzeEvidence(requirements, evidence, now).find((candidate) => candidate.id === 'active-air-gap')!.outcome).toBe('fail');
  });

  it('warns when the probe namespace was left behind', () => {
    const evidence = active();
    evidence.active!.cleanedUp = false;
    expect(analyzeEvidence(requirements, evidence, now).find((candidate) => candidate.id === 'active-image-pull')!.outcome).toBe('warn');
  });

  it('never tells the operator to delete the install namespace a probe Pod was left in', () => {
    const evidence = active();
    evidence.active!.cleanedUp = false;
    evidence.active!.namespace = 'acme-prod-platform';
    const result = analyzeEvidence(requirements, evidence, now).find((candidate) => candidate.id === 'active-image-pull')!;
    expect(result.remedy).not.toContain('delete namespace');
    expect(result.remedy).toContain('-n acme-prod-platform delete pod -l app.kubernetes.io/managed-by=installctl,app.kubernetes.io/component=preflight-probe');
    evidence.active!.namespace = 'installctl-preflight-k2x9';
    expect(analyzeEvidence(requirements, evidence, now).find((candidate) => candidate.id === 'active-image-pull')!.remedy).toContain(
      'kubectl delete namespace installctl-preflight-k2x9',
    );
  });

  it('reports a probe that could not tell as error, not as a leaking air gap or a closed port', () => {
    const evidence = active();
    for (const probe of evidence.active!.probes)
      if (probe.kind === 'public-egress' || (probe.id === 'scm' && probe.kind === 'tcp'))
        Object.assign(probe, { ok: false, detail: 'cannot tell: the probe image has neither nc or bash' });
    const results = analyzeEvidence(requirements, evidence, now);
    expect(results.find((candidate) => candidate.id === 'active-air-gap')!.outcome).toBe('error');
    expect(results.filter((candidate) => candidate.id === 'active-endpoints' && candidate.subject === 'scm').map((result) => result.outcome)).toEqual(['error']);
  });

  it('errors every active check when the active collector failed', () => {
    const evidence = active();
    evidence.collectors.active = { status: 'failed', httpStatus: null, message: 'probe pod never started' };
    evidence.active = null;
    const results = analyzeEvidence(requirements, evidence, now).filter((candidate) => candidate.id.startsWith('active-'));
    expect(results.map((result) => result.outcome)).toEqual(['error', 'error', 'error']);
    expect(results[0]!.message).toContain('probe pod never started');
  });
});
