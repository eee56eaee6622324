import { describe, expect, it } from 'vitest';
import { analyzePatterns, fromMirror, imageLocation, type NamespaceSnapshot, type PatternInput } from '../../cli/support-bundle/patterns.js';
import { trimEvent, trimJob, trimPod, trimPvc } from '../../cli/support-bundle/trim.js';
import { CHECK_CATALOGUE } from '../../cli/preflight/check-catalogue.js';
import { classNotFound, event, imagePullBackOff, job, MIRROR, NS, oomCrashLoop, pendingPod, pod, pvc } from './objects.js';

type Raw = Record<string, unknown>;

/** A namespace as the bundle holds it: the objects through the same trimming. */
function snapshot(objects: { pods?: unknown[]; events?: unknown[]; jobs?: unknown[]; pvcs?: unknown[] }): NamespaceSnapshot {
  return {
    namespace: NS,
    pods: (objects.pods ?? []).map(trimPod) as Raw[],
    events: (objects.events ?? []).map(trimEvent) as Raw[],
    jobs: (objects.jobs ?? []).map(trimJob) as Raw[],
    pvcs: (objects.pvcs ?? []).map(trimPvc) as Raw[],
  };
}

const input = (objects: Parameters<typeof snapshot>[0], extra: Partial<PatternInput> = {}): PatternInput => ({
  namespaces: [snapshot(objects)],
  mirror: MIRROR,
  storageClasses: null,
  ...extra,
});

const outcomes = (results: ReturnType<typeof analyzePatterns>, id: string) => results.filter((result) => result.id === id).map((result) => [result.outcome, result.subject]);

describe('image references', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx'],
    ['bitnami/redis:7.2', 'docker.io', 'bitnami/redis'],
    ['ghcr.io/acme/api:1.0', 'ghcr.io', 'acme/api'],
    ['registry.acme.internal:5000/installctl/api@sha256:' + 'a'.repeat(64), 'registry.acme.internal:5000', 'installctl/api'],
    ['localhost/api:dev', 'localhost', 'api'],
  ])('%s is on %s as %s', (image, host, path) => {
    expect(imageLocation(image)).toEqual({ host, path });
  });

  it('is from the mirror only on its host and under its path prefix, by whole path components', () => {
    expect(fromMirror(`${MIRROR}/agent-platform/api:1.4.2`, MIRROR)).toBe(true);
    expect(fromMirror('registry.acme-federal.internal/installctl-other/api:1', MIRROR)).toBe(false);
    expect(fromMirror('registry.acme-federal.internal/api:1', MIRROR)).toBe(false);
    expect(fromMirror('docker.io/library/postgres:16', MIRROR)).toBe(false);
    expect(fromMirror('registry.acme.internal:5000/x/y:1', 'registry.acme.internal:5000')).toBe(true);
  });
});

