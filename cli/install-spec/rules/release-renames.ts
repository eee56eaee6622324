/**
 * Spec fields renamed across releases (the catalog's `spec.renamed`), checked against the spec's own
 * release: RELEASE_FIELD_RENAMED for an old name at or after its rename (the platform of that
 * release would not read it), RELEASE_FIELD_TOO_NEW for a name from a later release. Driven by the
 * catalog alone: a rename added to releases/ is checked here without code. Setting both names is
 * always one of the two errors, so a spec never holds a field twice.
 */
import type { Install } from '../../generated/install-spec.js';
import { releaseCatalog, type Release } from '../../releases/catalog.js';
import { valueAt } from '../../releases/renames.js';
import { misnamedFields } from '../../releases/spec-renames.js';
import type { Finding } from '../../schema/issue.js';

const specPath = (dotted: string): string[] => ['spec', ...dotted.split('.')];
const shown = (dotted: string): string => `spec.${dotted}`;

export function checkRenamedFields(install: Install, catalog: readonly Release[] = releaseCatalog()): Finding[] {
  const spec = install.spec as unknown as Record<string, unknown>;
  const version = install.spec.release.version;
  const isSet = (path: string) => valueAt(spec, path) !== undefined;
  const { stale, tooNew } = misnamedFields(version, isSet, catalog);
  const findings: Finding[] = [];
  for (const { path, nameAtRelease, rename } of stale) {
    const both = isSet(nameAtRelease);
    findings.push({
      severity: 'error',
      code: 'RELEASE_FIELD_RENAMED',
      path: specPath(path),
      atKey: true,
      message: `${shown(path)} was renamed ${shown(rename.to)} in ${rename.release}${nameAtRelease === rename.to ? '' : ` (${shown(nameAtRelease)} at ${version})`}: release ${version} does not read it${both ? `, and ${shown(nameAtRelease)} is set too` : ''}`,
      hint: both
        ? `remove ${shown(path)}: ${shown(nameAtRelease)} holds the setting from ${rename.release} on`
        : `installctl upgrade apply-spec SPEC --to ${version} moves it, or rename it to ${shown(nameAtRelease)} by hand`,
    });
  }
  for (const { path, nameAtRelease, rename } of tooNew) {
    const both = isSet(nameAtRelease);
    findings.push({
      severity: 'error',
      code: 'RELEASE_FIELD_TOO_NEW',
      path: specPath(path),
      atKey: true,
      message: `${shown(path)} is the name from ${rename.release} on; release ${version} reads ${shown(nameAtRelease)}${both ? ', which is set too' : ''}`,
      hint: both
        ? `remove ${shown(path)}; installctl upgrade apply-spec moves ${shown(nameAtRelease)} when the spec reaches ${rename.release}`
        : `rename it to ${shown(nameAtRelease)}; installctl upgrade apply-spec renames it when the spec reaches ${rename.release}`,
    });
  }
  return findings;
}
