/**
 * `installctl render SPEC --out DIR`: validate the spec, read and check a --relocate map, check DIR,
 * render every file in memory (emit/render-files.ts: the Pulumi project, the Helm values layers,
 * images.txt, RUNBOOK.md, manifest.json), then swap DIR in atomically, carrying over what the
 * operator keeps there (Pulumi stack state, files of their own). planRender is the read-only part
 * --dry-run and --diff share (render-preview.ts).
 */
import { UserError } from '../lib/errors.js';
import { SPEC_EXITS } from '../lib/error-catalogue.js';
import { formatPath, type Issue } from '../schema/issue.js';
import { findPlaceholders } from '../install-spec/rules/placeholders.js';
import { loadSpecFile, type LoadedSpec } from '../install-spec/load-spec.js';
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { settingsFor } from '../emit/settings.js';
import { checkOutputDir, writeDirectoryAtomic } from '../emit/output-dir.js';
import { checkOutTarget } from '../emit/out-target.js';
import { noRecovery, recoverInterruptedRender, type Recovery } from '../emit/interrupted.js';
import { linkEntries, operatorEntries, previousRender, type PreviousRender } from '../emit/carry-over.js';
import { checkMapRegistry, registrySource } from '../emit/registry-source.js';
import { listFiles, renderFiles, type Relocation, type RenderedFile } from '../emit/render-files.js';
import { readRelocationMap } from '../bundle/relocation.js';
import type { CellStatus } from '../matrix/engine.js';

export interface RenderOptions {
  spec: string;
  outDir: string;
  force?: boolean;
  /** A relocation map (bundle push): images then run from the customer's registry, by digest. */
  relocate?: string | null;
  /** Accept a --platform map's platform manifest digests in place of the vendor's index digests (with a warning). */
  allowPlatformNarrowed?: boolean;
  /** Render a spec that still holds init's placeholder values (RULE_PLACEHOLDER); refused otherwise. */
  allowPlaceholders?: boolean;
  /** Accept a map on another registry than spec.registry.mirror on an air-gapped spec (a warning). */
  allowOtherRegistry?: boolean;
}

export interface RenderResult {
  valid: boolean;
  /** validate's issues for the spec (warnings on success). */
  issues: Issue[];
  exitCode: number;
  outDir: string | null;
  cell: { id: string; status: CellStatus } | null;
  files: RenderedFile[];
  /** Entries of the earlier render's directory that are not rendered files (operator state), carried over. */
  kept: string[];
  /** What was found of renders of DIR killed mid-write: DIR restored from a leftover, leftovers removed or left. */
  recovery: Recovery;
  settings: InstallSettings | null;
}

function readRelocation(file: string, allowPlatformNarrowed: boolean): Relocation {
  const { map, images, narrowed, sha256 } = readRelocationMap(file, { allowPlatformNarrowed });
  const issues: Issue[] = narrowed.length
    ? [
        {
          severity: 'warning',
          code: 'RELOCATION_PLATFORM_NARROWED',
          path: '',
          line: null,
          column: null,
          message: `${file}: ${narrowed.length} image${narrowed.length === 1 ? '' : 's'} run by ${map.platform} manifest digests that render cannot tie offline to the multi-arch index the vendor pinned`,
          hint: 'accepted by --allow-platform-narrowed: make sure the map is the one bundle push wrote for a bundle whose signature bundle verify --key checked',
        },
      ]
    : [];
  return { file, registry: map.registry, sha256, images, issues };
}

/** The OCI weights references a spec writes itself (a relocation map does not move them). */
function specWeightReferences(install: Install): string[] {
  const models = install.spec.models;
  if (models.hosting !== 'self-hosted') return [];
  return models.catalog.flatMap((model) => (model.weights?.source === 'oci' ? [model.weights.reference] : []));
}

