/**
 * Policy upgrade-immutable (the upgrade layer): the fields Kubernetes refuses to change on an
 * existing object must render the same for a chart at one catalogued release and at the next
 * (conformance's upgrade edges, upgrade-edges.ts), or `helm upgrade` fails ("spec: Forbidden: updates to statefulset spec for fields other
 * than ..."; "field is immutable"). Pure: compares two renders (before, after) object by object.
 *
 *   StatefulSet   its whole spec but the fields the API lets change (replicas, ordinals, template,
 *                 updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy,
 *                 minReadySeconds): volumeClaimTemplates, serviceName, selector, podManagementPolicy
 *   Deployment, DaemonSet, ReplicaSet   spec.selector
 *   Job           spec.selector and spec.template, for a Job that keeps its name (a Job named per
 *                 revision is a new object) and is not a hook Helm or Argo CD deletes before creating
 *                 it again (before-hook-creation, Helm's default for a hook)
 *   PersistentVolumeClaim   spec.storageClassName, spec.accessModes, spec.volumeMode
 *   Service       spec.clusterIP, spec.clusterIPs
 *
 * The anchor: bitnami's charts keep only the match labels in volumeClaimTemplates for this reason.
 */
import type { Violation } from '../pulumi/types.js';
import { objectRef, type KubeObject } from './helm.js';

const STATEFULSET_MUTABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

/** Per kind: the immutable fields of spec, or the whole spec minus the mutable ones (StatefulSet). */
const IMMUTABLE: Readonly<Record<string, (spec: Record<string, unknown>) => string[]>> = {
  StatefulSet: (spec) => Object.keys(spec).filter((field) => !STATEFULSET_MUTABLE.has(field)),
  Deployment: () => ['selector'],
  DaemonSet: () => ['selector'],
  ReplicaSet: () => ['selector'],
  Job: () => ['selector', 'template'],
  PersistentVolumeClaim: () => ['storageClassName', 'accessModes', 'volumeMode'],
  Service: () => ['clusterIP', 'clusterIPs'],
};

/** The kinds that have immutable fields: the only objects upgrade-immutable reads. */
export const IMMUTABLE_KINDS: ReadonlySet<string> = new Set(Object.keys(IMMUTABLE));

/**
 * The documents of a `helm template` stream whose kind has immutable fields (a top-level `kind:`
 * line), as a stream again: parsing only them skips the ConfigMaps of CA bundles and the policies,
 * which were most of the bytes.
 */
export function immutableKindDocuments(stream: string): string {
  return stream
    .split(/^---[ \t]*$/m)
    .filter((document) => IMMUTABLE_KINDS.has(/^kind:[ \t]*["']?([A-Za-z]+)["']?[ \t]*$/m.exec(document)?.[1] ?? ''))
    .join('\n---\n');
}

/** JSON with sorted keys: two renders of one object compare equal whatever their key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Whether Helm or Argo CD deletes the object before creating it again on the next sync (so nothing is updated in place). */
export function recreatedHook(object: KubeObject): boolean {
  const annotations = object.metadata.annotations ?? {};
  const helmHook = annotations['helm.sh/hook'];
  if (helmHook) {
    const policies = String(annotations['helm.sh/hook-delete-policy'] ?? '').trim();
    // Helm applies before-hook-creation when a hook names no delete policy.
    if (policies === '' || policies.split(',').some((policy) => policy.trim() === 'before-hook-creation')) return true;
  }
  const argoHook = annotations['argocd.argoproj.io/hook'];
  return Boolean(argoHook) && !helmHook && String(annotations['argocd.argoproj.io/hook-delete-policy'] ?? 'BeforeHookCreation').includes('BeforeHookCreation');
}

/** The first differing path between two values (for the message), e.g. `[0].metadata.labels.app.kubernetes.io/version`. */
function firstDifference(before: unknown, after: unknown, path = ''): { path: string; before: unknown; after: unknown } | null {
  if (canonical(before) === canonical(after)) return null;
  const bothObjects = before !== null && after !== null && typeof before === 'object' && typeof after === 'object' && Array.isArray(before) === Array.isArray(after);
  if (!bothObjects) return { path, before, after };
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const found = firstDifference((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], Array.isArray(before) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return { path, before, after };
}

const shown = (value: unknown) => {
  const text = value === undefined ? 'unset' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const identity = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;

/** Violations of upgrade-immutable between a chart's render at one release (before) and at the next (after). */
export function immutableFieldViolations(before: readonly KubeObject[], after: readonly KubeObject[]): Violation[] {
  const previous = new Map(before.map((object) => [identity(object), object]));
  const violations: Violation[] = [];
  for (const next of after) {
    const fields = IMMUTABLE[next.kind];
    const old = previous.get(identity(next));
    if (!fields || !old || recreatedHook(old) || recreatedHook(next)) continue;
    const oldSpec = (old.spec ?? {}) as Record<string, unknown>;
    const newSpec = (next.spec ?? {}) as Record<string, unknown>;
    for (const field of [...new Set([...fields(oldSpec), ...fields(newSpec)])].sort()) {
      const difference = firstDifference(oldSpec[field], newSpec[field], `spec.${field}`);
      if (difference)
        violations.push({
          policy: 'upgrade-immutable',
          resource: objectRef(next),
          message: `${difference.path} changes on upgrade (${shown(difference.before)} -> ${shown(difference.after)}), which Kubernetes refuses to update in place`,
        });
    }
  }
  return violations;
}
