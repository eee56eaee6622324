/**
 * Rules on what the platform's ingress and network can actually do: the TLS mode its ingress serves
 * (an ALB serves only ACM certificates), the DNS zone shape per platform, and a new air-gapped VPC
 * that cannot reach the site networks its pods are told to reach (an island).
 */
import type { Install } from '../../generated/install-spec.js';
import type { Finding } from '../../schema/issue.js';
import { scmOf } from '../../dimensions/index.js';
import { cidrContains, cidrRange, unroutedCidrs } from '../../lib/cidr.js';

type Spec = Install['spec'];
type PlatformType = Spec['platform']['type'];

/** The ingress class an ALB serves: the AWS default, or named explicitly. */
const ALB_CLASS = 'alb';

/**
 * TLS modes each platform's default ingress serves. aws: the ALB takes certificates from ACM only
 * (a Secret, cert-manager's included, is ignored); the others serve Kubernetes TLS Secrets.
 */
const SERVED_TLS: Readonly<Record<PlatformType, readonly Spec['ingress']['tls']['mode'][]>> = {
  aws: ['acm'],
  azure: ['secret', 'cert-manager'],
  gcp: ['secret', 'cert-manager'],
  onprem: ['secret', 'cert-manager'],
};

/** The key of spec.ingress.dns on each platform (null: the platform has no zone installctl writes to). */
export const INGRESS_DNS_KEY: Readonly<Record<PlatformType, string | null>> = { aws: 'zoneId', azure: 'privateZoneId', gcp: 'managedZone', onprem: null };

export function checkIngressAndNetwork(install: Install): Finding[] {
  return [...checkIngressTls(install.spec), ...checkIngressDns(install.spec), ...checkAirGapIsland(install.spec)];
}

/** RULE_INGRESS_TLS_UNSERVED: the TLS mode is one the platform's ingress serves (policy ingress-tls-served). */
export function checkIngressTls(spec: Spec): Finding[] {
  const { platform, ingress } = spec;
  const tls = ingress.tls;
  const path = ['spec', 'ingress', 'tls', 'mode'];
  // A class the customer runs themselves (nginx on EKS) serves Secrets; only the ALB needs ACM.
  const alb = platform.type === 'aws' && (ingress.className ?? ALB_CLASS) === ALB_CLASS;
  const served = alb ? SERVED_TLS.aws : platform.type === 'aws' ? (['secret', 'cert-manager'] as const) : SERVED_TLS[platform.type];
  if (!(served as readonly string[]).includes(tls.mode)) {
    return [
      {
        severity: 'error',
        code: 'RULE_INGRESS_TLS_UNSERVED',
        path,
        message: alb
          ? `the ALB ignores a TLS ${tls.mode === 'secret' ? 'Secret' : 'certificate from cert-manager'}: it serves ACM certificates only, so HTTPS would fail`
          : `tls mode acm needs the AWS ALB; the ${platform.type === 'aws' ? `${ingress.className} ingress class` : `${platform.type} ingress`} serves Kubernetes TLS Secrets`,
        hint: alb
          ? 'import the certificate into ACM (aws acm import-certificate) or issue one with ACM / AWS Private CA, then set tls: { mode: acm, certificateArn: arn:aws:acm:REGION:ACCOUNT:certificate/ID }'
          : 'use tls: { mode: secret, secretName } or { mode: cert-manager, issuer }',
      },
    ];
  }
  if (tls.mode === 'acm' && platform.type === 'aws') {
    const [, partition, , region, account] = tls.certificateArn.split(':');
    if (region !== platform.region || account !== platform.accountId) {
      return [
        {
          severity: 'error',
          code: 'RULE_INGRESS_TLS_UNSERVED',
          path: ['spec', 'ingress', 'tls', 'certificateArn'],
          message: `the certificate is in ${region} of account ${account}; an ALB serves only certificates of its own region and account (${platform.region}, ${platform.accountId})`,
          hint: `import or request the certificate in ${platform.region} of account ${platform.accountId} (arn:${partition}:acm:${platform.region}:${platform.accountId}:certificate/ID)`,
        },
      ];
    }
  }
  return [];
}

/** RULE_INGRESS_DNS_PLATFORM: spec.ingress.dns names the zone in the platform's own shape. */
export function checkIngressDns(spec: Spec): Finding[] {
  const dns = spec.ingress.dns as Record<string, unknown> | undefined;
  if (!dns) return [];
  const key = INGRESS_DNS_KEY[spec.platform.type];
  // gcp's zone may name its project; every other key belongs to another platform's shape.
  const own = new Set([key, ...(key === 'managedZone' ? ['project'] : [])]);
  const foreign = Object.keys(dns).filter((name) => !own.has(name));
  if (key !== null && key in dns && foreign.length === 0) return [];
  return [
    {
      severity: 'error',
      code: 'RULE_INGRESS_DNS_PLATFORM',
      path: ['spec', 'ingress', 'dns'],
      message:
        key === null
          ? `installctl writes no DNS record on ${spec.platform.type}`
          : `ingress.dns on ${spec.platform.type} names its zone with ${key}${foreign.length ? `, not ${foreign.join(', ')}` : ''}`,
      hint: key === null ? "remove ingress.dns and create the hostname's record in the site's DNS (the runbook says which)" : `write dns: { ${key}: ... }`,
    },
  ];
}

/** The site networks pods are told to reach: allowedEgressCidrs, and the SCM server when its URL is an IPv4 address. */
function siteTargets(spec: Spec): string[] {
  const targets = [...(spec.network.allowedEgressCidrs ?? [])];
  const scm = scmOf(spec.scm);
  if (scm.emit.selfManaged) {
    const host = new URL(scm.emit.serverUrl(spec.scm)).hostname;
    if (cidrRange(`${host}/32`)) targets.push(`${host}/32`);
  }
  return targets;
}

/**
 * RULE_AIRGAP_ISLAND: a new AWS VPC has no route to the site but through its attachment. Air-gapped,
 * every target outside the VPC needs an attachment route (error); connected, private targets do too,
 * since NAT does not reach private ranges (warning).
 */
export function checkAirGapIsland(spec: Spec): Finding[] {
  const { platform, network } = spec;
  if (platform.type !== 'aws' || platform.vpc.mode !== 'new') return [];
  const airGapped = network.mode === 'air-gapped';
  const targets = siteTargets(spec).filter((target) => airGapped || isPrivateRange(target));
  const attachments = platform.vpc.attachments;
  const unrouted = unroutedCidrs(platform.vpc.cidr, targets, attachments?.routes ?? []);
  if (unrouted.length === 0) return [];
  return [
    {
      severity: airGapped ? 'error' : 'warning',
      code: 'RULE_AIRGAP_ISLAND',
      path: attachments ? ['spec', 'platform', 'vpc', 'attachments', 'routes'] : ['spec', 'platform', 'vpc'],
      message: `the new VPC ${platform.vpc.cidr} has no route to ${unrouted.join(', ')}: pods and operators cannot reach ${unrouted.length > 1 ? 'them' : 'it'} (the SCM server, datastores, the site's users)`,
      hint: attachments
        ? `add ${unrouted.join(', ')} (or a block covering ${unrouted.length > 1 ? 'them' : 'it'}) to vpc.attachments.routes`
        : `attach the VPC to the site: vpc.attachments: { transitGatewayId: tgw-..., routes: [${unrouted.join(', ')}], resolverRuleIds: [rslvr-rr-...] }`,
    },
  ];
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

function isPrivateRange(cidr: string): boolean {
  return PRIVATE_RANGES.some((block) => cidrContains(block, cidr));
}
