/**
 * The network policies over rendered manifests (metadata-egress, default-deny-egress, public-hosts:
 * see manifest-policies.ts, which runs them), with the metadata addresses and the CIDR arithmetic they use.
 */
import { PLATFORMS, type PlatformCheckFacts } from '../../dimensions/index.js';
import type { Violation } from '../pulumi/types.js';
import { findPublicHosts } from '../../matrix/public-hosts.js';
import { objectRef, type KubeObject } from './helm.js';
import { selectorMatches, type PodTemplate } from './pods.js';

function ipv4(address: string): number | null {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((part) => Number.isInteger(part) && part >= 0 && part <= 255) ? parts.reduce((sum, part) => sum * 256 + part, 0) : null;
}

/** Whether an IPv4 CIDR contains an address. */
export function cidrContains(cidr: string, address: string): boolean {
  const [base, bits] = cidr.split('/');
  const network = ipv4(base ?? '');
  const target = ipv4(address);
  const prefix = Number(bits ?? 32);
  if (network === null || target === null || !(prefix >= 0 && prefix <= 32)) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(network / size) === Math.floor(target / size);
}

/**
 * Cloud instance-metadata and credential endpoints: a pod that reaches one can take the node's or
 * another workload's cloud credentials. The charts except the same list from every egress rule
 * (templates/_network.tpl, ap./ms.metadataAddresses).
 */
export const METADATA_ADDRESSES = [
  '169.254.169.254', // instance metadata: AWS, Azure, GCP, OpenStack, Oracle, IBM, DigitalOcean, Hetzner
  '169.254.169.252', // GKE metadata server (workload identity)
  '169.254.170.2', // AWS ECS task metadata and credentials
  '169.254.170.23', // EKS Pod Identity Agent
  '169.254.0.23', // Tencent Cloud
  '100.100.100.200', // Alibaba Cloud
] as const;

/** The platform facts for a chart platform (global.platform), from the platform descriptors; null for a value none claims. */
export function platformFacts(chartPlatform: string): PlatformCheckFacts | null {
  return Object.values(PLATFORMS).find((descriptor) => descriptor.check.chartPlatforms.includes(chartPlatform))?.check ?? null;
}

export function metadataEgressViolations(objects: readonly KubeObject[], platform: string): Violation[] {
  const violations: Violation[] = [];
  for (const policy of objects.filter((object) => object.kind === 'NetworkPolicy')) {
    for (const rule of ((policy.spec as any)?.egress ?? []) as any[]) {
      const ports = ((rule.ports ?? []) as any[]).map((port) => port.port);
      for (const peer of (rule.to ?? []) as any[]) {
        const block = peer.ipBlock;
        if (typeof block?.cidr !== 'string') continue;
        if (block.cidr.includes(':')) {
          violations.push({
            policy: 'metadata-egress',
            resource: objectRef(policy),
            message: `egress to the IPv6 range ${block.cidr}: only IPv4 ranges are checked for the cloud metadata addresses`,
          });
          continue;
        }
        const excepts = (block.except ?? []) as string[];
        const open = METADATA_ADDRESSES.filter((address) => cidrContains(block.cidr, address) && !excepts.some((except) => cidrContains(except, address)));
        if (open.length === 0) continue;
        const metadataServer = (platformFacts(platform)?.metadataServerEgress ?? []).some((server) => block.cidr === server.cidr && ports.length === 1 && ports[0] === server.port);
        if (!metadataServer) {
          violations.push({
            policy: 'metadata-egress',
            resource: objectRef(policy),
            message: `egress to ${block.cidr} reaches the cloud metadata address${open.length > 1 ? 'es' : ''} ${open.join(', ')}; add ${open.map((address) => `${address}/32`).join(', ')} to except`,
          });
        }
      }
    }
  }
  return violations;
}

export function defaultDenyViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[]): Violation[] {
  const denies = objects.filter((object) => {
    const spec = object.spec as any;
    return object.kind === 'NetworkPolicy' && (spec?.policyTypes ?? []).includes('Egress') && (spec?.egress ?? []).length === 0;
  });
  const ok = denies.some((policy) => templates.every((template) => selectorMatches((policy.spec as any)?.podSelector ?? {}, template.labels)));
  if (ok) return [];
  const uncovered = templates
    .filter((template) => !denies.some((policy) => selectorMatches((policy.spec as any)?.podSelector ?? {}, template.labels)))
    .map((template) => template.owner);
  return [
    {
      policy: 'default-deny-egress',
      resource: null,
      message: `air-gapped: no NetworkPolicy denies all egress of every pod${uncovered.length > 0 ? ` (uncovered: ${uncovered.join(', ')})` : ''}`,
    },
  ];
}

/** A copy where every multi-word string becomes the list of its words, so a URL inside a config file is seen. */
function splitWords(value: unknown): unknown {
  if (typeof value === 'string') {
    const words = value.split(/[\s"'`,;=<>()[\]{}|\\]+/).filter((word) => word !== '');
    return words.length > 1 ? [value, ...words] : value;
  }
  if (Array.isArray(value)) return value.map(splitWords);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, splitWords(child)]));
  return value;
}

export function publicHostViolations(objects: readonly KubeObject[], publicHosts: readonly string[]): Violation[] {
  return objects.flatMap((object) =>
    findPublicHosts(splitWords(object), publicHosts).map((hit) => ({
      policy: 'public-hosts',
      resource: objectRef(object),
      message: `air-gapped: ${hit.path.join('.')} names ${hit.host} (public host ${hit.publicHost})`,
    })),
  );
}
