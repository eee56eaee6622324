/**
 * The upgrade planner (cli/upgrade/plan.ts), pure: real renders of an example spec at each release
 * (in memory), Pulumi resources given by the test instead of synthesized, so every blocker can be
 * seeded. A table over every pair of catalogued releases checks the path, the migrations and the
 * steps; then each blocker (a Kubernetes version outside the window, an undeclared stateful loss, a
 * downgrade) and a declared replacement, which is listed but does not block.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { renderFiles } from '../../cli/emit/render-files.js';
import { registrySource } from '../../cli/emit/registry-source.js';
import { compareReleaseVersions, releaseCatalog, type Release } from '../../cli/releases/catalog.js';
import { releasesCrossed, upgradePath } from '../../cli/releases/path.js';
import { planUpgrade, versionsToRender, type ReleaseRender } from '../../cli/upgrade/plan.js';
import type { SynthesizedResource } from '../../cli/conformance/pulumi/types.js';
import type { Install } from '../../cli/generated/install-spec.js';
import { EXAMPLES_DIR } from '../helpers/specs.js';
import { parse, stringify } from 'yaml';
import { specDataAtRelease } from '../../cli/releases/spec-renames.js';

const AZURE = join(EXAMPLES_DIR, 'azure-gitlab-cloud-managed-connected.yaml');
const ONPREM = join(EXAMPLES_DIR, 'onprem-gitlab-saas-connected.yaml');

/** The example with its release (and optionally its Kubernetes version) replaced, checked. */
function loadAt(file: string, version: string, kubernetes?: string) {
  // The example in the release's own names (renamed spec fields moved), as apply-spec writes it.
  const data = specDataAtRelease(parse(readFileSync(file, 'utf8')) as { spec: object }, version);
  let text = stringify(data);
  if (kubernetes) text = text.replace(/kubernetesVersion: "[0-9.]+"/, `kubernetesVersion: "${kubernetes}"`);
  // A day when every Kubernetes version the tests use is still supported by its cloud (RULE_KUBERNETES_END_OF_SUPPORT).
  const loaded = checkSpecText(file, text, { now: new Date('2026-06-01T00:00:00Z') });
  if (!loaded.install || !loaded.cell) throw new Error(`${file} at ${version}: ${JSON.stringify(loaded.issues)}`);
  return { install: loaded.install, cell: loaded.cell, text };
}

const UPDATE = { type: 'azure-native:dbforpostgresql:Server', name: 'pg' };
const resource = (type: string, name: string, inputs: Record<string, unknown>): SynthesizedResource => ({
  urn: `urn:pulumi:acme::installctl::installctl:azure:Data$${type}::${name}`,
  type,
  name,
  parentType: 'installctl:azure:Data',
  custom: true,
  inputs,
});

type Resources = (version: string) => SynthesizedResource[];
const NO_RESOURCES: Resources = () => [];

function plan(file: string, from: string, to: string, resources: Resources = NO_RESOURCES, kubernetes?: string) {
  return planOf(file, loadAt(file, from, kubernetes), from, to, resources);
}

function planOf(file: string, { install, cell, text }: ReturnType<typeof loadAt>, from: string, to: string, resources: Resources = NO_RESOURCES, catalog?: readonly Release[]) {
  const source = registrySource(install.spec.registry?.mirror ?? null, null, false);
  const path = upgradePath(from, to);
  const renders = new Map<string, ReleaseRender>();
  for (const version of versionsToRender(from, path)) {
    const at: Install = { ...install, spec: { ...install.spec, release: { ...install.spec.release, version } } };
    const settings = settingsFor(at, cell);
    renders.set(version, { version, install: at, settings, files: renderFiles(file, text, at, settings, cell.status, null, null, source), resources: resources(version) });
  }
  return planUpgrade({ specFile: 'acme.yaml', install, cell: cell.id, to, path, renders, source, catalog });
}

const versions = releaseCatalog().map((release) => release.version);
const pairs = versions.flatMap((from) => versions.filter((to) => compareReleaseVersions(to, from) > 0).map((to) => [from, to] as const));

