/**
 * The Kubernetes version rules against the support calendar, with fixed days (the clock is
 * injected). Today's main examples (1.31 on EKS, AKS, on-prem) and init's 1.32 are the broken shapes.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSpecText } from '../../../cli/install-spec/load-spec.js';
import { codes, loadExample, withValue } from '../../helpers/specs.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const check = (spec: unknown, iso = '2026-12-02') => checkSpecText('test.yaml', stringify(spec), { now: day(iso) });
const issue = (spec: unknown, iso?: string) => check(spec, iso).issues.find((i) => i.code.startsWith('RULE_KUBERNETES'));
const aws = loadExample('aws-github-saas-connected.yaml');
const azure = loadExample('azure-gitlab-cloud-managed-connected.yaml');
const onprem = loadExample('onprem-gitlab-saas-connected.yaml');
const version = (spec: unknown, value: string) => withValue(spec, 'spec.platform.kubernetesVersion', value);

describe('Kubernetes version against the support calendar', () => {
  it.each([
    ['aws 1.31 (main examples)', aws, '1.31', 'RULE_KUBERNETES_END_OF_SUPPORT', 'error'],
    ['azure 1.31 (main examples)', azure, '1.31', 'RULE_KUBERNETES_END_OF_SUPPORT', 'error'],
    ['onprem 1.31 (main examples)', onprem, '1.31', 'RULE_KUBERNETES_END_OF_SUPPORT', 'error'],
    ['aws 1.32 (main init)', aws, '1.32', 'RULE_KUBERNETES_EXTENDED_SUPPORT', 'warning'],
    ['azure 1.33', azure, '1.33', 'RULE_KUBERNETES_EXTENDED_SUPPORT', 'warning'],
    ['aws 1.34: standard support ended on the day itself', aws, '1.34', 'RULE_KUBERNETES_EXTENDED_SUPPORT', 'warning'],
    ['onprem 1.35: 88 days to the end of upstream patch support', onprem, '1.35', 'RULE_KUBERNETES_STANDARD_SUPPORT_ENDING', 'warning'],
    ['aws 1.37: newer than the EKS calendar', aws, '1.37', 'RULE_KUBERNETES_VERSION_UNKNOWN', 'warning'],
    ['aws 1.36: in the calendar, but no EKS add-on versions pinned for it', aws, '1.36', 'RULE_KUBERNETES_VERSION_UNKNOWN', 'error'],
  ] as const)('%s', (_, spec, value, code, severity) => {
    const found = issue(version(spec, value))!;
    expect(found.code).toBe(code);
    expect(found.severity).toBe(severity);
    expect(found.path).toBe('spec.platform.kubernetesVersion');
    expect(found.hint).toMatch(/use 1\.3[567] \(in standard support on |tested up to 1\.36/);
  });

  it('is silent for the default version on the calendar day, on every platform (aws: the newest its stack builds)', () => {
    for (const [spec, value] of [
      [aws, '1.35'],
      [azure, '1.36'],
      [onprem, '1.36'],
    ] as const)
      expect(issue(version(spec, value))).toBeUndefined();
  });

  it('warns 90 days before the end of standard support, not 91', () => {
    // EKS 1.35 leaves standard support on 2027-03-27.
    expect(issue(version(aws, '1.35'), '2026-12-26')).toBeUndefined();
    expect(issue(version(aws, '1.35'), '2026-12-27')!.code).toBe('RULE_KUBERNETES_STANDARD_SUPPORT_ENDING');
    expect(issue(version(aws, '1.35'), '2026-12-27')!.message).toContain('in 90 days');
  });

  it('fails a version not released on the platform yet, naming the day', () => {
    const found = issue(version(aws, '1.36'), '2026-05-01')!;
    expect([found.code, found.severity]).toEqual(['RULE_KUBERNETES_VERSION_UNKNOWN', 'error']);
    expect(found.message).toContain('2026-06-10 (projected)');
  });

  it('a version the schema does not know is a schema error listing the known ones', () => {
    const result = check(version(aws, '1.29'));
    expect(codes(result)).toEqual(['SCHEMA_ENUM']);
    expect(result.issues[0]!.hint + result.issues[0]!.message).toContain('1.30');
  });
});
