/**
 * An install spec on its way through releases, shared by the `upgrade` commands: the spec as valid
 * at its own release (loadSpecForUpgrade), the same spec one hop later (stepSpec: release bumped,
 * renamed fields moved, checked at the new release as validate would) and the diff between them.
 */
import { formatUnified, diffLines } from '../lib/line-diff.js';
import { UserError } from '../lib/errors.js';
import { visibleLine } from '../lib/visible-text.js';
import type { Install } from '../generated/install-spec.js';
import { checkSpecText, loadSpecFile, type LoadedSpec } from '../install-spec/load-spec.js';
import { looksLikeJson, parseSpecText } from '../install-spec/parse-yaml.js';
import { editSpecText, type FieldMove } from '../install-spec/spec-edit.js';
import { findRelease, kubernetesInWindow, releaseCatalog, type Release } from '../releases/catalog.js';
import { applyRenames, valueAt } from '../releases/renames.js';
import { misnamedFields, specRenamesBetween } from '../releases/spec-renames.js';
import { formatPath, type Issue } from '../schema/issue.js';

const VERSION_PATH = 'spec.release.version';
const STALE = 'RELEASE_FIELD_RENAMED';

type Data = Record<string, unknown> & { spec: Record<string, unknown> & { release: Record<string, unknown> } };

export interface SpecForUpgrade {
  file: string;
  /** The file's text, as read. */
  text: string;
  json: boolean;
  /** The document as written (plain data). */
  data: Data;
  /** spec.release.version. */
  version: string;
  /** Old names the spec still uses at its own release (RELEASE_FIELD_RENAMED), each to its name there: the next write moves them. */
  stale: FieldMove[];
}

export interface SpecStep {
  /** The spec's text at the new release. */
  text: string;
  /** Fields moved (stale names first, then the hop's renames), as JSON paths. */
  moved: FieldMove[];
  /** validate's result for the new text. */
  loaded: LoadedSpec;
  /** The errors that block the step (empty when the new spec is valid). */
  blocking: Issue[];
}

const rooted = (move: { from: string; to: string }): FieldMove => ({ from: `spec.${move.from}`, to: `spec.${move.to}` });
const unrooted = (path: string): string => path.replace(/^spec\./, '');

function invalid(file: string, loaded: LoadedSpec, code: 'UPGRADE_SPEC_INVALID' | 'UPGRADE_SPEC_BLOCKED', what: string, hint: string, issues = loaded.issues): UserError {
  const errors = issues.filter((issue) => issue.severity === 'error');
  const first = errors[0];
  const why = first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : '';
  return new UserError(visibleLine(`${file} ${what}${why}`), { code, hint, details: { issues } });
}

/** Whether validate's only errors are old field names (which the upgrade moves), every one of them shown. */
function onlyStaleNames(loaded: LoadedSpec): boolean {
  const errors = loaded.issues.filter((issue) => issue.severity === 'error');
  return loaded.text !== null && errors.length > 0 && errors.length === loaded.errors && errors.every((issue) => issue.code === STALE);
}

/**
 * The spec at `file`, valid at its own release: validate's checks, except that old names of renamed
 * fields (RELEASE_FIELD_RENAMED) are accepted as what the upgrade fixes. Anything else invalid is
 * UPGRADE_SPEC_INVALID (exit 2, the issues in details), as the other commands that load a spec.
 */
export function loadSpecForUpgrade(file: string, options: { now: Date; catalog?: readonly Release[] }): SpecForUpgrade {
  const catalog = options.catalog ?? releaseCatalog();
  const loaded = loadSpecFile(file, { now: options.now });
  const hint = `installctl validate ${file} lists every issue with its line`;
  if (loaded.exitCode !== 0 && !onlyStaleNames(loaded)) throw invalid(file, loaded, 'UPGRADE_SPEC_INVALID', 'is not a valid install spec', hint);
  const text = loaded.text!;
  const parsed = parseSpecText(text, { json: looksLikeJson(file, text) });
  if (!parsed.ok) throw new Error(`${file} parsed for validate but not again`);
  const data = parsed.data as Data;
  const version = String(data.spec.release.version);
  const stale = misnamedFields(version, (path) => valueAt(data.spec, path) !== undefined, catalog).stale.map(({ path, nameAtRelease }) =>
    rooted({ from: path, to: nameAtRelease }),
  );
  const spec: SpecForUpgrade = { file, text, json: looksLikeJson(file, text), data, version, stale };
  if (stale.length > 0) {
    // Valid once its names are fixed, or not valid at all (an old name beside its new one is not fixed: which to keep is the person's call).
    const fixed = stepSpec(spec, version, options);
    const edited = fixed.text !== text;
    if (fixed.blocking.length > 0)
      throw invalid(
        file,
        fixed.loaded,
        'UPGRADE_SPEC_INVALID',
        edited ? `is not valid even with ${fixed.moved.map((move) => move.to).join(', ')}` : 'is not a valid install spec',
        hint,
        edited ? fixed.blocking : loaded.issues,
      );
  }
  return spec;
}