describe('known failure patterns', () => {
  it('every bundle check of the catalogue has a pattern and passes on a healthy namespace', () => {
    const results = analyzePatterns(input({ pods: [pod('api-7d9f8b6c5-x2x4z')], jobs: [job('acme-gov-migrations', false)], pvcs: [pvc('data-postgres-0', 'gp3', 'Bound')] }));
    const bundleIds = CHECK_CATALOGUE.filter((entry) => entry.layer === 'bundle').map((entry) => entry.id);
    expect(results.map((result) => result.id)).toEqual(bundleIds);
    expect(new Set(results.map((result) => result.outcome))).toEqual(new Set(['pass']));
    for (const result of results) expect(result.doc).toBe(`README.md#preflight-${result.id}`);
  });

  it('image-pull-foreign-registry: fails on ImagePullBackOff from Docker Hub, warns on one from the mirror, passes without back-off', () => {
    const foreign = analyzePatterns(input({ pods: [imagePullBackOff('redis-0', 'docker.io/bitnami/redis:7.2.4')] }));
    expect(outcomes(foreign, 'image-pull-foreign-registry')).toEqual([['fail', `Pod ${NS}/redis-0`]]);
    expect(foreign.find((result) => result.outcome === 'fail')!.message).toContain('"docker.io/bitnami/redis:7.2.4"');
    const fromTheMirror = analyzePatterns(input({ pods: [imagePullBackOff('api-0', `${MIRROR}/agent-platform/api:1.4.2`)] }));
    expect(outcomes(fromTheMirror, 'image-pull-foreign-registry')).toEqual([['warn', `Pod ${NS}/api-0`]]);
    const errImagePull = analyzePatterns(input({ pods: [pod('api-1', { image: 'quay.io/acme/api:1', state: { waiting: { reason: 'ErrImagePull', message: 'rpc error' } } })] }));
    expect(outcomes(errImagePull, 'image-pull-foreign-registry')).toEqual([['fail', `Pod ${NS}/api-1`]]);
    expect(outcomes(analyzePatterns(input({ pods: [pod('api-2', { image: 'docker.io/library/nginx:1' })] })), 'image-pull-foreign-registry')).toEqual([['pass', null]]);
  });

  it('oom-killed: fails on CrashLoopBackOff whose last state is OOMKilled, naming the memory limit; not on a crash loop of another cause', () => {
    const results = analyzePatterns(input({ pods: [oomCrashLoop('indexer-5c6d7-abcde')] }));
    expect(outcomes(results, 'oom-killed')).toEqual([['fail', `Pod ${NS}/indexer-5c6d7-abcde`]]);
    expect(results.find((result) => result.id === 'oom-killed')!.message).toMatch(/"512Mi".*7 restarts/);
    const errorExit = pod('indexer-2', {
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      restartCount: 3,
    });
    expect(outcomes(analyzePatterns(input({ pods: [errorExit] })), 'oom-killed')).toEqual([['pass', null]]);
  });

  it('pending-gpu: fails on a Pending pod with a FailedScheduling event for nvidia.com/gpu, or its PodScheduled condition; not on a CPU shortage', () => {
    const message = '0/5 nodes are available: 5 Insufficient nvidia.com/gpu. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.';
    const byEvent = analyzePatterns(
      input({
        pods: [pod('vllm-qwen-0', { phase: 'Pending', state: { waiting: { reason: 'ContainerCreating' } } })],
        events: [event('FailedScheduling', 'Pod', 'vllm-qwen-0', message)],
      }),
    );
    expect(outcomes(byEvent, 'pending-gpu')).toEqual([['fail', `Pod ${NS}/vllm-qwen-0`]]);
    const byCondition = analyzePatterns(input({ pods: [pendingPod('vllm-qwen-1', '0/5 nodes are available: 5 Insufficient nvidia.com/gpu.')] }));
    expect(outcomes(byCondition, 'pending-gpu')).toEqual([['fail', `Pod ${NS}/vllm-qwen-1`]]);
    const cpu = analyzePatterns(
      input({
        pods: [pendingPod('api-0', '0/5 nodes are available: 5 Insufficient cpu.')],
        events: [event('FailedScheduling', 'Pod', 'api-0', '0/5 nodes are available: 5 Insufficient cpu.')],
      }),
    );
    expect(outcomes(cpu, 'pending-gpu')).toEqual([['pass', null]]);
    // The event is about another pod: a running pod named in it does not fail.
    const running = analyzePatterns(input({ pods: [pod('vllm-qwen-2')], events: [event('FailedScheduling', 'Pod', 'vllm-qwen-2', message)] }));
    expect(outcomes(running, 'pending-gpu')).toEqual([['pass', null]]);
  });

  it('pvc-pending-class: fails on a Pending claim with ProvisioningFailed "not found", or on a class the evidence does not list; not on a Bound claim', () => {
    const byEvent = analyzePatterns(input({ pvcs: [pvc('data-postgres-0', 'fast-ssd', 'Pending')], events: [classNotFound('data-postgres-0', 'fast-ssd')] }));
    expect(outcomes(byEvent, 'pvc-pending-class')).toEqual([['fail', `PersistentVolumeClaim ${NS}/data-postgres-0`]]);
    expect(byEvent.find((result) => result.id === 'pvc-pending-class')!.message).toContain('"fast-ssd"');
    const byEvidence = analyzePatterns(input({ pvcs: [pvc('weights', 'premium', 'Pending')] }, { storageClasses: ['gp3', 'gp2'] }));
    expect(outcomes(byEvidence, 'pvc-pending-class')).toEqual([['fail', `PersistentVolumeClaim ${NS}/weights`]]);
    const waiting = analyzePatterns(input({ pvcs: [pvc('weights', 'gp3', 'Pending')] }, { storageClasses: ['gp3'] }));
    expect(outcomes(waiting, 'pvc-pending-class')).toEqual([['pass', null]]);
    const bound = analyzePatterns(input({ pvcs: [pvc('data-postgres-0', 'fast-ssd', 'Bound')], events: [classNotFound('data-postgres-0', 'fast-ssd')] }));
    expect(outcomes(bound, 'pvc-pending-class')).toEqual([['pass', null]]);
  });

  it('migration-job-failed: fails on the migration Job (component label or -rN name) with a Failed condition; not on other Jobs', () => {
    const failed = analyzePatterns(input({ jobs: [job('acme-gov-migrations', true)] }));
    expect(outcomes(failed, 'migration-job-failed')).toEqual([['fail', `Job ${NS}/acme-gov-migrations`]]);
    expect(failed.find((result) => result.id === 'migration-job-failed')!.message).toContain('BackoffLimitExceeded');
    const byName = analyzePatterns(input({ jobs: [job('acme-gov-migrations-r3', true, 'other')] }));
    expect(outcomes(byName, 'migration-job-failed')).toEqual([['fail', `Job ${NS}/acme-gov-migrations-r3`]]);
    expect(outcomes(analyzePatterns(input({ jobs: [job('acme-gov-weights-fetch', true, 'weights')] })), 'migration-job-failed')).toEqual([['pass', null]]);
    expect(outcomes(analyzePatterns(input({ jobs: [job('acme-gov-migrations', false)] })), 'migration-job-failed')).toEqual([['pass', null]]);
  });

  it('a pattern whose objects were not collected reports error, not pass', () => {
    const forbidden: PatternInput = { namespaces: [{ ...snapshot({}), events: null }], mirror: MIRROR, storageClasses: null };
    const results = analyzePatterns(forbidden);
    expect(outcomes(results, 'pending-gpu')).toEqual([['error', null]]);
    expect(outcomes(results, 'pvc-pending-class')).toEqual([['error', null]]);
    expect(outcomes(results, 'oom-killed')).toEqual([['pass', null]]);
  });

  it('escapes cluster values in messages: a pod name cannot forge a line', () => {
    const hostile = imagePullBackOff('x', 'evil.example/a:1\n\u001b[2JFAIL everything');
    const result = analyzePatterns(input({ pods: [hostile] })).find((entry) => entry.outcome === 'fail')!;
    expect(result.message).not.toMatch(/[\n\u001b]/);
  });
});
