/**
 * How the fixture API server (./fixture-api-server.ts) answers for objects: lists as the real API
 * server sends them (kind <Kind>List, apiVersion, metadata.resourceVersion, limit/continue paging,
 * label selectors, items without kind/apiVersion), the PartialObjectMetadataList representation when
 * the Accept header asks for it (names and labels only: a Secret's data never leaves), Status
 * objects, the namespaced resources (core, apps, batch) with get/create/delete, and container logs
 * (tailLines, limitBytes, timestamps, previous) from the model, or the --active probe's lines.
 */
import { logKey, type FixtureCluster, type KubeObject } from './fixture-cluster.js';

export type Answer = [number, unknown] | [number, string, 'text'];

export function status(code: number, reason: string, message: string, details: Record<string, string> = {}) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

export const notFound = () => status(404, 'NotFound', 'the server could not find the requested resource');

const badRequest = (message: string): Answer => [400, status(400, 'BadRequest', message)];

/** One requirement of a label selector: key=value, key==value, key!=value, key in (a,b), key notin (a,b), key, !key. */
function requirementMatches(labels: Record<string, string>, requirement: string): boolean {
  const equality = /^([^!=\s]+)\s*(==|!=|=)\s*([^\s,]*)$/.exec(requirement);
  if (equality) return equality[2] === '!=' ? labels[equality[1]!] !== equality[3] : labels[equality[1]!] === equality[3];
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(requirement);
  if (set) {
    const member = set[1]! in labels && set[3]!.split(',').some((value) => value.trim() === labels[set[1]!]);
    return set[2] === 'in' ? member : !member;
  }
  if (/^!\S+$/.test(requirement)) return !(requirement.slice(1) in labels);
  if (/^[^\s!=(),]+$/.test(requirement)) return requirement in labels;
  throw new SelectorError(`unable to parse requirement: ${requirement}`);
}

class SelectorError extends Error {}

export function labelSelected(items: KubeObject[], selector: string | undefined): KubeObject[] {
  if (!selector) return items;
  const requirements = (selector.match(/(?:[^,(]|\([^)]*\))+/g) ?? []).map((term) => term.trim());
  return items.filter((item) => requirements.every((requirement) => requirementMatches(item.metadata.labels ?? {}, requirement)));
}

/** The representation the Accept header asks for ('full' JSON or 'partial' metadata), null when none is served (406). */
export function representation(accept: string | null, list: boolean): 'full' | 'partial' | null {
  if (!accept) return 'full';
  for (const media of accept.split(',')) {
    const [type, ...parameters] = media.split(';').map((part) => part.trim());
    if (!['application/json', 'application/*', '*/*'].includes(type!)) continue;
    const asked = Object.fromEntries(parameters.map((parameter) => parameter.split('=').map((part) => part.trim()) as [string, string]));
    if (asked.as === undefined) return 'full';
    if (asked.g === 'meta.k8s.io' && asked.v === 'v1' && asked.as === (list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata')) return 'partial';
  }
  return null;
}

const notAcceptable = (): Answer => [
  406,
  status(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf'),
];

const partialObject = (item: KubeObject) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata });

/** A list answer: label selector, then a page (limit, continue), in the representation the Accept header asks for. */
export function listAnswer(kind: string, apiVersion: string, all: KubeObject[], query: Record<string, string>, accept: string | null): Answer {
  let selected: KubeObject[];
  try {
    selected = labelSelected(all, query.labelSelector);
  } catch (error) {
    return badRequest((error as Error).message);
  }
  const shape = representation(accept, true);
  if (shape === null) return notAcceptable();
  const offset = query.continue ? Number(Buffer.from(query.continue, 'base64').toString('utf8')) : 0;
  const limit = query.limit ? Number(query.limit) : selected.length;
  const items = selected.slice(offset, offset + limit);
  const next = offset + limit < selected.length ? Buffer.from(String(offset + limit)).toString('base64') : undefined;
  const metadata = { resourceVersion: '7340021', ...(next ? { continue: next, remainingItemCount: selected.length - offset - limit } : {}) };
  if (shape === 'partial') return [200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: items.map(partialObject) }];
  // A list's items carry no kind or apiVersion: the list's say what they are.
  return [200, { kind, apiVersion, metadata, items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item) }];
}

