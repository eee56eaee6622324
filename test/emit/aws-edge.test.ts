/**
 * What an AWS install emits for its edge: the ACM certificate in the chart values, the DNS step
 * (an alias in the spec's private hosted zone, read from the Ingress after Helm) and, for a new
 * air-gapped VPC, the bastion through the Session Manager endpoints and the Transit Gateway path.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { settingsFor } from '../../cli/emit/settings.js';
import { dnsStep } from '../../cli/emit/runbook-dns.js';
import { clusterAccess } from '../../cli/emit/runbook-cluster-access.js';
import { renderCell, renderableCells } from '../helpers/cells.js';
import { checkData, loadExample, withValue } from '../helpers/specs.js';

const shapes = [
  ...new Map(
    renderableCells()
      .filter((cell) => cell.platform === 'aws')
      .map((cell) => [`${cell.models}/${cell.network}`, cell]),
  ).values(),
];

describe('AWS edge in rendered cells', () => {
  it.each(shapes.map((cell) => [cell.id, cell]))('%s: the ALB gets the ACM certificate; the runbook writes the DNS record', (_id, cell) => {
    const { dir } = renderCell(cell);
    const values = parse(readFileSync(join(dir, 'helm', 'agent-platform.values.yaml'), 'utf8'));
    expect(values.ingress.tls.certificateArn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    const runbook = readFileSync(join(dir, 'RUNBOOK.md'), 'utf8');
    expect(runbook).toMatch(/## \d+\. DNS record/);
    expect(runbook).toContain('get ingress agent-platform');
    const access = clusterAccess(settingsFor(checkData(parse(readFileSync(join(dir, '..', `${cell.id.replace(/\//g, '__')}.yaml`), 'utf8'))).install!, cell));
    if (cell.network === 'air-gapped') {
      expect(access.bullets.join('\n')).toContain('`ssm`, `ssmmessages`, `ec2messages`');
      expect(access.commands.some((command) => command.startsWith('BASTION_INSTANCE_ID="$(aws ec2 run-instances'))).toBe(true);
      expect(access.commands.some((command) => command.startsWith('aws ec2 authorize-security-group-ingress'))).toBe(true);
    } else expect(access.commands.join('\n')).not.toContain('run-instances');
  });
});

describe('DNS step', () => {
  const connected = loadExample('aws-github-saas-connected.yaml');
  const stepOf = (spec: unknown) => {
    const loaded = checkData(spec);
    return dnsStep(loaded.install!, settingsFor(loaded.install!, loaded.cell!)).join('\n');
  };

  it('upserts the alias into the spec zone, after Helm', () => {
    const step = stepOf(connected);
    expect(step).toContain('aws route53 change-resource-record-sets --hosted-zone-id Z07412345NORTHWIND1 --change-batch "$CHANGE"');
    expect(step).toContain('--query "LoadBalancers[?DNSName==\'$ALB_HOST\'].CanonicalHostedZoneId"');
    expect(step).toContain('--arg name agents.northwind.corp');
    expect(step).toContain('which the stack associated with the VPC');
  });

  it('without a zone, says which record to create (or external-dns)', () => {
    const step = stepOf(withValue(connected, 'spec.ingress.dns', undefined));
    expect(step).not.toContain('change-resource-record-sets');
    expect(step).toContain('external-dns');
    expect(step).toContain('echo "$ALB_HOST"');
  });

  it('on an existing VPC, asks for the zone association instead of claiming it', () => {
    expect(stepOf(loadExample('aws-ghes-self-hosted-air-gapped.yaml'))).toContain('associate-vpc-with-hosted-zone');
  });
});
