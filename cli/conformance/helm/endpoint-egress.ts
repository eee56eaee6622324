/**
 * endpoint-egress: every endpoint a workload is wired to (the list cli/conformance/wired-endpoints.ts
 * builds from the install spec, the settings and the infrastructure outputs) must be reachable under
 * the release's NetworkPolicies, on the port the infrastructure (or the spec) says, and the workload
 * must be configured with that port:
 *   - a pod that is a client of the endpoint and is selected by an Egress NetworkPolicy has a rule
 *     allowing TCP to the port, towards a peer that can contain the destination (an in-cluster
 *     namespace: a namespaceSelector matching it; an address range: an ipBlock overlapping it that
 *     does not except it; the internet: an ipBlock of 0.0.0.0/0, since a NetworkPolicy cannot name
 *     the changing addresses of STS, S3 or Entra ID; an outside host of unknown address: any ipBlock);
 *   - a datastore client's HOST/PORT environment equals the endpoint's host and port;
 *   - a URL naming the endpoint's host in a ConfigMap or a client's environment carries its port.
 * The defects this class covers: Azure Managed Redis on 10000 while the chart said 6379; pods on
 * workload identity with no way to Entra ID / STS / the GKE metadata server; an SCM on 8443.
 */
import type { Violation } from '../pulumi/types.js';
import { cidrContains } from './manifest-network-policies.js';
import { objectRef, type KubeObject } from './helm.js';
import { containersOf, podTemplates, selectorMatches, type PodTemplate } from './pods.js';

export type EndpointDestination =
  /** A Service in this namespace of the cluster. */
  | { kind: 'namespace'; namespace: string }
  /** Somewhere in this IPv4 range (the install's network, a private endpoint's address, a metadata server). */
  | { kind: 'cidr'; cidr: string }
  /** Public addresses that change (AWS STS and S3, Entra ID, Google APIs): only an ipBlock of 0.0.0.0/0 holds them. */
  | { kind: 'internet' }
  /** Outside the cluster at an address the manifests cannot know (an SCM, an external database): any ipBlock may hold it. */
  | { kind: 'host' };

export type EndpointClients =
  /** Containers whose environment names the endpoint (DATABASE_HOST / DATABASE_PORT, REDIS_HOST / REDIS_PORT, ...). */
  | { by: 'env'; hostVar: string; portVar: string }
  /** Containers holding any environment variable with this prefix (SCM_: the SCM credentials). */
  | { by: 'env-prefix'; prefix: string }
  /** Pods whose app.kubernetes.io/component label is this. */
  | { by: 'component'; component: string }
  /** Pods whose service account carries a cloud identity (IRSA role, Azure client id, GKE service account). */
  | { by: 'cloud-identity' };

export interface WiredEndpoint {
  chart: 'agent-platform' | 'model-server';
  /** What it is, for messages: "redis", "scm", "model qwen2.5-coder-32b", "token endpoint (Entra ID)". */
  name: string;
  /** The host the workload is configured with; '' when only the address range is known. */
  host: string;
  /** null: the source that must say it did not (a managed datastore's infrastructure output without a port). */
  port: number | null;
  /** Where host and port come from, for messages. */
  source: string;
  destination: EndpointDestination;
  clients: EndpointClients;
}

/** The service account annotations that make a pod a cloud identity. */
export const CLOUD_IDENTITY_ANNOTATIONS = ['eks.amazonaws.com/role-arn', 'azure.workload.identity/client-id', 'iam.gke.io/gcp-service-account'] as const;

type Rule = { ports?: Array<{ port?: number | string; endPort?: number; protocol?: string }>; to?: Array<Record<string, any>> };

function cidrBase(cidr: string): string {
  return cidr.split('/')[0] ?? '';
}

function prefixOf(cidr: string): number {
  return Number(cidr.split('/')[1] ?? 32);
}

function overlaps(a: string, b: string): boolean {
  return cidrContains(a, cidrBase(b)) || cidrContains(b, cidrBase(a));
}

function peerHolds(peer: Record<string, any>, destination: EndpointDestination): boolean {
  const block = peer.ipBlock as { cidr?: string; except?: string[] } | undefined;
  switch (destination.kind) {
    case 'namespace':
      return !block && peer.namespaceSelector !== undefined && selectorMatches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': destination.namespace });
    case 'cidr':
      return (
        typeof block?.cidr === 'string' &&
        overlaps(block.cidr, destination.cidr) &&
        !(block.except ?? []).some((except) => prefixOf(except) <= prefixOf(destination.cidr) && cidrContains(except, cidrBase(destination.cidr)))
      );
    case 'internet':
      return block?.cidr === '0.0.0.0/0';
    case 'host':
      return typeof block?.cidr === 'string' && !block.cidr.includes(':');
  }
}

function ruleAllows(rule: Rule, port: number, destination: EndpointDestination): boolean {
  const portOk =
    !rule.ports?.length ||
    rule.ports.some(
      (entry) =>
        (entry.protocol ?? 'TCP') === 'TCP' &&
        (entry.port === undefined || entry.port === port || (typeof entry.port === 'number' && entry.endPort !== undefined && entry.port <= port && port <= entry.endPort)),
    );
  return portOk && (!rule.to?.length || rule.to.some((peer) => peerHolds(peer, destination)));
}

