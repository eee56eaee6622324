import { describe, expect, it } from 'vitest';
import { clusterMinor, satisfiesKubeVersion } from '../../cli/preflight/version.js';

describe("the charts' kubeVersion, as Helm reads it", () => {
  it.each([
    ['v1.35.2-eks-3025e55', '>=1.30.0-0', true],
    ['v1.35.2-eks-3025e55', '>=1.30.0', false], // Masterminds semver: a bound without a prerelease admits no prerelease
    ['v1.35.2', '>=1.30.0', true],
    ['v1.30.0', '>=1.30.0-0', true],
    ['v1.29.15', '>=1.30.0-0', false],
    ['v1.29.15-gke.1000', '>=1.30.0-0', false],
    ['v1.36.4+rke2r1', '>=1.30.0-0', true],
    ['v1.33.1', '>=1.30.0-0 <1.34.0-0', true],
    ['v1.34.0', '>=1.30.0-0 <1.34.0-0', false],
    ['v1.34.0', '', true],
  ])('%s against %j: %s', (version, constraint, expected) => {
    expect(satisfiesKubeVersion(version, constraint)).toBe(expected);
  });

  it('says it cannot compare what it does not parse', () => {
    expect(satisfiesKubeVersion('v1.30.0', '>=1.29 || <1.20')).toBeNull();
    expect(satisfiesKubeVersion('banana', '>=1.30.0-0')).toBeNull();
  });

  it("reads the cluster's minor as EKS and GKE write it", () => {
    expect(clusterMinor({ major: '1', minor: '35+', gitVersion: 'v1.35.2-eks-3025e55' })).toBe('1.35');
    expect(clusterMinor({ major: '', minor: '', gitVersion: 'v1.33.4+k3s1' })).toBe('1.33');
    expect(clusterMinor({ major: '', minor: '', gitVersion: 'unknown' })).toBeNull();
  });
});
