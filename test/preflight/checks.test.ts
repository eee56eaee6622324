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

  it('errors every active check when the active collector failed', () => {
    const evidence = active();
    evidence.collectors.active = { status: 'failed', httpStatus: null, message: 'probe pod never started' };
    evidence.active = null;
    const results = analyzeEvidence(requirements, evidence, now).filter((candidate) => candidate.id.startsWith('active-'));
    expect(results.map((result) => result.outcome)).toEqual(['error', 'error', 'error']);
    expect(results[0]!.message).toContain('probe pod never started');
  });
});
