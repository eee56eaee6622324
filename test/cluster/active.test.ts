/**
 * --active against the fixture API server: the probe Pod pulls the mirrored image and probes each
 * endpoint; an air gap that leaks is a failed probe; whatever happens (a failed pull, a timeout),
 * what was created is deleted. And the probe script itself, run by a real sh.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import validateEvidence from '../../cli/generated/preflight-evidence.validator.js';
import { runActiveProbes } from '../../cli/cluster/active.js';
import { parseProbeLog, PROBE_SCRIPT, probeCommand, scriptProbes } from '../../cli/cluster/active-pod.js';
import { collectEvidence } from '../../cli/cluster/collect.js';
import { connect } from '../../cli/cluster/connect.js';
import type { ActivePlan } from '../../cli/preflight/types.js';
import { addNamespace, addPullSecret, baseCluster, type FixtureCluster } from '../helpers/fixture-cluster.js';
import { startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { fullPlan, META } from './plans.js';

const IMAGE = `mirror.corp.example:5000/agents/platform@sha256:${'b'.repeat(64)}`;
const FAST = { timeoutMs: 500, pollMs: 20 };

let server: FixtureApiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function plan(overrides: Partial<ActivePlan> = {}): ActivePlan {
  return {
    image: IMAGE,
    pullSecret: null,
    endpoints: [
      { id: 'scm', host: 'ghe.corp.example', port: 443 },
      { id: 'postgres', host: 'pg.corp.example', port: 5432 },
    ],
    publicHost: 'huggingface.co',
    ...overrides,
  };
}

function healthy(): FixtureCluster {
  const cluster = baseCluster('vanilla');
  cluster.network.pullableImages.add(IMAGE);
  for (const host of ['ghe.corp.example', 'pg.corp.example']) cluster.network.resolvable.add(host);
  for (const target of ['ghe.corp.example:443', 'pg.corp.example:5432']) cluster.network.reachable.add(target);
  return cluster;
}

async function run(cluster: FixtureCluster, active: ActivePlan, namespace: string | null = null) {
  server = await startFixtureApiServer(cluster);
  const connection = await connect({ kubeconfig: server.kubeconfigFile, context: null, allowInsecure: false, env: {} });
  return runActiveProbes(connection, active, { ...FAST, namespace });
}

const deletes = () => server!.requests.filter((request) => request.method === 'DELETE').map((request) => request.path);
const created = () => server!.requests.filter((request) => request.method === 'POST').map((request) => request.path);

describe('runActiveProbes', () => {
  it('pulls the image, probes every endpoint, finds the air gap closed and deletes its namespace', async () => {
    const cluster = healthy();
    const outcome = await run(cluster, plan());
    expect(outcome.status.status).toBe('ok');
    const namespace = outcome.active!.namespace;
    expect(namespace).toMatch(/^installctl-preflight-[0-9a-f]{8}$/);
    expect(outcome.active!.probes.map((probe) => [probe.id, probe.kind, probe.target, probe.ok])).toEqual([
      ['image', 'image-pull', IMAGE, true],
      ['scm:dns', 'dns', 'ghe.corp.example', true],
      ['scm:tcp', 'tcp', 'ghe.corp.example:443', true],
      ['postgres:dns', 'dns', 'pg.corp.example', true],
      ['postgres:tcp', 'tcp', 'pg.corp.example:5432', true],
      ['public-egress', 'public-egress', 'huggingface.co:443', true],
    ]);
    expect(outcome.active!.cleanedUp).toBe(true);
    expect(created()).toEqual(['/api/v1/namespaces', `/api/v1/namespaces/${namespace}/pods`]);
    expect((server!.requests[0]!.body as { metadata: { labels: Record<string, string> } }).metadata.labels['app.kubernetes.io/managed-by']).toBe('installctl');
    expect(deletes()).toEqual([`/api/v1/namespaces/${namespace}`]);
    expect(cluster.namespaces.some((item) => item.metadata.name === namespace)).toBe(false);
  });

  it('fails the air-gap probe when the public host is reachable (an air gap that leaks)', async () => {
    const cluster = healthy();
    cluster.network.reachable.add('huggingface.co:443');
    const outcome = await run(cluster, plan());
    const egress = outcome.active!.probes.find((probe) => probe.kind === 'public-egress')!;
    expect([egress.ok, egress.detail]).toEqual([false, 'REACHABLE from a Pod: the air gap leaks']);
    expect(outcome.active!.cleanedUp).toBe(true);
  });

  it('runs in the install namespace that holds the pull secret, and deletes only its Pod', async () => {
    const cluster = healthy();
    addNamespace(cluster, 'agents-platform');
    addPullSecret(cluster, 'agents-platform', 'registry-pull', { 'mirror.corp.example:5000': { username: 'u', password: 'p' } });
    const outcome = await run(cluster, plan({ pullSecret: 'registry-pull' }), 'agents-platform');
    expect(outcome.active!.namespace).toBe('agents-platform');
    const pod = server!.requests.find((request) => request.method === 'POST')!.body as {
      metadata: { name: string };
      spec: { imagePullSecrets: unknown; containers: Array<{ imagePullPolicy: string }> };
    };
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'registry-pull' }]);
    expect(pod.spec.containers[0]!.imagePullPolicy).toBe('Always');
    expect(deletes()).toEqual([`/api/v1/namespaces/agents-platform/pods/${pod.metadata.name}`]);
    expect(cluster.namespaces.some((item) => item.metadata.name === 'agents-platform')).toBe(true);
  });

  it('records a failed pull, never runs the probes, and still cleans up', async () => {
    const cluster = healthy();
    cluster.network.pullableImages.clear();
    const outcome = await run(cluster, plan());
    const [image, ...rest] = outcome.active!.probes;
    expect([image!.ok, image!.detail]).toEqual([false, `not pulled: ErrImagePull: failed to pull and unpack image "${IMAGE}": 401 Unauthorized`]);
    expect(rest.every((probe) => !probe.ok && probe.detail.startsWith('cannot tell: not run: ErrImagePull'))).toBe(true);
    expect(deletes()).toHaveLength(1);
    expect(outcome.active!.cleanedUp).toBe(true);
  });

  it('gives up after its timeout and still deletes what it created', async () => {
    const cluster = healthy();
    cluster.network.podHangs = true;
    const started = Date.now();
    const outcome = await run(cluster, plan());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outcome.active!.probes[0]!.detail).toBe('not pulled: not finished within 1 s (ContainerCreating)');
    expect(deletes()).toEqual([`/api/v1/namespaces/${outcome.active!.namespace}`]);
  });

  it('deletes the namespace even when creating the Pod is refused', async () => {
    const cluster = healthy();
    server = await startFixtureApiServer(cluster);
    const connection = await connect({ kubeconfig: server.kubeconfigFile, context: null, allowInsecure: false, env: {} });
    cluster.statusOverrides.set('POST /api/v1/namespaces/*/pods', 403);
    const outcome = await runActiveProbes(connection, plan(), FAST);
    expect(outcome.active).toBeNull();
    expect(outcome.status.status).toBe('forbidden');
    expect(deletes()).toHaveLength(1);
    expect(deletes()[0]).toMatch(/^\/api\/v1\/namespaces\/installctl-preflight-[0-9a-f]{8}$/);
  });

  it('pulls by digest only: a tag creates nothing', async () => {
    const outcome = await run(healthy(), plan({ image: 'mirror.corp.example:5000/agents/platform:latest' }));
    expect([outcome.active, outcome.status.status]).toEqual([null, 'failed']);
    expect(server!.requests).toEqual([]);
  });

  it('reports a missing install namespace for a pull secret, creating nothing', async () => {
    const outcome = await run(healthy(), plan({ pullSecret: 'registry-pull' }), 'agents-platform');
    expect(outcome.status.status).toBe('not-found');
    expect(outcome.status.message).toContain('create it with its pull secret first');
    expect(deletes()).toEqual([]);
  });

  it('fills evidence.active through collectEvidence when the plan asks for it', async () => {
    const cluster = healthy();
    server = await startFixtureApiServer(cluster);
    const connection = await connect({ kubeconfig: server.kubeconfigFile, context: null, allowInsecure: false, env: {} });
    const evidence = await collectEvidence(connection, fullPlan({ active: plan(), collectors: ['version', 'active'] }), META, { active: FAST });
    expect(validateEvidence(evidence), JSON.stringify(validateEvidence.errors)).toBe(true);
    expect(evidence.collectors.active!.status).toBe('ok');
    expect(evidence.active!.probes).toHaveLength(6);
  });
});

