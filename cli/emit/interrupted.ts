/**
 * Recovery from a render that was killed mid-write (output-dir.ts writes staging, then renames
 * DIR -> previous and staging -> DIR). What a dead process can leave beside DIR, and what the next
 * render does with it before anything else:
 * - DIR missing (or empty) and a "previous" or "replaced" directory: killed between the renames.
 *   The newest one is renamed back to DIR: the earlier render and all operator state return.
 * - "staging": killed before the swap. Its files are rendered ones or hard links to files DIR still
 *   holds, so it is removed.
 * - "replaced" with DIR present: what --force replaced whole; removed.
 * - "previous" with DIR present: killed after the swap. Removed only if everything the render
 *   carries over from it is in DIR (same inode or same bytes); otherwise it may be the only copy of
 *   operator state and stays, reported, for the operator to look at.
 * Leftovers of a process still running (another render) are never touched: RENDER_OUT_BUSY.
 */
import { lstatSync, readdirSync, readlinkSync, renameSync, rmdirSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { asOutputError } from '../lib/atomic-write.js';
import { compareText } from '../lib/compare.js';
import { UserError } from '../lib/errors.js';
import { removeTree } from '../lib/remove-tree.js';
import { fileSha256, operatorEntries, previousRender } from './carry-over.js';
import { MANIFEST_FILE, type LeftoverKind } from './output-dir.js';

export interface Recovery {
  /** The leftover DIR was restored from (a path beside DIR), or null. */
  restored: string | null;
  /** Leftovers of dead renders removed. */
  removed: string[];
  /** Leftovers kept because they may hold the only copy of operator state, or could not be removed. */
  remaining: string[];
}

interface Leftover {
  path: string;
  kind: LeftoverKind;
  pid: number;
}

export const noRecovery = (): Recovery => ({ restored: null, removed: [], remaining: [] });

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function leftoversOf(outDir: string): Leftover[] {
  const parent = dirname(outDir);
  const prefix = `.${basename(resolve(outDir))}.installctl-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix))
    .map((name) => /^(staging|previous|replaced)-([1-9][0-9]{0,9})$/.exec(name.slice(prefix.length)))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ path: join(parent, `${prefix}${match[0]}`), kind: match[1] as LeftoverKind, pid: Number(match[2]) }))
    .sort((a, b) => compareText(a.path, b.path));
}

function statOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Whether the tree at copy holds everything the tree at original does: same inode or same bytes for files. */
function holdsAllOf(original: string, copy: string): boolean {
  const a = statOrNull(original);
  const b = statOrNull(copy);
  if (!a || !b) return false;
  if (a.isSymbolicLink()) return b.isSymbolicLink() && readlinkSync(original) === readlinkSync(copy);
  if (a.isDirectory()) return b.isDirectory() && readdirSync(original).every((name) => holdsAllOf(join(original, name), join(copy, name)));
  if (a.isFile()) return b.isFile() && ((a.dev === b.dev && a.ino === b.ino) || (a.size === b.size && fileSha256(original) === fileSha256(copy)));
  return true;
}

/** Whether everything a render from `from` into `to` carries over is in `to`: then `from` holds nothing else of the operator's. */
export function carriedInto(from: string, to: string): boolean {
  try {
    const old = previousRender(from);
    const now = previousRender(to);
    if (!old || !now) return false;
    const produced = new Set([...now.listed.keys(), MANIFEST_FILE]);
    return operatorEntries(old, produced).every((path) => holdsAllOf(join(from, path), join(to, path)));
  } catch {
    return false;
  }
}

function missingOrEmpty(dir: string): 'missing' | 'empty' | null {
  const stat = statOrNull(dir);
  if (!stat) return 'missing';
  try {
    return stat.isDirectory() && readdirSync(dir).length === 0 ? 'empty' : null;
  } catch {
    return null;
  }
}

/** Restores DIR and removes the leftovers of dead renders of DIR; run before the render looks at DIR. */
export function recoverInterruptedRender(outDir: string): Recovery {
  const recovery = noRecovery();
  const leftovers = leftoversOf(outDir);
  if (leftovers.length === 0) return recovery;
  const running = leftovers.find((leftover) => alive(leftover.pid));
  if (running) {
    throw new UserError(`another installctl render (pid ${running.pid}) is writing ${outDir}`, {
      code: 'RENDER_OUT_BUSY',
      hint: `wait for it to finish; if no render is running, look at ${running.path} and delete it`,
    });
  }
  const target = resolve(outDir);
  const state = missingOrEmpty(target);
  const restorable = leftovers.filter((leftover) => leftover.kind !== 'staging').sort((a, b) => (statOrNull(b.path)?.ctimeMs ?? 0) - (statOrNull(a.path)?.ctimeMs ?? 0));
  let rest = leftovers;
  if (state && restorable.length) {
    const newest = restorable[0]!;
    try {
      if (state === 'empty') rmdirSync(target);
      renameSync(newest.path, target);
    } catch (error) {
      throw asOutputError(error, dirname(target));
    }
    recovery.restored = join(dirname(outDir), basename(newest.path));
    rest = leftovers.filter((leftover) => leftover !== newest);
  }
  for (const leftover of rest) {
    const shown = join(dirname(outDir), basename(leftover.path));
    const disposable = leftover.kind === 'staging' || (leftover.kind === 'replaced' && statOrNull(target)) || (leftover.kind === 'previous' && carriedInto(leftover.path, target));
    if (disposable && removeTree(leftover.path)) recovery.removed.push(shown);
    else recovery.remaining.push(shown);
  }
  return recovery;
}
