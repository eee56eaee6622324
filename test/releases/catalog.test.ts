import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  catalogProblems,
  compareReleaseVersions,
  currentRelease,
  findRelease,
  kubernetesInWindow,
  loadCatalog,
  previousRelease,
  releaseCatalog,
  SHIPPED_RELEASES,
  type Release,
} from '../../cli/releases/catalog.js';
import { upgradePath } from '../../cli/releases/path.js';
import { applyRenames, renamesForRelease, unmigratedRenames, valueAt } from '../../cli/releases/renames.js';

const root = join(import.meta.dirname, '..', '..');
const clone = (release: Release): Release => JSON.parse(JSON.stringify(release)) as Release;

describe('the shipped release catalog', () => {
  it('lists every file under releases/ and nothing else', () => {
    const files = readdirSync(join(root, 'releases'))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => `releases/${file}`);
    expect(SHIPPED_RELEASES.map((entry) => entry.file).sort()).toEqual(files.sort());
  });

  it('is oldest first with exactly one current release, older ones supported and newer ones preview', () => {
    const versions = releaseCatalog().map((release) => release.version);
    expect(versions).toEqual(['2026.10.2', '2026.11.0', '2026.12.0']);
    expect(currentRelease().version).toBe('2026.11.0');
    expect(releaseCatalog().map((release) => release.status)).toEqual(['supported', 'current', 'preview']);
  });

  it('carries the charts’ own version and images as the current release (one source of truth for both)', () => {
    for (const chart of ['agent-platform', 'model-server'] as const) {
      const chartYaml = parse(readFileSync(join(root, 'charts', chart, 'Chart.yaml'), 'utf8')) as { version: string; appVersion: string };
      const values = parse(readFileSync(join(root, 'charts', chart, 'values.yaml'), 'utf8')) as { images: Record<string, unknown> };
      const release = currentRelease().charts[chart];
      expect({ version: release.version, appVersion: release.appVersion }).toEqual({ version: chartYaml.version, appVersion: chartYaml.appVersion });
      expect(release.images).toEqual(values.images);
    }
  });

  it('lists the same image keys in every release of a chart (a chart reads every key)', () => {
    for (const chart of ['agent-platform', 'model-server'] as const) {
      const keys = releaseCatalog().map((release) => Object.keys(release.charts[chart].images).sort());
      for (const list of keys) expect(list).toEqual(keys[0]);
    }
  });

  it('differs between releases the way real releases do', () => {
    const [older, current, newer] = releaseCatalog() as [Release, Release, Release];
    const changed = (a: Release, b: Release) =>
      Object.keys(a.charts['agent-platform'].images).filter((key) => a.charts['agent-platform'].images[key]!.digest !== b.charts['agent-platform'].images[key]!.digest);
    expect(changed(older, current).length).toBeGreaterThan(0);
    expect(changed(current, newer).length).toBeGreaterThan(0);
    expect(changed(current, newer).length).toBeLessThan(Object.keys(current.charts['agent-platform'].images).length);
    expect(newer.values.renamed.length).toBeGreaterThan(0);
    expect(newer.upgrade.requiredStops.map((stop) => stop.version)).toEqual([current.version]);
    expect(newer.migrations.some((migration) => migration.kind === 'blocking' && !migration.reversible)).toBe(true);
    expect(Number(newer.kubernetes.min.split('.')[1])).toBeGreaterThan(Number(current.kubernetes.min.split('.')[1]));
  });
});

describe('catalog invariants', () => {
  const base = releaseCatalog();
  it.each([
    ['two current releases', (releases: Release[]) => void (releases[0]!.status = 'current'), /exactly one release must be current/],
    ['a preview older than current', (releases: Release[]) => void (releases[0]!.status = 'preview'), /preview but not newer/],
    ['a stop that is not catalogued', (releases: Release[]) => void releases[2]!.upgrade.requiredStops.push({ version: '2026.11.5', reason: 'x' }), /2026.11.5 is not catalogued/],
    ['a stop that is not older', (releases: Release[]) => void releases[1]!.upgrade.requiredStops.push({ version: '2026.12.0', reason: 'x' }), /is not older/],
    ['a window upside down', (releases: Release[]) => void (releases[1]!.kubernetes = { min: '1.36', max: '1.30' }), /min is above/],
    ['a rename into itself', (releases: Release[]) => void releases[2]!.values.renamed.push({ chart: 'agent-platform', from: 'a.b', to: 'a.b.c' }), /is not a move/],
  ])('catches %s', (_name, mutate, message) => {
    const releases = base.map(clone);
    mutate(releases);
    expect(catalogProblems(releases).join('; ')).toMatch(message);
  });

  it('refuses a file that breaks the schema or is named after another version', () => {
    const bad = clone(base[0]!) as unknown as Record<string, unknown>;
    bad.version = 'latest';
    expect(() => loadCatalog([{ file: 'releases/latest.yaml', data: bad }])).toThrow(/does not match schemas\/release.schema.json/);
    expect(() => loadCatalog([{ file: 'releases/2026.9.0.yaml', data: clone(base[1]!) }])).toThrow(/must be named after its version/);
  });
});

