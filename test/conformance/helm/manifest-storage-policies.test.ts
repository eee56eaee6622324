/**
 * storage-class and model-weights (cli/conformance/helm/manifest-storage-policies.ts) on hand-made
 * objects in the shapes main rendered before issue 13 (they fail) and the fixed shapes (they pass).
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../cli/conformance/helm/helm.js';
import { modelWeightsViolations, specWeightsClaim, storageClassViolations, type ModelFacts } from '../../../cli/conformance/helm/manifest-storage-policies.js';
import { checkedStarterSpec, SCHEMA_URL } from '../../../cli/emit/starter-spec-check.js';
import { parse } from 'yaml';
import { podTemplates } from '../../../cli/conformance/helm/pods.js';
import { providedStorageClasses } from '../../../stacks/decisions/storage.js';
import type { Platform } from '../../../stacks/settings.js';
import { renderableCells } from '../../helpers/cells.js';

/** The git gateway's StatefulSet: main named a class only on-prem (values storageClass ''). */
function gitGateway(storageClassName: string | null): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'agent-platform-git-gateway' },
    spec: {
      template: { spec: { containers: [{ name: 'git-gateway' }] } },
      volumeClaimTemplates: [
        {
          metadata: { name: 'clone-cache' },
          spec: { accessModes: ['ReadWriteOnce'], ...(storageClassName ? { storageClassName } : {}), resources: { requests: { storage: '50Gi' } } },
        },
      ],
    },
  };
}

const storage = (objects: KubeObject[], classes: readonly string[]) => storageClassViolations(objects, podTemplates(objects), classes);

describe('storage-class', () => {
  const ONPREM_CLASS = 'ceph-rbd';
  it.each(renderableCells().map((cell) => [cell.id, cell.platform]))("%s: main's claim template fails on a cloud, the fixed one passes", (_, platform) => {
    const onprem = platform === 'onprem' ? { storageClass: ONPREM_CLASS } : null;
    const classes = providedStorageClasses(platform as Platform, onprem);
    // main: values.storageClass was settings.onprem?.storageClass ?? ''.
    const before = storage([gitGateway(onprem?.storageClass ?? null)], classes);
    expect(before.map((violation) => violation.policy)).toEqual(platform === 'onprem' ? [] : ['storage-class']);
    expect(storage([gitGateway(classes[0]!)], classes)).toEqual([]);
  });

  it('fails a class the cluster does not provide, and checks PVCs and ephemeral claim templates', () => {
    expect(storage([gitGateway('gp2')], ['gp3'])[0]!.message).toContain('storage class gp2 is not one the cluster provides (gp3)');
    const pvc: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'weights' }, spec: { accessModes: ['ReadWriteOnce'] } };
    const ephemeral: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coder' },
      spec: { template: { spec: { containers: [], volumes: [{ name: 'models', ephemeral: { volumeClaimTemplate: { spec: { storageClassName: '' } } } }] } } },
    };
    expect(storage([pvc, ephemeral], ['gp3']).map((violation) => violation.resource)).toEqual(['PersistentVolumeClaim/weights', 'Deployment/coder']);
  });
});

const probe = (path: string, periodSeconds: number) => ({ httpGet: { path, port: 'http' }, periodSeconds });

/** A model Deployment as main rendered it: /health for both probes, no runner flag. */
function model(name: string, options: { args?: string[]; liveness?: object; claim?: string; replicas?: number } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: options.replicas ?? 1,
      template: {
        spec: {
          containers: [
            {
              name: 'vllm',
              args: ['/models/weights', '--served-model-name', name, ...(options.args ?? [])],
              readinessProbe: probe('/health', 10),
              livenessProbe: options.liveness ?? probe('/health', 10),
            },
          ],
          volumes: options.claim ? [{ name: 'models', persistentVolumeClaim: { claimName: options.claim, readOnly: true } }] : [],
        },
      },
    },
  };
}

const claim = (name: string, mode: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: [mode], storageClassName: 'gp3' },
});
const weights = (objects: KubeObject[], models: ModelFacts[]) => modelWeightsViolations(objects, podTemplates(objects), models).map((violation) => violation.message);
const FIXED = { args: ['--runner', 'pooling', '--convert', 'embed'], liveness: probe('/version', 30) };

