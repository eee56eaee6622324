/**
 * Kubeconfig handling: where it is found (--kubeconfig, KUBECONFIG with kubectl's merge, ~/.kube/config),
 * contexts, token and exec-plugin credentials, CA data over TLS, insecure-skip-tls-verify refused
 * unless allowed, and the errors a person gets when there is none or the context is unknown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectOptions } from '../../cli/cluster/connect.js';
import { collectEvidence } from '../../cli/cluster/collect.js';
import { materializeUser, readKubeconfigs } from '../../cli/cluster/kubeconfig.js';
import { UserError } from '../../cli/lib/errors.js';
import { CLUSTER_CAPS } from '../../cli/cluster/limits.js';
import { baseCluster } from '../helpers/fixture-cluster.js';
import { fixtureCertificates, fixtureKubeconfig, startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { fullPlan, META } from './plans.js';

const servers: FixtureApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(token: string | null = null, tls = false) {
  const cluster = baseCluster('vanilla');
  cluster.token = token;
  const server = await startFixtureApiServer(cluster, { tls });
  servers.push(server);
  return server;
}

const dir = () => mkdtempSync(join(tmpdir(), 'installctl-connect-'));
const write = (file: string, text: string) => {
  writeFileSync(file, text);
  return file;
};
const options = (overrides: Partial<ConnectOptions>): ConnectOptions => ({ kubeconfig: null, context: null, allowInsecure: false, env: {}, requestTimeoutMs: 3000, ...overrides });

async function refusal(work: () => Promise<unknown>): Promise<UserError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('accepted');
}

const collectWith = async (connectOptions: ConnectOptions) => collectEvidence(await connect(connectOptions), fullPlan({ collectors: ['version', 'nodes'] }), META);

/** Two contexts on two servers, plus one whose cluster skips TLS verification. */
function twoContexts(first: string, second: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'current-context: first',
    'clusters:',
    `- {name: one, cluster: {server: '${first}'}}`,
    `- {name: two, cluster: {server: '${second}'}}`,
    `- {name: lax, cluster: {server: 'https://10.0.0.1:6443', insecure-skip-tls-verify: true}}`,
    'contexts:',
    '- {name: first, context: {cluster: one, user: u}}',
    '- {name: second, context: {cluster: two, user: u}}',
    '- {name: lax, context: {cluster: lax, user: u}}',
    'users:',
    '- {name: u, user: {token: t0k3n}}',
  ].join('\n');
}

