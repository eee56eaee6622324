/**
 * RULE_INGRESS_TLS_UNSERVED (policy ingress-tls-served), RULE_INGRESS_DNS_PLATFORM and
 * RULE_AIRGAP_ISLAND: each fails on the shape today's main wrote (a TLS Secret behind the ALB, an
 * unattached air-gapped VPC) for every AWS cell, and passes on what init writes now.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { init } from '../../../cli/services/init.js';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { checkData, loadExample, withValue } from '../../helpers/specs.js';

type Severity = 'error' | 'warning' | null;

function found(spec: unknown, code: string): { severity: Severity; paths: string[]; hints: string[] } {
  const issues = checkData(spec).issues.filter((issue) => issue.code === code);
  return { severity: issues[0]?.severity ?? null, paths: issues.map((issue) => issue.path), hints: issues.map((issue) => issue.hint ?? '') };
}

const starter = (cell: { platform: string; scm: string; models: string; network: string }) =>
  parse(init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Initech' } as never).spec);

const cells = supportMatrix()
  .cells()
  .filter((cell) => cell.status !== 'unsupported');
const awsCells = cells.filter((cell) => cell.platform === 'aws');
const otherCells = cells.filter((cell) => cell.platform !== 'aws');
const MAIN_TLS = { mode: 'secret', secretName: 'agents-tls' };
const ACM = 'arn:aws:acm:eu-west-1:481516234200:certificate/3f1c2a9e-7b4d-4e2a-9c51-8d0e6f7a2b13';
const connected = loadExample('aws-github-saas-connected.yaml');
const azure = loadExample('azure-gitlab-cloud-managed-connected.yaml');

describe('RULE_INGRESS_TLS_UNSERVED (ingress-tls-served)', () => {
  it.each(awsCells.map((cell) => [cell.id, cell]))("%s: main's starter TLS Secret is an error; init's ACM certificate passes", (_id, cell) => {
    const spec = starter(cell);
    expect(found(spec, 'RULE_INGRESS_TLS_UNSERVED').severity).toBeNull();
    const broken = found(withValue(spec, 'spec.ingress.tls', MAIN_TLS), 'RULE_INGRESS_TLS_UNSERVED');
    expect(broken.severity).toBe('error');
    expect(broken.paths).toEqual(['spec.ingress.tls.mode']);
    expect(broken.hints[0]).toMatch(/mode: acm, certificateArn/);
  });

  it.each(otherCells.map((cell) => [cell.id, cell]))('%s: a TLS Secret is served; an ACM certificate is not', (_id, cell) => {
    const spec = starter(cell);
    expect(found(spec, 'RULE_INGRESS_TLS_UNSERVED').severity).toBeNull();
    expect(found(withValue(spec, 'spec.ingress.tls', { mode: 'acm', certificateArn: ACM }), 'RULE_INGRESS_TLS_UNSERVED').severity).toBe('error');
  });

  it.each<[string, unknown, string | undefined, Severity]>([
    ['cert-manager behind the ALB', { mode: 'cert-manager', issuer: 'corp-ca' }, undefined, 'error'],
    ['a Secret behind a customer-run nginx class', MAIN_TLS, 'nginx', null],
    ['ACM behind an explicit alb class', { mode: 'acm', certificateArn: ACM }, 'alb', null],
    ['ACM behind nginx, which cannot read it', { mode: 'acm', certificateArn: ACM }, 'nginx', 'error'],
    ['an ACM certificate of another region', { mode: 'acm', certificateArn: ACM.replace('eu-west-1', 'us-east-1') }, undefined, 'error'],
    ['an ACM certificate of another account', { mode: 'acm', certificateArn: ACM.replace('481516234200', '111122223333') }, undefined, 'error'],
  ])('%s', (_name, tls, className, severity) => {
    const spec = withValue(withValue(connected, 'spec.ingress.tls', tls), 'spec.ingress.className', className);
    expect(checkData(spec).cell?.status).toBe('supported');
    expect(found(spec, 'RULE_INGRESS_TLS_UNSERVED').severity).toBe(severity);
  });
});

describe('RULE_INGRESS_DNS_PLATFORM', () => {
  it('takes a Route 53 zone on aws and refuses it on azure', () => {
    expect(found(connected, 'RULE_INGRESS_DNS_PLATFORM').severity).toBeNull();
    expect(found(withValue(azure, 'spec.ingress.dns', { zoneId: 'Z0123456789ABCDEFGHIJ' }), 'RULE_INGRESS_DNS_PLATFORM')).toMatchObject({
      severity: 'error',
      paths: ['spec.ingress.dns'],
    });
  });

  it("refuses another platform's key beside the platform's own", () => {
    const mixed = withValue(connected, 'spec.ingress.dns', { zoneId: 'Z0123456789ABCDEFGHIJ', managedZone: 'corp-internal' });
    expect(found(mixed, 'RULE_INGRESS_DNS_PLATFORM')).toMatchObject({ severity: 'error' });
  });

  it('refuses a zone id that is not one (schema)', () => {
    expect(checkData(withValue(connected, 'spec.ingress.dns', { zoneId: 'northwind.corp' })).issues.some((issue) => issue.severity === 'error')).toBe(true);
  });
});

describe('RULE_AIRGAP_ISLAND', () => {
  const airGapped = awsCells.filter((cell) => cell.network === 'air-gapped');
  it.each(airGapped.map((cell) => [cell.id, cell]))("%s: main's unattached VPC is an error; init's Transit Gateway attachment passes", (_id, cell) => {
    const spec = starter(cell);
    expect(found(spec, 'RULE_AIRGAP_ISLAND').severity).toBeNull();
    const broken = found(withValue(spec, 'spec.platform.vpc.attachments', undefined), 'RULE_AIRGAP_ISLAND');
    expect(broken).toMatchObject({ severity: 'error', paths: ['spec.platform.vpc'] });
    expect(broken.hints[0]).toMatch(/transitGatewayId: tgw-\.\.\., routes: \[10\.0\.0\.0\/8\]/);
  });

  // The starter of an air-gapped AWS cell (VPC 10.40.0.0/16), with another network block and attachment.
  const base = starter(airGapped[0]!);
  const island = (network: Record<string, unknown>, attachments?: unknown) =>
    withValue(
      withValue(withValue(base, 'spec.network', { ...base.spec.network, ...network }), 'spec.platform.vpc.attachments', attachments),
      'spec.registry',
      network.mode === 'connected' ? undefined : base.spec.registry,
    );
  const tgw = (routes: string[]) => ({ transitGatewayId: 'tgw-0a1b2c3d4e5f60718', routes });
  it.each<[string, Record<string, unknown>, unknown, Severity]>([
    ['air-gapped, a site range not covered by the routes', { mode: 'air-gapped', allowedEgressCidrs: ['10.0.0.0/8'] }, tgw(['10.10.0.0/16']), 'error'],
    ['air-gapped, covered by a wider route', { mode: 'air-gapped', allowedEgressCidrs: ['10.10.0.0/16', '192.168.4.0/24'] }, tgw(['10.0.0.0/8', '192.168.0.0/16']), null],
    ['air-gapped, only the VPC itself', { mode: 'air-gapped', allowedEgressCidrs: ['10.40.4.0/24'] }, undefined, null],
    [
      'connected, a private range without a route (NAT does not reach it)',
      { mode: 'connected', allowedEgressCidrs: ['10.0.0.0/8'], privateEndpoints: undefined },
      undefined,
      'warning',
    ],
    ['connected, a public range goes through NAT', { mode: 'connected', allowedEgressCidrs: ['198.51.100.0/24'], privateEndpoints: undefined }, undefined, null],
  ])('%s', (_name, network, attachments, severity) => {
    const spec = island(network, attachments);
    // The rules ran: the spec has its shape and a cell that is not unsupported.
    expect(['supported', 'conditional']).toContain(checkData(spec).cell?.status);
    expect(found(spec, 'RULE_AIRGAP_ISLAND').severity).toBe(severity);
  });

  it('an existing VPC keeps its own routes', () => {
    expect(found(loadExample('aws-ghes-self-hosted-air-gapped.yaml'), 'RULE_AIRGAP_ISLAND').severity).toBeNull();
  });
});
