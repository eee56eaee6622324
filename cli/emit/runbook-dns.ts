/**
 * RUNBOOK.md's "DNS" step: the record that makes the ingress hostname resolve. The load balancer is
 * created by the cluster's ingress controller from the chart's Ingress, after `pulumi up`, so its
 * address is known only once Helm has run: this step reads it from the Ingress and writes the record
 * (AWS: an alias in the Route 53 private hosted zone of spec.ingress.dns), or says which record the
 * site's DNS (or external-dns) must hold.
 */
import type { Install } from '../generated/install-spec.js';
import type { AwsCloud, InstallSettings } from '../../stacks/settings.js';
import { awsIngressDns } from '../../stacks/decisions/ingress.js';
import { markdownCode } from '../lib/markdown-text.js';
import { option, shellLine, shellWord, syntax } from './shell.js';

/** The chart's Ingress is named after the Helm release (templates/ingress.yaml). */
const INGRESS_NAME = 'agent-platform';

export function dnsStep(install: Install, settings: InstallSettings): string[] {
  const hostname = install.spec.ingress.hostname;
  const readAddress = (field: 'hostname' | 'ip', variable: string) =>
    shellLine(
      [
        shellWord(
          `${variable}=`,
          syntax(
            `"$(${shellLine(['kubectl', ...option('-n', settings.workloads.platformNamespace), 'get', 'ingress', INGRESS_NAME, '-o', `jsonpath={.status.loadBalancer.ingress[0].${field}}`])})"`,
          ),
        ),
      ],
      'empty until the controller has created the load balancer: wait a minute and rerun',
    );
  const cloud = settings.cloud;
  if (cloud?.type === 'aws') return awsDns(hostname, cloud, settings, readAddress('hostname', 'ALB_HOST'));
  // Azure, GCP and on-prem: the controller's address; the record goes into the site's DNS.
  return [
    `The hostname ${markdownCode(hostname)} must resolve to the ingress address for everyone who uses the platform. installctl creates no record here: add an A record for it in the site's DNS zone (or run external-dns, which keeps it from the Ingress).`,
    '',
    '```sh',
    readAddress('ip', 'INGRESS_IP'),
    shellLine(['echo', syntax('"$INGRESS_IP"')], `the A record of ${hostname}`),
    '```',
    '',
  ];
}

/**
 * AWS: the ALB's DNS name and canonical zone, then an UPSERT of the alias record (idempotent: rerun
 * it after the ALB is replaced). Without spec.ingress.dns, the record the site's DNS must hold.
 */
function awsDns(hostname: string, cloud: AwsCloud, settings: InstallSettings, readAlbHost: string): string[] {
  const zoneId = awsIngressDns(settings)?.zoneId ?? null;
  const intro =
    'The ALB exists only once the AWS Load Balancer Controller has reconciled the Ingress (a minute or two after Helm), so `pulumi up` cannot know its name; the record is written here.';
  if (!zoneId) {
    return [
      `${intro} The spec names no hosted zone (\`ingress.dns.zoneId\`): in the zone your users resolve ${markdownCode(hostname)} in, create an alias (Route 53) or CNAME record to the ALB name below, or run external-dns (\`--aws-zone-type=private\`), which keeps it from the Ingress.`,
      '',
      '```sh',
      readAlbHost,
      shellLine(['echo', syntax('"$ALB_HOST"')], `the target of ${hostname}`),
      '```',
      '',
    ];
  }
  const albZone = shellLine([
    'aws',
    'elbv2',
    'describe-load-balancers',
    ...option('--region', cloud.region),
    '--query',
    syntax(`"LoadBalancers[?DNSName=='$ALB_HOST'].CanonicalHostedZoneId"`),
    '--output',
    'text',
  ]);
  const change = shellLine([
    'jq',
    '-n',
    ...option('--arg', 'name'),
    hostname,
    '--arg',
    'zone',
    syntax('"$ALB_ZONE"'),
    '--arg',
    'target',
    syntax('"$ALB_HOST"'),
    '{Changes: [{Action: "UPSERT", ResourceRecordSet: {Name: $name, Type: "A", AliasTarget: {HostedZoneId: $zone, DNSName: $target, EvaluateTargetHealth: true}}}]}',
  ]);
  return [
    `${intro} It is an alias in the private hosted zone ${markdownCode(zoneId)}${cloud.vpc.mode === 'new' ? ', which the stack associated with the VPC' : ' (associate it with the VPC if it is not: `aws route53 associate-vpc-with-hosted-zone`)'}.`,
    '',
    '```sh',
    readAlbHost,
    shellLine([shellWord('ALB_ZONE=', syntax(`"$(${albZone})"`))], "the ALB's canonical hosted zone"),
    shellLine([shellWord('CHANGE=', syntax(`"$(${change})"`))]),
    shellLine(['aws', 'route53', 'change-resource-record-sets', ...option('--hosted-zone-id', zoneId), '--change-batch', syntax('"$CHANGE"')]),
    shellLine(
      ['aws', 'route53', 'test-dns-answer', ...option('--hosted-zone-id', zoneId), ...option('--record-name', hostname), ...option('--record-type', 'A')],
      'the alias answers',
    ),
    '```',
    '',
  ];
}
