/**
 * What every analyzer shares: building a CheckResult, quoting cluster-provided text, the error a
 * check reports when a collector it reads did not run (with the RBAC that lets it), and which nodes
 * a pod can land on (Ready, schedulable, every hard taint tolerated, every selected label present).
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { visibleLine } from '../lib/visible-text.js';
import { docAnchor } from './check-catalogue.js';
import type { PreflightRequirements, Toleration } from './requirements.js';
import type { CheckOutcome, CheckResult, CollectorName } from './types.js';

export type Analyzer = (requirements: PreflightRequirements, evidence: PreflightEvidence, now: Date) => CheckResult[];
export type EvidenceNode = PreflightEvidence['nodes'][number];
export type Taint = EvidenceNode['taints'][number];

export function checkResult(id: string, outcome: CheckOutcome, message: string, remedy: string, subject: string | null = null): CheckResult {
  return { id, outcome, message, remedy: outcome === 'pass' ? '' : remedy, doc: docAnchor(id), subject };
}

/** A value the cluster gave (a name, a label, a message), safe for one line of a terminal or Markdown. */
export function shown(value: string, max = 200): string {
  return visibleLine(value.length > max ? `${value.slice(0, max)}...` : value);
}

/** The access a collector needs, as a ClusterRole rule an administrator can grant. */
export const COLLECTOR_ACCESS: Readonly<Record<CollectorName, string>> = {
  version: 'get on the non-resource URL /version',
  discovery: 'get on the non-resource URLs /api and /apis',
  nodes: 'list nodes (core, cluster-scoped)',
  pods: 'list pods in all namespaces (for what they request of each node)',
  daemonSets: 'list daemonsets.apps in all namespaces',
  storageClasses: 'list storageclasses.storage.k8s.io',
  ingressClasses: 'list ingressclasses.networking.k8s.io',
  crds: 'list customresourcedefinitions.apiextensions.k8s.io',
  namespaces: "get namespaces (the install's)",
  accessReviews: 'create selfsubjectaccessreviews.authorization.k8s.io',
  secrets: "get secrets in the install's namespaces (key names are read, values never kept)",
  configMaps: "get configmaps in the install's namespaces",
  active: 'create and delete namespaces, create pods and get pods/log in the probe namespace',
};

/** One error result when a collector the check reads did not succeed; null when all did. */
export function collectorError(id: string, collectors: readonly CollectorName[], evidence: PreflightEvidence): ReturnType<typeof checkResult> | null {
  const failed = collectors.filter((name) => evidence.collectors[name]?.status !== 'ok');
  if (!failed.length) return null;
  const why = failed.map((name) => {
    const status = evidence.collectors[name];
    if (!status) return `${name} did not run`;
    const http = status.httpStatus === null ? '' : ` (HTTP ${status.httpStatus})`;
    return `${name} ${status.status}${http}${status.message ? `: ${shown(status.message, 300)}` : ''}`;
  });
  const forbidden = failed.filter((name) => evidence.collectors[name]?.status === 'forbidden');
  const remedy = forbidden.length
    ? `grant the identity preflight runs as: ${forbidden.map((name) => COLLECTOR_ACCESS[name]).join('; ')}; then run preflight again`
    : `run preflight again once the API server answers (${failed.join(', ')}); with --evidence-out, send the file if it keeps failing`;
  return checkResult(id, 'error', `could not check: collector ${why.join('; ')}`, remedy);
}

/** Taints that keep a pod off a node (PreferNoSchedule only discourages). */
export const hardTaints = (node: EvidenceNode): Taint[] => node.taints.filter((taint) => taint.effect !== 'PreferNoSchedule');

/** Kubernetes' toleration matching: Exists matches any value (an empty key every taint), Equal the value; an empty effect every effect. */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((toleration) => {
    const effectMatches = !toleration.effect || toleration.effect === taint.effect;
    if (!effectMatches) return false;
    if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
    return toleration.key === taint.key && (toleration.value ?? '') === taint.value;
  });
}

export const untolerated = (node: EvidenceNode, tolerations: readonly Toleration[]): Taint[] => hardTaints(node).filter((taint) => !tolerates(tolerations, taint));

export const showTaint = (taint: Taint): string => shown(`${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`);

export const matchesSelector = (node: EvidenceNode, selector: Readonly<Record<string, string>>): boolean =>
  Object.entries(selector).every(([key, value]) => node.labels[key] === value);

/** Why a pod cannot land on the node (not Ready, cordoned, a taint it does not tolerate); null when it can. */
export function unschedulableReason(node: EvidenceNode, tolerations: readonly Toleration[]): string | null {
  if (!node.ready) return 'not Ready';
  if (node.unschedulable) return 'cordoned (unschedulable)';
  const blocking = untolerated(node, tolerations);
  return blocking.length ? `taint ${blocking.map(showTaint).join(', ')} not tolerated` : null;
}

export const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Worst of several outcomes (fail > warn > pass). */
export function worst(outcomes: readonly CheckOutcome[]): CheckOutcome {
  for (const outcome of ['error', 'fail', 'warn'] as const) if (outcomes.includes(outcome)) return outcome;
  return 'pass';
}
