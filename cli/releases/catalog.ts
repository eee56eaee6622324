/**
 * The release catalog (releases/<version>.yaml, schemas/release.schema.json): every platform
 * release installctl can render and upgrade between. Vendor data shipped with installctl, so a
 * catalog that breaks its schema or its own invariants is a bug, not a user error.
 */
import type { Release } from '../generated/release.js';
import validateRelease from '../generated/release.validator.js';
import release20261002 from '../../releases/2026.10.2.yaml';
import release20261100 from '../../releases/2026.11.0.yaml';
import release20261200 from '../../releases/2026.12.0.yaml';

export type { Release } from '../generated/release.js';
export type ReleaseChart = 'agent-platform' | 'model-server';

/** Every file under releases/, in any order (test/releases/catalog.test.ts checks none is missing). */
export const SHIPPED_RELEASES: ReadonlyArray<{ file: string; data: unknown }> = [
  { file: 'releases/2026.10.2.yaml', data: release20261002 },
  { file: 'releases/2026.11.0.yaml', data: release20261100 },
  { file: 'releases/2026.12.0.yaml', data: release20261200 },
];

/** year.month.patch compared as numbers: negative when a is older than b. */
export function compareReleaseVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The problems of a catalog as a whole (beyond each file's schema); empty when it holds together. */
export function catalogProblems(releases: readonly Release[]): string[] {
  const problems: string[] = [];
  const versions = new Set<string>();
  for (const release of releases) {
    if (versions.has(release.version)) problems.push(`${release.version} is catalogued twice`);
    versions.add(release.version);
  }
  const current = releases.filter((release) => release.status === 'current');
  if (current.length !== 1) problems.push(`exactly one release must be current, found ${current.length}`);
  for (const release of releases) {
    const relation = current[0] ? compareReleaseVersions(release.version, current[0].version) : 0;
    if (release.status === 'preview' && relation <= 0) problems.push(`${release.version} is a preview but not newer than the current release`);
    if (release.status === 'supported' && relation >= 0) problems.push(`${release.version} is supported but not older than the current release`);
    if (Number(release.kubernetes.min.split('.')[1]) > Number(release.kubernetes.max.split('.')[1])) problems.push(`${release.version}: kubernetes.min is above kubernetes.max`);
    for (const stop of release.upgrade.requiredStops) {
      if (!versions.has(stop.version) && !releases.some((other) => other.version === stop.version))
        problems.push(`${release.version}: required stop ${stop.version} is not catalogued`);
      if (compareReleaseVersions(stop.version, release.version) >= 0) problems.push(`${release.version}: required stop ${stop.version} is not older`);
    }
    const ids = release.migrations.map((migration) => migration.id);
    if (new Set(ids).size !== ids.length) problems.push(`${release.version}: a migration id repeats`);
    for (const rename of release.values.renamed)
      if (rename.from === rename.to || rename.to.startsWith(`${rename.from}.`)) problems.push(`${release.version}: rename ${rename.from} -> ${rename.to} is not a move`);
  }
  return problems;
}

/** Validated catalog data, oldest first; throws (a bug) on a file that breaks the schema or the invariants. */
export function loadCatalog(files: ReadonlyArray<{ file: string; data: unknown }>): Release[] {
  const releases = files.map(({ file, data }) => {
    if (!validateRelease(data)) throw new Error(`${file} does not match schemas/release.schema.json: ${JSON.stringify(validateRelease.errors)}`);
    const release = data as Release;
    if (!file.endsWith(`/${release.version}.yaml`)) throw new Error(`${file} holds release ${release.version}: the file must be named after its version`);
    return release;
  });
  releases.sort((a, b) => compareReleaseVersions(a.version, b.version));
  const problems = catalogProblems(releases);
  if (problems.length) throw new Error(`the release catalog is inconsistent: ${problems.join('; ')}`);
  return releases;
}

let shipped: Release[] | undefined;

/** The shipped catalog, oldest first. */
export function releaseCatalog(): Release[] {
  shipped ??= loadCatalog(SHIPPED_RELEASES);
  return shipped;
}

/** A catalogued release, or undefined. */
export function findRelease(version: string, catalog: readonly Release[] = releaseCatalog()): Release | undefined {
  return catalog.find((release) => release.version === version);
}

/** The release installctl installs by default (init) and whose images the charts' values.yaml carry. */
export function currentRelease(catalog: readonly Release[] = releaseCatalog()): Release {
  return catalog.find((release) => release.status === 'current')!;
}

/** The catalogued release right before this one, or undefined for the oldest. */
export function previousRelease(version: string, catalog: readonly Release[] = releaseCatalog()): Release | undefined {
  const older = catalog.filter((release) => compareReleaseVersions(release.version, version) < 0);
  return older[older.length - 1];
}

/** Whether a Kubernetes minor (1.NN) lies in the release's window. */
export function kubernetesInWindow(release: Release, minor: string): boolean {
  const n = Number(minor.split('.')[1]);
  return n >= Number(release.kubernetes.min.split('.')[1]) && n <= Number(release.kubernetes.max.split('.')[1]);
}
