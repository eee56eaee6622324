/**
 * What `support-bundle` collects beyond the preflight evidence, in the install's namespaces: pods,
 * events, deployments, statefulsets, jobs, persistent volume claims, Helm release history and
 * bounded container logs. Each list is its own collector: a forbidden or failed one is recorded
 * (status, HTTP status, message) and the others go on, as preflight's collectors do.
 *
 * Helm keeps each release revision in a Secret (owner=helm) whose data is the release: the chart,
 * the values, so possibly secrets. Those Secrets are listed as PartialObjectMetadataList (the
 * metadata.k8s.io Accept header): the API server sends names and labels only, the payload never
 * leaves the cluster. Objects are returned as the client gives them; cli/support-bundle trims them.
 */
import { AppsV1Api, BatchV1Api, CoreV1Api, setHeaderOptions, type Configuration } from '@kubernetes/client-node';
import { forEachLimit } from '../lib/concurrency.js';

/** Asks the API server for metadata only (no data, no spec): https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables */
export const PARTIAL_METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export const BUNDLE_COLLECTORS = ['pods', 'events', 'deployments', 'statefulSets', 'jobs', 'persistentVolumeClaims', 'helmReleases'] as const;
export type BundleCollectorName = (typeof BUNDLE_COLLECTORS)[number];

export interface BundleCollectorStatus {
  status: 'ok' | 'forbidden' | 'not-found' | 'failed' | 'skipped';
  httpStatus: number | null;
  message: string;
}

export interface NamespaceObjects {
  namespace: string;
  /** Each list as the API gave it; null when its collector did not succeed (see status). */
  lists: Record<BundleCollectorName, unknown[] | null>;
  status: Record<BundleCollectorName, BundleCollectorStatus>;
}

export interface ContainerLog {
  namespace: string;
  pod: string;
  container: string;
  /** The log of the container's previous run (it restarted). */
  previous: boolean;
  text: string | null;
  /**
   * The server stopped at limitBytes: it counts from the oldest line of the tailLines window, so the
   * newest lines are what is missing (the last, partial line is dropped here).
   */
  cutByServer: boolean;
  status: BundleCollectorStatus;
}

export interface BundleObjects {
  namespaces: NamespaceObjects[];
  logs: ContainerLog[];
}

export interface BundleCollectOptions {
  namespaces: readonly string[];
  sinceSeconds: number;
  /** Log lines kept per container (one more is asked for, so that a cut shows). */
  maxLogLines: number;
  /**
   * Asked of the API server (limitBytes) for one container's log: well above what the bundle keeps,
   * because the server cuts the window's newest end, and the newest lines are the ones support needs.
   */
  maxLogBytes: number;
  /** Objects listed per kind and namespace (the API's limit). */
  maxObjects: number;
  /** Containers whose logs are fetched, over every namespace. */
  maxLogs: number;
  /** Log bytes fetched in all: past it the remaining logs are skipped (the bundle could not hold them anyway). */
  maxLogsTotalBytes: number;
}

/**
 * Where the typed API clients come from: connect.ts's ClusterConnection, whose clients send to the
 * kubeconfig's origin only, follow no redirect and cap response sizes.
 */
export interface ApiClients {
  api<T>(type: new (configuration: Configuration) => T): T;
}

const OK: BundleCollectorStatus = { status: 'ok', httpStatus: null, message: '' };

/**
 * The message of a refusal: the API's Status message when the body is one. Not the client's error
 * text, which carries the response headers (Date among them), so two collections would differ.
 */
function refusalMessage(error: unknown): string {
  const body = (error as { body?: unknown })?.body;
  let status: unknown = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body) as unknown;
    } catch {
      status = null;
    }
  }
  const message = (status as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'number') return `HTTP ${code}`;
  return error instanceof Error ? error.message : String(error);
}

/** A failed request as a collector status: 403 forbidden, 404 not found, anything else failed. */
export function statusOf(error: unknown): BundleCollectorStatus {
  const code = typeof (error as { code?: unknown })?.code === 'number' ? (error as { code: number }).code : null;
  const message = refusalMessage(error).slice(0, 2000);
  if (code === 403) return { status: 'forbidden', httpStatus: code, message };
  if (code === 404) return { status: 'not-found', httpStatus: code, message };
  return { status: 'failed', httpStatus: code, message };
}

/** A list as the API gave it; when it holds more than the limit (a continue token), the status says the first page was kept. */
async function listed(
  fetch: () => Promise<{ items?: unknown[]; metadata?: { _continue?: string } }>,
  limit: number,
): Promise<{ items: unknown[] | null; status: BundleCollectorStatus }> {
  try {
    const list = await fetch();
    const items = (list.items ?? []).slice(0, limit);
    return { items, status: list.metadata?._continue ? { ...OK, message: `more than ${limit} objects: the first ${items.length} were kept` } : OK };
  } catch (error) {
    return { items: null, status: statusOf(error) };
  }
}

/**
 * Helm's release Secrets, metadata only. The Accept header asks the server for no payload; a server
 * or proxy that ignores it and sends the Secrets whole gets nothing kept: the values they carry are
 * dropped here, before anything else sees the list, and the collector fails.
 */
