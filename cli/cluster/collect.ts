/**
 * collectEvidence: what preflight saw of a cluster, as a PreflightEvidence document. /version is
 * asked first, even when no check needs the version, because it is how an unreachable cluster or
 * refused credentials stop the run (./reachability.ts); then
 * the planned collectors run concurrently (bounded), each recording its own status: a 403 marks
 * that collector forbidden and the checks that need it report error, never the whole run.
 * Collectors the plan does not name are `skipped` and never called. The result is sorted, so the
 * same cluster gives the same evidence apart from collectedAt.
 */
import { forEachLimit } from '../lib/concurrency.js';
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { detectDistribution } from '../preflight/distribution.js';
import type { ActivePlan, CollectionPlan, CollectorName } from '../preflight/types.js';
import { COLLECTORS } from '../preflight/types.js';
import { runActiveProbes, type ActiveOptions } from './active.js';
import { collectorStatusOf, httpStatusOf, OK, SKIPPED, type CollectorStatus } from './api-status.js';
import {
  collectCrds,
  collectDaemonSets,
  collectDiscovery,
  collectIngressClasses,
  collectNodes,
  collectPodRequests,
  collectStorageClasses,
  type Gathered,
} from './collectors-cluster.js';
import { collectAccessReviews, collectConfigMaps, collectNamespaces, collectSecrets } from './collectors-namespaced.js';
import type { ClusterConnection } from './connect.js';
import { clip } from './evidence-fields.js';
import { probeVersion } from './reachability.js';

export interface EvidenceMeta {
  install: { name: string; cell: string; specSha256: string };
  namespacePrefix: string;
  /** The installctl version collecting. */
  installctl: string;
  now: Date;
}

export interface CollectOptions {
  /** --active: how long the probe Pod may take (default ActiveOptions' default). */
  active?: Partial<ActiveOptions>;
  /** Collectors in flight at once. */
  parallel?: number;
}

/** What one collector does: gather its value (or throw an API error); `what` names it in messages. */
interface Job {
  name: CollectorName;
  what: string;
  run: () => Promise<void>;
}

const WHAT: Record<CollectorName, string> = {
  version: 'GET /version',
  discovery: 'API discovery (/api, /apis)',
  nodes: 'list nodes',
  pods: 'list pods in all namespaces',
  daemonSets: 'list daemonsets in all namespaces',
  storageClasses: 'list storageclasses',
  ingressClasses: 'list ingressclasses',
  crds: 'list customresourcedefinitions',
  namespaces: 'get namespaces',
  accessReviews: 'create selfsubjectaccessreviews',
  secrets: 'get secrets',
  configMaps: 'get configmaps',
  active: '--active probes',
};

function emptyEvidence(connection: ClusterConnection, meta: EvidenceMeta): PreflightEvidence {
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'PreflightEvidence',
    installctl: clip(meta.installctl, 64),
    collectedAt: meta.now.toISOString(),
    install: meta.install,
    cluster: { context: connection.context === null ? null : clip(connection.context, 253), server: clip(connection.server, 2048), namespacePrefix: meta.namespacePrefix },
    collectors: {},
    version: null,
    distribution: null,
    apiResources: [],
    nodes: [],
    daemonSets: [],
    storageClasses: [],
    ingressClasses: [],
    crds: [],
    namespaces: [],
    accessReviews: [],
    secrets: [],
    configMaps: [],
    active: null,
  };
}

/** Records a gathered list: ok, or failed with what was kept when the list was longer than the schema allows. */
function statusOf<T>(gathered: Gathered<T>): CollectorStatus {
  if (gathered.truncatedAt === undefined) return OK;
  return { status: 'failed', httpStatus: 200, message: `more than ${gathered.truncatedAt} items: the evidence keeps the first ${gathered.truncatedAt}` };
}