describe('the probe script', () => {
  it('passes hosts and ports as arguments, never as shell text', () => {
    const hostile = { id: 'x', host: "pg.corp.example; touch /tmp/pwned #'$(id)", port: 5432 };
    const command = probeCommand(scriptProbes(plan({ endpoints: [hostile], publicHost: null })), 3);
    expect(command.slice(0, 3)).toEqual(['/bin/sh', '-c', PROBE_SCRIPT]);
    expect(PROBE_SCRIPT).not.toContain('pg.corp.example');
    expect(command.slice(3)).toEqual(['installctl-probe', '3', 'dns', hostile.host, '5432', 'tcp', hostile.host, '5432']);
  });

  it('resolves, connects and reports in the lines the reader accepts, run by sh', async () => {
    const listener = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const open = (listener.address() as net.AddressInfo).port;
    const probes = scriptProbes({ image: IMAGE, pullSecret: null, endpoints: [{ id: 'local', host: '127.0.0.1', port: open }], publicHost: '127.0.0.1' });
    probes.at(-1)!.port = 1;
    const [, , script, ...args] = probeCommand(probes, 2);
    const log = execFileSync('sh', ['-c', script!, ...args], { encoding: 'utf8', timeout: 10_000 });
    listener.close();
    expect(log.trim().split('\n')).toEqual(['installctl-probe 0 ok', 'installctl-probe 1 ok', 'installctl-probe 2 fail', 'installctl-probe-done']);
    expect(parseProbeLog(log, 3)).toEqual(['ok', 'ok', 'fail']);
  });

  it('takes only well-formed lines for probes it asked for from the log', () => {
    const log = [
      'installctl-probe 0 ok',
      'installctl-probe 0 fail',
      'installctl-probe 7 ok',
      'installctl-probe 1 maybe',
      '\x1b[31minstallctl-probe 1 ok',
      'installctl-probe 2 notool\r',
    ].join('\n');
    expect(parseProbeLog(log, 3)).toEqual(['ok', null, 'notool']);
  });
});
