/**
 * What runs in an install's namespaces, added to a FixtureCluster (./fixture-cluster.ts) for the
 * support-bundle collectors: Pods, Events, Deployments, StatefulSets, Jobs, PersistentVolumeClaims,
 * container logs and Helm release Secrets. Objects are as the API server keeps them (see
 * test/support-bundle/objects.ts for realistic ones); a namespace an object names is created when
 * the model lacks it, as it must exist on a real cluster.
 */
import { gzipSync } from 'node:zlib';
import { addNamespace, logKey, objectMeta, type FixtureCluster, type KubeObject } from './fixture-cluster.js';

type NamespacedList = 'pods' | 'events' | 'deployments' | 'statefulSets' | 'jobs' | 'persistentVolumeClaims' | 'daemonSets';

function add(cluster: FixtureCluster, list: NamespacedList, objects: readonly object[]): void {
  for (const object of objects as KubeObject[]) {
    const namespace = object.metadata.namespace;
    if (!namespace) throw new Error(`${object.metadata.name} has no metadata.namespace`);
    if (!cluster.namespaces.some((item) => item.metadata.name === namespace)) addNamespace(cluster, namespace);
    cluster[list].push(structuredClone(object));
  }
}

export const addPods = (cluster: FixtureCluster, ...pods: object[]) => add(cluster, 'pods', pods);
export const addEvents = (cluster: FixtureCluster, ...events: object[]) => add(cluster, 'events', events);
export const addPersistentVolumeClaims = (cluster: FixtureCluster, ...claims: object[]) => add(cluster, 'persistentVolumeClaims', claims);

const WORKLOAD_LISTS: Record<string, NamespacedList> = { Deployment: 'deployments', StatefulSet: 'statefulSets', Job: 'jobs', DaemonSet: 'daemonSets' };

/** Deployments, StatefulSets, Jobs and DaemonSets, each to its list by its kind. */
export function addWorkloads(cluster: FixtureCluster, ...workloads: object[]): void {
  for (const workload of workloads) {
    const list = WORKLOAD_LISTS[String((workload as { kind?: unknown }).kind)];
    if (!list) throw new Error(`not a workload kind: ${String((workload as { kind?: unknown }).kind)}`);
    add(cluster, list, [workload]);
  }
}

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  /** The container's previous run (it restarted). */
  previous?: boolean;
}

/**
 * A container's log: the lines (no trailing newline each), one second apart from `startedAt`, as
 * the kubelet timestamps them (RFC 3339 with nanoseconds).
 */
export function addContainerLog(cluster: FixtureCluster, target: LogTarget, lines: readonly string[], startedAt = '2026-12-02T20:59:00Z'): void {
  const start = Date.parse(startedAt);
  const logged = lines.map((text, index) => ({ time: new Date(start + index * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z'), text }));
  cluster.logs.set(logKey(target.namespace, target.pod, target.container, target.previous === true), logged);
}

export interface HelmRelease {
  namespace: string;
  release: string;
  revision: number;
  status: 'deployed' | 'superseded' | 'failed' | 'pending-install' | 'pending-upgrade' | 'uninstalling';
  /** The release's values (in the payload, as Helm keeps them: so possibly secrets). */
  values?: Record<string, unknown>;
}

/**
 * A Helm 3 release revision as Helm stores it: a Secret sh.helm.release.v1.<release>.v<revision> of
 * type helm.sh/release.v1, labels owner=helm, name, status, version, and data.release the
 * base64 of gzip of the release JSON (chart, values, manifest), base64-encoded again as any Secret
 * data. Returns the Secret (its data is what a collector must never fetch).
 */
export function addHelmRelease(cluster: FixtureCluster, release: HelmRelease): KubeObject {
  const payload = {
    name: release.release,
    namespace: release.namespace,
    version: release.revision,
    info: { status: release.status, first_deployed: '2026-12-02T20:00:00Z', last_deployed: '2026-12-02T20:00:00Z', description: 'Upgrade complete' },
    chart: { metadata: { name: 'agent-platform', version: '1.4.2', apiVersion: 'v2' } },
    config: release.values ?? {},
    manifest: '---\n# Source: agent-platform/templates/deployment.yaml\n',
  };
  const helmEncoded = gzipSync(JSON.stringify(payload)).toString('base64');
  if (!cluster.namespaces.some((item) => item.metadata.name === release.namespace)) addNamespace(cluster, release.namespace);
  const labels = { name: release.release, owner: 'helm', status: release.status, version: String(release.revision), modifiedAt: '1764705600' };
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: objectMeta(`sh.helm.release.v1.${release.release}.v${release.revision}`, release.namespace, labels),
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(helmEncoded, 'utf8').toString('base64') },
  };
  cluster.secrets.push(secret);
  return secret;
}