function jobs(connection: ClusterConnection, plan: CollectionPlan, evidence: PreflightEvidence, podRequests: { value: Map<string, Record<string, string>> | null }): Job[] {
  const set = (name: CollectorName, status: CollectorStatus) => (evidence.collectors[name] = status);
  const list = <T>(name: CollectorName, work: () => Promise<Gathered<T>>, store: (value: T) => void): Job => ({
    name,
    what: WHAT[name],
    run: async () => {
      const gathered = await work();
      store(gathered.value);
      set(name, statusOf(gathered));
    },
  });
  const plain = <T>(name: CollectorName, work: () => Promise<T>, store: (value: T) => void): Job => list(name, async () => ({ value: await work() }), store);
  return [
    list(
      'discovery',
      () => collectDiscovery(connection),
      (value) => (evidence.apiResources = value),
    ),
    list(
      'nodes',
      () => collectNodes(connection),
      (value) => (evidence.nodes = value),
    ),
    list(
      'pods',
      () => collectPodRequests(connection),
      (value) => (podRequests.value = value),
    ),
    list(
      'daemonSets',
      () => collectDaemonSets(connection),
      (value) => (evidence.daemonSets = value),
    ),
    list(
      'storageClasses',
      () => collectStorageClasses(connection),
      (value) => (evidence.storageClasses = value),
    ),
    list(
      'ingressClasses',
      () => collectIngressClasses(connection),
      (value) => (evidence.ingressClasses = value),
    ),
    list(
      'crds',
      () => collectCrds(connection),
      (value) => (evidence.crds = value),
    ),
    plain(
      'namespaces',
      () => collectNamespaces(connection, plan),
      (value) => (evidence.namespaces = value),
    ),
    plain(
      'accessReviews',
      () => collectAccessReviews(connection, plan),
      (value) => (evidence.accessReviews = value),
    ),
    plain(
      'secrets',
      () => collectSecrets(connection, plan),
      (value) => (evidence.secrets = value),
    ),
    plain(
      'configMaps',
      () => collectConfigMaps(connection, plan),
      (value) => (evidence.configMaps = value),
    ),
  ].filter((job) => plan.collectors.includes(job.name));
}

/** The version collector from the reachability probe's answer (a 403 or 404 there marks only it). */
async function versionStep(connection: ClusterConnection, evidence: PreflightEvidence, planned: boolean): Promise<void> {
  try {
    const version = await probeVersion(connection);
    if (!planned) return;
    evidence.version = { gitVersion: clip(version.gitVersion, 128), major: clip(version.major, 16), minor: clip(version.minor, 16), platform: clip(version.platform, 64) };
    evidence.collectors.version = OK;
  } catch (error) {
    if (httpStatusOf(error) === null) throw error;
    if (planned) evidence.collectors.version = collectorStatusOf(error, WHAT.version);
  }
}

/** Fills what depends on several collectors: the distribution and each node's requested resources. */
function combine(evidence: PreflightEvidence, podRequests: Map<string, Record<string, string>> | null): void {
  const ok = (name: CollectorName) => evidence.collectors[name]?.status === 'ok';
  if (podRequests !== null && ok('pods')) for (const node of evidence.nodes) node.requested = podRequests.get(node.name) ?? {};
  if (['version', 'discovery', 'nodes', 'daemonSets'].some((name) => ok(name as CollectorName))) evidence.distribution = detectDistribution(evidence);
}

export async function collectEvidence(connection: ClusterConnection, plan: CollectionPlan, meta: EvidenceMeta, options: CollectOptions = {}): Promise<PreflightEvidence> {
  const evidence = emptyEvidence(connection, meta);
  await versionStep(connection, evidence, plan.collectors.includes('version'));
  const podRequests: { value: Map<string, Record<string, string>> | null } = { value: null };
  await forEachLimit(jobs(connection, plan, evidence, podRequests), options.parallel ?? 6, async (job) => {
    try {
      await job.run();
    } catch (error) {
      evidence.collectors[job.name] = collectorStatusOf(error, job.what);
    }
  });
  combine(evidence, podRequests.value);
  if (plan.collectors.includes('active') && plan.active !== null) {
    const openShift = evidence.distribution?.name === 'openshift';
    const outcome = await runActiveProbes(connection, plan.active, { ...options.active, namespace: pullSecretNamespace(plan, plan.active), openShift });
    evidence.active = outcome.active;
    evidence.collectors.active = outcome.status;
  }
  for (const name of COLLECTORS) evidence.collectors[name] ??= SKIPPED;
  return sortCollectors(evidence);
}

/** The install namespace holding the pull secret the probe Pod uses (the first of the plan's namespaces that the plan reads it in). */
export function pullSecretNamespace(plan: CollectionPlan, active: ActivePlan): string | null {
  if (active.pullSecret === null) return null;
  const holders = plan.secrets.filter((secret) => secret.name === active.pullSecret).map((secret) => secret.namespace);
  return plan.namespaces.find((namespace) => holders.includes(namespace)) ?? holders[0] ?? null;
}

/** collectors in the catalogue's order, so the JSON is the same from run to run. */
function sortCollectors(evidence: PreflightEvidence): PreflightEvidence {
  evidence.collectors = Object.fromEntries(COLLECTORS.map((name) => [name, evidence.collectors[name]!]));
  return evidence;
}
