/**
 * Renamed install-spec fields (a release's `spec.renamed`). A spec is written in the names of its
 * own release (spec.release.version): validate refuses an old name at or after its rename and a new
 * name before it, `upgrade apply-spec` moves the fields a hop crosses, and the loaded spec is read
 * in the current release's names so settings, emit and preflight know one name per field. Paths are
 * dotted and relative to `spec` (`ingress.exposure` is spec.ingress.exposure).
 */
import { compareReleaseVersions, currentRelease, releaseCatalog, type Release } from './catalog.js';
import { applyRenames, type AppliedRename } from './renames.js';

export interface CataloguedSpecRename {
  /** The release that renamed the field. */
  release: string;
  from: string;
  to: string;
  reason: string;
}

/** Every spec rename of the catalog with the release that made it, oldest first. */
export function catalogSpecRenames(catalog: readonly Release[] = releaseCatalog()): CataloguedSpecRename[] {
  return catalog.flatMap((release) => release.spec.renamed.map((rename) => ({ release: release.version, from: rename.from, to: rename.to, reason: rename.reason })));
}

/** The spec renames made by the releases after `from` up to `to`, oldest first: what a hop from `from` to `to` moves. */
export function specRenamesBetween(from: string, to: string, catalog: readonly Release[] = releaseCatalog()): CataloguedSpecRename[] {
  return catalogSpecRenames(catalog).filter((rename) => compareReleaseVersions(rename.release, from) > 0 && compareReleaseVersions(rename.release, to) <= 0);
}

/**
 * The moves that take a spec in `version`'s names to the current release's names: forwards through
 * the renames of newer releases up to the current one, backwards (reversed, newest first) through
 * those after the current release up to `version`.
 */
export function specRenamesToCurrent(version: string, catalog: readonly Release[] = releaseCatalog()): AppliedRename[] {
  const current = currentRelease(catalog).version;
  if (compareReleaseVersions(version, current) <= 0) return specRenamesBetween(version, current, catalog).map(({ from, to }) => ({ from, to }));
  return specRenamesBetween(current, version, catalog)
    .reverse()
    .map((rename) => ({ from: rename.to, to: rename.from }));
}

/**
 * A spec written in the current release's names, as `version` names it: release.version set and every
 * renamed field moved (a copy). Conformance edges and tests render one starter spec at any release.
 */
export function specDataAtRelease<T extends { spec: object }>(data: T, version: string, catalog: readonly Release[] = releaseCatalog()): T {
  const moves = specRenamesToCurrent(version, catalog)
    .map(({ from, to }) => ({ from: to, to: from }))
    .reverse();
  const spec = data.spec as Record<string, unknown>;
  const bumped = { ...spec, release: { ...(spec.release as object), version } };
  return { ...data, spec: applyRenames(bumped, moves).values };
}

/** What `name` is called at `version` when it was valid right before `since`: the renames from `since` up to `version`, followed in order. */
function forwardName(name: string, since: string, version: string, renames: readonly CataloguedSpecRename[]): string {
  let current = name;
  for (const rename of renames) {
    if (compareReleaseVersions(rename.release, since) < 0 || compareReleaseVersions(rename.release, version) > 0) continue;
    if (rename.from === current) current = rename.to;
  }
  return current;
}

/** What `name`, valid from `since` on, was called at `version` (older): the renames after `version` up to `since`, undone newest first. */
function backwardName(name: string, since: string, version: string, renames: readonly CataloguedSpecRename[]): string {
  let current = name;
  for (const rename of [...renames].reverse()) {
    if (compareReleaseVersions(rename.release, since) > 0 || compareReleaseVersions(rename.release, version) <= 0) continue;
    if (rename.to === current) current = rename.from;
  }
  return current;
}

export interface MisnamedField {
  /** The name the spec uses. */
  path: string;
  /** Its name at the spec's release. */
  nameAtRelease: string;
  /** The rename that makes `path` wrong at the spec's release. */
  rename: CataloguedSpecRename;
}

/**
 * The names a spec for `version` may not use: `stale`, old names at or after their rename (with the
 * name they have at `version`), and `tooNew`, names a later release introduces (with the name they
 * have at `version`). `isSet` says whether the spec sets a dotted path. A path is listed once.
 */
export function misnamedFields(
  version: string,
  isSet: (path: string) => boolean,
  catalog: readonly Release[] = releaseCatalog(),
): { stale: MisnamedField[]; tooNew: MisnamedField[] } {
  const renames = catalogSpecRenames(catalog);
  const stale: MisnamedField[] = [];
  const tooNew: MisnamedField[] = [];
  const seen = new Set<string>();
  // The earliest rename of a name reached by `version`: following every later one gives its name at `version`.
  for (const rename of renames) {
    if (compareReleaseVersions(rename.release, version) > 0 || seen.has(rename.from) || !isSet(rename.from)) continue;
    const nameAtRelease = forwardName(rename.from, rename.release, version, renames);
    if (nameAtRelease === rename.from) continue;
    seen.add(rename.from);
    stale.push({ path: rename.from, nameAtRelease, rename });
  }
  // The latest rename that introduces a name after `version`: undoing every earlier one gives its name at `version`.
  for (const rename of [...renames].reverse()) {
    if (compareReleaseVersions(rename.release, version) <= 0 || seen.has(rename.to) || !isSet(rename.to)) continue;
    const nameAtRelease = backwardName(rename.to, rename.release, version, renames);
    if (nameAtRelease === rename.to) continue;
    seen.add(rename.to);
    tooNew.push({ path: rename.to, nameAtRelease, rename });
  }
  return { stale, tooNew };
}
