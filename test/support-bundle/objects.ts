/**
 * Kubernetes objects as the API server sends them (field names, kinds and messages of real
 * responses), for the support-bundle tests: healthy and broken pods, events, jobs and claims.
 */
export const NS = 'acme-gov-platform';
export const MIRROR = 'registry.acme-federal.internal/installctl';

export function pod(
  name: string,
  options: { phase?: string; image?: string; state?: object; lastState?: object; restartCount?: number; conditions?: object[]; limits?: object } = {},
) {
  const image = options.image ?? `${MIRROR}/agent-platform/api:1.4.2`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      uid: '0d1e0a7c-5a9e-4c57-9a39-6d7d3b1d2f11',
      creationTimestamp: '2026-12-02T20:01:02Z',
      labels: { 'app.kubernetes.io/name': 'agent-platform', 'app.kubernetes.io/component': 'api' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"password":"hunter2-in-annotation"}' },
      managedFields: [{ manager: 'helm', operation: 'Update' }],
    },
    spec: {
      nodeName: 'ip-10-40-1-23.ec2.internal',
      containers: [
        {
          name: 'api',
          image,
          env: [{ name: 'DATABASE_PASSWORD', value: 'env-password-never-kept' }],
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: (options.limits as { memory?: string } | undefined)?.memory ?? '2Gi' } },
          volumeMounts: [{ name: 'config', mountPath: '/etc/agent' }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'acme-gov-config' } }],
    },
    status: {
      phase: options.phase ?? 'Running',
      qosClass: 'Burstable',
      startTime: '2026-12-02T20:01:03Z',
      conditions: options.conditions ?? [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-12-02T20:02:00Z' }],
      containerStatuses: [
        {
          name: 'api',
          image,
          imageID: '',
          ready: !options.state,
          started: !options.state,
          restartCount: options.restartCount ?? 0,
          state: options.state ?? { running: { startedAt: '2026-12-02T20:01:40Z' } },
          lastState: options.lastState ?? {},
        },
      ],
    },
  };
}

export const imagePullBackOff = (name: string, image: string) =>
  pod(name, {
    phase: 'Pending',
    image,
    state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
  });

export const oomCrashLoop = (name: string) =>
  pod(name, {
    restartCount: 7,
    limits: { memory: '512Mi' },
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=api pod=' + name } },
    lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-12-02T21:00:00Z', finishedAt: '2026-12-02T21:00:09Z', containerID: 'containerd://1f' } },
  });

export const pendingPod = (name: string, message: string) =>
  pod(name, {
    phase: 'Pending',
    state: { waiting: { reason: 'ContainerCreating' } },
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: '2026-12-02T20:05:00Z' }],
  });

export function event(reason: string, kind: string, name: string, message: string, type = 'Warning') {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.17d3a1b2c3d4e5f6`, namespace: NS, creationTimestamp: '2026-12-02T20:05:00Z' },
    involvedObject: { kind, namespace: NS, name, apiVersion: 'v1', uid: 'a1b2c3d4-0000-4000-8000-000000000001' },
    reason,
    message,
    source: { component: 'default-scheduler' },
    firstTimestamp: '2026-12-02T20:05:00Z',
    lastTimestamp: '2026-12-02T20:35:00Z',
    count: 12,
    type,
    reportingComponent: 'default-scheduler',
  };
}

export function job(name: string, failed: boolean, component = 'migrations') {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS, creationTimestamp: '2026-12-02T20:00:00Z', labels: { 'app.kubernetes.io/name': 'agent-platform', 'app.kubernetes.io/component': component } },
    spec: { backoffLimit: 3, activeDeadlineSeconds: 1800 },
    status: failed
      ? {
          failed: 4,
          startTime: '2026-12-02T20:00:01Z',
          conditions: [
            {
              type: 'FailureTarget',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              lastTransitionTime: '2026-12-02T20:09:00Z',
            },
            { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: '2026-12-02T20:09:00Z' },
          ],
        }
      : {
          succeeded: 1,
          startTime: '2026-12-02T20:00:01Z',
          completionTime: '2026-12-02T20:01:00Z',
          conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-12-02T20:01:00Z' }],
        },
  };
}

export function deployment(name: string, replicas: number, readyReplicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: NS,
      generation: 3,
      creationTimestamp: '2026-12-02T20:00:00Z',
      labels: { 'app.kubernetes.io/name': 'agent-platform', 'app.kubernetes.io/component': name },
    },
    spec: { replicas, selector: { matchLabels: { 'app.kubernetes.io/component': name } }, strategy: { type: 'RollingUpdate' } },
    status: {
      observedGeneration: 3,
      replicas,
      readyReplicas,
      availableReplicas: readyReplicas,
      updatedReplicas: replicas,
      conditions: [{ type: 'Available', status: readyReplicas === replicas ? 'True' : 'False', reason: 'MinimumReplicasAvailable', lastTransitionTime: '2026-12-02T20:02:00Z' }],
    },
  };
}

export function pvc(name: string, storageClassName: string, phase: string) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: NS, creationTimestamp: '2026-12-02T20:00:00Z', labels: { 'app.kubernetes.io/component': 'postgres' } },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: '100Gi' } }, volumeMode: 'Filesystem' },
    status: { phase },
  };
}

export const classNotFound = (claim: string, className: string) =>
  event('ProvisioningFailed', 'PersistentVolumeClaim', claim, `storageclass.storage.k8s.io "${className}" not found`);

export function helmReleaseMetadata(release: string, revision: number, status: string) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      name: `sh.helm.release.v1.${release}.v${revision}`,
      namespace: NS,
      creationTimestamp: '2026-12-02T20:00:00Z',
      labels: { name: release, owner: 'helm', status, version: String(revision), modifiedAt: '1764705600' },
    },
  };
}
