import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from './errors.js';

let sequence = 0;

/**
 * Failures of the file system that the person running installctl fixes, not installctl: a
 * directory they may not write, a read-only mount, a full disk, a file where a directory should be.
 */
const FIXABLE_ERRNO: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'the directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file is in the way',
  EISDIR: 'a directory is in the way',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
};

/** The OUTPUT_NOT_WRITABLE user error for an errno the operator can fix while writing into dir; null for anything else (a bug). */
export function outputError(error: unknown, dir: string): UserError | null {
  if (error instanceof UserError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = code ? FIXABLE_ERRNO[code] : undefined;
  if (!reason) return null;
  const at = (error as NodeJS.ErrnoException).path;
  return new UserError(`cannot write to ${dir}: ${reason} (${code}${at && at !== dir ? ` at ${at}` : ''})`, {
    code: 'OUTPUT_NOT_WRITABLE',
    hint: 'choose a directory you can write to, or fix its permissions, mount or free space',
  });
}

/** outputError when the errno is the operator's to fix, else the error unchanged: for `throw asOutputError(error, dir)`. */
export function asOutputError(error: unknown, dir: string): unknown {
  return outputError(error, dir) ?? error;
}

/** Writes a file so readers see the old content or the new, never half of it: temp file, fsync, rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', mode);
  } catch (error) {
    throw asOutputError(error, dirname(path));
  }
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw asOutputError(error, dirname(path));
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw asOutputError(error, dirname(path));
  }
}
