/**
 * Kubernetes objects as a support bundle keeps them: the same shape and field names as the API
 * (status.containerStatuses[].state.waiting.reason, involvedObject, ...) so a support engineer reads
 * them like `kubectl get -o json`, cut down to what diagnosis needs. Nothing else is kept: no env,
 * no volumes, no annotations (they carry last-applied configurations), no managed fields. Input is
 * either wire JSON or a @kubernetes/client-node model (timestamps as Date): both trim the same.
 */

type Raw = Record<string, unknown>;

/** Longest string kept from a cluster object (a termination message, an event message). */
export const MAX_FIELD_CHARS = 4096;
const MAX_LABELS = 64;
const MAX_CONDITIONS = 20;
const MAX_CONTAINERS = 30;

const asObject = (value: unknown): Raw => (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) ? (value as Raw) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A string field (a Date becomes its ISO text, seconds precision as the API writes it); null when absent. */
export function text(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().replace(/\.000Z$/, 'Z');
  if (typeof value === 'string') return value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS)}...` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

const integer = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null);

/** A string map (labels, quantities), capped; non-string values dropped. */
function stringMap(value: unknown, max = MAX_LABELS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asObject(value)).slice(0, max)) {
    const shown = text(entry);
    if (shown !== null) out[key.slice(0, 317)] = shown;
  }
  return out;
}

function metadata(raw: unknown, withLabels: boolean): Raw {
  const meta = asObject(raw);
  return {
    name: text(meta.name),
    namespace: text(meta.namespace),
    creationTimestamp: text(meta.creationTimestamp),
    ...(withLabels ? { labels: stringMap(meta.labels) } : {}),
  };
}

function conditions(raw: unknown): Raw[] {
  return asArray(raw)
    .slice(0, MAX_CONDITIONS)
    .map((entry) => {
      const condition = asObject(entry);
      return {
        type: text(condition.type),
        status: text(condition.status),
        reason: text(condition.reason),
        message: text(condition.message),
        lastTransitionTime: text(condition.lastTransitionTime),
      };
    });
}

/** A container state: waiting (reason, message), running (startedAt) or terminated (reason, exit code, message). */
function containerState(raw: unknown): Raw {
  const state = asObject(raw);
  const out: Raw = {};
  if (state.waiting) {
    const waiting = asObject(state.waiting);
    out.waiting = { reason: text(waiting.reason), message: text(waiting.message) };
  }
  if (state.running) out.running = { startedAt: text(asObject(state.running).startedAt) };
  if (state.terminated) {
    const terminated = asObject(state.terminated);
    out.terminated = {
      reason: text(terminated.reason),
      exitCode: integer(terminated.exitCode),
      signal: integer(terminated.signal),
      message: text(terminated.message),
      startedAt: text(terminated.startedAt),
      finishedAt: text(terminated.finishedAt),
    };
  }
  return out;
}

function containerStatuses(raw: unknown): Raw[] {
  return asArray(raw)
    .slice(0, MAX_CONTAINERS)
    .map((entry) => {
      const status = asObject(entry);
      return {
        name: text(status.name),
        image: text(status.image),
        imageID: text(status.imageID),
        ready: status.ready === true,
        started: typeof status.started === 'boolean' ? status.started : null,
        restartCount: integer(status.restartCount) ?? 0,
        state: containerState(status.state),
        lastState: containerState(status.lastState),
      };
    });
}

function containerSpecs(raw: unknown): Raw[] {
  return asArray(raw)
    .slice(0, MAX_CONTAINERS)
    .map((entry) => {
      const container = asObject(entry);
      const resources = asObject(container.resources);
      return { name: text(container.name), image: text(container.image), resources: { requests: stringMap(resources.requests), limits: stringMap(resources.limits) } };
    });
}

/** A Pod: phase, conditions, container statuses with waiting/terminated reasons, images, node, requests and limits. */
export function trimPod(raw: unknown): Raw {
  const pod = asObject(raw);
  const spec = asObject(pod.spec);
  const status = asObject(pod.status);
  return {
    metadata: metadata(pod.metadata, true),
    spec: {
      nodeName: text(spec.nodeName),
      schedulerName: text(spec.schedulerName),
      priorityClassName: text(spec.priorityClassName),
      initContainers: containerSpecs(spec.initContainers),
      containers: containerSpecs(spec.containers),
    },
    status: {
      phase: text(status.phase),
      reason: text(status.reason),
      message: text(status.message),
      qosClass: text(status.qosClass),
      startTime: text(status.startTime),
      conditions: conditions(status.conditions),
      initContainerStatuses: containerStatuses(status.initContainerStatuses),
      containerStatuses: containerStatuses(status.containerStatuses),
    },
  };
}

/** An Event (core/v1): reason, message, the object it is about, count and when it was last seen. */
export function trimEvent(raw: unknown): Raw {
  const event = asObject(raw);
  const involved = asObject(event.involvedObject);
  const series = asObject(event.series);
  const lastTimestamp = text(event.lastTimestamp) ?? text(series.lastObservedTime) ?? text(event.eventTime) ?? text(asObject(event.metadata).creationTimestamp);
  return {
    metadata: metadata(event.metadata, false),
    type: text(event.type),
    reason: text(event.reason),
    message: text(event.message),
    involvedObject: { kind: text(involved.kind), namespace: text(involved.namespace), name: text(involved.name), fieldPath: text(involved.fieldPath) },
    count: integer(event.count) ?? integer(series.count) ?? 1,
    firstTimestamp: text(event.firstTimestamp),
    lastTimestamp,
    source: { component: text(asObject(event.source).component) ?? text(event.reportingComponent) },
  };
}

/** A Deployment or StatefulSet: replicas wanted, ready, updated and available, with its conditions. */
export function trimReplicated(kind: 'Deployment' | 'StatefulSet', raw: unknown): Raw {
  const object = asObject(raw);
  const status = asObject(object.status);
  return {
    kind,
    metadata: metadata(object.metadata, true),
    spec: { replicas: integer(asObject(object.spec).replicas) },
    status: {
      replicas: integer(status.replicas) ?? 0,
      readyReplicas: integer(status.readyReplicas) ?? 0,
      updatedReplicas: integer(status.updatedReplicas) ?? 0,
      availableReplicas: integer(status.availableReplicas) ?? 0,
      observedGeneration: integer(status.observedGeneration),
      conditions: conditions(status.conditions),
    },
  };
}

/** A Job: its conditions (Complete, Failed with BackoffLimitExceeded ...) and pod counts. */
export function trimJob(raw: unknown): Raw {
  const job = asObject(raw);
  const status = asObject(job.status);
  return {
    kind: 'Job',
    metadata: metadata(job.metadata, true),
    spec: { backoffLimit: integer(asObject(job.spec).backoffLimit), activeDeadlineSeconds: integer(asObject(job.spec).activeDeadlineSeconds) },
    status: {
      active: integer(status.active) ?? 0,
      succeeded: integer(status.succeeded) ?? 0,
      failed: integer(status.failed) ?? 0,
      startTime: text(status.startTime),
      completionTime: text(status.completionTime),
      conditions: conditions(status.conditions),
    },
  };
}

/** A PersistentVolumeClaim: its class, phase, size and access modes. */
export function trimPvc(raw: unknown): Raw {
  const claim = asObject(raw);
  const spec = asObject(claim.spec);
  return {
    metadata: metadata(claim.metadata, true),
    spec: {
      storageClassName: text(spec.storageClassName),
      accessModes: asArray(spec.accessModes)
        .map(text)
        .filter((mode): mode is string => mode !== null)
        .slice(0, 8),
      volumeName: text(spec.volumeName),
      resources: { requests: stringMap(asObject(spec.resources).requests) },
    },
    status: { phase: text(asObject(claim.status).phase), capacity: stringMap(asObject(claim.status).capacity) },
  };
}

/**
 * A Helm release revision from its Secret's metadata (listed as PartialObjectMetadata: the release
 * payload, which holds the values and so may hold secrets, is never downloaded). Helm's storage
 * labels: name, owner, status, version, modifiedAt.
 */
export function trimHelmRelease(raw: unknown): Raw {
  const meta = asObject(asObject(raw).metadata);
  const labels = stringMap(meta.labels);
  const version = Number(labels.version);
  return {
    secret: text(meta.name),
    namespace: text(meta.namespace),
    release: labels.name ?? null,
    revision: Number.isSafeInteger(version) ? version : null,
    status: labels.status ?? null,
    modifiedAt: labels.modifiedAt ?? null,
    createdAt: text(meta.creationTimestamp),
  };
}