describe('model-weights', () => {
  it("fails main's embedding model: the generate runner, liveness equal to readiness", () => {
    const messages = weights([model('bge-m3')], [{ name: 'bge-m3', tensorParallelSize: 1, role: 'embedding', claim: null }]);
    expect(messages).toEqual([expect.stringContaining('--runner pooling'), expect.stringContaining('liveness probe equals the readiness probe')]);
    expect(weights([model('bge-m3', FIXED)], [{ name: 'bge-m3', tensorParallelSize: 1, role: 'embedding', claim: null }])).toEqual([]);
  });

  it('passes a chat model without the pooling runner', () => {
    expect(weights([model('coder', { liveness: probe('/version', 30) })], [{ name: 'coder', tensorParallelSize: 4, role: 'chat', claim: null }])).toEqual([]);
  });

  it('fails a claim the spec asks the release to create that it does not (main rendered none), and a claim that is not mounted', () => {
    const facts: ModelFacts[] = [{ name: 'coder', tensorParallelSize: 4, role: 'chat', claim: { name: 'weights-coder', create: 'ReadWriteOnce' } }];
    const fixedModel = model('coder', { liveness: probe('/version', 30), claim: 'weights-coder' });
    expect(weights([fixedModel], facts)).toEqual([expect.stringContaining('asks the release to create the claim weights-coder')]);
    expect(weights([fixedModel, claim('weights-coder', 'ReadWriteOnce')], facts)).toEqual([]);
    expect(weights([model('coder', { liveness: probe('/version', 30), claim: 'other' }), claim('weights-coder', 'ReadWriteOnce')], facts)).toEqual([
      expect.stringContaining('does not mount its weights claim weights-coder'),
    ]);
    // Declared pre-existing (no create): the release need not hold it.
    expect(weights([fixedModel], [{ ...facts[0]!, claim: { name: 'weights-coder', create: null } }])).toEqual([]);
  });

  it('fails a ReadWriteOnce claim mounted by several replicas (or an autoscaler), not a ReadWriteMany one', () => {
    const two = model('coder', { liveness: probe('/version', 30), claim: 'weights-coder', replicas: 2 });
    expect(weights([two, claim('weights-coder', 'ReadWriteOnce')], [])).toEqual([expect.stringContaining('ReadWriteOnce claim weights-coder with up to 2 replicas')]);
    expect(weights([two, claim('weights-coder', 'ReadWriteMany')], [])).toEqual([]);
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'coder' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'coder' }, maxReplicas: 3 },
    };
    const one = model('coder', { liveness: probe('/version', 30), claim: 'weights-coder' });
    expect(weights([one, hpa, claim('weights-coder', 'ReadWriteOnce')], [])).toEqual([expect.stringContaining('up to 3 replicas')]);
  });

  const selfHosted = renderableCells().filter((cell) => cell.models === 'self-hosted');
  it.each(selfHosted.map((cell) => [cell.id, cell]))("%s: main's model Deployments fail, the fixed ones pass", (_, cell) => {
    const starter = parse(checkedStarterSpec(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: SCHEMA_URL }, '<init>').spec);
    const catalog = starter.spec.models.catalog as Array<{ name: string; role: string; tensorParallelSize: number; weights?: any }>;
    const facts: ModelFacts[] = catalog.map((entry) => ({
      name: entry.name,
      tensorParallelSize: entry.tensorParallelSize,
      role: entry.role,
      claim: specWeightsClaim(entry as never),
    }));
    const claimOf = (entry: (typeof catalog)[number]) => facts.find((fact) => fact.name === entry.name)!.claim?.name;
    const main = catalog.map((entry) => model(entry.name, { claim: claimOf(entry) }));
    const fixed = catalog.map((entry) => model(entry.name, { claim: claimOf(entry), ...(entry.role === 'embedding' ? FIXED : { liveness: probe('/version', 30) }) }));
    expect(catalog.some((entry) => entry.role === 'embedding')).toBe(true);
    expect(weights(main, facts)).toEqual(
      expect.arrayContaining([expect.stringContaining('--runner pooling'), expect.stringContaining('liveness probe equals the readiness probe')]),
    );
    expect(weights(fixed, facts)).toEqual([]);
  });
});
