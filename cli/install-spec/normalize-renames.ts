/**
 * A checked spec is written in its own release's field names (rules/release-renames.ts holds it to
 * them); everything downstream (settings, emit, preflight) reads the current release's names, one
 * name per field. load-spec.ts hands every consumer the spec moved to those names.
 */
import type { Install } from '../generated/install-spec.js';
import { releaseCatalog, type Release } from '../releases/catalog.js';
import { applyRenames } from '../releases/renames.js';
import { specRenamesToCurrent } from '../releases/spec-renames.js';

/** The spec with every field its release renamed moved to the current release's name; the input when nothing moves (it is never changed). */
export function normalizeRenamedFields(install: Install, catalog: readonly Release[] = releaseCatalog()): Install {
  const moves = specRenamesToCurrent(install.spec.release.version, catalog);
  if (moves.length === 0) return install;
  const { values, moved } = applyRenames(install.spec as unknown as Record<string, unknown>, moves);
  return moved.length === 0 ? install : { ...install, spec: values as unknown as Install['spec'] };
}
