/** Cross-field rules on platform, network, SCM, egress, the registry mirror and datastores. */
import type { Install } from '../../generated/install-spec.js';
import { parseReference } from '../../oci/reference.js';
import type { Finding } from '../../schema/issue.js';
import { showValue } from '../../schema/show-value.js';
import { scmOf } from '../../dimensions/index.js';

/** The CIDR's host bits are zero and its prefix leaves room for subnets across three zones. */
export function cidrProblem(cidr: string): { code: string; message: string; hint: string } | null {
  const [address, prefixText] = cidr.split('/') as [string, string];
  const prefix = Number(prefixText);
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  if (value % size !== 0) {
    const base = value - (value % size);
    const network = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
    return { code: 'RULE_CIDR_HOST_BITS', message: `${cidr} has host bits set`, hint: `did you mean ${network}/${prefix}?` };
  }
  if (prefix < 16 || prefix > 22) {
    return {
      code: 'RULE_CIDR_SIZE',
      message: `a /${prefix} network is outside /16-/22`,
      hint: 'use a /16 to /22 block; the cluster needs room for node and pod subnets in each zone',
    };
  }
  return null;
}

function isPrivateHost(host: string): boolean {
  return /\.(internal|local|lan|corp|intranet|home\.arpa)$/.test(host) || /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.)/.test(host);
}

type Spec = Install['spec'];

export function checkInfrastructure(install: Install): Finding[] {
  const findings: Finding[] = [];
  const { platform, scm, network, datastores } = install.spec;

  if (platform.type !== 'onprem') findings.push(...checkCloudPlatform(platform, network));

  const scmDescriptor = scmOf(scm);
  const selfManaged = scmDescriptor.emit.selfManaged;
  findings.push(...checkScm(scm));

  if (network.mode === 'air-gapped' && !network.allowedEgressCidrs?.length) {
    findings.push({
      severity: 'warning',
      code: 'RULE_EGRESS_ALLOWLIST_EMPTY',
      path: ['spec', 'network', 'allowedEgressCidrs'],
      message: 'an air-gapped install denies all egress except to its own network; nothing else is allowed',
      hint: selfManaged
        ? `list the network of ${scmDescriptor.emit.serverUrl(scm)} (and any external datastore) in allowedEgressCidrs`
        : 'list the networks of services outside the cluster in allowedEgressCidrs',
    });
  }
  findings.push(...checkEgress(install));
  findings.push(...checkManagedDatastores(platform, datastores));
  return findings;
}

/** The new VPC/VNet's CIDR, the system node pool's range, and a public API endpoint. */
function checkCloudPlatform(platform: Exclude<Spec['platform'], { type: 'onprem' }>, network: Spec['network']): Finding[] {
  const findings: Finding[] = [];
  const vpcKey = platform.type === 'azure' ? 'vnet' : 'vpc';
  const vpc = platform.type === 'azure' ? platform.vnet : platform.vpc;
  if (vpc.mode === 'new') {
    const problem = cidrProblem(vpc.cidr);
    if (problem) findings.push({ severity: 'error', path: ['spec', 'platform', vpcKey, 'cidr'], ...problem });
  }
  const cluster = platform.cluster;
  if (cluster.mode === 'new' && cluster.systemNodes && cluster.systemNodes.min > cluster.systemNodes.max) {
    findings.push({
      severity: 'error',
      code: 'RULE_NODE_POOL_RANGE',
      path: ['spec', 'platform', 'cluster', 'systemNodes', 'min'],
      message: `min ${cluster.systemNodes.min} is greater than max ${cluster.systemNodes.max}`,
      hint: 'make min <= max',
    });
  }
  if (cluster.mode === 'new' && cluster.apiEndpoint === 'public' && network.mode === 'connected') {
    findings.push({
      severity: 'warning',
      code: 'RULE_PUBLIC_CLUSTER_API',
      path: ['spec', 'platform', 'cluster', 'apiEndpoint'],
      message: 'the Kubernetes API will be reachable from the internet',
      hint: 'prefer private and reach it through a bastion or VPN',
    });
  }
  return findings;
}

/** A self-managed SCM's URL that is the SaaS service, or SaaS webhooks delivered to a private host. */
function checkScm(scm: Spec['scm']): Finding[] {
  const findings: Finding[] = [];
  const scmDescriptor = scmOf(scm);
  const selfManaged = scmDescriptor.emit.selfManaged;
  if (selfManaged) {
    const host = new URL(scmDescriptor.emit.serverUrl(scm)).hostname;
    const saas = selfManaged.saasHost;
    if (host === saas || host.endsWith(`.${saas}`)) {
      findings.push({
        severity: 'error',
        code: 'RULE_SCM_URL_IS_SAAS',
        path: ['spec', 'scm', 'url'],
        message: `${host} is the public ${saas} service, not a ${scm.type} server`,
        hint: selfManaged.saasHint,
      });
    }
  } else if (scm.webhooks && scm.webhooks.delivery !== 'polling') {
    const host = new URL(scm.webhooks.url).hostname;
    if (isPrivateHost(host)) {
      findings.push({
        severity: 'warning',
        code: 'RULE_WEBHOOK_URL_PRIVATE',
        path: ['spec', 'scm', 'webhooks', 'url'],
        message: `${host} looks private; GitHub.com delivers webhooks from the internet`,
        hint: 'use a publicly resolvable host, or delivery: relay',
      });
    }
  }
  return findings;
}

