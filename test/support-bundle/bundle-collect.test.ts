/**
 * cli/cluster/bundle-collect.ts through the real @kubernetes/client-node against a local API server:
 * the lists per namespace, a forbidden list recorded without stopping the others, Helm release
 * Secrets asked as metadata only, and logs asked with tailLines, sinceSeconds and limitBytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectBundleObjects, PARTIAL_METADATA_LIST, type BundleObjects } from '../../cli/cluster/bundle-collect.js';
import { startFakeApiServer, FAKE_TOKEN, type FakeApiServer } from './fake-api-server.js';
import { event, helmReleaseMetadata, NS, oomCrashLoop, pod, pvc } from './objects.js';

let server: FakeApiServer;
let objects: BundleObjects;

beforeAll(async () => {
  server = await startFakeApiServer({
    [NS]: {
      pods: [pod('api-0'), oomCrashLoop('indexer-0')],
      events: [event('BackOff', 'Pod', 'indexer-0', 'Back-off restarting failed container api')],
      deployments: [{ metadata: { name: 'api', namespace: NS }, spec: { replicas: 2 }, status: { replicas: 2, readyReplicas: 2 } }],
      pvcs: [pvc('data-postgres-0', 'gp3', 'Bound')],
      helmReleases: [helmReleaseMetadata('acme-gov', 1, 'superseded'), helmReleaseMetadata('acme-gov', 2, 'failed')],
      forbidden: ['jobs'],
      logs: { 'api-0/api': 'one\ntwo\n', 'indexer-0/api': 'starting\n', 'indexer-0/api/previous': 'killed\n' },
    },
  });
  objects = await collectBundleObjects(server, {
    namespaces: [NS],
    sinceSeconds: 3600,
    maxLogLines: 50,
    maxLogBytes: 4096,
    maxObjects: 100,
    maxLogs: 10,
    maxLogsTotalBytes: 1 << 20,
  });
});
afterAll(async () => server?.close());

describe('collecting a namespace for a support bundle', () => {
  it('lists every kind, and records a forbidden one without failing the rest', () => {
    const [namespace] = objects.namespaces;
    expect(namespace!.lists.pods).toHaveLength(2);
    expect(namespace!.lists.events).toHaveLength(1);
    expect(namespace!.lists.deployments).toHaveLength(1);
    expect(namespace!.lists.persistentVolumeClaims).toHaveLength(1);
    expect(namespace!.lists.jobs).toBeNull();
    // The API's Status message, not the client's error text (which carries the Date header).
    expect(namespace!.status.jobs).toEqual({
      status: 'forbidden',
      httpStatus: 403,
      message: `jobs is forbidden: User "system:serviceaccount:acme:support" cannot list resource "jobs" in API group "" in the namespace "${NS}"`,
    });
    expect(namespace!.status.pods).toEqual({ status: 'ok', httpStatus: null, message: '' });
    for (const request of server.requests) expect(request.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
  });

  it('asks for Helm release Secrets as PartialObjectMetadataList, by the owner=helm label, and gets no payload', () => {
    const secrets = server.requests.filter((request) => request.path.endsWith('/secrets'));
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.accept).toBe(PARTIAL_METADATA_LIST);
    expect(secrets[0]!.query.get('labelSelector')).toBe('owner=helm');
    expect(JSON.stringify(objects.namespaces[0]!.lists.helmReleases)).not.toContain('SDRzSUFBQUFBQUFBL0hF');
    expect(objects.namespaces[0]!.lists.helmReleases).toHaveLength(2);
  });

  it("fetches each container's log, and the previous run's of a restarted one, bounded on the server side", () => {
    expect(objects.logs.map((log) => [log.pod, log.container, log.previous, log.text])).toEqual([
      ['api-0', 'api', false, 'one\ntwo\n'],
      ['indexer-0', 'api', false, 'starting\n'],
      ['indexer-0', 'api', true, 'killed\n'],
    ]);
    const logRequests = server.requests.filter((request) => request.path.endsWith('/log'));
    expect(logRequests).toHaveLength(3);
    for (const request of logRequests) {
      expect(Object.fromEntries(['tailLines', 'sinceSeconds', 'limitBytes', 'timestamps'].map((key) => [key, request.query.get(key)]))).toEqual({
        tailLines: '50',
        sinceSeconds: '3600',
        limitBytes: '4096',
        timestamps: 'true',
      });
    }
  });
});

describe('a list over the limit', () => {
  it('keeps the first page and says so in the status', async () => {
    const many = await startFakeApiServer({ big: { pods: [pod('a'), pod('b'), pod('c')] } });
    try {
      const collected = await collectBundleObjects(many, {
        namespaces: ['big'],
        sinceSeconds: 60,
        maxLogLines: 1,
        maxLogBytes: 1024,
        maxObjects: 2,
        maxLogs: 0,
        maxLogsTotalBytes: 1 << 20,
      });
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
    // 8 logs of 600 bytes, a budget of 1000, 4 fetched at a time: the 4 first are in flight at once, a 5th may start
    // after the first answer (600 < 1000); every later one finds the budget spent.
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const chatty = await startFakeApiServer({ ns: { pods: names.map((name) => pod(name)), logs: Object.fromEntries(names.map((name) => [`${name}/api`, name.repeat(600)])) } });
    try {
      const collected = await collectBundleObjects(chatty, {
        namespaces: ['ns'],
        sinceSeconds: 60,
        maxLogLines: 10,
        maxLogBytes: 1024,
        maxObjects: 10,
        maxLogs: 10,
        maxLogsTotalBytes: 1000,
      });
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
});
