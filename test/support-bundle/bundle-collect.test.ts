/**
 * cli/cluster/bundle-collect.ts through the real @kubernetes/client-node and connect() against the
 * fixture API server (test/helpers/fixture-api-server.ts): the lists per namespace, a forbidden
 * list recorded without stopping the others, Helm release Secrets asked as metadata only (the
 * server's log shows no release payload was ever sent), and logs asked with tailLines, sinceSeconds
 * and limitBytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { collectBundleObjects, metadataOnly, PARTIAL_METADATA_LIST, type BundleCollectOptions, type BundleObjects } from '../../cli/cluster/bundle-collect.js';
import { connect, type ClusterConnection } from '../../cli/cluster/connect.js';
import { startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { baseCluster, type FixtureCluster, type KubeObject } from '../helpers/fixture-cluster.js';
import { addContainerLog, addEvents, addHelmRelease, addPersistentVolumeClaims, addPods, addWorkloads } from '../helpers/fixture-workloads.js';
import { deployment, event, NS, oomCrashLoop, pod, pvc } from './objects.js';

const TOKEN = 'support-bearer-token-for-tests';
const HELM_SECRET_TYPE = 'helm.sh/release.v1';

let server: FixtureApiServer;
let objects: BundleObjects;
let releases: KubeObject[];

const OPTIONS: BundleCollectOptions = { namespaces: [NS], sinceSeconds: 3600, maxLogLines: 50, maxLogBytes: 4096, maxObjects: 100, maxLogs: 10, maxLogsTotalBytes: 1 << 20 };

const connectTo = (fixture: FixtureApiServer): Promise<ClusterConnection> =>
  connect({ kubeconfig: fixture.kubeconfigFile, context: null, allowInsecure: false, env: {}, requestTimeoutMs: 5000 });

const podIn = (name: string, namespace: string) => ({ ...pod(name), metadata: { ...pod(name).metadata, namespace } });

function supportCluster(): FixtureCluster {
  const cluster = baseCluster('eks');
  cluster.token = TOKEN;
  return cluster;
}

beforeAll(async () => {
  const cluster = supportCluster();
  addPods(cluster, pod('api-0'), oomCrashLoop('indexer-0'));
  addEvents(cluster, event('BackOff', 'Pod', 'indexer-0', 'Back-off restarting failed container api'));
  addWorkloads(cluster, deployment('api', 2, 2));
  addPersistentVolumeClaims(cluster, pvc('data-postgres-0', 'gp3', 'Bound'));
  releases = [
    addHelmRelease(cluster, { namespace: NS, release: 'acme-gov', revision: 1, status: 'superseded', values: { postgres: { password: 'helm-values-password' } } }),
    addHelmRelease(cluster, { namespace: NS, release: 'acme-gov', revision: 2, status: 'failed' }),
  ];
  // A Secret of the install that is not Helm's: the owner=helm selector must leave it out.
  cluster.secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'acme-gov-db', namespace: NS, labels: { owner: 'acme' } }, type: 'Opaque', data: {} });
  cluster.statusOverrides.set(`GET /apis/batch/v1/namespaces/${NS}/jobs`, 403);
  addContainerLog(cluster, { namespace: NS, pod: 'api-0', container: 'api' }, ['one', 'two']);
  addContainerLog(cluster, { namespace: NS, pod: 'indexer-0', container: 'api' }, ['starting']);
  addContainerLog(cluster, { namespace: NS, pod: 'indexer-0', container: 'api', previous: true }, ['killed'], '2026-12-02T21:00:08Z');
  server = await startFixtureApiServer(cluster);
  objects = await collectBundleObjects(await connectTo(server), OPTIONS);
});
afterAll(async () => server?.close());

describe('collecting a namespace for a support bundle', () => {
  it('lists every kind, and records a forbidden one without failing the rest', () => {
    const [namespace] = objects.namespaces;
    expect(namespace!.lists.pods).toHaveLength(2);
    expect(namespace!.lists.events).toHaveLength(1);
    expect(namespace!.lists.deployments).toHaveLength(1);
    expect(namespace!.lists.statefulSets).toEqual([]);
    expect(namespace!.lists.persistentVolumeClaims).toHaveLength(1);
    expect(namespace!.lists.jobs).toBeNull();
    // The API's Status message, not the client's error text (which carries the Date header).
    expect(namespace!.status.jobs).toEqual({
      status: 'forbidden',
      httpStatus: 403,
      message: `jobs is forbidden: User "system:serviceaccount:ci:preflight" cannot list resource "jobs" in API group "batch" in the namespace "${NS}"`,
    });
    expect(namespace!.status.pods).toEqual({ status: 'ok', httpStatus: null, message: '' });
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) expect(request.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('asks for Helm release Secrets as PartialObjectMetadataList, by the owner=helm label, and no release payload is ever sent', () => {
    const secrets = server.requests.filter((request) => request.path.endsWith('/secrets'));
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.accept).toBe(PARTIAL_METADATA_LIST);
    expect(secrets[0]!.query.labelSelector).toBe('owner=helm');
    expect(secrets[0]!.response!.body).toMatchObject({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1' });
    // Nothing the server sent holds a release Secret's type or payload.
    const sent = JSON.stringify(server.requests.map((request) => request.response));
    expect(sent).not.toContain(HELM_SECRET_TYPE);
    for (const release of releases) expect(sent).not.toContain((release.data as { release: string }).release.slice(0, 40));
    const kept = JSON.stringify(objects.namespaces[0]!.lists.helmReleases);
    expect(kept).not.toContain((releases[0]!.data as { release: string }).release.slice(0, 40));
    expect((objects.namespaces[0]!.lists.helmReleases as Array<{ metadata: { name: string } }>).map((release) => release.metadata.name)).toEqual([
      'sh.helm.release.v1.acme-gov.v1',
      'sh.helm.release.v1.acme-gov.v2',
    ]);
  });

  it('would have been sent the release payload without the metadata Accept header (the check above can fail)', async () => {
    const core = (await connectTo(server)).api(CoreV1Api);
    const full = await core.listNamespacedSecret({ namespace: NS, labelSelector: 'owner=helm' });
    expect(full.items.map((secret) => [secret.type, secret.data?.release?.slice(0, 40)])).toEqual(
      releases.map((release) => [HELM_SECRET_TYPE, (release.data as { release: string }).release.slice(0, 40)]),
    );
  });

  it("fetches each container's log, and the previous run's of a restarted one, bounded on the server side", () => {
    expect(objects.logs.map((log) => [log.pod, log.container, log.previous, log.text])).toEqual([
      ['api-0', 'api', false, '2026-12-02T20:59:00.000000000Z one\n2026-12-02T20:59:01.000000000Z two\n'],
      ['indexer-0', 'api', false, '2026-12-02T20:59:00.000000000Z starting\n'],
      ['indexer-0', 'api', true, '2026-12-02T21:00:08.000000000Z killed\n'],
    ]);
    const logRequests = server.requests.filter((request) => request.path.endsWith('/log'));
    expect(logRequests).toHaveLength(3);
    for (const request of logRequests) {
      expect(Object.fromEntries(['tailLines', 'sinceSeconds', 'limitBytes', 'timestamps'].map((key) => [key, request.query[key]]))).toEqual({
        // One line more than --max-log-lines: the server honours it, and the bundle must see that a log was cut.
        tailLines: '51',
        sinceSeconds: '3600',
        limitBytes: '4096',
        timestamps: 'true',
      });
    }
  });
});

describe('a list over the limit', () => {
  it('keeps the first page and says so in the status', async () => {
    const cluster = supportCluster();
    addPods(cluster, podIn('a', 'big'), podIn('b', 'big'), podIn('c', 'big'));
    const many = await startFixtureApiServer(cluster);
    try {
      const collected = await collectBundleObjects(await connectTo(many), { ...OPTIONS, namespaces: ['big'], maxObjects: 2, maxLogs: 0 });
      expect(collected.namespaces[0]!.lists.pods).toHaveLength(2);
      expect(collected.namespaces[0]!.status.pods).toEqual({ status: 'ok', httpStatus: null, message: 'more than 2 objects: the first 2 were kept' });
      expect(collected.logs).toEqual([]);
    } finally {
      await many.close();
    }
  });
});

describe('the log budget', () => {
  it('skips the logs after the total is spent, saying why', async () => {
    // 8 logs of about 630 bytes, a budget of 1000, 4 fetched at a time: the 4 first are in flight at once, a 5th may start
    // after the first answer (630 < 1000); every later one finds the budget spent.
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const cluster = supportCluster();
    for (const name of names) {
      addPods(cluster, podIn(name, 'ns'));
      addContainerLog(cluster, { namespace: 'ns', pod: name, container: 'api' }, [name.repeat(600)]);
    }
    const chatty = await startFixtureApiServer(cluster);
    try {
      const collected = await collectBundleObjects(await connectTo(chatty), { ...OPTIONS, namespaces: ['ns'], maxLogLines: 10, maxLogBytes: 1024, maxLogsTotalBytes: 1000 });
      const kept = collected.logs.filter((log) => log.text !== null);
      const skipped = collected.logs.filter((log) => log.status.status === 'skipped');
      expect(kept.length + skipped.length).toBe(8);
      expect(kept.length).toBeGreaterThanOrEqual(4);
      expect(kept.length).toBeLessThanOrEqual(5);
      expect(skipped[0]!.status.message).toMatch(/1000 bytes/);
    } finally {
      await chatty.close();
    }
  });

  it('gets no more than limitBytes of a log from the server, and says the newest lines are what it cut', async () => {
    const cluster = supportCluster();
    addPods(cluster, pod('api-0'));
    addContainerLog(cluster, { namespace: NS, pod: 'api-0', container: 'api' }, ['x'.repeat(300), 'y'.repeat(300)]);
    const bounded = await startFixtureApiServer(cluster);
    try {
      const collected = await collectBundleObjects(await connectTo(bounded), { ...OPTIONS, maxLogBytes: 400 });
      // The server sends the window's oldest 400 bytes: the first line whole, then part of the second, which is dropped.
      const [log] = collected.logs;
      expect(log!.cutByServer).toBe(true);
      expect(log!.text!.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/ x{300}$/)]);
      const whole = await collectBundleObjects(await connectTo(bounded), { ...OPTIONS, maxLogBytes: 4096 });
      expect(whole.logs.map((log) => [log.cutByServer, log.text?.trimEnd().split('\n').length])).toEqual([[false, 2]]);
    } finally {
      await bounded.close();
    }
  });
});

describe('Helm release Secrets, metadata only', () => {
  it('keeps only metadata of a PartialObjectMetadataList', () => {
    const kept = metadataOnly({ items: [{ metadata: { name: 'sh.helm.release.v1.agent-platform.v3', labels: { owner: 'helm' } } }] });
    expect(kept.items).toEqual([{ metadata: { name: 'sh.helm.release.v1.agent-platform.v3', labels: { owner: 'helm' } } }]);
  });

  it('keeps nothing of a server that ignored the Accept header and sent the Secrets whole', () => {
    const list = { items: [{ metadata: { name: 'sh.helm.release.v1.agent-platform.v3' }, data: { release: 'SDRzSUFBQUFBQUFBLy1zZWNyZXQ=' } }] };
    expect(() => metadataOnly(list)).toThrow(/whole, not their metadata/);
    expect(JSON.stringify(list)).not.toContain('SDRzSUFB');
  });
});