/** A spec's paths that still hold init's placeholders; refused unless allowed (conformance renders starter specs). */
function checkPlaceholders(options: RenderOptions, install: Install): void {
  // From the spec itself, not loaded.issues: that list stops at MAX_ISSUES, and placeholders past it would render.
  const paths = findPlaceholders(install).map((finding) => formatPath(finding.path) || '(root)');
  if (!paths.length || options.allowPlaceholders) return;
  const listed = paths.slice(0, 10).join(', ') + (paths.length > 10 ? `, and ${paths.length - 10} more` : '');
  throw new UserError(`${options.spec} still holds ${paths.length} placeholder value${paths.length === 1 ? '' : 's'} (RULE_PLACEHOLDER): ${listed}`, {
    code: 'RENDER_PLACEHOLDERS',
    hint: "replace them with the customer's values (installctl validate lists each with its line), or pass --allow-placeholders for a trial render",
    details: { paths },
  });
}

/** Everything a render decides before writing: the files, in memory, and what is kept of DIR. Reads only. */
export interface RenderPlan {
  loaded: LoadedSpec;
  cell: { id: string; status: CellStatus } | null;
  /** Null when the spec is invalid: nothing to render. */
  rendered: {
    settings: InstallSettings;
    issues: Issue[];
    files: Map<string, string>;
    previous: PreviousRender | null;
    kept: string[];
  } | null;
}

/**
 * Validates, checks the map and --out, and renders into memory. Nothing on disk changes: render
 * writes the plan, --dry-run and --diff print it. recover runs between the --out checks and the
 * look at DIR (a real render first restores a DIR an interrupted render left missing).
 */
export function planRender(options: RenderOptions, recover: () => void = () => {}): RenderPlan {
  const loaded = loadSpecFile(options.spec, { now: new Date() });
  const cell = loaded.cell ? { id: loaded.cell.id, status: loaded.cell.status } : null;
  if (loaded.exitCode !== SPEC_EXITS.valid || !loaded.install || !loaded.cell) return { loaded, cell, rendered: null };
  checkPlaceholders(options, loaded.install);
  const install = loaded.install;
  const relocation = options.relocate ? readRelocation(options.relocate, options.allowPlatformNarrowed ?? false) : null;
  const mirror = install.spec.registry?.mirror ?? null;
  const registryIssues = relocation
    ? checkMapRegistry(relocation.file, relocation.registry, mirror, install.spec.network.mode === 'air-gapped', options.allowOtherRegistry ?? false, specWeightReferences(install))
    : [];
  // Nothing on disk changes before --out is known to be safe; then an interrupted earlier render is
  // recovered before DIR is looked at, so its operator state is carried over like any other.
  checkOutTarget(options.outDir);
  recover();
  checkOutputDir(options.outDir, options.force ?? false, [options.spec, ...(options.relocate ? [options.relocate] : [])]);
  const settings = settingsFor(install, loaded.cell);
  const source = registrySource(mirror, relocation?.registry ?? null, settings.registry !== null);
  const previous = previousRender(options.outDir);
  const files = renderFiles(options.spec, loaded.text ?? '', install, settings, loaded.cell.status, relocation, previous, source);
  const kept = previous ? operatorEntries(previous, new Set(files.keys())) : [];
  return { loaded, cell, rendered: { settings, issues: [...loaded.issues, ...(relocation?.issues ?? []), ...registryIssues], files, previous, kept } };
}

export function render(options: RenderOptions): RenderResult {
  let recovery = noRecovery();
  const plan = planRender(options, () => {
    recovery = recoverInterruptedRender(options.outDir);
  });
  const { loaded, cell, rendered } = plan;
  if (!rendered) {
    return { valid: false, issues: loaded.issues, exitCode: loaded.exitCode || SPEC_EXITS.invalid, outDir: null, cell, files: [], kept: [], recovery, settings: null };
  }
  const { files, previous, kept } = rendered;
  const written = writeDirectoryAtomic(options.outDir, files, previous ? (staging) => linkEntries(previous.dir, staging, kept) : undefined);
  recovery.remaining.push(...written.remaining);
  return {
    valid: true,
    issues: rendered.issues,
    exitCode: SPEC_EXITS.valid,
    outDir: options.outDir,
    cell,
    files: listFiles(files),
    kept,
    recovery,
    settings: rendered.settings,
  };
}
