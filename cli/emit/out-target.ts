/**
 * Which --out paths render refuses before touching anything. A render replaces DIR by renaming it,
 * so DIR must be a plain directory entry that installctl may rename: not a symbolic link (the link
 * would become a directory, or a dangling link's target would never be written), and not a
 * directory whose replacement is never what was meant: a file-system root or mount point, a shared
 * sticky directory such as /tmp, the home directory or one of its ancestors, the current directory
 * or one of its ancestors (the shell would be left in the replaced copy).
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { asOutputError } from '../lib/atomic-write.js';
import { UserError } from '../lib/errors.js';

/** The real path of path, also when it (or some of its parents) does not exist yet. */
export function realPath(path: string): string {
  const rest: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(at), ...rest);
    } catch {
      if (dirname(at) === at) return resolve(path);
      rest.unshift(basename(at));
      at = dirname(at);
    }
  }
}

const isAncestorOrSelf = (dir: string, path: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

function unsafe(outDir: string, why: string, hint = 'choose a new or dedicated directory, e.g. --out out/NAME'): UserError {
  return new UserError(`refusing to render into ${outDir || '.'}: ${why}`, { code: 'RENDER_OUT_UNSAFE', hint });
}

function protectedDirs(): Array<{ dir: string; what: string }> {
  const dirs: Array<{ dir: string; what: string }> = [];
  try {
    dirs.push({ dir: realPath(process.cwd()), what: 'the current directory' });
  } catch {
    // A deleted current directory protects nothing.
  }
  const home = process.env.HOME || homedir();
  if (home) dirs.push({ dir: realPath(home), what: 'the home directory' });
  return dirs;
}

export function checkOutTarget(outDir: string): void {
  const target = resolve(outDir);
  if (dirname(target) === target) throw unsafe(outDir, 'it is a file-system root');
  let link = false;
  try {
    link = lstatSync(target).isSymbolicLink();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw asOutputError(error, dirname(target));
  }
  if (link) {
    throw new UserError(`--out ${outDir} is a symbolic link: a render replaces the directory by renaming, which would replace the link itself`, {
      code: 'RENDER_OUT_SYMLINK',
      hint: 'pass the directory the link points to (realpath), or another path',
    });
  }
  const real = realPath(target);
  for (const { dir, what } of protectedDirs()) {
    if (isAncestorOrSelf(real, dir)) {
      throw unsafe(
        outDir,
        real === dir ? `it is ${what}` : `it contains ${what} (${dir})`,
        real === dir && what === 'the current directory' ? 'run from the directory above it, e.g. --out ../NAME' : undefined,
      );
    }
  }
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return;
  }
  if (!stat.isDirectory()) return;
  if (stat.dev !== statSync(dirname(target)).dev) throw unsafe(outDir, 'it is a mount point', 'render into a directory inside the mount instead');
  if (stat.mode & 0o1000) throw unsafe(outDir, 'it is a shared directory (sticky bit, like /tmp)', 'render into a directory inside it instead');
}
