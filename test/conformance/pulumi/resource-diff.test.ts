import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  changedPaths,
  diffResources,
  moduleOf,
  STATEFUL_MODULES,
  STATEFUL_TYPES,
  STATELESS_IN_STATEFUL_MODULES,
  undeclaredStatefulLosses,
} from '../../../cli/conformance/pulumi/resource-diff.js';
import type { SynthesizedResource } from '../../../cli/conformance/pulumi/types.js';

const resource = (type: string, name: string, inputs: Record<string, unknown>, parentType: string | null = 'installctl:aws:Data'): SynthesizedResource => ({
  urn: `urn:pulumi:acme::installctl::${parentType ? `${parentType}$` : ''}${type}::${name}`,
  type,
  name,
  parentType,
  custom: true,
  inputs,
});

const RDS = 'aws:rds/instance:Instance';

describe('changedPaths', () => {
  it('names leaf paths, treats lists whole and ignores key order', () => {
    expect(changedPaths({ a: { b: 1, c: [1, 2] }, d: 1 }, { d: 1, a: { c: [1, 3], b: 1 } })).toEqual(['a.c']);
    expect(changedPaths({ a: 1 }, { a: 1, b: { c: 2 } })).toEqual(['b']);
    expect(changedPaths({ x: { y: 1, z: 2 } }, { x: { z: 2, y: 1 } })).toEqual([]);
  });
});

describe('diffResources', () => {
  const db = resource(RDS, 'acme-db', { identifier: 'acme-db', engine: 'postgres', backupRetentionPeriod: 7, storageEncrypted: true });
  it.each([
    ['an in-place change', { ...db.inputs, backupRetentionPeriod: 14 }, 'update', []],
    ['a creation-only property', { ...db.inputs, storageEncrypted: false }, 'replace', ['storageEncrypted']],
    ['the physical name', { ...db.inputs, identifier: 'acme-db-2' }, 'replace', ['identifier']],
  ])('%s', (_name, inputs, action, because) => {
    const [change] = diffResources([db], [{ ...db, inputs }]);
    expect(change).toMatchObject({ id: `${RDS}::acme-db`, action, replaceBecause: because, stateful: 'database' });
  });

  it('replaces on a nested creation-only path and on nothing under a sibling', () => {
    const server = resource('azure-native:dbforpostgresql:Server', 'pg', { network: { delegatedSubnetResourceId: 'a', publicNetworkAccess: 'Disabled' } }, 'installctl:azure:Data');
    const moved = diffResources([server], [{ ...server, inputs: { network: { delegatedSubnetResourceId: 'b', publicNetworkAccess: 'Disabled' } } }]);
    expect(moved[0]).toMatchObject({ action: 'replace', replaceBecause: ['network.delegatedSubnetResourceId'] });
    const toggled = diffResources([server], [{ ...server, inputs: { network: { delegatedSubnetResourceId: 'a', publicNetworkAccess: 'Enabled' } } }]);
    expect(toggled[0]).toMatchObject({ action: 'update', properties: ['network.publicNetworkAccess'] });
  });

  it('sees creates, deletes and a new parent (a new URN) as such, and ignores components', () => {
    const bucket = resource('gcp:storage/bucket:Bucket', 'b', { name: 'b' }, 'installctl:gcp:Data');
    const component = { ...resource('installctl:gcp:Data', 'data', {}, null), custom: false };
    const reparented = { ...bucket, urn: bucket.urn.replace('installctl:gcp:Data$', 'installctl:gcp:Registry$'), parentType: 'installctl:gcp:Registry' };
    expect(diffResources([bucket, component], [reparented])).toEqual([
      expect.objectContaining({ action: 'replace', stateful: 'bucket', replaceBecause: [expect.stringMatching(/URN changed/)] }),
    ]);
    expect(diffResources([], [bucket])).toEqual([expect.objectContaining({ action: 'create', stateful: 'bucket' })]);
    expect(diffResources([bucket], [])).toEqual([expect.objectContaining({ action: 'delete', stateful: 'bucket' })]);
    expect(diffResources([bucket], [bucket])).toEqual([]);
  });

  it('counts a node pool as stateful only when it keeps data on its nodes', () => {
    const pool = resource('gcp:container/nodePool:NodePool', 'gpu', { nodeConfig: { machineType: 'g2-standard-8' } }, 'installctl:gcp:Cluster');
    const local = { ...pool, inputs: { nodeConfig: { machineType: 'g2-standard-8', localNvmeSsdBlockConfig: { localSsdCount: 1 } } } };
    const bigger = (r: SynthesizedResource) => ({ ...r, inputs: { nodeConfig: { ...(r.inputs.nodeConfig as object), machineType: 'g2-standard-24' } } });
    expect(diffResources([pool], [bigger(pool)])[0]).toMatchObject({ action: 'replace', stateful: null });
    expect(diffResources([local], [bigger(local)])[0]).toMatchObject({ action: 'replace', stateful: 'node-pool' });
  });
});

describe('undeclaredStatefulLosses', () => {
  const cache = resource('azure-native:redisenterprise:Database', 'default', { clusteringPolicy: 'OSSCluster' }, 'installctl:azure:Data');
  const changes = diffResources([cache], [{ ...cache, inputs: { clusteringPolicy: 'EnterpriseCluster' } }]);
  it('blocks a stateful replacement the release does not declare, and passes a declared one', () => {
    expect(undeclaredStatefulLosses(changes, [])).toHaveLength(1);
    expect(undeclaredStatefulLosses(changes, [{ type: 'azure-native:redisenterprise:Database' }])).toEqual([]);
  });
  it('ignores updates and stateless replacements', () => {
    const nat = resource('aws:ec2/natGateway:NatGateway', 'nat', { subnetId: 'a' }, 'installctl:aws:Network');
    expect(undeclaredStatefulLosses(diffResources([nat], [{ ...nat, inputs: { subnetId: 'b' } }]), [])).toEqual([]);
  });
});

describe('the stateful table covers the stacks', () => {
  // Every stack the stacks synthesize (one reviewed golden per platform x models x network).
  const dir = join(import.meta.dirname, '..', '..', 'stacks', 'golden');
  const types = new Set(
    readdirSync(dir).flatMap((file) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { resources: Array<{ type: string }> }).resources.map((entry) => entry.type)),
  );
  it('classifies every synthesized type of a stateful module', () => {
    const unclassified = [...types].filter((type) => STATEFUL_MODULES.includes(moduleOf(type)) && !STATEFUL_TYPES[type] && !STATELESS_IN_STATEFUL_MODULES.has(type));
    expect(unclassified).toEqual([]);
    expect(types.size).toBeGreaterThan(50);
  });
  it('names only creation-only properties the provider SDK declares as inputs (no typos)', async () => {
    const { argsProperties } = await import('../../../cli/conformance/pulumi/provider-schema.js');
    const unknown: string[] = [];
    for (const [type, entry] of Object.entries(STATEFUL_TYPES)) {
      const known = argsProperties(type);
      if (!known) continue;
      for (const path of entry.replaceOn) if (!known.has(path.split('.')[0]!)) unknown.push(`${type} ${path}`);
    }
    expect(unknown).toEqual([]);
  });
});
