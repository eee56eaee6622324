/** Unit tests of cli/conformance/helm/immutable-fields.ts: the shapes main rendered before issue 13 fail, the fixed ones pass. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../cli/conformance/helm/helm.js';
import { canonical, immutableFieldViolations, immutableKindDocuments, recreatedHook } from '../../../cli/conformance/helm/immutable-fields.js';
import { parseManifests } from '../../../cli/conformance/helm/helm.js';

const selector = { 'app.kubernetes.io/name': 'agent-platform', 'app.kubernetes.io/instance': 'acme', 'app.kubernetes.io/component': 'postgres' };
/** The labels main put everywhere, volumeClaimTemplates included: they change with every chart version. */
const chartLabels = (version: string) => ({ ...selector, 'app.kubernetes.io/version': version, 'helm.sh/chart': `agent-platform-${version}` });

function statefulSet(claimLabels: Record<string, string>, version: string, overrides: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'acme-postgres', labels: chartLabels(version) },
    spec: {
      serviceName: 'acme-postgres',
      replicas: 1,
      selector: { matchLabels: selector },
      template: { metadata: { labels: chartLabels(version) }, spec: { containers: [] } },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: claimLabels }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3' } }],
      ...overrides,
    },
  };
}

function job(name: string, version: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: chartLabels(version), ...(annotations ? { annotations } : {}) },
    spec: { template: { metadata: { labels: chartLabels(version) }, spec: { restartPolicy: 'Never', containers: [] } } },
  };
}

describe('upgrade-immutable', () => {
  it("fails main's StatefulSet: volumeClaimTemplates carry the chart version", () => {
    const violations = immutableFieldViolations([statefulSet(chartLabels('2026.11.0'), '2026.11.0')], [statefulSet(chartLabels('2026.11.1'), '2026.11.1')]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: 'upgrade-immutable', resource: 'StatefulSet/acme-postgres' });
    expect(violations[0]!.message).toContain('spec.volumeClaimTemplates[0].metadata.labels.app.kubernetes.io/version');
  });

  it('passes claim templates with only the match labels (pod template labels may change)', () => {
    expect(immutableFieldViolations([statefulSet(selector, '2026.11.0')], [statefulSet(selector, '2026.11.1', { replicas: 3 })])).toEqual([]);
  });

  it.each([
    ['serviceName', { serviceName: 'acme-postgres-headless' }],
    ['selector', { selector: { matchLabels: { ...selector, extra: 'x' } } }],
    ['podManagementPolicy', { podManagementPolicy: 'Parallel' }],
  ])('fails a StatefulSet whose %s changes', (field, overrides) => {
    const violations = immutableFieldViolations([statefulSet(selector, '1')], [statefulSet(selector, '2', overrides)]);
    expect(violations.map((violation) => violation.message.split(' ')[0])).toEqual([expect.stringContaining(`spec.${field}`)]);
  });

  it('fails a Deployment or DaemonSet selector change, not a template change', () => {
    const deployment = (labels: Record<string, string>, image: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: { selector: { matchLabels: labels }, template: { spec: { containers: [{ name: 'api', image }] } } },
    });
    expect(immutableFieldViolations([deployment(selector, 'a')], [deployment(selector, 'b')])).toEqual([]);
    expect(immutableFieldViolations([deployment(selector, 'a')], [deployment(chartLabels('2'), 'a')])).toHaveLength(1);
    const daemonSet = { ...deployment(selector, 'a'), kind: 'DaemonSet' };
    expect(immutableFieldViolations([daemonSet], [{ ...daemonSet, spec: { selector: { matchLabels: {} } } }])).toHaveLength(1);
  });

  it('fails a Job that keeps its name while its pod template changes; a Job named per revision or a recreated hook passes', () => {
    expect(immutableFieldViolations([job('acme-migrations', '1')], [job('acme-migrations', '2')])).toHaveLength(1);
    expect(immutableFieldViolations([job('acme-migrations-r1', '1')], [job('acme-migrations-r2', '2')])).toEqual([]);
    const hook = { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' };
    expect(immutableFieldViolations([job('acme-migrations', '1', hook)], [job('acme-migrations', '2', hook)])).toEqual([]);
    const kept = { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-failed' };
    expect(immutableFieldViolations([job('acme-migrations', '1', kept)], [job('acme-migrations', '2', kept)])).toHaveLength(1);
  });

  it('fails a PVC whose class or access modes change, and a Service whose clusterIP changes', () => {
    const pvc = (storageClassName: string, accessModes: string[]): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'weights' },
      spec: { storageClassName, accessModes, resources: { requests: { storage: '100Gi' } } },
    });
    expect(
      immutableFieldViolations(
        [pvc('gp3', ['ReadWriteOnce'])],
        [{ ...pvc('gp3', ['ReadWriteOnce']), spec: { ...(pvc('gp3', ['ReadWriteOnce']).spec as object), resources: { requests: { storage: '200Gi' } } } }],
      ),
    ).toEqual([]);
    expect(immutableFieldViolations([pvc('gp3', ['ReadWriteOnce'])], [pvc('gp2', ['ReadWriteOnce'])])).toHaveLength(1);
    expect(immutableFieldViolations([pvc('gp3', ['ReadWriteOnce'])], [pvc('gp3', ['ReadOnlyMany'])])).toHaveLength(1);
    const service = (clusterIP?: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'git' },
      spec: { ...(clusterIP ? { clusterIP } : {}), ports: [] },
    });
    expect(immutableFieldViolations([service('None')], [service()])).toHaveLength(1);
    expect(immutableFieldViolations([service('None')], [service('None')])).toEqual([]);
  });

  it('ignores objects only one render has, and key order', () => {
    expect(immutableFieldViolations([statefulSet(selector, '1')], [])).toEqual([]);
    expect(canonical({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonical({ a: [{ c: 3, d: 2 }], b: 1 }));
  });

  it('treats a hook without a delete policy and an Argo CD BeforeHookCreation hook as recreated', () => {
    expect(recreatedHook(job('j', '1', { 'helm.sh/hook': 'pre-upgrade' }))).toBe(true);
    expect(recreatedHook(job('j', '1', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' }))).toBe(true);
    expect(recreatedHook(job('j', '1'))).toBe(false);
  });

  it('keeps only the documents of kinds with immutable fields, by their top-level kind', () => {
    const stream = [
      '# Source: agent-platform/templates/ca.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\ndata:\n  kind: StatefulSet',
      '# Source: agent-platform/templates/postgres.yaml\napiVersion: apps/v1\nkind: "StatefulSet"\nmetadata:\n  name: pg\n  ownerReferences:\n    - kind: ConfigMap\n      name: x',
      'apiVersion: v1\nkind: Service   \nmetadata:\n  name: api',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny',
    ].join('\n---\n');
    expect(parseManifests(immutableKindDocuments(`---\n${stream}\n`)).map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['StatefulSet/pg', 'Service/api']);
    expect(immutableKindDocuments('')).toBe('');
  });
});
