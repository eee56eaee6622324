import { describe, expect, it } from 'vitest';
import { closest, editDistance, normalizeIdentifier } from '../../cli/lib/suggest.js';

describe('suggestions', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['platfrom', 'platform', 1],
    ['azrue', 'azure', 1],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('editDistance(%s, %s) = %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it.each([
    ['AWS', ['aws', 'azure'], 'aws'],
    [' self hosted', ['saas-api', 'self-hosted'], 'self-hosted'],
    ['air_gapped', ['connected', 'air-gapped'], 'air-gapped'],
    ['platfrom', ['platform', 'scm'], 'platform'],
    ['xyz', ['platform', 'scm'], null],
    ['a', ['b', 'c'], 'b'],
    // A unique prefix beats a closer edit distance.
    ['gitlab', ['github', 'github-enterprise-server', 'gitlab-self-managed', 'bitbucket-data-center'], 'gitlab-self-managed'],
    ['bitbucket', ['github', 'gitlab-self-managed', 'bitbucket-data-center'], 'bitbucket-data-center'],
    ['self', ['saas-api', 'cloud-managed', 'self-hosted'], 'self-hosted'],
    // An ambiguous prefix falls back to edit distance.
    ['githu', ['github', 'github-enterprise-server'], 'github'],
    ['git', ['github', 'gitlab-self-managed'], null],
  ])('closest(%j) = %j', (value, candidates, expected) => {
    expect(closest(value, candidates)).toBe(expected);
  });

  it('normalizes case, spaces and underscores', () => {
    expect(normalizeIdentifier('  Air_Gapped ')).toBe('air-gapped');
  });
});