describe('connect', () => {
  it('uses the current context, or the one --context names', async () => {
    const file = write(join(dir(), 'config'), twoContexts('http://127.0.0.1:1111', 'http://127.0.0.1:2222/'));
    expect((await connect(options({ kubeconfig: file }))).server).toBe('http://127.0.0.1:1111');
    const second = await connect(options({ kubeconfig: file, context: 'second' }));
    expect([second.server, second.context]).toEqual(['http://127.0.0.1:2222', 'second']);
  });

  it('refuses an unknown context, listing the contexts there are (exit 2)', async () => {
    const file = write(join(dir(), 'config'), twoContexts('http://127.0.0.1:1111', 'http://127.0.0.1:2222'));
    const error = await refusal(() => connect(options({ kubeconfig: file, context: 'prod' })));
    expect([error.code, error.exitCode, error.message]).toEqual(['KUBECONFIG_CONTEXT_UNKNOWN', 2, 'no context prod in the kubeconfig; its contexts: first, second, lax']);
  });

  it('refuses insecure-skip-tls-verify unless allowed', async () => {
    const file = write(join(dir(), 'config'), twoContexts('http://127.0.0.1:1111', 'http://127.0.0.1:2222'));
    const error = await refusal(() => connect(options({ kubeconfig: file, context: 'lax' })));
    expect([error.code, error.exitCode]).toEqual(['KUBECONFIG_INSECURE_REFUSED', 2]);
    expect((await connect(options({ kubeconfig: file, context: 'lax', allowInsecure: true }))).server).toBe('https://10.0.0.1:6443');
  });

  it('refuses plain http:// off the loopback (credentials in clear text) unless allowed', async () => {
    const file = write(join(dir(), 'config'), twoContexts('http://10.1.2.3:8080', 'http://127.0.0.1:2222'));
    expect((await refusal(() => connect(options({ kubeconfig: file })))).code).toBe('KUBECONFIG_INSECURE_REFUSED');
    expect((await connect(options({ kubeconfig: file, allowInsecure: true }))).server).toBe('http://10.1.2.3:8080');
  });

  it('says there is no kubeconfig when none is given, KUBECONFIG names no file and ~/.kube/config is missing (exit 1)', async () => {
    const home = dir();
    for (const env of [{ HOME: home }, { HOME: home, KUBECONFIG: `${join(home, 'a')}:${join(home, 'b')}` }]) {
      const error = await refusal(() => connect(options({ env })));
      expect([error.code, error.exitCode]).toEqual(['KUBECONFIG_NOT_FOUND', 1]);
    }
    mkdirSync(join(home, '.kube'));
    write(join(home, '.kube', 'config'), twoContexts('http://127.0.0.1:3333', 'http://127.0.0.1:4444'));
    expect((await connect(options({ env: { HOME: home } }))).server).toBe('http://127.0.0.1:3333');
    expect((await refusal(() => connect(options({ kubeconfig: join(home, 'missing') })))).code).toBe('FILE_NOT_FOUND');
  });

  it("merges KUBECONFIG files as kubectl does: missing files skipped, each name's first definition and the first current-context win", async () => {
    const root = dir();
    const first = write(
      join(root, 'first'),
      ['clusters:', "- {name: one, cluster: {server: 'http://127.0.0.1:1111'}}", 'contexts:', '- {name: dev, context: {cluster: one, user: u}}'].join('\n'),
    );
    const second = write(
      join(root, 'second'),
      [
        'current-context: dev',
        'clusters:',
        "- {name: one, cluster: {server: 'http://127.0.0.1:9999'}}",
        "- {name: two, cluster: {server: 'http://127.0.0.1:2222'}}",
        'contexts:',
        '- {name: dev, context: {cluster: two, user: u}}',
        '- {name: staging, context: {cluster: two, user: u}}',
        'users:',
        '- {name: u, user: {token: abc}}',
      ].join('\n'),
    );
    const env = { KUBECONFIG: [join(root, 'missing'), first, second].join(':') };
    const connection = await connect(options({ env }));
    expect([connection.context, connection.server]).toEqual(['dev', 'http://127.0.0.1:1111']);
    expect((await connect(options({ env, context: 'staging' }))).server).toBe('http://127.0.0.1:2222');
  });

  it('refuses a kubeconfig over the size cap and one that is not YAML', async () => {
    const root = dir();
    const big = write(join(root, 'big'), 'x'.repeat(CLUSTER_CAPS.kubeconfig + 1));
    expect((await refusal(() => connect(options({ kubeconfig: big })))).code).toBe('FILE_TOO_LARGE');
    const broken = write(join(root, 'broken'), 'clusters: [\n');
    expect((await refusal(() => connect(options({ kubeconfig: broken })))).code).toBe('KUBECONFIG_INVALID');
  });

  it('reads CA, client certificate, key and token files relative to the kubeconfig that names them', () => {
    const root = dir();
    mkdirSync(join(root, 'pki'));
    write(join(root, 'pki', 'client.crt'), 'CERT');
    write(join(root, 'pki', 'client.key'), 'KEY');
    write(join(root, 'pki', 'token'), 'file-token\n');
    const file = write(
      join(root, 'config'),
      'users:\n- {name: u, user: {client-certificate: pki/client.crt, client-key: pki/client.key}}\n- {name: v, user: {token-file: pki/token}}\n',
    );
    const config = readKubeconfigs([file]);
    const user = materializeUser(config, 'u');
    expect([Buffer.from(user.certData!, 'base64').toString(), Buffer.from(user.keyData!, 'base64').toString()]).toEqual(['CERT', 'KEY']);
    expect(materializeUser(config, 'v').token).toBe('file-token');
  });
});

