/**
 * stacks/release-gates.ts: version comparison that agrees with the release catalog's, every gate
 * tied to a catalogued release, a gate that replaces a resource declared by its release (and every
 * declared replacement made by a gate), and the gated values release by release.
 */
import { describe, expect, it } from 'vitest';
import {
  awsPostgresPerformanceInsights,
  azureRedisClusteringPolicy,
  compareReleases,
  gateOpen,
  postgresBackupRetention,
  RELEASE_GATES,
  releaseAtLeast,
  type ReleaseGateName,
} from '../../stacks/release-gates.js';
import { compareReleaseVersions, findRelease, releaseCatalog } from '../../cli/releases/catalog.js';

const GATES = Object.keys(RELEASE_GATES) as ReleaseGateName[];

describe('compareReleases and releaseAtLeast', () => {
  it.each([
    ['2026.10.2', '2026.11.0', false],
    ['2026.11.0', '2026.11.0', true],
    ['2026.12.0', '2026.11.0', true],
    ['2026.9.0', '2026.10.2', false],
    ['2026.10.10', '2026.10.2', true],
    ['2027.1.0', '2026.12.0', true],
  ] as const)('%s at least %s: %s (as the catalog compares them)', (release, version, expected) => {
    expect(releaseAtLeast(release, version)).toBe(expected);
    expect(Math.sign(compareReleases(release, version))).toBe(Math.sign(compareReleaseVersions(release, version)));
  });
});

describe('the gates against the release catalog', () => {
  it.each(GATES)('%s: made by a catalogued release, newer than the oldest one', (gate) => {
    const { since } = RELEASE_GATES[gate];
    expect(findRelease(since), since).toBeDefined();
    expect(compareReleaseVersions(since, releaseCatalog()[0]!.version)).toBeGreaterThan(0);
  });

  it.each(GATES.filter((gate) => RELEASE_GATES[gate].replaces !== null))('%s replaces a resource its release declares (the upgrade plan allows it)', (gate) => {
    const { since, replaces } = RELEASE_GATES[gate];
    expect(findRelease(since)!.infrastructure.replacements.map((replacement) => replacement.type)).toContain(replaces);
  });

  it('every replacement a release declares is a gate of that release (no declaration without the change)', () => {
    for (const release of releaseCatalog()) {
      for (const replacement of release.infrastructure.replacements) {
        expect(
          GATES.some((gate) => RELEASE_GATES[gate].since === release.version && RELEASE_GATES[gate].replaces === replacement.type),
          `${release.version} ${replacement.type}`,
        ).toBe(true);
      }
    }
  });
});

describe('gated values per catalogued release', () => {
  const expected: Record<string, { retention: number; clustering: string; insights: boolean }> = {
    '2026.10.2': { retention: 14, clustering: 'OSSCluster', insights: false },
    '2026.11.0': { retention: 14, clustering: 'OSSCluster', insights: true },
    '2026.12.0': { retention: 30, clustering: 'EnterpriseCluster', insights: true },
  };

  it('covers every catalogued release', () => {
    expect(Object.keys(expected)).toEqual(releaseCatalog().map((release) => release.version));
  });

  it.each(Object.entries(expected))('%s', (release, values) => {
    expect({ retention: postgresBackupRetention(release), clustering: azureRedisClusteringPolicy(release), insights: awsPostgresPerformanceInsights(release) }).toEqual(values);
    for (const gate of GATES) expect(gateOpen(release, gate), gate).toBe(releaseAtLeast(release, RELEASE_GATES[gate].since));
  });
});