/** The probe script's output for the Pod's arguments, from the model's network. */
function probeLog(cluster: FixtureCluster, pod: KubeObject): string {
  const command = ((pod.spec as { containers: Array<{ command?: string[] }> }).containers[0]?.command ?? []).slice(5);
  const lines: string[] = [];
  for (let index = 0; index * 3 + 2 < command.length; index++) {
    const [kind, host, port] = command.slice(index * 3, index * 3 + 3) as [string, string, string];
    const ok = kind === 'dns' ? cluster.network.resolvable.has(host) : cluster.network.reachable.has(`${host}:${port}`);
    lines.push(`installctl-probe ${index} ${ok ? 'ok' : 'fail'}`);
  }
  return ['probe starting', ...lines, 'installctl-probe-done', ''].join('\n');
}

function probeStatus(cluster: FixtureCluster, image: string): Record<string, unknown> {
  const container = { name: 'probe', ready: false, restartCount: 0, image };
  if (cluster.network.podHangs) return { phase: 'Pending', containerStatuses: [{ ...container, imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] };
  if (!cluster.network.pullableImages.has(image)) {
    const message = `failed to pull and unpack image "${image}": 401 Unauthorized`;
    return { phase: 'Pending', containerStatuses: [{ ...container, imageID: '', state: { waiting: { reason: 'ErrImagePull', message } } }] };
  }
  const terminated = { exitCode: 0, reason: 'Completed', startedAt: '2026-12-02T22:41:00Z', finishedAt: '2026-12-02T22:41:03Z' };
  return { phase: 'Succeeded', containerStatuses: [{ ...container, imageID: image, state: { terminated } }] };
}

/** An --active probe Pod (created through this server): its status and log follow the model's network. */
const isProbe = (pod: KubeObject) => pod.metadata.labels?.['app.kubernetes.io/component'] === 'preflight-probe';

/** GET .../pods/NAME/log: the model's lines (newest tailLines, timestamps when asked, cut at limitBytes); the probe's for a probe Pod. */
function podLog(cluster: FixtureCluster, pod: KubeObject, query: Record<string, string>): Answer {
  if (isProbe(pod)) return [200, probeLog(cluster, pod), 'text'];
  const spec = pod.spec as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((container) => container.name);
  const name = pod.metadata.name;
  const container = query.container ?? (spec.containers?.length === 1 ? spec.containers[0]!.name : undefined);
  if (container === undefined) return badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
  if (!containers.includes(container)) return badRequest(`container ${container} is not valid for pod ${name}`);
  const previous = query.previous === 'true';
  const lines = cluster.logs.get(logKey(String(pod.metadata.namespace), name, container, previous));
  if (!lines && previous) return badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  const tail = query.tailLines === undefined ? (lines ?? []) : (lines ?? []).slice(Math.max(0, (lines ?? []).length - Number(query.tailLines)));
  const text = tail.map((line) => `${query.timestamps === 'true' ? `${line.time} ` : ''}${line.text}\n`).join('');
  return [200, query.limitBytes === undefined ? text : Buffer.from(text, 'utf8').subarray(0, Number(query.limitBytes)).toString('utf8'), 'text'];
}

type ListName = 'pods' | 'events' | 'secrets' | 'configMaps' | 'persistentVolumeClaims' | 'deployments' | 'statefulSets' | 'daemonSets' | 'jobs';

/** The namespaced resources served, by "groupVersion/resource". */
const NAMESPACED: Record<string, { list: ListName; kind: string }> = {
  'v1/pods': { list: 'pods', kind: 'Pod' },
  'v1/events': { list: 'events', kind: 'Event' },
  'v1/secrets': { list: 'secrets', kind: 'Secret' },
  'v1/configmaps': { list: 'configMaps', kind: 'ConfigMap' },
  'v1/persistentvolumeclaims': { list: 'persistentVolumeClaims', kind: 'PersistentVolumeClaim' },
  'apps/v1/deployments': { list: 'deployments', kind: 'Deployment' },
  'apps/v1/statefulsets': { list: 'statefulSets', kind: 'StatefulSet' },
  'apps/v1/daemonsets': { list: 'daemonSets', kind: 'DaemonSet' },
  'batch/v1/jobs': { list: 'jobs', kind: 'Job' },
};

const find = (list: KubeObject[], name: string, namespace?: string) =>
  list.find((item) => item.metadata.name === name && (namespace === undefined || item.metadata.namespace === namespace));

const namespaceNotFound = (namespace: string): Answer => [404, status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' })];

/** /api/v1/namespaces/NS itself: get and delete. */
function namespaceObject(cluster: FixtureCluster, method: string, namespace: string): Answer {
  const exists = find(cluster.namespaces, namespace);
  if (!exists) return namespaceNotFound(namespace);
  if (method !== 'DELETE') return [200, { apiVersion: 'v1', kind: 'Namespace', ...exists }];
  cluster.namespaces = cluster.namespaces.filter((item) => item !== exists);
  return [200, { ...exists, status: { phase: 'Terminating' } }];
}

function createPod(cluster: FixtureCluster, namespace: string, body: KubeObject): Answer {
  if (!find(cluster.namespaces, namespace)) return namespaceNotFound(namespace);
  const pod = { ...body, metadata: { ...body.metadata, namespace, uid: 'a1b2c3d4-0000-4000-8000-000000000001', resourceVersion: '7340099' } };
  cluster.pods.push(pod);
  return [201, { ...pod, status: { phase: 'Pending' } }];
}

export interface ObjectRequest {
  method: string;
  /** "v1", "apps/v1", "batch/v1". */
  groupVersion: string;
  /** The path after .../namespaces/: NS[/resource[/name[/subresource]]]. */
  parts: string[];
  query: Record<string, string>;
  accept: string | null;
  body: unknown;
}

/** A request under .../namespaces/; null when the resource is not served (the caller answers 404). */
export function namespacedAnswer(cluster: FixtureCluster, request: ObjectRequest): Answer | null {
  const [namespace, resource, name, subresource] = request.parts as [string, string | undefined, string | undefined, string | undefined];
  if (resource === undefined) return request.groupVersion === 'v1' ? namespaceObject(cluster, request.method, namespace) : null;
  const served = NAMESPACED[`${request.groupVersion}/${resource}`];
  if (!served) return null;
  const list = cluster[served.list];
  if (name === undefined) {
    if (request.method === 'POST' && resource === 'pods') return createPod(cluster, namespace, request.body as KubeObject);
    if (request.method !== 'GET') return [405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)];
    const inNamespace = list.filter((item) => item.metadata.namespace === namespace);
    return listAnswer(`${served.kind}List`, request.groupVersion, inNamespace, request.query, request.accept);
  }
  const item = find(list, name, namespace);
  if (!item) return [404, status(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource })];
  if (request.method === 'DELETE') {
    list.splice(list.indexOf(item), 1);
    return [200, item];
  }
  if (resource === 'pods' && subresource === 'log') return podLog(cluster, item, request.query);
  if (subresource !== undefined) return null;
  const shape = representation(request.accept, false);
  if (shape === null) return notAcceptable();
  if (shape === 'partial') return [200, partialObject(item)];
  if (resource === 'pods' && isProbe(item)) return [200, { ...item, status: probeStatus(cluster, (item.spec as { containers: Array<{ image: string }> }).containers[0]!.image) }];
  return [200, { apiVersion: request.groupVersion, kind: served.kind, ...item }];
}
