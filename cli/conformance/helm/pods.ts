/** Walks the pod specs inside rendered objects: workloads, Jobs, CronJobs, bare Pods. */
import { objectRef, type KubeObject } from './helm.js';

export interface Container {
  name?: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  ports?: Array<{ name?: string; containerPort?: number }>;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, any>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  readinessProbe?: Record<string, any>;
  livenessProbe?: Record<string, any>;
  startupProbe?: Record<string, any>;
  [key: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Array<{ name: string; [key: string]: any }>;
  securityContext?: Record<string, any>;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface PodTemplate {
  /** Kind/name of the object holding the template. */
  owner: string;
  object: KubeObject;
  labels: Record<string, string>;
  spec: PodSpec;
  /** Pods that run until stopped (not Jobs / CronJobs / one-off Pods with restartPolicy Never). */
  longRunning: boolean;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const object of objects) {
    const spec = object.spec as Record<string, any> | undefined;
    let template: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } | undefined;
    let longRunning = false;
    if (WORKLOADS.has(object.kind)) {
      template = spec?.template;
      longRunning = true;
    } else if (object.kind === 'Job') template = spec?.template;
    else if (object.kind === 'CronJob') template = spec?.jobTemplate?.spec?.template;
    else if (object.kind === 'Pod') {
      template = { metadata: object.metadata as { labels?: Record<string, string> }, spec: spec as PodSpec };
      longRunning = (spec?.restartPolicy ?? 'Always') === 'Always';
    }
    if (template?.spec) out.push({ owner: objectRef(object), object, labels: template.metadata?.labels ?? {}, spec: template.spec, longRunning });
  }
  return out;
}

export function containersOf(spec: PodSpec): Array<{ container: Container; init: boolean }> {
  return [
    ...(spec.initContainers ?? []).map((container) => ({ container, init: true })),
    ...(spec.containers ?? []).map((container) => ({ container, init: false })),
    ...(spec.ephemeralContainers ?? []).map((container) => ({ container, init: true })),
  ];
}

/** Whether a label selector (matchLabels + matchExpressions) selects these labels. */
export function selectorMatches(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok =
      expression.operator === 'In'
        ? value !== undefined && values.includes(value)
        : expression.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : expression.operator === 'Exists'
            ? value !== undefined
            : expression.operator === 'DoesNotExist'
              ? value === undefined
              : false;
    if (!ok) return false;
  }
  return true;
}
