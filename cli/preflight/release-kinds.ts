/**
 * What the install's Helm releases create, as API resources: the kinds each chart renders for given
 * values (the conditions mirror charts/<chart>/templates), each kind's group/resource, and the
 * SelfSubjectAccessReviews that prove the installer may create them. test/preflight/release-kinds.test.ts
 * fails when a template renders a kind this table has no resource for.
 */
import type { AccessCheck } from './types.js';
import type { ChartName, Values } from '../emit/charts.js';

export interface KindResource {
  group: string;
  resource: string;
  /** The apiVersion the charts write (what discovery must serve). */
  apiVersion: string;
}

/** Every kind a chart template renders at the top level of a document. */
export const KIND_RESOURCES: Readonly<Record<string, KindResource>> = {
  ConfigMap: { group: '', resource: 'configmaps', apiVersion: 'v1' },
  Secret: { group: '', resource: 'secrets', apiVersion: 'v1' },
  Service: { group: '', resource: 'services', apiVersion: 'v1' },
  ServiceAccount: { group: '', resource: 'serviceaccounts', apiVersion: 'v1' },
  PersistentVolumeClaim: { group: '', resource: 'persistentvolumeclaims', apiVersion: 'v1' },
  Deployment: { group: 'apps', resource: 'deployments', apiVersion: 'apps/v1' },
  StatefulSet: { group: 'apps', resource: 'statefulsets', apiVersion: 'apps/v1' },
  DaemonSet: { group: 'apps', resource: 'daemonsets', apiVersion: 'apps/v1' },
  Job: { group: 'batch', resource: 'jobs', apiVersion: 'batch/v1' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses', apiVersion: 'networking.k8s.io/v1' },
  NetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies', apiVersion: 'networking.k8s.io/v1' },
  PodDisruptionBudget: { group: 'policy', resource: 'poddisruptionbudgets', apiVersion: 'policy/v1' },
  HorizontalPodAutoscaler: { group: 'autoscaling', resource: 'horizontalpodautoscalers', apiVersion: 'autoscaling/v2' },
  ScaledObject: { group: 'keda.sh', resource: 'scaledobjects', apiVersion: 'keda.sh/v1alpha1' },
  ExternalSecret: { group: 'external-secrets.io', resource: 'externalsecrets', apiVersion: 'external-secrets.io/v1' },
  Route: { group: 'route.openshift.io', resource: 'routes', apiVersion: 'route.openshift.io/v1' },
};

/** What Helm does to what it manages: reads (three-way merge), creates, patches, deletes on upgrade and uninstall, watches with --wait. */
export const HELM_VERBS = ['get', 'list', 'watch', 'create', 'patch', 'delete'] as const;

const map = (value: unknown): Values => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Values) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const enabled = (value: unknown): boolean => map(value).enabled === true;

function agentPlatformKinds(values: Values): string[] {
  const kinds = ['ConfigMap', 'Service', 'ServiceAccount', 'Deployment', 'StatefulSet', 'Job'];
  if (enabled(values.ingress)) kinds.push(map(values.global).platform === 'openshift' ? 'Route' : 'Ingress');
  if (enabled(values.networkPolicy)) kinds.push('NetworkPolicy');
  if (enabled(values.podDisruptionBudget)) kinds.push('PodDisruptionBudget');
  if (list(values.externalSecrets).length) kinds.push('ExternalSecret');
  return kinds;
}

function modelServerKinds(values: Values): string[] {
  const kinds = ['Service', 'ServiceAccount', 'Deployment'];
  const models = list(values.models).map(map);
  if (enabled(values.devicePlugin)) kinds.push('DaemonSet');
  if (models.some((model) => map(map(model.weights).create).size !== undefined)) kinds.push('PersistentVolumeClaim', 'Job');
  if (enabled(values.networkPolicy)) kinds.push('NetworkPolicy');
  if (enabled(values.podDisruptionBudget)) kinds.push('PodDisruptionBudget');
  if (enabled(map(values.autoscaling).hpa)) kinds.push('HorizontalPodAutoscaler');
  if (enabled(map(values.autoscaling).keda)) kinds.push('ScaledObject');
  if (list(values.externalSecrets).length) kinds.push('ExternalSecret');
  return kinds;
}

/** The kinds a release of the chart creates with these merged values, plus the Secret Helm keeps its release record in. */
export function releaseKinds(chart: ChartName, values: Values): string[] {
  const kinds = chart === 'agent-platform' ? agentPlatformKinds(values) : modelServerKinds(values);
  return [...new Set([...kinds, 'Secret'])].sort();
}

/**
 * The access reviews for one release in its namespace: every Helm verb on every kind it creates;
 * update on secrets (Helm rewrites its release record); pods read for --wait; OpenShift's
 * routes/custom-host, without which a Route may not set spec.host.
 */
export function releaseAccessChecks(namespace: string, kinds: readonly string[]): AccessCheck[] {
  const checks: AccessCheck[] = [];
  for (const kind of kinds) {
    const resource = KIND_RESOURCES[kind];
    if (!resource) throw new Error(`kind ${kind} has no resource in cli/preflight/release-kinds.ts`);
    for (const verb of HELM_VERBS) checks.push({ namespace, verb, group: resource.group, resource: resource.resource });
    if (kind === 'Secret') checks.push({ namespace, verb: 'update', group: '', resource: 'secrets' });
    if (kind === 'Route') checks.push({ namespace, verb: 'create', group: 'route.openshift.io', resource: 'routes/custom-host' });
  }
  for (const verb of ['get', 'list', 'watch']) checks.push({ namespace, verb, group: '', resource: 'pods' });
  return checks;
}