describe('credentials and reachability', () => {
  it('sends the token, and a 401 stops the run with CLUSTER_UNAUTHORIZED (exit 1)', async () => {
    const server = await serve('right-token');
    const file = write(join(dir(), 'config'), fixtureKubeconfig(server.url, { token: 'wrong-token', caPem: null }));
    const error = await refusal(() => collectWith(options({ kubeconfig: file })));
    expect([error.code, error.exitCode]).toEqual(['CLUSTER_UNAUTHORIZED', 1]);
    const evidence = await collectWith(options({ kubeconfig: server.kubeconfigFile }));
    expect(evidence.collectors.nodes!.status).toBe('ok');
    expect(server.requests.at(-1)!.authorization).toBe('Bearer right-token');
  });

  it("gets the token from an exec plugin (client-node's exec provider), and a failing plugin is CLUSTER_UNAUTHORIZED", async () => {
    const server = await serve('exec-token-42');
    const root = dir();
    const plugin = write(
      join(root, 'credential.sh'),
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token-42"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    const exec = (command: string) => `  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: sh, args: ['${command}'], interactiveMode: Never}`;
    const config = (command: string) =>
      fixtureKubeconfig(server.url, { token: null, caPem: null }).replace(/users:\n- name: fixture\n {2}user: \{\}/, `users:\n- name: fixture\n${exec(command)}`);
    const good = write(join(root, 'good'), config(plugin));
    expect((await collectWith(options({ kubeconfig: good }))).collectors.nodes!.status).toBe('ok');
    expect(server.requests.every((request) => request.authorization === 'Bearer exec-token-42')).toBe(true);
    const failing = write(join(root, 'failing.sh'), '#!/bin/sh\necho "error: SSO session expired" >&2\nexit 1\n');
    const bad = write(join(root, 'bad'), config(failing));
    const error = await refusal(() => collectWith(options({ kubeconfig: bad })));
    expect(error.code).toBe('CLUSTER_UNAUTHORIZED');
    expect(error.message).toContain('SSO session expired');
  });

  it('verifies TLS with the CA data; without it the cluster is unreachable with a CA hint', async () => {
    const server = await serve(null, true);
    expect((await collectWith(options({ kubeconfig: server.kubeconfigFile }))).collectors.nodes!.status).toBe('ok');
    const noCa = write(join(dir(), 'config'), fixtureKubeconfig(server.url, { token: null, caPem: null }));
    const error = await refusal(() => collectWith(options({ kubeconfig: noCa })));
    expect([error.code, error.exitCode]).toEqual(['CLUSTER_UNREACHABLE', 1]);
    expect(error.hint).toContain('certificate-authority');
  });

  it('authenticates with a client certificate and key from files, the CA from a file, all relative to the kubeconfig', async () => {
    const server = await startFixtureApiServer(baseCluster('rke2'), { clientCertificates: true });
    servers.push(server);
    const pki = fixtureCertificates();
    const root = dir();
    mkdirSync(join(root, 'pki'));
    for (const [from, to] of [
      [pki.ca, 'ca.crt'],
      [pki.clientCert, 'client.crt'],
      [pki.clientKey, 'client.key'],
    ] as const)
      copyFileSync(from, join(root, 'pki', to));
    const lines = [
      'current-context: rke2',
      `clusters: [{name: rke2, cluster: {server: '${server.url}', certificate-authority: pki/ca.crt}}]`,
      'contexts: [{name: rke2, context: {cluster: rke2, user: admin}}, {name: anonymous, context: {cluster: rke2, user: nobody}}]',
      'users: [{name: admin, user: {client-certificate: pki/client.crt, client-key: pki/client.key}}, {name: nobody, user: {}}]',
    ];
    const file = write(join(root, 'config'), lines.join('\n'));
    expect((await collectWith(options({ kubeconfig: file }))).collectors.nodes!.status).toBe('ok');
    expect((await refusal(() => collectWith(options({ kubeconfig: file, context: 'anonymous' })))).code).toBe('CLUSTER_UNAUTHORIZED');
  });

  it('calls a closed port and a server that never answers unreachable (exit 1)', async () => {
    const closed = write(join(dir(), 'config'), fixtureKubeconfig('http://127.0.0.1:1', { token: null, caPem: null }));
    expect((await refusal(() => collectWith(options({ kubeconfig: closed })))).code).toBe('CLUSTER_UNREACHABLE');
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const hanging = write(join(dir(), 'config'), fixtureKubeconfig(`http://127.0.0.1:${port}`, { token: null, caPem: null }));
    const error = await refusal(() => collectWith(options({ kubeconfig: hanging, requestTimeoutMs: 200 })));
    silent.close();
    expect([error.code, error.message]).toEqual([
      'CLUSTER_UNREACHABLE',
      `the API server at http://127.0.0.1:${port} cannot be reached: the API server did not answer /version within 200 ms`,
    ]);
  });

  it('never follows a redirect: the other origin gets no request and no token', async () => {
    const other = await serve();
    const cluster = baseCluster('eks');
    cluster.token = 'cluster-token';
    const redirecting = await startFixtureApiServer(cluster, { redirectTo: other.url });
    servers.push(redirecting);
    const error = await refusal(() => collectWith(options({ kubeconfig: redirecting.kubeconfigFile })));
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(redirecting.requests.map((request) => [request.path, request.authorization])).toEqual([['/version', 'Bearer cluster-token']]);
    expect(other.requests).toEqual([]);
  });
});
