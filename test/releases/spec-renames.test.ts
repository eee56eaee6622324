/** Spec renames of the catalog: which a hop crosses, and which take a spec at any release to the current release's names. */
import { describe, expect, it } from 'vitest';
import { compareReleaseVersions, currentRelease, releaseCatalog } from '../../cli/releases/catalog.js';
import { catalogSpecRenames, specRenamesBetween, specRenamesToCurrent } from '../../cli/releases/spec-renames.js';

const versions = releaseCatalog().map((release) => release.version);
const pairs = versions.flatMap((from) => versions.filter((to) => compareReleaseVersions(to, from) >= 0).map((to) => [from, to] as const));

describe('spec renames', () => {
  it('lists 2026.12.0’s ingress.exposure -> ingress.visibility with its release and reason', () => {
    expect(catalogSpecRenames()).toEqual([{ release: '2026.12.0', from: 'ingress.exposure', to: 'ingress.visibility', reason: expect.stringContaining('visibility') }]);
  });

  it.each(pairs)('a hop %s -> %s crosses exactly the renames of the releases after its start up to its end', (from, to) => {
    const expected = catalogSpecRenames().filter((rename) => compareReleaseVersions(rename.release, from) > 0 && compareReleaseVersions(rename.release, to) <= 0);
    expect(specRenamesBetween(from, to)).toEqual(expected);
  });

  it.each(versions)('a spec at %s reaches the current release’s names', (version) => {
    const current = currentRelease().version;
    const moves = specRenamesToCurrent(version);
    if (version === '2026.12.0') expect(moves).toEqual([{ from: 'ingress.visibility', to: 'ingress.exposure' }]);
    else expect(moves).toEqual([]);
    // Going there and back is the identity.
    const back = compareReleaseVersions(version, current) <= 0 ? specRenamesBetween(version, current) : specRenamesBetween(current, version);
    expect(back.length).toBe(moves.length);
  });
});
