/**
 * The cluster-wide collectors: discovery, nodes, pod requests per node, DaemonSets, storage classes,
 * ingress classes and CRDs, each through its typed client-node API, paged, trimmed to the evidence
 * schema and sorted.
 */
import {
  ApiextensionsV1Api,
  ApisApi,
  AppsV1Api,
  CoreApi,
  CoreV1Api,
  NetworkingV1Api,
  StorageV1Api,
  type V1Container,
  type V1DaemonSet,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { forEachPage, listAll } from './api-status.js';
import type { ClusterConnection } from './connect.js';
import { byName, byNamespaceAndName, clip, nameOf, quantities, sortedUnique, stringMap } from './evidence-fields.js';
import { addQuantities, formatQuantity, maxQuantities } from './quantity.js';

type Node = PreflightEvidence['nodes'][number];
type DaemonSet = PreflightEvidence['daemonSets'][number];

/** What a collector gathered; truncatedAt when the list had more items than the schema keeps. */
export interface Gathered<T> {
  value: T;
  truncatedAt?: number;
}

/** The schema's maxItems of each list. */
export const MAX_ITEMS = { apiResources: 2000, nodes: 5000, daemonSets: 2000, storageClasses: 500, ingressClasses: 500, crds: 5000, pods: 200_000 } as const;

const gathered = <T>(items: T[], truncated: boolean, max: number): Gathered<T[]> => (truncated ? { value: items, truncatedAt: max } : { value: items });

/** group/version of every API the server serves (core as v1), sorted. */
export async function collectDiscovery(connection: ClusterConnection): Promise<Gathered<string[]>> {
  const core = await connection.api(CoreApi).getAPIVersions();
  const groups = await connection.api(ApisApi).getAPIVersions();
  const all = sortedUnique([...core.versions, ...groups.groups.flatMap((group) => group.versions.map((version) => version.groupVersion))].map((value) => clip(value, 253)));
  return all.length > MAX_ITEMS.apiResources ? { value: all.slice(0, MAX_ITEMS.apiResources), truncatedAt: MAX_ITEMS.apiResources } : { value: all };
}

const TAINT_EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

function nodeEvidence(node: V1Node): Node {
  const info = node.status?.nodeInfo;
  const taints = (node.spec?.taints ?? [])
    .filter((taint) => TAINT_EFFECTS.has(taint.effect) && taint.key)
    .slice(0, 50)
    .map((taint) => ({ key: nameOf(taint.key), value: clip(taint.value, 253), effect: taint.effect as Node['taints'][number]['effect'] }));
  return {
    name: nameOf(node.metadata?.name),
    labels: stringMap(node.metadata?.labels),
    taints,
    capacity: quantities(node.status?.capacity),
    allocatable: quantities(node.status?.allocatable),
    requested: null,
    unschedulable: node.spec?.unschedulable === true,
    ready: (node.status?.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True'),
    kubeletVersion: clip(info?.kubeletVersion, 128),
    osImage: clip(info?.osImage, 256),
    containerRuntimeVersion: clip(info?.containerRuntimeVersion, 128),
  };
}

export async function collectNodes(connection: ClusterConnection): Promise<Gathered<Node[]>> {
  const core = connection.api(CoreV1Api);
  const { items, truncated } = await listAll((page) => core.listNode(page), { maxItems: MAX_ITEMS.nodes });
  return gathered(items.map(nodeEvidence).sort(byName), truncated, MAX_ITEMS.nodes);
}

const sumOf = (containers: V1Container[] | undefined): Map<string, bigint> => {
  const total = new Map<string, bigint>();
  for (const container of containers ?? []) addQuantities(total, container.resources?.requests);
  return total;
};

/**
 * What the scheduler counts a Pod as requesting: its containers plus restartable (sidecar) init
 * containers, or the largest plain init container if that is more, plus the runtime's overhead.
 */
export function podRequests(pod: V1Pod): Map<string, bigint> {
  const init = pod.spec?.initContainers ?? [];
  const sidecars = init.filter((container) => container.restartPolicy === 'Always');
  const running = sumOf([...(pod.spec?.containers ?? []), ...sidecars]);
  let effective = running;
  for (const container of init.filter((candidate) => candidate.restartPolicy !== 'Always')) effective = maxQuantities(effective, sumOf([container, ...sidecars]));
  addQuantities(effective, pod.spec?.overhead);
  return effective;
}

/** Requests of the Pods that hold their node's resources (not Succeeded or Failed), per node name. */
export async function collectPodRequests(connection: ClusterConnection): Promise<Gathered<Map<string, Record<string, string>>>> {
  const core = connection.api(CoreV1Api);
  const perNode = new Map<string, Map<string, bigint>>();
  const complete = await forEachPage(
    (page) => core.listPodForAllNamespaces({ ...page, fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }),
    { maxItems: MAX_ITEMS.pods },
    (pods) => {
      for (const pod of pods) {
        const node = pod.spec?.nodeName;
        if (!node || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
        const total = perNode.get(node) ?? new Map<string, bigint>();
        for (const [name, value] of podRequests(pod)) total.set(name, (total.get(name) ?? 0n) + value);
        perNode.set(node, total);
      }
    },
  );
  const formatted = new Map([...perNode].map(([node, total]) => [node, Object.fromEntries([...total].map(([name, value]) => [name, formatQuantity(value)]))]));
  return complete ? { value: formatted } : { value: formatted, truncatedAt: MAX_ITEMS.pods };
}

/** Only the flags that say whether a CNI enforces NetworkPolicies are kept: other args may carry anything. */
const keptArgs = (args: string[] | undefined): string[] =>
  (args ?? [])
    .filter((arg) => arg.startsWith('--enable-network-policy'))
    .slice(0, 50)
    .map((arg) => clip(arg, 512));

function daemonSetEvidence(daemonSet: V1DaemonSet): DaemonSet {
  return {
    namespace: nameOf(daemonSet.metadata?.namespace),
    name: nameOf(daemonSet.metadata?.name),
    labels: stringMap(daemonSet.metadata?.labels),
    containers: (daemonSet.spec?.template.spec?.containers ?? [])
      .slice(0, 30)
      .map((container) => ({ name: nameOf(container.name), image: clip(container.image, 1024), args: keptArgs(container.args) })),
    desired: Math.max(0, daemonSet.status?.desiredNumberScheduled ?? 0),
    ready: Math.max(0, daemonSet.status?.numberReady ?? 0),
  };
}

export async function collectDaemonSets(connection: ClusterConnection): Promise<Gathered<DaemonSet[]>> {
  const apps = connection.api(AppsV1Api);
  const { items, truncated } = await listAll((page) => apps.listDaemonSetForAllNamespaces(page), { maxItems: MAX_ITEMS.daemonSets });
  return gathered(items.map(daemonSetEvidence).sort(byNamespaceAndName), truncated, MAX_ITEMS.daemonSets);
}

const annotatedTrue = (annotations: Record<string, string> | undefined, ...keys: string[]) => keys.some((key) => annotations?.[key] === 'true');

export async function collectStorageClasses(connection: ClusterConnection): Promise<Gathered<PreflightEvidence['storageClasses']>> {
  const storage = connection.api(StorageV1Api);
  const { items, truncated } = await listAll((page) => storage.listStorageClass(page), { maxItems: MAX_ITEMS.storageClasses });
  const classes = items.map((item) => ({
    name: nameOf(item.metadata?.name),
    provisioner: clip(item.provisioner, 253),
    isDefault: annotatedTrue(item.metadata?.annotations, 'storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'),
    volumeBindingMode: item.volumeBindingMode === 'WaitForFirstConsumer' ? ('WaitForFirstConsumer' as const) : ('Immediate' as const),
    allowVolumeExpansion: item.allowVolumeExpansion === true,
  }));
  return gathered(classes.sort(byName), truncated, MAX_ITEMS.storageClasses);
}

export async function collectIngressClasses(connection: ClusterConnection): Promise<Gathered<PreflightEvidence['ingressClasses']>> {
  const networking = connection.api(NetworkingV1Api);
  const { items, truncated } = await listAll((page) => networking.listIngressClass(page), { maxItems: MAX_ITEMS.ingressClasses });
  const classes = items.map((item) => ({
    name: nameOf(item.metadata?.name),
    controller: clip(item.spec?.controller, 253),
    isDefault: annotatedTrue(item.metadata?.annotations, 'ingressclass.kubernetes.io/is-default-class'),
  }));
  return gathered(classes.sort(byName), truncated, MAX_ITEMS.ingressClasses);
}

/** CRDs carry their whole OpenAPI schema: smaller pages keep each response well under the cap. */
export async function collectCrds(connection: ClusterConnection): Promise<Gathered<PreflightEvidence['crds']>> {
  const extensions = connection.api(ApiextensionsV1Api);
  const { items, truncated } = await listAll((page) => extensions.listCustomResourceDefinition(page), { limit: 100, maxItems: MAX_ITEMS.crds });
  const crds = items.map((item) => ({
    name: nameOf(item.metadata?.name),
    versions: sortedUnique(item.spec.versions.filter((version) => version.served).map((version) => clip(version.name, 64))).slice(0, 20),
  }));
  return gathered(crds.sort(byName), truncated, MAX_ITEMS.crds);
}
