/**
 * `render --dry-run` and `render --diff`: the render as planned (validated, map and --out checked,
 * files rendered in memory) and what it would change in --out, with nothing written: no staging
 * directory, no recovery of an interrupted render, no file touched.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { compareText } from '../lib/compare.js';
import { SPEC_EXITS } from '../lib/error-catalogue.js';
import { readTextCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { diffLines, formatUnified, type LinePosition } from '../lib/line-diff.js';
import type { Issue } from '../schema/issue.js';
import type { CellStatus } from '../matrix/engine.js';
import { MANIFEST_FILE } from '../emit/output-dir.js';
import { REDACTED, redactFile, stackConfigKeys } from '../emit/redact.js';
import { listFiles, type RenderedFile } from '../emit/render-files.js';
import { planRender, type RenderOptions } from './render.js';

interface PreviewBase {
  valid: boolean;
  issues: Issue[];
  exitCode: number;
  outDir: string | null;
  cell: { id: string; status: CellStatus } | null;
}

export interface DryRunResult extends PreviewBase {
  dryRun: true;
  files: RenderedFile[];
  /** Entries of the earlier render's directory a render would carry over (operator state). */
  kept: string[];
}

export interface FileChange {
  path: string;
  change: 'added' | 'modified' | 'removed';
  /** Unified diff against --out, secret-bearing values redacted. */
  diff: string;
}

export interface DiffResult extends PreviewBase {
  /** Whether a render would change any file of --out (exit 1), or none (exit 0). */
  changed: boolean;
  files: FileChange[];
  /** Rendered files identical to --out. */
  unchanged: number;
}

/** Exit codes of --diff, as diff(1): 0 no change, 1 changes, 2 trouble (an invalid spec included). */
export const DiffExit = { same: 0, changed: 1, trouble: 2 } as const;

export function renderDryRun(options: RenderOptions): DryRunResult {
  const { loaded, cell, rendered } = planRender(options);
  if (!rendered) return { valid: false, issues: loaded.issues, exitCode: loaded.exitCode || SPEC_EXITS.invalid, outDir: null, cell, dryRun: true, files: [], kept: [] };
  return { valid: true, issues: rendered.issues, exitCode: SPEC_EXITS.valid, outDir: options.outDir, cell, dryRun: true, files: listFiles(rendered.files), kept: rendered.kept };
}

/**
 * A file of the earlier render as on disk, or null. Paths come from its manifest (operator-writable):
 * only relative paths of plain names, through real directories (no link followed, no '..'), to a
 * regular file (never a FIFO or device opened).
 */
function earlierFile(dir: string, path: string): string | null {
  const parts = path.split('/');
  if (path.includes('\\') || path.includes('\0') || parts.some((part) => part === '' || part === '.' || part === '..')) return null;
  try {
    for (let depth = 1; depth < parts.length; depth++) if (!lstatSync(join(dir, ...parts.slice(0, depth))).isDirectory()) return null;
    if (!lstatSync(join(dir, ...parts)).isFile()) return null;
  } catch {
    return null;
  }
  return readTextCapped(join(dir, ...parts), {
    what: 'file of the earlier render',
    maxBytes: SIZE_CAPS.renderState,
    hint: 'a rendered file is far smaller: look at what replaced it in --out',
  });
}

export function renderDiff(options: RenderOptions): DiffResult {
  const { loaded, cell, rendered } = planRender(options);
  if (!rendered) return { valid: false, issues: loaded.issues, exitCode: DiffExit.trouble, outDir: null, cell, changed: false, files: [], unchanged: 0 };
  const { files, previous, kept } = rendered;
  const paths = new Set(files.keys());
  // What a render would delete: files the earlier render listed, no longer rendered, and not the operator's now.
  const keptSet = new Set(kept);
  if (previous) for (const path of [...previous.listed.keys(), MANIFEST_FILE]) if (!files.has(path) && !keptSet.has(path)) paths.add(path);
  const changes: FileChange[] = [];
  let unchanged = 0;
  for (const path of [...paths].sort(compareText)) {
    const before = previous ? earlierFile(previous.dir, path) : null;
    const after = files.get(path) ?? null;
    if (before === after) {
      unchanged++;
      continue;
    }
    if (before === null && after === null) continue;
    const change = before === null ? 'added' : after === null ? 'removed' : 'modified';
    // Redacted per file, not per line: a secret may sit on the lines below its key, and a stack file's
    // operator-set config is known only against the keys the render writes.
    const renderedKeys = stackConfigKeys(after);
    const shownOld = redactFile(path, before ?? '', renderedKeys);
    const shownNew = redactFile(path, after ?? '', renderedKeys);
    const show = (_: string, at: LinePosition) => (at.kind === '+' ? shownNew[at.newIndex] : shownOld[at.oldIndex]) ?? REDACTED;
    const diff = formatUnified(path, diffLines(before ?? '', after ?? ''), { old: before !== null, new: after !== null }, show);
    changes.push({ path, change, diff });
  }
  return {
    valid: true,
    issues: rendered.issues,
    exitCode: changes.length ? DiffExit.changed : DiffExit.same,
    outDir: options.outDir,
    cell,
    changed: changes.length > 0,
    files: changes,
    unchanged,
  };
}
