/**
 * collectEvidence against the fixture API server, for each distribution: the evidence validates,
 * is sorted and stable, names the right distribution, keeps a Secret's key names but never a value,
 * and a refused collector marks only itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import validateEvidence from '../../cli/generated/preflight-evidence.validator.js';
import { collectEvidence } from '../../cli/cluster/collect.js';
import { resourceAttributes } from '../../cli/cluster/collectors-namespaced.js';
import { connect } from '../../cli/cluster/connect.js';
import { addConfigMap, addGpuNodes, addNamespace, addPullSecret, addSecret, baseCluster, DISTRIBUTIONS, type FixtureCluster } from '../helpers/fixture-cluster.js';
import { startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { fullPlan, META } from './plans.js';

let server: FixtureApiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function collect(cluster: FixtureCluster, plan = fullPlan(), tls = false) {
  server = await startFixtureApiServer(cluster, { tls });
  const connection = await connect({ kubeconfig: server.kubeconfigFile, context: null, allowInsecure: false, env: {}, requestTimeoutMs: 5000 });
  return collectEvidence(connection, plan, META);
}

const SECRET_VALUE = 'ghp_s3cr3t-value-that-must-never-appear';
const PULL_PASSWORD = 'pull-password-0f9e8d7c';

function installed(cluster: FixtureCluster): FixtureCluster {
  addNamespace(cluster, 'agents-platform', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  addPullSecret(cluster, 'agents-platform', 'registry-pull', { 'https://mirror.corp.example:5000/v2/': { username: 'robot', password: PULL_PASSWORD } });
  addSecret(cluster, 'agents-platform', 'scm-app', { 'private-key.pem': SECRET_VALUE, appId: '12345' });
  addConfigMap(cluster, 'agents-platform', 'corporate-ca', { 'ca.crt': '-----BEGIN CERTIFICATE-----' }, { 'bundle.der': 'AAEC' });
  return cluster;
}

describe.each(DISTRIBUTIONS)('collectEvidence on %s', (distribution) => {
  it('collects evidence that validates, sorted, with the distribution detected and no Secret value', async () => {
    const cluster = installed(baseCluster(distribution));
    addGpuNodes(cluster, { count: 2, gpusPerNode: 4, requestedPerNode: 1 });
    const evidence = await collect(cluster);
    expect(validateEvidence(evidence), JSON.stringify(validateEvidence.errors)).toBe(true);
    expect(Object.values(evidence.collectors).map((status) => status!.status)).toEqual([...Array(12).fill('ok'), 'skipped']);
    expect(evidence.distribution?.name).toBe(distribution);
    expect(evidence.distribution?.signals.length).toBeGreaterThan(0);
    const names = evidence.nodes.map((node) => node.name);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBe(cluster.nodes.length);
    expect(evidence.daemonSets.map((item) => `${item.namespace}/${item.name}`)).toEqual(evidence.daemonSets.map((item) => `${item.namespace}/${item.name}`).sort());
    expect(evidence.apiResources).toContain('v1');
    expect(evidence.apiResources).toContain('apps/v1');
    const gpuNode = evidence.nodes.find((node) => node.name === `gpu-node-${distribution}-0`)!;
    expect(gpuNode.allocatable['nvidia.com/gpu']).toBe('4');
    expect(gpuNode.requested).toEqual({ cpu: '4', 'nvidia.com/gpu': '1' });
    const json = JSON.stringify(evidence);
    expect(json).not.toContain(SECRET_VALUE);
    expect(json).not.toContain(PULL_PASSWORD);
    expect(json).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    expect(evidence.secrets).toEqual([
      {
        namespace: 'agents-platform',
        name: 'registry-pull',
        found: true,
        type: 'kubernetes.io/dockerconfigjson',
        keys: ['.dockerconfigjson'],
        registries: ['mirror.corp.example:5000'],
      },
      { namespace: 'agents-platform', name: 'scm-app', found: true, type: 'Opaque', keys: ['appId', 'private-key.pem'], registries: [] },
    ]);
    expect(evidence.configMaps).toEqual([{ namespace: 'agents-platform', name: 'corporate-ca', found: true, type: null, keys: ['bundle.der', 'ca.crt'], registries: [] }]);
    expect(evidence.namespaces).toEqual([
      { name: 'agents-models', exists: false, labels: {} },
      { name: 'agents-platform', exists: true, labels: { 'kubernetes.io/metadata.name': 'agents-platform', 'pod-security.kubernetes.io/enforce': 'restricted' } },
    ]);
  });
});

describe('collectEvidence', () => {
  it('gives the same evidence twice from the same cluster, whatever order the API lists it in', async () => {
    const first = await collect(installed(baseCluster('openshift')));
    await server!.close();
    const shuffled = installed(baseCluster('openshift'));
    for (const list of [shuffled.nodes, shuffled.daemonSets, shuffled.storageClasses, shuffled.crds, shuffled.pods]) list.reverse();
    const second = await collect(shuffled);
    expect(JSON.stringify({ ...second, cluster: first.cluster })).toBe(JSON.stringify(first));
    expect(server!.requests.filter((request) => request.path === '/api/v1/nodes').every((request) => request.query.limit === '500')).toBe(true);
  });

  it('sums the requests of Running and Pending pods per node, not of Succeeded ones', async () => {
    const evidence = await collect(baseCluster('eks'));
    // ip-10-0-77-102 runs aws-node (25m + 25m) and kube-proxy (100m); a Succeeded backup Job asked for 2 CPUs.
    expect(evidence.nodes.find((node) => node.name === 'ip-10-0-77-102.ec2.internal')!.requested).toEqual({ cpu: '150m' });
    expect(evidence.nodes.find((node) => node.name === 'ip-10-0-12-34.ec2.internal')!.requested).toEqual({ cpu: '250m', memory: String(70 * 1024 * 1024) });
  });

  it('keeps only the --enable-network-policy flags of a DaemonSet', async () => {
    const evidence = await collect(baseCluster('eks'));
    const awsNode = evidence.daemonSets.find((item) => item.name === 'aws-node')!;
    expect(awsNode.containers.map((container) => [container.name, container.args])).toEqual([
      ['aws-node', []],
      ['aws-eks-nodeagent', ['--enable-network-policy=true']],
    ]);
  });

  it('marks only the refused collector forbidden, with what the API server said', async () => {
    const cluster = installed(baseCluster('aks'));
    cluster.statusOverrides.set('GET /api/v1/nodes', 403);
    const evidence = await collect(cluster);
    expect(validateEvidence(evidence)).toBe(true);
    expect(evidence.collectors.nodes).toEqual({
      status: 'forbidden',
      httpStatus: 403,
      message: 'list nodes: HTTP 403: nodes is forbidden: User "system:serviceaccount:ci:preflight" cannot list resource "nodes" in API group "" at the cluster scope',
    });
    expect(
      Object.entries(evidence.collectors)
        .filter(([, status]) => status!.status !== 'ok' && status!.status !== 'skipped')
        .map(([name]) => name),
    ).toEqual(['nodes']);
    expect(evidence.nodes).toEqual([]);
    expect(evidence.storageClasses.length).toBeGreaterThan(0);
  });

  it('never calls a collector the plan skips', async () => {
    const evidence = await collect(installed(baseCluster('gke')), fullPlan({ collectors: ['version', 'storageClasses'] }));
    expect(server!.requests.map((request) => request.path).sort()).toEqual(['/apis/storage.k8s.io/v1/storageclasses', '/version']);
    expect(evidence.collectors.nodes).toEqual({ status: 'skipped', httpStatus: null, message: 'no check of this spec needs it' });
    expect(evidence.collectors.storageClasses!.status).toBe('ok');
    expect(evidence.distribution?.name).toBe('gke');
  });

  it('asks one SelfSubjectAccessReview per check and records the denials', async () => {
    const cluster = installed(baseCluster('rke2'));
    cluster.deny.push({ resource: 'customresourcedefinitions' });
    const evidence = await collect(cluster);
    expect(server!.requests.filter((request) => request.method === 'POST').length).toBe(3);
    expect(evidence.accessReviews.map((review) => [review.namespace, review.resource, review.allowed])).toEqual([
      [null, 'customresourcedefinitions', false],
      ['agents-platform', 'secrets', true],
      ['agents-platform', 'deployments', true],
    ]);
  });

  it('records a missing Secret and ConfigMap as not found, without failing the collector', async () => {
    const evidence = await collect(baseCluster('vanilla'));
    expect(evidence.collectors.secrets!.status).toBe('ok');
    expect(evidence.secrets.map((secret) => [secret.name, secret.found])).toEqual([
      ['registry-pull', false],
      ['scm-app', false],
    ]);
    expect(evidence.configMaps[0]!.found).toBe(false);
  });

  it('pages through long lists with continue', async () => {
    const cluster = baseCluster('vanilla');
    addGpuNodes(cluster, { count: 1203, gpusPerNode: 8 });
    const evidence = await collect(cluster, fullPlan({ collectors: ['nodes'] }));
    expect(evidence.nodes.length).toBe(1206);
    expect(server!.requests.filter((request) => request.path === '/api/v1/nodes').length).toBe(3);
  });

  it('works over TLS with the CA from the kubeconfig', async () => {
    const evidence = await collect(installed(baseCluster('eks')), fullPlan(), true);
    expect(evidence.cluster.server).toBe(server!.url);
    expect(evidence.collectors.nodes!.status).toBe('ok');
  });

  it('keeps evidence valid whatever the cluster holds: long labels, unknown taint effects, too many containers', async () => {
    const cluster = baseCluster('vanilla');
    const node = cluster.nodes[0]!;
    node.metadata.labels = { ...node.metadata.labels, ['k'.repeat(400)]: 'too long a key', long: 'v'.repeat(2000), '\u202eevil': 'x' };
    (node.spec as Record<string, unknown>).taints = [
      { key: 'a', effect: 'Sometimes' },
      { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
    ];
    const daemonSet = cluster.daemonSets[0] as unknown as { spec: { template: { spec: { containers: unknown[] } } } };
    daemonSet.spec.template.spec.containers = Array.from({ length: 40 }, (_, index) => ({ name: `c${index}`, image: 'i', args: ['--enable-network-policy=true', '--token=abc'] }));
    const evidence = await collect(cluster);
    expect(validateEvidence(evidence), JSON.stringify(validateEvidence.errors)).toBe(true);
    const collected = evidence.nodes.find((item) => item.name === node.metadata.name)!;
    expect(Object.keys(collected.labels)).not.toContain('long');
    expect(collected.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]);
    expect(evidence.daemonSets.find((item) => item.containers.length === 30)!.containers[0]!.args).toEqual(['--enable-network-policy=true']);
  });

  it('goes on when /version is forbidden (the version collector alone is marked) and when Secrets are', async () => {
    const cluster = installed(baseCluster('eks'));
    cluster.statusOverrides.set('GET /version', 403);
    cluster.statusOverrides.set('GET /api/v1/namespaces/*/secrets/*', 403);
    const evidence = await collect(cluster);
    expect(validateEvidence(evidence)).toBe(true);
    expect([evidence.collectors.version!.status, evidence.collectors.secrets!.status, evidence.collectors.configMaps!.status]).toEqual(['forbidden', 'forbidden', 'ok']);
    expect(evidence.version).toBeNull();
    expect(evidence.distribution?.name).toBe('eks');
  });
});

describe('SelfSubjectAccessReview attributes', () => {
  it('sends a subresource in its own field, as authorizers match it', () => {
    expect(resourceAttributes({ namespace: 'acme-platform', verb: 'create', group: 'route.openshift.io', resource: 'routes/custom-host' })).toEqual({
      namespace: 'acme-platform',
      verb: 'create',
      group: 'route.openshift.io',
      resource: 'routes',
      subresource: 'custom-host',
    });
    expect(resourceAttributes({ namespace: null, verb: 'create', group: '', resource: 'namespaces' })).toEqual({ verb: 'create', group: '', resource: 'namespaces' });
  });
});