/** A Kubernetes version outside the release's window, as validate would place it (until validate checks it itself, when this finds nothing more). */
function windowIssue(text: string, file: string, install: Install, release: Release, from: string): Issue | null {
  const minor = install.spec.platform.kubernetesVersion;
  if (kubernetesInWindow(release, minor)) return null;
  const path = ['spec', 'platform', 'kubernetesVersion'];
  const parsed = parseSpecText(text, { json: looksLikeJson(file, text) });
  const at = parsed.ok ? parsed.locator.locate(path) : null;
  return {
    severity: 'error',
    code: 'RELEASE_KUBERNETES_WINDOW',
    path: formatPath(path),
    line: at?.line ?? null,
    column: at?.column ?? null,
    message: `release ${release.version} runs on Kubernetes ${release.kubernetes.min} to ${release.kubernetes.max}, not ${minor}`,
    hint: `while at ${from}, upgrade the cluster to Kubernetes ${release.kubernetes.min} or later and set spec.platform.kubernetesVersion to it; then move the spec to ${release.version}`,
  };
}

/**
 * The spec moved to `to` (a catalogued release at or after its own, one hop: the caller follows the
 * required stops): release version set, stale names and the names renamed by the releases crossed
 * moved, every comment and the key order kept. `blocking` lists why the result is not valid at `to`.
 */
export function stepSpec(spec: SpecForUpgrade, to: string, options: { now: Date; catalog?: readonly Release[] }): SpecStep {
  const catalog = options.catalog ?? releaseCatalog();
  const hop = specRenamesBetween(spec.version, to, catalog).map(rooted);
  const { values, moved } = applyRenames(
    spec.data.spec,
    [...spec.stale, ...hop].map((move) => ({ from: unrooted(move.from), to: unrooted(move.to) })),
  );
  const expected = { ...spec.data, spec: { ...values, release: { ...(values.release as object), version: to } } };
  const edit = editSpecText(spec.text, { versionPath: to === spec.version ? undefined : VERSION_PATH, version: to, moves: moved.map(rooted), json: spec.json, expected });
  if (!edit.ok) {
    const issue: Issue = { severity: 'error', code: 'UPGRADE_SPEC_BLOCKED', path: '', line: null, column: null, message: edit.reason, hint: 'edit the spec by hand' };
    return { text: spec.text, moved: moved.map(rooted), loaded: checkSpecText(spec.file, spec.text, { now: options.now }), blocking: [issue] };
  }
  const loaded = checkSpecText(spec.file, edit.text, { now: options.now });
  const blocking = loaded.issues.filter((issue) => issue.severity === 'error');
  const release = findRelease(to, catalog);
  const window = loaded.install && release ? windowIssue(edit.text, spec.file, loaded.install, release, spec.version) : null;
  if (window) blocking.push(window);
  return { text: edit.text, moved: moved.map(rooted), loaded, blocking };
}

/** The unified diff of a spec's text before and after (empty when equal), for `upgrade` output. */
export function specDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return formatUnified(path, diffLines(before, after), { old: true, new: true });
}

/** UPGRADE_SPEC_BLOCKED for a step that is not valid at its release: nothing is written. */
export function blockedStep(file: string, to: string, step: SpecStep): UserError {
  const hint = step.blocking.find((issue) => issue.hint)?.hint ?? `installctl validate lists every issue`;
  return invalid(file, step.loaded, 'UPGRADE_SPEC_BLOCKED', `cannot move to release ${to}: nothing written`, hint, step.blocking);
}