describe('versions and windows', () => {
  it('compares year.month.patch numerically', () => {
    expect(compareReleaseVersions('2026.9.0', '2026.10.2')).toBeLessThan(0);
    expect(compareReleaseVersions('2026.10.10', '2026.10.2')).toBeGreaterThan(0);
    expect(compareReleaseVersions('2026.11.0', '2026.11.0')).toBe(0);
  });
  it('knows each release window and neighbour', () => {
    expect(kubernetesInWindow(findRelease('2026.12.0')!, '1.31')).toBe(false);
    expect(kubernetesInWindow(findRelease('2026.12.0')!, '1.32')).toBe(true);
    expect(kubernetesInWindow(findRelease('2026.10.2')!, '1.38')).toBe(false);
    expect(previousRelease('2026.11.0')?.version).toBe('2026.10.2');
    expect(previousRelease('2026.10.2')).toBeUndefined();
  });
});

describe('upgradePath', () => {
  const hops = (from: string, to: string) => {
    const path = upgradePath(from, to);
    if (!path.ok) throw new Error(path.message);
    return path.hops.map((hop) => `${hop.from.version}->${hop.to.version}`);
  };
  it('goes through every required stop between the two releases', () => {
    expect(hops('2026.10.2', '2026.12.0')).toEqual(['2026.10.2->2026.11.0', '2026.11.0->2026.12.0']);
    const path = upgradePath('2026.10.2', '2026.12.0');
    expect(path.ok && path.hops[0]!.stopReason).toMatch(/required by 2026.12.0/);
  });
  it('goes straight when no stop lies between', () => {
    expect(hops('2026.10.2', '2026.11.0')).toEqual(['2026.10.2->2026.11.0']);
    expect(hops('2026.11.0', '2026.12.0')).toEqual(['2026.11.0->2026.12.0']);
    expect(hops('2026.11.0', '2026.11.0')).toEqual([]);
  });
  it('refuses unknown releases and downgrades with a code and a hint', () => {
    expect(upgradePath('2026.11.0', '2027.1.0')).toMatchObject({ ok: false, code: 'RELEASE_UNKNOWN', hint: expect.stringContaining('2026.12.0') });
    expect(upgradePath('2026.12.0', '2026.11.0')).toMatchObject({ ok: false, code: 'UPGRADE_DOWNGRADE' });
  });
  it('honours a stop declared by a release beyond an intermediate one (table over a synthetic catalog)', () => {
    const releases = base4();
    const path = upgradePath('2026.1.0', '2026.4.0', releases);
    expect(path.ok && path.hops.map((hop) => hop.to.version)).toEqual(['2026.2.0', '2026.4.0']);
  });
});

function base4(): Release[] {
  const template = clone(releaseCatalog()[1]!);
  return ['2026.1.0', '2026.2.0', '2026.3.0', '2026.4.0'].map((version, index) => ({
    ...clone(template),
    version,
    status: index === 3 ? 'current' : 'supported',
    upgrade: { requiredStops: version === '2026.4.0' ? [{ version: '2026.2.0', reason: 'a background migration' }] : [] },
  }));
}

describe('renamed values', () => {
  it('moves a renamed key, merging into a map already there, without touching the input', () => {
    const input = { gitGateway: { replicas: 1, storage: { size: '50Gi' }, persistence: { storageClass: 'gp3' } } };
    const { values, moved } = applyRenames(input, [{ from: 'gitGateway.storage', to: 'gitGateway.persistence' }]);
    expect(values).toEqual({ gitGateway: { replicas: 1, persistence: { storageClass: 'gp3', size: '50Gi' } } });
    expect(moved).toEqual([{ from: 'gitGateway.storage', to: 'gitGateway.persistence' }]);
    expect(input.gitGateway.storage).toEqual({ size: '50Gi' });
  });
  it('leaves values without the old key alone', () => {
    expect(applyRenames({ a: 1 }, [{ from: 'b.c', to: 'd' }])).toEqual({ values: { a: 1 }, moved: [] });
  });
  it('maps the current release keys to any release, forwards and backwards', () => {
    expect(renamesForRelease('agent-platform', '2026.12.0')).toEqual([expect.objectContaining({ from: 'gitGateway.storage', to: 'gitGateway.persistence' })]);
    expect(renamesForRelease('agent-platform', '2026.11.0')).toEqual([]);
    expect(renamesForRelease('agent-platform', '2026.10.2')).toEqual([]);
    expect(renamesForRelease('model-server', '2026.12.0')).toEqual([]);
  });
  it('finds keys still under a name a release renamed away', () => {
    expect(unmigratedRenames('agent-platform', { gitGateway: { storage: { size: '1Gi' } } }, '2026.12.0').map((rename) => rename.from)).toEqual(['gitGateway.storage']);
    expect(unmigratedRenames('agent-platform', { gitGateway: { storage: { size: '1Gi' } } }, '2026.11.0')).toEqual([]);
    expect(unmigratedRenames('agent-platform', { gitGateway: { persistence: { size: '1Gi' } } }, '2026.12.0')).toEqual([]);
    expect(valueAt({ a: { b: 0 } }, 'a.b')).toBe(0);
  });
});
