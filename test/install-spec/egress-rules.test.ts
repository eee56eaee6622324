/** Egress and mirror rules: where an install's pods may go and where their images come from. */
import { describe, expect, it } from 'vitest';
import { checkData, loadExample, withValue } from '../helpers/specs.js';

const air = loadExample('aws-ghes-self-hosted-air-gapped.yaml');
const connected = loadExample('aws-github-saas-connected.yaml');

type Severity = 'error' | 'warning' | null;

function found(spec: unknown, code: string): { severity: Severity; paths: string[] } {
  const issues = checkData(spec).issues.filter((issue) => issue.code === code);
  return { severity: issues[0]?.severity ?? null, paths: issues.map((issue) => issue.path) };
}

const egress = (spec: unknown, cidrs: string[]) => withValue(spec, 'spec.network.allowedEgressCidrs', cidrs);

describe('RULE_EGRESS_ANYWHERE', () => {
  const rows: Array<[string, Severity, Severity]> = [
    ['0.0.0.0/0', 'error', 'warning'],
    ['0.0.0.0/1', 'error', 'warning'],
    ['128.0.0.0/1', 'error', 'warning'],
    ['10.0.0.0/7', 'error', 'warning'],
    ['10.0.0.0/8', null, null],
    ['172.16.0.0/12', null, null],
    ['10.10.0.0/16', null, null],
  ];
  it.each(rows)('%s: %s when air-gapped, %s when connected', (cidr, airSeverity, connectedSeverity) => {
    expect(
      found(
        egress(
          air,
          ['10.10.0.0/16', cidr].filter((c, i, all) => all.indexOf(c) === i),
        ),
        'RULE_EGRESS_ANYWHERE',
      ).severity,
    ).toBe(airSeverity);
    expect(found(egress(connected, [cidr]), 'RULE_EGRESS_ANYWHERE').severity).toBe(connectedSeverity);
  });

  it('points at the entry', () => {
    expect(found(egress(air, ['10.10.0.0/16', '0.0.0.0/0']), 'RULE_EGRESS_ANYWHERE').paths).toEqual(['spec.network.allowedEgressCidrs[1]']);
  });
});

describe('RULE_EGRESS_METADATA', () => {
  const refused = ['169.254.169.254/32', '169.254.0.0/16', '169.254.169.0/24', '169.254.170.2/32', '100.100.100.200/32'];
  const allowed = ['169.253.0.0/16', '169.255.0.0/16', '100.100.100.0/24', '100.64.0.0/10', '10.169.254.0/24'];
  it.each(refused)('%s is refused on every network', (cidr) => {
    expect(found(egress(air, [cidr]), 'RULE_EGRESS_METADATA')).toEqual({ severity: 'error', paths: ['spec.network.allowedEgressCidrs[0]'] });
    expect(found(egress(connected, [cidr]), 'RULE_EGRESS_METADATA').severity).toBe('error');
  });
  it.each(allowed)('%s is not the metadata service', (cidr) => {
    expect(found(egress(air, [cidr]), 'RULE_EGRESS_METADATA').severity).toBeNull();
  });
});

describe('RULE_MIRROR_NO_HOST', () => {
  const noHost = ['x', 'registry', 'x/installctl', 'mirror/acme/installctl', 'library'];
  const withHost = [
    'registry.acme.internal',
    'registry.acme.internal/installctl',
    'registry:5000',
    'registry:5000/installctl',
    'localhost/installctl',
    'localhost',
    '10.0.0.5:5000/x',
  ];
  it.each(noHost)('%s resolves to Docker Hub: refused when air-gapped, warned when connected', (mirror) => {
    expect(found(withValue(air, 'spec.registry.mirror', mirror), 'RULE_MIRROR_NO_HOST')).toEqual({ severity: 'error', paths: ['spec.registry.mirror'] });
    expect(found(withValue(connected, 'spec.registry', { mirror }), 'RULE_MIRROR_NO_HOST').severity).toBe('warning');
  });
  it.each(withHost)('%s names a registry host', (mirror) => {
    expect(found(withValue(air, 'spec.registry.mirror', mirror), 'RULE_MIRROR_NO_HOST').severity).toBeNull();
    expect(found(withValue(connected, 'spec.registry', { mirror }), 'RULE_MIRROR_NO_HOST').severity).toBeNull();
  });
});