/** Managed datastores where the platform has none: on-prem, or RabbitMQ on any cloud. */
function checkManagedDatastores(platform: Spec['platform'], datastores: Spec['datastores']): Finding[] {
  const findings: Finding[] = [];
  const storeDefaults: Array<'postgres' | 'redis' | 'rabbitmq'> = ['postgres', 'redis', 'rabbitmq'];
  for (const store of storeDefaults) {
    const config = datastores?.[store];
    if (config?.mode !== 'managed') continue;
    if (platform.type === 'onprem') {
      findings.push({
        severity: 'error',
        code: 'RULE_MANAGED_DATASTORE_ONPREM',
        path: ['spec', 'datastores', store, 'mode'],
        message: `an on-prem install has no managed ${store}`,
        hint: 'use mode: bundled or mode: external',
      });
    } else if (store === 'rabbitmq') {
      findings.push({
        severity: 'error',
        code: 'RULE_MANAGED_DATASTORE_UNAVAILABLE',
        path: ['spec', 'datastores', store, 'mode'],
        message: `${platform.type} has no managed RabbitMQ encrypted with a customer-managed key`,
        hint: 'use mode: bundled or mode: external',
      });
    }
  }
  return findings;
}

/** Egress wider than this many prefix bits is "anywhere": a /7 spans two /8s, a /0 the internet. */
export const EGRESS_MIN_PREFIX = 8;

function ipv4(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Whether cidr lies inside (or is) the network base/prefix. */
function within(cidr: string, base: string, basePrefix: number): boolean {
  const [address, prefixText] = cidr.split('/') as [string, string];
  const prefix = Number(prefixText);
  const size = 2 ** (32 - basePrefix);
  return prefix >= basePrefix && Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
}

/**
 * What the pods may reach and where their images come from. The NetworkPolicies allow exactly
 * allowedEgressCidrs: "anywhere" defeats an air gap; the cloud metadata service (169.254.169.254
 * and the rest of link-local, Alibaba's 100.100.100.200) hands out node credentials, so it is never
 * a destination. A mirror without a registry host resolves to Docker Hub.
 */
export function checkEgress(install: Install): Finding[] {
  const findings: Finding[] = [];
  const { network, registry } = install.spec;
  const airGapped = network.mode === 'air-gapped';
  (network.allowedEgressCidrs ?? []).forEach((cidr, index) => {
    const path = ['spec', 'network', 'allowedEgressCidrs', index];
    const prefix = Number(cidr.split('/')[1]);
    if (prefix < EGRESS_MIN_PREFIX) {
      findings.push({
        severity: airGapped ? 'error' : 'warning',
        code: 'RULE_EGRESS_ANYWHERE',
        path,
        message: `${cidr} spans ${prefix === 0 ? 'every IPv4 address' : `more than a /${EGRESS_MIN_PREFIX}`}: the pods may reach ${airGapped ? 'the internet, which an air-gapped install must not' : 'most of the internet'}`,
        hint: 'list only the networks of the services outside the cluster (the SCM server, external datastores, the proxy), each /8 or narrower',
      });
    }
    if (within(cidr, '169.254.0.0', 16) || cidr === '100.100.100.200/32') {
      findings.push({
        severity: 'error',
        code: 'RULE_EGRESS_METADATA',
        path,
        message: `${cidr} is the cloud metadata service (link-local 169.254.0.0/16, or 100.100.100.200), which hands out the node's credentials`,
        hint: 'remove it: no platform pod needs the metadata service (workload identity and IRSA go through the API server and the cloud STS)',
      });
    }
  });
  // The chart writes MIRROR/REPOSITORY@DIGEST: read the mirror the way a container runtime will.
  const mirror = registry?.mirror;
  const reference = mirror ? parseReference(`${mirror}/installctl`) : null;
  if (mirror && reference && reference.domain === '') {
    findings.push({
      severity: airGapped ? 'error' : 'warning',
      code: 'RULE_MIRROR_NO_HOST',
      path: ['spec', 'registry', 'mirror'],
      message: `the mirror ${showValue(mirror)} names no registry host: its first part has no '.' or ':' and is not localhost, so container runtimes pull ${mirror}/IMAGE from Docker Hub${airGapped ? ', which an air-gapped network cannot reach' : ''}`,
      hint: 'write the registry host first, with its domain or port: registry.acme.internal/installctl, or registry:5000/installctl',
    });
  }
  return findings;
}