describe('a plan for every pair of catalogued releases', () => {
  it('covers more than one hop somewhere (a required stop)', () => {
    expect(pairs.some(([from, to]) => upgradePath(from, to).ok && (upgradePath(from, to) as { hops: unknown[] }).hops.length > 1)).toBe(true);
  });

  it.each(pairs)('%s -> %s', (from, to) => {
    const result = plan(AZURE, from, to);
    const path = upgradePath(from, to);
    if (!path.ok) throw new Error(path.message);
    expect(result).toMatchObject({ from, to, blocked: false, blockers: [], exitCode: 0 });
    expect(result.hops.map((hop) => [hop.from, hop.to, hop.stopReason])).toEqual(path.hops.map((hop) => [hop.from.version, hop.to.version, hop.stopReason]));
    for (const hop of result.hops) {
      const crossed = releasesCrossed(hop.from, hop.to);
      expect(hop.migrations.map((migration) => migration.id)).toEqual(crossed.flatMap((release) => release.migrations.map((migration) => migration.id)));
      expect(hop.backgroundGate).toEqual(hop.migrations.filter((migration) => migration.kind === 'background').map((migration) => migration.id));
      const irreversible = hop.migrations.some((migration) => !migration.reversible);
      expect(hop.backups.find((backup) => backup.what === 'database')?.required).toBe(irreversible);
      expect(hop.steps.map((step) => step.id)).toEqual(['spec', 'pre-checks', 'backup', 'infrastructure', 'charts', 'migrations', 'verify', 'rollback']);
      const charts = hop.steps.find((step) => step.id === 'charts')!.commands.filter((line) => line.startsWith('helm upgrade'));
      expect(charts.map((line) => line.includes('--atomic'))).toEqual([!irreversible]);
      expect(charts[0]).toContain(`--version ${releaseCatalog().find((release) => release.version === hop.to)!.charts['agent-platform'].version}`);
      expect(hop.steps[0]!.commands.slice(0, 2)).toEqual([
        `cp acme.yaml acme.yaml.${hop.from}.bak   # the spec at ${hop.from}`,
        `installctl upgrade apply-spec acme.yaml --to ${hop.to}`,
      ]);
      expect(hop.specRenames.map((rename) => `${rename.from}->${rename.to}:${rename.set}`)).toEqual(
        crossed.flatMap((release) => release.spec.renamed.map((rename) => `${rename.from}->${rename.to}:${rename.from === 'ingress.exposure'}`)),
      );
      expect(hop.values).toContainEqual({ chart: 'agent-platform', change: 'changed', path: 'install.release', movedFrom: null });
      const [start, target] = [hop.from, hop.to].map((version) => releaseCatalog().find((release) => release.version === version)!);
      expect(hop.preview).toBe(target!.status === 'preview');
      expect(hop.pulumiPins).toEqual([
        { package: '@pulumi/pulumi', from: start!.pulumi.sdk, to: target!.pulumi.sdk },
        { package: '@pulumi/azure-native', from: start!.pulumi.providers['azure-native'], to: target!.pulumi.providers['azure-native'] },
      ]);
    }
  });

  it('an install on an existing cluster has no infrastructure step and backs up no Pulumi state', () => {
    const hop = plan(ONPREM, '2026.11.0', '2026.12.0').hops[0]!;
    expect(hop.steps.map((step) => step.id)).not.toContain('infrastructure');
    expect(hop.backups.map((backup) => backup.what)).toEqual(['database', 'helm-values']);
    expect(hop.pulumiPins.map((pin) => pin.package)).toEqual(['@pulumi/pulumi']);
  });

  it('whether the spec sets a renamed field is asked in the names of its own release, not the current one', () => {
    // A catalog whose current release is 2026.12.0: the loaded spec reads ingress.visibility, the spec at 2026.11.0 sets ingress.exposure.
    const catalog: Release[] = releaseCatalog().map((release) => ({
      ...release,
      status: release.version === '2026.12.0' ? 'current' : release.version === '2026.11.0' ? 'supported' : release.status,
    }));
    const loaded = loadAt(AZURE, '2026.11.0');
    const moved = specDataAtRelease(loaded.install, '2026.12.0');
    const install = { ...moved, spec: { ...moved.spec, release: loaded.install.spec.release } } as Install;
    expect((install.spec.ingress as unknown as Record<string, unknown>).visibility).toBe('internal');
    const hop = planOf(AZURE, { ...loaded, install }, '2026.11.0', '2026.12.0', NO_RESOURCES, catalog).hops[0]!;
    expect(hop.specRenames).toEqual([{ release: '2026.12.0', from: 'ingress.exposure', to: 'ingress.visibility', reason: expect.any(String), set: true }]);
  });

  it('the same release: no hop, nothing blocks', () => {
    expect(plan(AZURE, '2026.11.0', '2026.11.0')).toMatchObject({ hops: [], blocked: false, exitCode: 0 });
  });
});

