/**
 * A Kubernetes API server on 127.0.0.1 that replays a FixtureCluster (./fixture-cluster.ts) as the
 * real one answers: discovery, /version, paged lists (limit and continue, list resourceVersion),
 * gets, Status objects for 401/403/404 (reason Unauthorized/Forbidden/NotFound), SelfSubjectAccessReview
 * POSTs, and for --active namespace and Pod create/get/delete and the Pod log (the probe script's
 * lines, computed from the Pod's arguments and the model's network). HTTPS with a private CA (made
 * once per process with openssl) or plain HTTP; every request is logged with whether it carried
 * credentials, so a test can show where they went.
 */
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FixtureCluster, KubeObject } from './fixture-cluster.js';
import { execFileSync } from 'node:child_process';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  body: unknown;
}

export interface FixtureApiServer {
  url: string;
  /** A kubeconfig for this server (context "fixture"; the cluster's token; CA data over TLS). */
  kubeconfigFile: string;
  /** The CA certificate (PEM) over TLS, else null. */
  caPem: string | null;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface FixtureApiServerOptions {
  tls?: boolean;
  /** TLS that asks for a client certificate signed by the fixture CA (requests without one are 401). */
  clientCertificates?: boolean;
  /** Answer every request with a 302 to this URL (a hostile or misconfigured server). */
  redirectTo?: string;
}

export interface FixtureCertificates {
  /** PEM files: the private CA, the server's certificate for 127.0.0.1, a client certificate (CN=installer, O=system:masters) and keys. */
  ca: string;
  cert: string;
  key: string;
  clientCert: string;
  clientKey: string;
}

let certificates: FixtureCertificates | null = null;

/** A private CA, a server certificate for 127.0.0.1 and a client certificate signed by it: made with openssl once per process. */
export function fixtureCertificates(): FixtureCertificates {
  if (certificates) return certificates;
  const dir = mkdtempSync(join(tmpdir(), 'installctl-fixture-ca-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=installctl fixture CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  const sign = (name: string, subject: string, extensions: string) => {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), extensions);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  };
  sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  sign('client', '/O=system:masters/CN=installer', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  const file = (name: string) => join(dir, name);
  certificates = { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key'), clientCert: file('client.crt'), clientKey: file('client.key') };
  return certificates;
}

function status(code: number, reason: string, message: string, details: Record<string, string> = {}) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'AlreadyExists', 500: 'InternalError' };

function forbidden(method: string, path: string) {
  const resource = path.split('/').filter(Boolean).at(-1) ?? '';
  const verb = method === 'GET' ? 'list' : method.toLowerCase();
  return status(
    403,
    'Forbidden',
    `${resource} is forbidden: User "system:serviceaccount:ci:preflight" cannot ${verb} resource "${resource}" in API group "" at the cluster scope`,
    { kind: resource },
  );
}

function page(kind: string, apiVersion: string, all: KubeObject[], query: Record<string, string>) {
  const offset = query.continue ? Number(Buffer.from(query.continue, 'base64').toString('utf8')) : 0;
  const limit = query.limit ? Number(query.limit) : all.length;
  const items = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64') : undefined;
  return { kind, apiVersion, metadata: { resourceVersion: '7340021', ...(next ? { continue: next, remainingItemCount: all.length - offset - limit } : {}) }, items };
}

/** status.phase!=Succeeded,status.phase!=Failed as the API server applies it. */
function fieldSelected(pods: KubeObject[], selector: string | undefined): KubeObject[] {
  if (!selector) return pods;
  const excluded = selector.split(',').flatMap((term) => (term.startsWith('status.phase!=') ? [term.slice('status.phase!='.length)] : []));
  return pods.filter((pod) => !excluded.includes(String((pod.status as { phase?: string } | undefined)?.phase)));
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

function podWithStatus(cluster: FixtureCluster, pod: KubeObject): KubeObject {
  const image = (pod.spec as { containers: Array<{ image: string }> }).containers[0]!.image;
  let podStatus: Record<string, unknown>;
  if (cluster.network.podHangs)
    podStatus = {
      phase: 'Pending',
      containerStatuses: [{ name: 'probe', ready: false, restartCount: 0, image, imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }],
    };
  else if (!cluster.network.pullableImages.has(image))
    podStatus = {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'probe',
          ready: false,
          restartCount: 0,
          image,
          imageID: '',
          state: { waiting: { reason: 'ErrImagePull', message: `failed to pull and unpack image "${image}": 401 Unauthorized` } },
        },
      ],
    };
  else
    podStatus = {
      phase: 'Succeeded',
      containerStatuses: [
        {
          name: 'probe',
          ready: false,
          restartCount: 0,
          image,
          imageID: image,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-12-02T22:41:00Z', finishedAt: '2026-12-02T22:41:03Z' } },
        },
      ],
    };
  return { ...pod, status: podStatus };
}

function accessReview(cluster: FixtureCluster, body: { spec: { resourceAttributes: { namespace?: string; verb: string; group?: string; resource: string } } }) {
  const attributes = body.spec.resourceAttributes;
  const denied = cluster.deny.some(
    (rule) =>
      (rule.namespace === undefined || (rule.namespace ?? undefined) === attributes.namespace) &&
      (rule.verb === undefined || rule.verb === attributes.verb) &&
      (rule.group === undefined || rule.group === (attributes.group ?? '')) &&
      (rule.resource === undefined || rule.resource === attributes.resource),
  );
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body.spec,
    status: denied ? { allowed: false } : { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "installer" of ClusterRole "cluster-admin" to User "installer"' },
  };
}

type Answer = [number, unknown] | [number, string, 'text'];

const find = (list: KubeObject[], name: string, namespace?: string) =>
  list.find((item) => item.metadata.name === name && (namespace === undefined || item.metadata.namespace === namespace));

function namespaced(cluster: FixtureCluster, method: string, parts: string[], body: unknown): Answer | null {
  const [namespace, resource, name, sub] = parts as [string, string | undefined, string | undefined, string | undefined];
  const exists = find(cluster.namespaces, namespace);
  if (resource === undefined) {
    if (method === 'DELETE') {
      if (!exists) return [404, status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' })];
      cluster.namespaces = cluster.namespaces.filter((item) => item !== exists);
      return [200, { ...exists, status: { phase: 'Terminating' } }];
    }
    return exists
      ? [200, { apiVersion: 'v1', kind: 'Namespace', ...exists }]
      : [404, status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' })];
  }
  const lists: Record<string, KubeObject[]> = { secrets: cluster.secrets, configmaps: cluster.configMaps, pods: cluster.pods };
  const list = lists[resource];
  if (!list) return null;
  if (method === 'POST' && resource === 'pods') {
    if (!exists) return [404, status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' })];
    const pod = { ...(body as KubeObject), metadata: { ...(body as KubeObject).metadata, namespace, uid: 'a1b2c3d4-0000-4000-8000-000000000001', resourceVersion: '7340099' } };
    cluster.pods.push(pod);
    return [201, { ...pod, status: { phase: 'Pending' } }];
  }
  const item = name === undefined ? undefined : find(list, name, namespace);
  const singular = resource.replace(/s$/, '');
  if (!item) return [404, status(404, 'NotFound', `${resource} "${name}" not found`, { name: name ?? '', kind: resource })];
  if (method === 'DELETE') {
    list.splice(list.indexOf(item), 1);
    return [200, item];
  }
  if (resource === 'pods' && sub === 'log') return [200, probeLog(cluster, item), 'text'];
  if (resource === 'pods') return [200, podWithStatus(cluster, item)];
  return [200, { apiVersion: 'v1', kind: singular === 'configmap' ? 'ConfigMap' : 'Secret', ...item }];
}

function route(cluster: FixtureCluster, method: string, path: string, query: Record<string, string>, body: unknown): Answer {
  const lists: Record<string, () => Answer> = {
    '/api/v1/nodes': () => [200, page('NodeList', 'v1', cluster.nodes, query)],
    '/api/v1/pods': () => [200, page('PodList', 'v1', fieldSelected(cluster.pods, query.fieldSelector), query)],
    '/apis/apps/v1/daemonsets': () => [200, page('DaemonSetList', 'apps/v1', cluster.daemonSets, query)],
    '/apis/storage.k8s.io/v1/storageclasses': () => [200, page('StorageClassList', 'storage.k8s.io/v1', cluster.storageClasses, query)],
    '/apis/networking.k8s.io/v1/ingressclasses': () => [200, page('IngressClassList', 'networking.k8s.io/v1', cluster.ingressClasses, query)],
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions': () => [200, page('CustomResourceDefinitionList', 'apiextensions.k8s.io/v1', cluster.crds, query)],
    '/version': () => [200, cluster.version],
    '/api': () => [200, cluster.coreApi],
    '/apis': () => [200, { kind: 'APIGroupList', apiVersion: 'v1', groups: cluster.apiGroups }],
  };
  if (method === 'GET' && lists[path]) return lists[path]!();
  if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return [201, accessReview(cluster, body as Parameters<typeof accessReview>[1])];
  if (method === 'POST' && path === '/api/v1/namespaces') {
    const namespace = body as KubeObject;
    if (find(cluster.namespaces, namespace.metadata.name)) return [409, status(409, 'AlreadyExists', `namespaces "${namespace.metadata.name}" already exists`)];
    cluster.namespaces.push({ ...namespace, status: { phase: 'Active' } });
    return [201, { ...namespace, status: { phase: 'Active' } }];
  }
  const parts = path.split('/').slice(4);
  if (path.startsWith('/api/v1/namespaces/') && parts.length >= 1) {
    const answer = namespaced(cluster, method, parts, body);
    if (answer) return answer;
  }
  return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
}

/** A forced status for "METHOD /path"; a key's `*` stands for one path segment. */
function override(cluster: FixtureCluster, key: string): number | undefined {
  const exact = cluster.statusOverrides.get(key);
  if (exact !== undefined) return exact;
  for (const [pattern, code] of cluster.statusOverrides) {
    if (!pattern.includes('*')) continue;
    const regex = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&'))
        .join('[^/]+')}$`,
    );
    if (regex.test(key)) return code;
  }
  return undefined;
}

function readBody(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text === '' ? null : (JSON.parse(text) as unknown));
    });
    request.on('error', reject);
  });
}

function handler(cluster: FixtureCluster, requests: RecordedRequest[], options: FixtureApiServerOptions) {
  return (request: http.IncomingMessage, response: http.ServerResponse) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fixture');
      const query = Object.fromEntries(url.searchParams);
      const body = await readBody(request);
      const authorization = request.headers.authorization ?? null;
      requests.push({ method: request.method ?? 'GET', path: url.pathname, query, authorization, body });
      const send = (code: number, payload: unknown, text = false) => {
        response.writeHead(code, { 'content-type': text ? 'text/plain' : 'application/json' });
        response.end(text ? String(payload) : JSON.stringify(payload));
      };
      if (options.redirectTo) {
        response.writeHead(302, { location: `${options.redirectTo}${url.pathname}` });
        response.end();
        return;
      }
      const certified = options.clientCertificates === true && (request.socket as TLSSocket).authorized === true;
      if (options.clientCertificates && !certified) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
      if (!certified && cluster.token !== null && authorization !== `Bearer ${cluster.token}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
      const forced = override(cluster, `${request.method} ${url.pathname}`);
      if (forced !== undefined)
        return send(forced, forced === 403 ? forbidden(request.method ?? 'GET', url.pathname) : status(forced, REASONS[forced] ?? 'InternalError', `forced ${forced}`));
      const [code, payload, text] = route(cluster, request.method ?? 'GET', url.pathname, query, body);
      send(code, payload, text === 'text');
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status(500, 'InternalError', String(error))));
    });
  };
}

/** A kubeconfig with one context, "fixture", for this server. */
export function fixtureKubeconfig(server: string, options: { token: string | null; caPem: string | null; extra?: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'current-context: fixture',
    'clusters:',
    '- name: fixture',
    '  cluster:',
    `    server: ${server}`,
    ...(options.caPem ? [`    certificate-authority-data: ${Buffer.from(options.caPem).toString('base64')}`] : []),
    'contexts:',
    '- name: fixture',
    '  context: {cluster: fixture, user: fixture}',
    'users:',
    '- name: fixture',
    `  user: {${options.token ? `token: ${options.token}` : ''}}`,
    options.extra ?? '',
  ].join('\n');
}

export async function startFixtureApiServer(cluster: FixtureCluster, options: FixtureApiServerOptions = {}): Promise<FixtureApiServer> {
  const requests: RecordedRequest[] = [];
  const files = options.tls || options.clientCertificates ? fixtureCertificates() : null;
  const clientAuth = options.clientCertificates ? { requestCert: true, rejectUnauthorized: false, ca: readFileSync(files!.ca) } : {};
  const server = files
    ? https.createServer({ cert: readFileSync(files.cert), key: readFileSync(files.key), ...clientAuth }, handler(cluster, requests, options))
    : http.createServer(handler(cluster, requests, options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `${files ? 'https' : 'http'}://127.0.0.1:${port}`;
  const caPem = files ? readFileSync(files.ca, 'utf8') : null;
  const kubeconfigFile = join(mkdtempSync(join(tmpdir(), 'installctl-kubeconfig-')), 'config');
  writeFileSync(kubeconfigFile, fixtureKubeconfig(url, { token: cluster.token, caPem }));
  return {
    url,
    kubeconfigFile,
    caPem,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
