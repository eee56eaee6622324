/**
 * The collectors of what the install names: its namespaces, the access it needs
 * (SelfSubjectAccessReview, one POST per check), and the Secrets and ConfigMaps its values reference.
 * A Secret is read because the API has no way to list a Secret's keys alone; what is kept is its
 * type, its key names and, for a pull secret, the registry hosts of `auths`. The values are never
 * copied anywhere: the decoded Docker config is parsed, its keys taken and the rest dropped at once.
 */
import { AuthorizationV1Api, CoreV1Api, type V1Secret } from '@kubernetes/client-node';
import { forEachLimit } from '../lib/concurrency.js';
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import type { AccessCheck, CollectionPlan } from '../preflight/types.js';
import { bounded, isNotFound } from './api-status.js';
import type { ClusterConnection } from './connect.js';
import { byNamespaceAndName, clip, nameOf, sortedUnique, stringMap } from './evidence-fields.js';

type KeyedObject = PreflightEvidence['secrets'][number];
type AccessReview = PreflightEvidence['accessReviews'][number];

/** Requests in flight at once for per-object reads and access reviews. */
const PARALLEL = 8;

const uniqueRefs = (refs: ReadonlyArray<{ namespace: string; name: string }>) =>
  [...new Map(refs.map((ref) => [`${ref.namespace}/${ref.name}`, { namespace: ref.namespace, name: ref.name }])).values()].sort(byNamespaceAndName);

export async function collectNamespaces(connection: ClusterConnection, plan: CollectionPlan): Promise<PreflightEvidence['namespaces']> {
  const core = connection.api(CoreV1Api);
  const names = sortedUnique(plan.namespaces).slice(0, 100);
  const found: PreflightEvidence['namespaces'] = [];
  await forEachLimit(names, PARALLEL, async (name) => {
    try {
      const namespace = await core.readNamespace({ name });
      found.push({ name: nameOf(name), exists: true, labels: stringMap(namespace.metadata?.labels) });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      found.push({ name: nameOf(name), exists: false, labels: {} });
    }
  });
  return found.sort((left, right) => (left.name < right.name ? -1 : 1));
}

const accessKey = (check: AccessCheck) => [check.namespace ?? '', check.group, check.resource, check.verb].join('\u0000');

/** A SubjectAccessReview's attributes: a subresource (routes/custom-host) goes in its own field, as authorizers match it. */
export function resourceAttributes(check: { namespace: string | null; verb: string; group: string; resource: string }): Record<string, string> {
  const [resource, subresource] = check.resource.split('/', 2) as [string, string | undefined];
  return { ...(check.namespace === null ? {} : { namespace: check.namespace }), verb: check.verb, group: check.group, resource, ...(subresource ? { subresource } : {}) };
}

export async function collectAccessReviews(connection: ClusterConnection, plan: CollectionPlan): Promise<AccessReview[]> {
  const authorization = connection.api(AuthorizationV1Api);
  const checks = [...new Map(plan.accessReviews.map((check) => [accessKey(check), check])).values()]
    .sort((left, right) => (accessKey(left) < accessKey(right) ? -1 : 1))
    .slice(0, 2000);
  const reviews = new Array<AccessReview>(checks.length);
  await forEachLimit(checks, PARALLEL, async (check, index) => {
    const review = await authorization.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: resourceAttributes(check) },
      },
    });
    const status = review.status;
    const reason = [status?.reason, status?.evaluationError].filter((part): part is string => typeof part === 'string' && part !== '').join('; ');
    reviews[index] = {
      namespace: check.namespace === null ? null : clip(check.namespace, 253),
      verb: clip(check.verb, 64),
      group: clip(check.group, 253),
      resource: clip(check.resource, 253),
      allowed: status?.allowed === true && status.denied !== true,
      reason: bounded(reason, 1000),
    };
  });
  return reviews;
}

/** A registry host from an `auths` key: `https://index.docker.io/v1/` -> index.docker.io, `mirror.example:5000` stays. */
export function registryHost(key: string): string {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return withoutScheme.split('/')[0]!.toLowerCase();
}

/** The registry hosts a Docker config Secret names. The JSON is parsed here and only its keys leave. */
export function pullSecretRegistries(secret: V1Secret): string[] {
  const field = secret.type === 'kubernetes.io/dockerconfigjson' ? '.dockerconfigjson' : secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : null;
  const encoded = field === null ? undefined : secret.data?.[field];
  if (encoded === undefined) return [];
  let registries: string[] = [];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    const auths = field === '.dockerconfigjson' ? (parsed as { auths?: unknown } | null)?.auths : parsed;
    if (typeof auths === 'object' && auths !== null && !Array.isArray(auths)) registries = Object.keys(auths);
  } catch {
    return [];
  }
  return sortedUnique(registries.map(registryHost).filter((host) => host !== '' && host.length <= 253)).slice(0, 100);
}

async function readKeyed(
  refs: CollectionPlan['secrets'],
  read: (ref: { namespace: string; name: string }) => Promise<Omit<KeyedObject, 'namespace' | 'name' | 'found'>>,
): Promise<KeyedObject[]> {
  const wanted = uniqueRefs(refs).slice(0, 500);
  const result = new Array<KeyedObject>(wanted.length);
  await forEachLimit(wanted, PARALLEL, async (ref, index) => {
    const base = { namespace: nameOf(ref.namespace), name: nameOf(ref.name) };
    try {
      result[index] = { ...base, found: true, ...(await read(ref)) };
    } catch (error) {
      if (!isNotFound(error)) throw error;
      result[index] = { ...base, found: false, type: null, keys: [], registries: [] };
    }
  });
  return result;
}

const keyNames = (...maps: Array<Record<string, unknown> | undefined>): string[] =>
  sortedUnique(maps.flatMap((map) => Object.keys(map ?? {})))
    .filter((key) => key.length <= 253)
    .slice(0, 500);

export function collectSecrets(connection: ClusterConnection, plan: CollectionPlan): Promise<KeyedObject[]> {
  const core = connection.api(CoreV1Api);
  return readKeyed(plan.secrets, async (ref) => {
    const secret = await core.readNamespacedSecret(ref);
    return { type: secret.type ? clip(secret.type, 253) : 'Opaque', keys: keyNames(secret.data, secret.stringData), registries: pullSecretRegistries(secret) };
  });
}

export function collectConfigMaps(connection: ClusterConnection, plan: CollectionPlan): Promise<KeyedObject[]> {
  const core = connection.api(CoreV1Api);
  return readKeyed(plan.configMaps, async (ref) => {
    const configMap = await core.readNamespacedConfigMap(ref);
    return { type: null, keys: keyNames(configMap.data, configMap.binaryData), registries: [] };
  });
}