describe('blockers', () => {
  it('a downgrade: blocked with the rollback hint, no hop', () => {
    const result = plan(AZURE, '2026.12.0', '2026.11.0');
    expect(result).toMatchObject({ blocked: true, exitCode: 1, hops: [] });
    expect(result.blockers).toEqual([expect.objectContaining({ code: 'UPGRADE_DOWNGRADE', hop: null, hint: expect.stringContaining('rollback') })]);
  });

  it('a Kubernetes version below the target window: upgrade Kubernetes first (only the hop it is outside of)', () => {
    const result = plan(AZURE, '2026.10.2', '2026.12.0', NO_RESOURCES, '1.31');
    expect(result.hops.map((hop) => hop.kubernetes.inWindow)).toEqual([true, false]);
    expect(result.blockers).toEqual([
      expect.objectContaining({
        code: 'UPGRADE_KUBERNETES_WINDOW',
        hop: '2026.11.0 -> 2026.12.0',
        message: expect.stringContaining('1.31'),
        hint: expect.stringMatching(/^upgrade Kubernetes first/),
      }),
    ]);
    expect(result.exitCode).toBe(1);
  });

  const REDIS_DB = 'azure-native:redisenterprise:Database';
  const cache = (policy: string) => resource(REDIS_DB, 'acme-redis-db', { clusteringPolicy: policy, databaseName: 'default' });
  const db = (name: string) => resource(UPDATE.type, UPDATE.name, { serverName: name, backup: { backupRetentionDays: 7 } });

  it('a declared replacement is listed with its reason and data loss, and does not block', () => {
    const result = plan(AZURE, '2026.11.0', '2026.12.0', (version) => [cache(version === '2026.12.0' ? 'EnterpriseCluster' : 'OSSCluster'), db('pg')]);
    expect(result.blocked).toBe(false);
    const change = result.hops[0]!.pulumi.changes[0]!;
    expect(change).toMatchObject({ action: 'replace', type: REDIS_DB, stateful: 'cache', replaceBecause: ['clusteringPolicy'] });
    expect(change.declared).toEqual({ release: '2026.12.0', reason: expect.stringContaining('EnterpriseCluster'), dataLoss: expect.stringContaining('recreated empty') });
    expect(result.hops[0]!.pulumi).toMatchObject({ create: 0, update: 0, replace: 1, delete: 0 });
    expect(result.hops[0]!.backups.find((backup) => backup.what === 'pulumi-state')).toMatchObject({ required: true });
  });

  it.each([
    ['replaced (a creation-only property)', (version: string) => [db(version === '2026.12.0' ? 'pg-2' : 'pg')], 'replace'],
    ['deleted', (version: string) => (version === '2026.12.0' ? [] : [db('pg')]), 'delete'],
  ])('an undeclared stateful resource %s blocks', (_what, resources, action) => {
    const result = plan(AZURE, '2026.11.0', '2026.12.0', resources);
    expect(result.blockers).toEqual([
      expect.objectContaining({ code: 'UPGRADE_STATEFUL_LOSS', hop: '2026.11.0 -> 2026.12.0', message: expect.stringContaining(`would ${action} ${UPDATE.type} pg`) }),
    ]);
    expect(result.hops[0]!.pulumi.changes[0]!.declared).toBeNull();
  });

  it('the same replacement in a hop whose release does not declare it blocks', () => {
    const result = plan(AZURE, '2026.10.2', '2026.11.0', (version) => [cache(version === '2026.11.0' ? 'EnterpriseCluster' : 'OSSCluster')]);
    expect(result.blockers.map((blocker) => blocker.code)).toEqual(['UPGRADE_STATEFUL_LOSS']);
  });

  it('an in-place update of a stateful resource does not block', () => {
    const result = plan(AZURE, '2026.11.0', '2026.12.0', (version) => [
      resource(UPDATE.type, 'pg', { serverName: 'pg', backup: { backupRetentionDays: version === '2026.12.0' ? 35 : 7 } }),
    ]);
    expect(result.blocked).toBe(false);
    expect(result.hops[0]!.pulumi.changes).toEqual([expect.objectContaining({ action: 'update', properties: ['backup.backupRetentionDays'], declared: null })]);
  });

  it('every reason is listed at once', () => {
    const result = plan(AZURE, '2026.11.0', '2026.12.0', (version) => [db(version === '2026.12.0' ? 'pg-2' : 'pg')], '1.31');
    expect(result.blockers.map((blocker) => blocker.code)).toEqual(['UPGRADE_KUBERNETES_WINDOW', 'UPGRADE_STATEFUL_LOSS']);
  });
});