export function metadataOnly(list: { items?: Array<{ data?: unknown; stringData?: unknown; metadata?: unknown }>; metadata?: { _continue?: string } }): {
  items: unknown[];
  metadata?: { _continue?: string };
} {
  const items = list.items ?? [];
  if (items.some((item) => item.data !== undefined || item.stringData !== undefined)) {
    list.items = [];
    throw Object.assign(new Error('the API server sent Helm release Secrets whole, not their metadata (PartialObjectMetadataList): nothing of them was kept'), { code: null });
  }
  return { items: items.map((item) => ({ metadata: item.metadata })), ...(list.metadata ? { metadata: list.metadata } : {}) };
}

async function collectNamespace(clients: ApiClients, namespace: string, limit: number): Promise<NamespaceObjects> {
  const core = clients.api(CoreV1Api);
  const apps = clients.api(AppsV1Api);
  const batch = clients.api(BatchV1Api);
  const fetches: Record<BundleCollectorName, () => Promise<{ items?: unknown[]; metadata?: { _continue?: string } }>> = {
    pods: () => core.listNamespacedPod({ namespace, limit }),
    events: () => core.listNamespacedEvent({ namespace, limit }),
    deployments: () => apps.listNamespacedDeployment({ namespace, limit }),
    statefulSets: () => apps.listNamespacedStatefulSet({ namespace, limit }),
    jobs: () => batch.listNamespacedJob({ namespace, limit }),
    persistentVolumeClaims: () => core.listNamespacedPersistentVolumeClaim({ namespace, limit }),
    helmReleases: async () => metadataOnly(await core.listNamespacedSecret({ namespace, labelSelector: 'owner=helm', limit }, setHeaderOptions('Accept', PARTIAL_METADATA_LIST))),
  };
  const lists = {} as NamespaceObjects['lists'];
  const status = {} as NamespaceObjects['status'];
  const answers = await Promise.all(BUNDLE_COLLECTORS.map((name) => listed(fetches[name], limit)));
  BUNDLE_COLLECTORS.forEach((name, index) => {
    lists[name] = answers[index]!.items;
    status[name] = answers[index]!.status;
  });
  return { namespace, lists, status };
}

interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

/** Every container of the listed pods (init containers too), and its previous run when it restarted. */
export function logTargets(namespaces: readonly NamespaceObjects[]): LogTarget[] {
  const targets: LogTarget[] = [];
  for (const objects of namespaces) {
    for (const pod of (objects.lists.pods ?? []) as Array<{ metadata?: { name?: string }; status?: Record<string, unknown> }>) {
      const name = pod.metadata?.name;
      if (!name) continue;
      const statuses = [...((pod.status?.initContainerStatuses as unknown[]) ?? []), ...((pod.status?.containerStatuses as unknown[]) ?? [])] as Array<{
        name?: string;
        restartCount?: number;
        state?: { waiting?: unknown };
      }>;
      for (const status of statuses) {
        if (!status.name) continue;
        targets.push({ namespace: objects.namespace, pod: name, container: status.name, previous: false });
        if ((status.restartCount ?? 0) > 0) targets.push({ namespace: objects.namespace, pod: name, container: status.name, previous: true });
      }
    }
  }
  return targets;
}

/** The lists of every namespace, then the logs (tailLines, sinceSeconds and limitBytes asked of the server). */
export async function collectBundleObjects(clients: ApiClients, options: BundleCollectOptions): Promise<BundleObjects> {
  const namespaces: NamespaceObjects[] = [];
  for (const namespace of options.namespaces) namespaces.push(await collectNamespace(clients, namespace, options.maxObjects));
  const core = clients.api(CoreV1Api);
  const targets = logTargets(namespaces).slice(0, options.maxLogs);
  const logs: ContainerLog[] = targets.map((target) => ({ ...target, text: null, cutByServer: false, status: { status: 'skipped', httpStatus: null, message: '' } }));
  let fetched = 0;
  await forEachLimit(targets, 4, async (target, index) => {
    if (fetched >= options.maxLogsTotalBytes) {
      logs[index] = {
        ...target,
        text: null,
        cutByServer: false,
        status: { status: 'skipped', httpStatus: null, message: `the logs fetched before it reached ${options.maxLogsTotalBytes} bytes` },
      };
      return;
    }
    try {
      const text = await core.readNamespacedPodLog({
        name: target.pod,
        namespace: target.namespace,
        container: target.container,
        previous: target.previous,
        // One line more than is kept: the API server honours tailLines, so only an extra line tells the bundle the log was cut.
        tailLines: options.maxLogLines + 1,
        sinceSeconds: options.sinceSeconds,
        limitBytes: options.maxLogBytes,
        timestamps: true,
      });
      const body = typeof text === 'string' ? text : String(text);
      fetched += Buffer.byteLength(body);
      const cutByServer = Buffer.byteLength(body) >= options.maxLogBytes;
      logs[index] = { ...target, text: cutByServer ? body.slice(0, body.lastIndexOf('\n') + 1) : body, cutByServer, status: OK };
    } catch (error) {
      logs[index] = { ...target, text: null, cutByServer: false, status: statusOf(error) };
    }
  });
  return { namespaces, logs };
}
