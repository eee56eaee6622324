/**
 * A Kubernetes API server on 127.0.0.1 that replays a FixtureCluster (./fixture-cluster.ts) as the
 * real one answers: discovery, /version, paged lists (limit and continue, list resourceVersion,
 * label selectors, PartialObjectMetadataList when the Accept header asks), gets, Status objects for
 * 401/403/404 (reason Unauthorized/Forbidden/NotFound), SelfSubjectAccessReview POSTs, the
 * namespaced objects support-bundle collects (pods, events, deployments, statefulsets, jobs, claims,
 * Helm release Secrets, container logs: ./fixture-api-objects.ts), and for --active namespace and
 * Pod create/get/delete and the probe Pod's log (computed from its arguments and the model's network). HTTPS with a private CA (made
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
import { listAnswer, namespacedAnswer, notFound, status, type Answer } from './fixture-api-objects.js';
import { execFileSync } from 'node:child_process';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  /** The Accept header (the representation asked for: PartialObjectMetadataList ...). */
  accept: string | null;
  body: unknown;
  /** What was sent back: the status code and the body (parsed JSON, or the text of a log); null before the answer. */
  response: { code: number; body: unknown } | null;
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

/** A forced answer: RBAC's words for 403, "could not find" for 404 (a missing API or namespace-less path), else the reason. */
function forcedStatus(code: number, method: string, path: string) {
  if (code === 403) return forbidden(method, path);
  if (code === 404) return notFound();
  return status(code, REASONS[code] ?? 'InternalError', `forced ${code}`);
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'AlreadyExists', 500: 'InternalError' };

/**
 * What RBAC answers: the verb (list for a collection, get for a named object), the resource, its
 * API group and the namespace or the cluster scope, as the API server words it.
 */
function forbidden(method: string, path: string) {
  const parts = path.split('/').filter(Boolean);
  const group = parts[0] === 'apis' ? (parts[1] ?? '') : '';
  const rest = parts.slice(parts[0] === 'apis' ? 3 : 2);
  const namespace = rest[0] === 'namespaces' && rest.length >= 3 ? rest[1]! : null;
  const [resource = '', name] = namespace === null ? rest : rest.slice(2);
  const verbs: Record<string, string> = { GET: name === undefined ? 'list' : 'get', POST: 'create', DELETE: 'delete', PUT: 'update', PATCH: 'patch' };
  const scope = namespace === null ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const user = 'User "system:serviceaccount:ci:preflight"';
  const subject = name === undefined ? resource : `${resource} "${name}"`;
  return status(403, 'Forbidden', `${subject} is forbidden: ${user} cannot ${verbs[method] ?? method.toLowerCase()} resource "${resource}" in API group "${group}" ${scope}`, {
    ...(name === undefined ? {} : { name }),
    kind: resource,
  });
}

/** status.phase!=Succeeded,status.phase!=Failed as the API server applies it. */
function fieldSelected(pods: KubeObject[], selector: string | undefined): KubeObject[] {
  if (!selector) return pods;
  const excluded = selector.split(',').flatMap((term) => (term.startsWith('status.phase!=') ? [term.slice('status.phase!='.length)] : []));
  return pods.filter((pod) => !excluded.includes(String((pod.status as { phase?: string } | undefined)?.phase)));
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

interface ServedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string | null;
  body: unknown;
}

function route(cluster: FixtureCluster, request: ServedRequest): Answer {
  const { method, path, query, accept, body } = request;
  const list = (kind: string, apiVersion: string, items: KubeObject[]) => () => listAnswer(kind, apiVersion, items, query, accept);
  const lists: Record<string, () => Answer> = {
    '/api/v1/nodes': list('NodeList', 'v1', cluster.nodes),
    '/api/v1/namespaces': list('NamespaceList', 'v1', cluster.namespaces),
    '/api/v1/pods': list('PodList', 'v1', fieldSelected(cluster.pods, query.fieldSelector)),
    '/apis/apps/v1/daemonsets': list('DaemonSetList', 'apps/v1', cluster.daemonSets),
    '/apis/storage.k8s.io/v1/storageclasses': list('StorageClassList', 'storage.k8s.io/v1', cluster.storageClasses),
    '/apis/networking.k8s.io/v1/ingressclasses': list('IngressClassList', 'networking.k8s.io/v1', cluster.ingressClasses),
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions': list('CustomResourceDefinitionList', 'apiextensions.k8s.io/v1', cluster.crds),
    '/version': () => [200, cluster.version],
    '/api': () => [200, cluster.coreApi],
    '/apis': () => [200, { kind: 'APIGroupList', apiVersion: 'v1', groups: cluster.apiGroups }],
  };
  if (method === 'GET' && lists[path]) return lists[path]!();
  if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return [201, accessReview(cluster, body as Parameters<typeof accessReview>[1])];
  if (method === 'POST' && path === '/api/v1/namespaces') {
    const namespace = body as KubeObject;
    if (cluster.namespaces.some((item) => item.metadata.name === namespace.metadata.name))
      return [409, status(409, 'AlreadyExists', `namespaces "${namespace.metadata.name}" already exists`)];
    cluster.namespaces.push({ ...namespace, status: { phase: 'Active' } });
    return [201, { ...namespace, status: { phase: 'Active' } }];
  }
  // /api/v1/namespaces/NS/... and /apis/GROUP/VERSION/namespaces/NS/...
  const under = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))\/namespaces\/(.+)$/.exec(path);
  if (under) {
    const answer = namespacedAnswer(cluster, { method, groupVersion: under[1] ?? under[2]!, parts: under[3]!.split('/'), query, accept, body });
    if (answer) return answer;
  }
  return [404, notFound()];
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
      const accept = request.headers.accept ?? null;
      const recorded: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, query, authorization, accept, body, response: null };
      requests.push(recorded);
      const send = (code: number, payload: unknown, text = false) => {
        recorded.response = { code, body: payload };
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
      if (forced !== undefined) return send(forced, forcedStatus(forced, request.method ?? 'GET', url.pathname));
      const [code, payload, text] = route(cluster, { method: request.method ?? 'GET', path: url.pathname, query, accept, body });
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
