/**
 * The checks of one upgrade edge (cli/conformance/upgrade-edges.ts) on crafted renders: each policy
 * fails on its seeded defect (an immutable field changed between the releases, an undeclared
 * stateful replacement, a renamed value left under its old key) and passes without it.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cli/conformance/helm/helm.js';
import type { SynthesizedResource } from '../../cli/conformance/pulumi/types.js';
import {
  edgeName,
  immutableChangeViolations,
  statefulReplacementViolations,
  unmigratedValueViolations,
  upgradeEdges,
  violationsBrief,
} from '../../cli/conformance/upgrade-edges.js';
import { findRelease, releaseCatalog, type Release } from '../../cli/releases/catalog.js';

const release = (version: string): Release => findRelease(version)!;
const NEWEST = releaseCatalog().at(-1)!;

describe('upgradeEdges', () => {
  it('pairs each catalogued release with the next, oldest first, from the catalog', () => {
    const versions = releaseCatalog().map((entry) => entry.version);
    expect(upgradeEdges().map((edge) => edgeName({ from: edge.from.version, to: edge.to.version }))).toEqual(versions.slice(1).map((to, index) => `${versions[index]} -> ${to}`));
    expect(upgradeEdges().map((edge) => [edge.from.version, edge.to.version])).toEqual([
      ['2026.10.2', '2026.11.0'],
      ['2026.11.0', '2026.12.0'],
    ]);
  });

  it('orders a catalog given in any order, and a catalog of one release has no edge', () => {
    const [a, b, c] = releaseCatalog();
    expect(upgradeEdges([c!, a!, b!]).map((edge) => `${edge.from.version}>${edge.to.version}`)).toEqual([`${a!.version}>${b!.version}`, `${b!.version}>${c!.version}`]);
    expect(upgradeEdges([b!])).toEqual([]);
  });
});

const resource = (type: string, name: string, inputs: Record<string, unknown>, parentType = 'installctl:aws:Data'): SynthesizedResource => ({
  urn: `urn:pulumi:acme::installctl::${parentType}$${type}::${name}`,
  type,
  name,
  parentType,
  custom: true,
  inputs,
});

describe('upgrade-stateful-replacement', () => {
  const RDS = 'aws:rds/instance:Instance';
  const REDIS = 'azure-native:redisenterprise:Database';
  const db = resource(RDS, 'acme-postgres', { identifier: 'acme-postgres', engine: 'postgres', storageEncrypted: true, backupRetentionPeriod: 7 });
  const cache = resource(REDIS, 'acme-redis', { databaseName: 'default', clusteringPolicy: 'OSSCluster' }, 'installctl:azure:Data');

  it.each([
    ['an in-place update (backup retention)', [db], [{ ...db, inputs: { ...db.inputs, backupRetentionPeriod: 14 } }], []],
    ['a new resource', [db], [db, resource('aws:s3/bucketV2:BucketV2', 'acme-artifacts', { bucket: 'acme-artifacts' })], []],
    ['a declared replacement (the newest release declares the Redis database)', [cache], [{ ...cache, inputs: { ...cache.inputs, clusteringPolicy: 'EnterpriseCluster' } }], []],
  ])('passes %s', (_, before, after, expected) => {
    expect(statefulReplacementViolations(before, after, NEWEST)).toEqual(expected);
  });

  it('fails a replacement the release does not declare: a creation-only property of a database changes', () => {
    const violations = statefulReplacementViolations([db], [{ ...db, inputs: { ...db.inputs, storageEncrypted: false } }], release('2026.11.0'));
    expect(violations).toEqual([
      {
        policy: 'upgrade-stateful-replacement',
        resource: `${RDS}::acme-postgres`,
        message: `pulumi up would replace this database (storageEncrypted changed) and lose what it holds; 2026.11.0 declares no replacement of ${RDS}`,
      },
    ]);
  });

  it('fails a deleted stateful resource, and the declared type only where the release declares it', () => {
    expect(statefulReplacementViolations([db, cache], [cache], NEWEST)).toEqual([
      expect.objectContaining({ resource: `${RDS}::acme-postgres`, message: expect.stringMatching(/^pulumi up would delete this database/) }),
    ]);
    const replaced = [{ ...cache, inputs: { ...cache.inputs, clusteringPolicy: 'EnterpriseCluster' } }];
    expect(statefulReplacementViolations([cache], replaced, release('2026.11.0'))).toEqual([expect.objectContaining({ resource: `${REDIS}::acme-redis` })]);
  });
});

const selector = { 'app.kubernetes.io/name': 'agent-platform', 'app.kubernetes.io/instance': 'agent-platform', 'app.kubernetes.io/component': 'postgres' };
function statefulSet(claimLabels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'agent-platform-postgres', namespace: 'platform' },
    spec: {
      serviceName: 'agent-platform-postgres',
      selector: { matchLabels: selector },
      template: { metadata: { labels: selector }, spec: { containers: [] } },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: claimLabels }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3' } }],
    },
  };
}

describe('upgrade-immutable', () => {
  it('fails an immutable field that changes between the releases, naming the chart and object', () => {
    const before = [{ chart: 'agent-platform' as const, objects: [statefulSet({ ...selector, 'helm.sh/chart': 'agent-platform-2026.11.0' })] }];
    const after = [{ chart: 'agent-platform' as const, objects: [statefulSet({ ...selector, 'helm.sh/chart': 'agent-platform-2026.12.0' })] }];
    expect(immutableChangeViolations(before, after)).toEqual([
      {
        policy: 'upgrade-immutable',
        resource: 'agent-platform StatefulSet/agent-platform-postgres',
        message: expect.stringMatching(/^spec\.volumeClaimTemplates.* changes on upgrade/),
      },
    ]);
  });

  it('passes the same immutable fields, and compares each chart with itself only', () => {
    const same = [{ chart: 'agent-platform' as const, objects: [statefulSet(selector)] }];
    expect(immutableChangeViolations(same, same)).toEqual([]);
    const other = [{ chart: 'model-server' as const, objects: [statefulSet({ ...selector, x: 'y' })] }];
    expect(immutableChangeViolations(same, [...same, ...other])).toEqual([]);
  });
});

describe('upgrade-unmigrated-value', () => {
  const storage = { gitGateway: { replicas: 1, storage: { size: '50Gi', storageClass: 'gp3' } } };
  const persistence = { gitGateway: { replicas: 1, persistence: { size: '50Gi', storageClass: 'gp3' } } };

  it('fails a value left under the key the release renamed, in either layer', () => {
    expect(unmigratedValueViolations([{ chart: 'agent-platform', layer: 'customer', values: storage }], release('2026.12.0'))).toEqual([
      {
        policy: 'upgrade-unmigrated-value',
        resource: 'agent-platform gitGateway.storage',
        message: 'the customer values of 2026.12.0 still set gitGateway.storage, which 2026.12.0 renamed to gitGateway.persistence: the chart ignores it',
      },
    ]);
    expect(unmigratedValueViolations([{ chart: 'agent-platform', layer: 'infrastructure', values: storage }], release('2026.12.0'))[0]!.message).toMatch(
      /^the infrastructure values/,
    );
  });

  it.each([
    ['the migrated key', 'agent-platform', persistence, '2026.12.0'],
    ['the old key before the release that renames it', 'agent-platform', storage, '2026.11.0'],
    ['the key in a chart the rename is not about', 'model-server', storage, '2026.12.0'],
  ] as const)('passes %s', (_, chart, values, version) => {
    expect(unmigratedValueViolations([{ chart, layer: 'customer', values }], release(version))).toEqual([]);
  });

  it('names an older rename by the release that made it', () => {
    const catalog = releaseCatalog().map((entry) =>
      entry.version === '2026.11.0' ? { ...entry, values: { renamed: [{ chart: 'agent-platform' as const, from: 'api.replicaCount', to: 'api.replicas' }] } } : entry,
    );
    const violations = unmigratedValueViolations([{ chart: 'agent-platform', layer: 'customer', values: { api: { replicaCount: 2 } } }], release('2026.12.0'), catalog);
    expect(violations.map((violation) => violation.message)).toEqual([
      'the customer values of 2026.12.0 still set api.replicaCount, which 2026.11.0 renamed to api.replicas: the chart ignores it',
    ]);
  });
});

describe('violationsBrief', () => {
  it('lists the first violations on one line and counts the rest', () => {
    const violation = (n: number) => ({ policy: 'upgrade-immutable' as const, resource: `r${n}`, message: `m\n${n}` });
    expect(violationsBrief([1, 2, 3, 4, 5].map(violation))).toBe('upgrade-immutable: r1 m 1; upgrade-immutable: r2 m 2; upgrade-immutable: r3 m 3; ... (2 more)');
    expect(violationsBrief([violation(1), violation(1)])).toBe('upgrade-immutable: r1 m 1');
  });
});
