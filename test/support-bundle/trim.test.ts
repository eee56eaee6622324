import { describe, expect, it } from 'vitest';
import { text, trimEvent, trimHelmRelease, trimJob, trimPod, trimPvc, trimReplicated, MAX_FIELD_CHARS } from '../../cli/support-bundle/trim.js';
import { event, helmReleaseMetadata, job, NS, oomCrashLoop, pvc } from './objects.js';

describe('trimming cluster objects', () => {
  it("keeps a pod's phase, conditions, container states with reasons, images, node and resources, and nothing else", () => {
    const trimmed = trimPod(oomCrashLoop('indexer-0'));
    const status = trimmed.status as { phase: string; containerStatuses: Array<Record<string, unknown>> };
    expect(status.phase).toBe('Running');
    expect(status.containerStatuses[0]).toMatchObject({
      name: 'api',
      restartCount: 7,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
    });
    expect(trimmed.spec).toMatchObject({
      nodeName: 'ip-10-40-1-23.ec2.internal',
      containers: [{ name: 'api', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '512Mi' } } }],
    });
    const kept = JSON.stringify(trimmed);
    for (const dropped of [
      'env-password-never-kept',
      'DATABASE_PASSWORD',
      'last-applied-configuration',
      'hunter2-in-annotation',
      'managedFields',
      'volumeMounts',
      'acme-gov-config',
    ]) {
      expect(kept).not.toContain(dropped);
    }
  });

  it("reads client-node models the same as wire JSON: Dates become the API's timestamps", () => {
    const wire = trimEvent(event('FailedScheduling', 'Pod', 'p', 'm'));
    const model = trimEvent({ ...event('FailedScheduling', 'Pod', 'p', 'm'), lastTimestamp: new Date('2026-12-02T20:35:00Z'), firstTimestamp: new Date('2026-12-02T20:05:00Z') });
    expect(model).toEqual(wire);
    expect(wire).toMatchObject({ reason: 'FailedScheduling', count: 12, lastTimestamp: '2026-12-02T20:35:00Z', involvedObject: { kind: 'Pod', name: 'p', namespace: NS } });
  });

  it("takes an event's time from series or eventTime when lastTimestamp is null (events.k8s.io-style events)", () => {
    const seriesEvent = {
      ...event('BackOff', 'Pod', 'p', 'm'),
      lastTimestamp: null,
      firstTimestamp: null,
      count: undefined,
      series: { count: 40, lastObservedTime: '2026-12-02T21:00:00.123456Z' },
    };
    expect(trimEvent(seriesEvent)).toMatchObject({ lastTimestamp: '2026-12-02T21:00:00.123456Z', count: 40 });
  });

  it("keeps workloads' replica counts and conditions, jobs' conditions, claims' class and phase", () => {
    const deployment = {
      metadata: { name: 'api', namespace: NS },
      spec: { replicas: 3 },
      status: { replicas: 3, readyReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }] },
    };
    expect(trimReplicated('Deployment', deployment)).toMatchObject({
      kind: 'Deployment',
      spec: { replicas: 3 },
      status: { readyReplicas: 1, availableReplicas: 0, conditions: [{ reason: 'MinimumReplicasUnavailable' }] },
    });
    expect(trimJob(job('acme-gov-migrations', true))).toMatchObject({
      status: { failed: 4, conditions: [{ type: 'FailureTarget' }, { type: 'Failed', reason: 'BackoffLimitExceeded' }] },
    });
    expect(trimPvc(pvc('data', 'fast-ssd', 'Pending'))).toMatchObject({ spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } });
  });

  it("keeps a Helm release revision's name, status, version and modifiedAt from the Secret's labels", () => {
    expect(trimHelmRelease(helmReleaseMetadata('acme-gov', 3, 'failed'))).toEqual({
      secret: 'sh.helm.release.v1.acme-gov.v3',
      namespace: NS,
      release: 'acme-gov',
      revision: 3,
      status: 'failed',
      modifiedAt: '1764705600',
      createdAt: '2026-12-02T20:00:00Z',
    });
    // Were a payload ever present (a server ignoring the metadata Accept header), it is not kept.
    expect(JSON.stringify(trimHelmRelease({ ...helmReleaseMetadata('acme-gov', 4, 'deployed'), data: { release: 'H4sIAAAA' } }))).not.toContain('H4sIAAAA');
  });

  it('caps long strings and ignores hostile shapes', () => {
    expect(text('x'.repeat(MAX_FIELD_CHARS + 10))!.length).toBe(MAX_FIELD_CHARS + 3);
    expect(trimPod(null)).toMatchObject({ metadata: { name: null }, status: { containerStatuses: [] } });
    expect(trimPod({ status: { containerStatuses: 'not a list', conditions: { a: 1 } } })).toMatchObject({ status: { containerStatuses: [], conditions: [] } });
    const manyLabels = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`l${index}`, 'v']));
    expect(Object.keys((trimPod({ metadata: { labels: manyLabels } }).metadata as { labels: object }).labels)).toHaveLength(64);
  });
});
