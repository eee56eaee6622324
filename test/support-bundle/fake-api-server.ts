/**
 * A minimal Kubernetes API server on 127.0.0.1 for the support-bundle collectors: it replays list
 * responses (PodList, EventList, ...), container logs as text/plain, 403 Status objects where RBAC
 * would refuse, and Helm's release Secrets as PartialObjectMetadataList only when asked with that
 * Accept header (otherwise the full Secret with its payload, so a collector that forgets the
 * header is caught). Every request is recorded.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type Configuration } from '@kubernetes/client-node';

export interface FakeNamespace {
  pods?: unknown[];
  events?: unknown[];
  deployments?: unknown[];
  statefulSets?: unknown[];
  jobs?: unknown[];
  pvcs?: unknown[];
  helmReleases?: unknown[];
  /** Resource names (pods, events, jobs ...) answered 403. */
  forbidden?: string[];
  /** Log text by "pod/container" (with "/previous" for the previous run). */
  logs?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  accept: string;
  authorization: string;
}

export interface FakeApiServer {
  url: string;
  kubeConfig: KubeConfig;
  /** Typed API clients of kubeConfig (the shape connect.ts's ClusterConnection gives). */
  api<T>(type: new (configuration: Configuration) => T): T;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const RESOURCES: Record<string, { key: keyof FakeNamespace; kind: string; apiVersion: string }> = {
  pods: { key: 'pods', kind: 'PodList', apiVersion: 'v1' },
  events: { key: 'events', kind: 'EventList', apiVersion: 'v1' },
  deployments: { key: 'deployments', kind: 'DeploymentList', apiVersion: 'apps/v1' },
  statefulsets: { key: 'statefulSets', kind: 'StatefulSetList', apiVersion: 'apps/v1' },
  jobs: { key: 'jobs', kind: 'JobList', apiVersion: 'batch/v1' },
  persistentvolumeclaims: { key: 'pvcs', kind: 'PersistentVolumeClaimList', apiVersion: 'v1' },
};

export const FAKE_TOKEN = 'fake-bearer-token-for-tests';

function forbidden(resource: string, namespace: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${resource} is forbidden: User "system:serviceaccount:acme:support" cannot list resource "${resource}" in API group "" in the namespace "${namespace}"`,
    reason: 'Forbidden',
    details: { kind: resource },
    code: 403,
  };
}

function answer(request: IncomingMessage, namespaces: Record<string, FakeNamespace>): { status: number; type: string; body: string } {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const json = (status: number, body: unknown) => ({ status, type: 'application/json', body: JSON.stringify(body) });
  const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
  if (log) {
    const key = `${log[2]}/${url.searchParams.get('container')}${url.searchParams.get('previous') === 'true' ? '/previous' : ''}`;
    const text = namespaces[log[1]!]?.logs?.[key];
    return text === undefined
      ? json(404, { kind: 'Status', code: 404, reason: 'NotFound', message: `previous terminated container not found` })
      : { status: 200, type: 'text/plain', body: text };
  }
  const list = /^\/(?:api\/v1|apis\/apps\/v1|apis\/batch\/v1)\/namespaces\/([^/]+)\/([a-z]+)$/.exec(url.pathname);
  if (!list) return json(404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
  const [, namespace, resource] = list as unknown as [string, string, string];
  const model = namespaces[namespace] ?? {};
  if (model.forbidden?.includes(resource)) return json(403, forbidden(resource, namespace));
  if (resource === 'secrets') {
    const partial = (request.headers.accept ?? '').includes('as=PartialObjectMetadataList');
    const items = model.helmReleases ?? [];
    if (partial) return json(200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: {}, items });
    return json(200, {
      kind: 'SecretList',
      apiVersion: 'v1',
      metadata: {},
      items: items.map((item) => ({ ...(item as object), kind: 'Secret', data: { release: 'SDRzSUFBQUFBQUFBL0hFTE1fUkVMRUFTRV9QQVlMT0FE' } })),
    });
  }
  const spec = RESOURCES[resource];
  if (!spec) return json(404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' });
  // As the API server pages: at most ?limit= items, and a continue token when more remain.
  const all = (model[spec.key] ?? []) as unknown[];
  const limit = Number(url.searchParams.get('limit') ?? 0) || all.length;
  const metadata = { resourceVersion: '1', ...(all.length > limit ? { continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ' } : {}) };
  return json(200, { kind: spec.kind, apiVersion: spec.apiVersion, metadata, items: all.slice(0, limit) });
}

export async function startFakeApiServer(namespaces: Record<string, FakeNamespace>): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: request.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      accept: request.headers.accept ?? '',
      authorization: request.headers.authorization ?? '',
    });
    const { status, type, body } = answer(request, namespaces);
    response.writeHead(status, { 'content-type': type });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = new KubeConfig();
  // Plain HTTP on loopback: client-node sends a token over http:// only with skipTLSVerify set (there is no TLS to verify).
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'support', token: FAKE_TOKEN }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'support' }],
    currentContext: 'fake',
  });
  const api = <T>(type: new (configuration: Configuration) => T): T => kubeConfig.makeApiClient(type as never) as T;
  return { url, kubeConfig, api, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
