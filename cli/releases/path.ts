/**
 * How to get from one catalogued release to another: through every required stop a release on the
 * way declares (GitLab-style stops, but each one says why), never backwards (a downgrade is a
 * rollback, which the RUNBOOK describes, not an upgrade).
 */
import { compareReleaseVersions, findRelease, releaseCatalog, type Release } from './catalog.js';

export interface UpgradeHop {
  from: Release;
  to: Release;
  /** Why `to` is a stop (a later release requires it), or null for the final target. */
  stopReason: string | null;
}

export type UpgradePath = { ok: true; hops: UpgradeHop[] } | { ok: false; code: 'RELEASE_UNKNOWN' | 'UPGRADE_DOWNGRADE'; message: string; hint: string };

const listed = (catalog: readonly Release[]) => catalog.map((release) => release.version).join(', ');

/** The hops from `from` to `to`: one per required stop strictly between them, then the target. Empty when they are equal. */
export function upgradePath(from: string, to: string, catalog: readonly Release[] = releaseCatalog()): UpgradePath {
  for (const version of [from, to]) {
    if (!findRelease(version, catalog))
      return { ok: false, code: 'RELEASE_UNKNOWN', message: `release ${version} is not in the catalog`, hint: `catalogued releases: ${listed(catalog)}` };
  }
  const relation = compareReleaseVersions(to, from);
  if (relation < 0) {
    return {
      ok: false,
      code: 'UPGRADE_DOWNGRADE',
      message: `${to} is older than ${from}: installctl plans upgrades, not downgrades`,
      hint: `to go back, follow the rollback steps of the RUNBOOK's upgrade section for ${from} (restore the backup taken before it when a migration was not reversible)`,
    };
  }
  const stops = new Map<string, string>();
  for (const release of catalog) {
    if (compareReleaseVersions(release.version, from) <= 0 || compareReleaseVersions(release.version, to) > 0) continue;
    for (const stop of release.upgrade.requiredStops) {
      if (compareReleaseVersions(stop.version, from) > 0 && compareReleaseVersions(stop.version, to) < 0 && !stops.has(stop.version)) {
        stops.set(stop.version, `required by ${release.version}: ${stop.reason}`);
      }
    }
  }
  const targets = [...stops.keys()].sort(compareReleaseVersions);
  if (relation > 0) targets.push(to);
  const hops: UpgradeHop[] = [];
  let current = findRelease(from, catalog)!;
  for (const version of targets) {
    const next = findRelease(version, catalog)!;
    hops.push({ from: current, to: next, stopReason: stops.get(version) ?? null });
    current = next;
  }
  return { ok: true, hops };
}

/** The catalogued releases after `from` up to and including `to`, oldest first: whose migrations and renames a hop crosses. */
export function releasesCrossed(from: string, to: string, catalog: readonly Release[] = releaseCatalog()): Release[] {
  return catalog.filter((release) => compareReleaseVersions(release.version, from) > 0 && compareReleaseVersions(release.version, to) <= 0);
}
