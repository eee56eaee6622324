import { chmodSync, lstatSync, readdirSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/**
 * `rm -r` for installctl's own staging and replaced directories. Unlike fs.rmSync it never descends
 * into another file system (a mount point's content is not ours to delete) and it makes read-only
 * directories it can chmod writable first (a carried-over 0555 directory cannot be emptied otherwise
 * by a non-root user). Never follows symbolic links. Returns false when something is left.
 */
export function removeTree(path: string): boolean {
  let root: Stats;
  try {
    root = lstatSync(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  const remove = (at: string, stat: Stats): boolean => {
    if (!stat.isDirectory()) {
      try {
        unlinkSync(at);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ENOENT';
      }
    }
    if (stat.dev !== root.dev) return false;
    if ((stat.mode & 0o700) !== 0o700) {
      try {
        chmodSync(at, (stat.mode & 0o7777) | 0o700);
      } catch {
        // Not ours: the removal below reports what is left.
      }
    }
    let names: string[];
    try {
      names = readdirSync(at);
    } catch {
      return false;
    }
    let complete = true;
    for (const name of names) {
      const child = join(at, name);
      try {
        if (!remove(child, lstatSync(child))) complete = false;
      } catch {
        complete = false;
      }
    }
    if (!complete) return false;
    try {
      rmdirSync(at);
      return true;
    } catch {
      return false;
    }
  };
  return remove(path, root);
}
