/**
 * Writes a rendered directory atomically: everything goes to a staging directory beside the
 * target, then replaces it with two renames (DIR -> .DIR.installctl-previous-PID, staging -> DIR).
 * A failed render leaves the previous output in place. A process killed between the two renames
 * leaves DIR missing; the next render restores it first (interrupted.ts), so operator state is
 * never dropped. A directory that is not an earlier render is never replaced without --force.
 *
 * Why two renames and not a symbolic link swapped in one rename: DIR would stop being a directory
 * (tools and operators that `cd` into it, `--out` at a link, backups that skip links), and Node has
 * no renameat2(RENAME_EXCHANGE). Recovery on the next run closes the window instead.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { asOutputError } from '../lib/atomic-write.js';
import { UserError } from '../lib/errors.js';
import { compareText } from '../lib/compare.js';
import { readTextCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { removeTree } from '../lib/remove-tree.js';
import { realPath } from './out-target.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_KIND = 'RenderManifest';

/** The manifest of an earlier render in dir (read with its cap), or null when dir holds none. */
export function readRenderManifest(dir: string): Record<string, unknown> | null {
  try {
    const manifest = JSON.parse(readTextCapped(join(dir, MANIFEST_FILE), { what: 'render manifest', maxBytes: SIZE_CAPS.renderState })) as unknown;
    return manifest !== null && typeof manifest === 'object' && (manifest as { kind?: unknown }).kind === MANIFEST_KIND ? (manifest as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether dir holds an earlier render (its manifest says so). */
export function isEarlierRender(dir: string): boolean {
  return readRenderManifest(dir) !== null;
}

/** Relative, forward-slash, no '..': a rendered file path may never escape the output directory. */
export function checkRelativePath(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '' || part === '.') || path.includes('\\') || path.includes('\0')) {
    throw new Error(`refusing to write unsafe path ${JSON.stringify(path)}`);
  }
}

/**
 * Refuses to replace a directory that is not an earlier render, unless force; and even with force,
 * one that holds an input of this render (the spec, the relocation map), which replacing it would delete.
 */
export function checkOutputDir(outDir: string, force: boolean, inputs: ReadonlyArray<string> = []): void {
  const target = resolve(outDir);
  let isDirectory: boolean;
  let empty: boolean;
  try {
    if (!existsSync(target)) return;
    isDirectory = statSync(target).isDirectory();
    empty = isDirectory && readdirSync(target).length === 0;
  } catch (error) {
    throw asOutputError(error, target);
  }
  if (!isDirectory) {
    throw new UserError(`${outDir} exists and is not a directory`, { code: 'RENDER_OUT_NOT_DIRECTORY', hint: 'choose another --out path' });
  }
  if (empty || isEarlierRender(target)) return;
  if (!force) {
    throw new UserError(`${outDir} is not empty and is not an earlier installctl render`, {
      code: 'RENDER_OUT_NOT_RENDER',
      hint: 'choose an empty or new directory, or pass --force to replace it',
    });
  }
  const real = realPath(target);
  const input = inputs.find((file) => realPath(resolve(file)).startsWith(real + sep));
  if (input) {
    throw new UserError(`${outDir} holds ${input}, an input of this render: --force would replace the directory and delete it`, {
      code: 'RENDER_OUT_UNSAFE',
      hint: 'move the file out of the directory first, or choose another --out path',
    });
  }
}

export type LeftoverKind = 'staging' | 'previous' | 'replaced';

/**
 * The sibling names one render process uses for DIR. "previous" holds an earlier render (its
 * operator state was carried into the new DIR); "replaced" holds a directory --force replaced
 * whole, which the operator agreed to lose once the new DIR is in place.
 */
export function leftoverPath(target: string, kind: LeftoverKind, pid = process.pid): string {
  return join(dirname(target), `.${basename(target)}.installctl-${kind}-${pid}`);
}

/**
 * Test hook: INSTALLCTL_TEST_CRASH_AT=<step> SIGKILLs the process at that step of the write, as
 * kill -9 or a power cut would (no finally, no cleanup), so tests can check what the next render
 * recovers. Steps: staging-written, staging-carried, target-moved, swapped.
 */
function crashPoint(step: string): void {
  if (process.env.INSTALLCTL_TEST_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}

/** DIR appeared or vanished while we rendered: another render (of an older installctl, or started in the same instant) is writing it. */
const busy = (outDir: string) =>
  new UserError(`${outDir} changed while rendering: another render is writing it`, { code: 'RENDER_OUT_BUSY', hint: 'let it finish, then render again' });

function raced(error: unknown, outDir: string): UserError | null {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTEMPTY' || code === 'EEXIST' ? busy(outDir) : null;
}

export interface WriteResult {
  /** An old DIR (or staging) that could not be removed after the swap: the next render retries. */
  remaining: string[];
}

/** beforeSwap completes the staging directory (e.g. with what a re-render keeps) before it replaces the target. */
export function writeDirectoryAtomic(outDir: string, files: ReadonlyMap<string, string | Uint8Array>, beforeSwap?: (staging: string) => void): WriteResult {
  const target = resolve(outDir);
  const parent = dirname(target);
  const staging = leftoverPath(target, 'staging');
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw asOutputError(error, parent);
  }
  removeTree(staging);
  const existed = existsSync(target);
  try {
    mkdirSync(staging);
    for (const [path, content] of [...files].sort(([a], [b]) => compareText(a, b))) {
      checkRelativePath(path);
      const file = join(staging, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    crashPoint('staging-written');
    beforeSwap?.(staging);
    crashPoint('staging-carried');
  } catch (error) {
    removeTree(staging);
    throw asOutputError(error, parent);
  }
  if (existsSync(target) !== existed) {
    removeTree(staging);
    throw busy(outDir);
  }
  if (!existed) {
    try {
      renameSync(staging, target);
    } catch (error) {
      removeTree(staging);
      throw raced(error, outDir) ?? asOutputError(error, parent);
    }
    return { remaining: [] };
  }
  const previous = leftoverPath(target, isEarlierRender(target) ? 'previous' : 'replaced');
  try {
    renameSync(target, previous);
  } catch (error) {
    removeTree(staging);
    if ((error as NodeJS.ErrnoException).code === 'EBUSY') {
      throw new UserError(`${outDir} cannot be renamed: it is a mount point or in use`, { code: 'RENDER_OUT_UNSAFE', hint: 'render into a directory inside the mount instead' });
    }
    throw raced(error, outDir) ?? asOutputError(error, parent);
  }
  crashPoint('target-moved');
  try {
    renameSync(staging, target);
  } catch (error) {
    // If this rename back fails too, DIR is missing: the next render restores it from `previous`.
    renameSync(previous, target);
    removeTree(staging);
    throw asOutputError(error, parent);
  }
  crashPoint('swapped');
  return { remaining: removeTree(previous) ? [] : [previous] };
}