/** null: no NetworkPolicy isolates the pod's egress (everything is allowed); else whether one of the rules allows the connection. */
function egressAllowed(policies: readonly KubeObject[], labels: Record<string, string>, port: number, destination: EndpointDestination): boolean {
  const selecting = policies.filter((policy) => {
    const spec = policy.spec as any;
    const types: string[] = spec?.policyTypes ?? (spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    return types.includes('Egress') && selectorMatches(spec?.podSelector ?? {}, labels);
  });
  if (selecting.length === 0) return true;
  return selecting.some((policy) => (((policy.spec as any)?.egress ?? []) as Rule[]).some((rule) => ruleAllows(rule, port, destination)));
}

function envOf(template: PodTemplate): Array<{ container: string; env: Map<string, string | undefined> }> {
  return containersOf(template.spec).map(({ container }) => ({ container: container.name ?? '', env: new Map((container.env ?? []).map((entry) => [entry.name, entry.value])) }));
}

function identityAccounts(objects: readonly KubeObject[]): Set<string> {
  const annotated = objects.filter(
    (object) =>
      object.kind === 'ServiceAccount' &&
      CLOUD_IDENTITY_ANNOTATIONS.some((key) => typeof object.metadata.annotations?.[key] === 'string' && object.metadata.annotations[key] !== ''),
  );
  return new Set(annotated.map((account) => account.metadata.name));
}

function isClient(template: PodTemplate, clients: EndpointClients, identities: Set<string>): boolean {
  switch (clients.by) {
    case 'env':
      return envOf(template).some(({ env }) => env.has(clients.hostVar));
    case 'env-prefix':
      return envOf(template).some(({ env }) => [...env.keys()].some((name) => name.startsWith(clients.prefix)));
    case 'component':
      return template.labels['app.kubernetes.io/component'] === clients.component;
    case 'cloud-identity':
      return identities.has(String(template.spec.serviceAccountName ?? 'default')) || template.labels['azure.workload.identity/use'] === 'true';
  }
}

function describe(destination: EndpointDestination): string {
  switch (destination.kind) {
    case 'namespace':
      return `namespace ${destination.namespace}`;
    case 'cidr':
      return destination.cidr;
    case 'internet':
      return 'any address (0.0.0.0/0 less the metadata addresses)';
    case 'host':
      return 'an ipBlock holding it';
  }
}

/** Ports of the URLs naming host in a text: the explicit port, else the scheme's. */
function urlPorts(text: string, host: string): number[] {
  const escaped = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const defaults: Record<string, number> = { https: 443, http: 80, ssh: 22, rediss: 6379, redis: 6379, postgresql: 5432, postgres: 5432 };
  return [...text.matchAll(new RegExp(`([a-z][a-z0-9+.-]*)://(?:[^@/\\s"']*@)?${escaped}(?::(\\d+))?(?![a-z0-9.-])`, 'gi'))].flatMap((match) => {
    const port = match[2] ? Number(match[2]) : defaults[match[1]!.toLowerCase()];
    return port === undefined ? [] : [port];
  });
}

function configViolations(endpoint: WiredEndpoint & { port: number }, objects: readonly KubeObject[], clients: readonly PodTemplate[]): Violation[] {
  const out: Violation[] = [];
  const wrong = (resource: string, where: string, configured: string) =>
    out.push({ policy: 'endpoint-egress', resource, message: `${where} says ${endpoint.name} is at ${configured}, but ${endpoint.source} says ${endpoint.host}:${endpoint.port}` });
  for (const template of clients) {
    for (const { container, env } of envOf(template)) {
      if (endpoint.clients.by === 'env' && env.has(endpoint.clients.hostVar)) {
        const { hostVar, portVar } = endpoint.clients;
        const host = env.get(hostVar) ?? '';
        const port = env.get(portVar) ?? '';
        if ((endpoint.host !== '' && host !== endpoint.host) || port !== String(endpoint.port))
          wrong(template.owner, `container ${container}: ${hostVar}/${portVar}`, `${host}:${port}`);
      }
      for (const [name, value] of env)
        for (const port of urlPorts(value ?? '', endpoint.host)) if (port !== endpoint.port) wrong(template.owner, `container ${container}: ${name}`, `port ${port}`);
    }
  }
  for (const map of objects.filter((object) => object.kind === 'ConfigMap')) {
    for (const [key, value] of Object.entries((map as any).data ?? {})) {
      for (const port of typeof value === 'string' ? urlPorts(value, endpoint.host) : []) if (port !== endpoint.port) wrong(objectRef(map), key, `port ${port}`);
    }
  }
  return out;
}

export function endpointEgressViolations(objects: readonly KubeObject[], endpoints: readonly WiredEndpoint[]): Violation[] {
  const templates = podTemplates(objects);
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
  const identities = identityAccounts(objects);
  const violations: Violation[] = [];
  for (const endpoint of endpoints) {
    const { port } = endpoint;
    if (port === null) {
      violations.push({
        policy: 'endpoint-egress',
        resource: null,
        message: `${endpoint.source} names ${endpoint.name} ${endpoint.host || '(no host)'} but no port: the chart would fall back to its default`,
      });
      continue;
    }
    const clients = templates.filter((template) => isClient(template, endpoint.clients, identities));
    for (const template of clients) {
      if (!egressAllowed(policies, template.labels, port, endpoint.destination)) {
        violations.push({
          policy: 'endpoint-egress',
          resource: template.owner,
          message: `reaches ${endpoint.name} ${endpoint.host ? `at ${endpoint.host}:${port}` : `on port ${port}`} (${endpoint.source}), but no NetworkPolicy egress rule allows TCP ${port} to ${describe(endpoint.destination)}`,
        });
      }
    }
    if (endpoint.host !== '') violations.push(...configViolations({ ...endpoint, port }, objects, clients));
  }
  return violations;
}
