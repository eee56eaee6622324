import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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

/** The whole buffer: one writeSync may write less than asked (a full pipe, a signal). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Content in a temp file beside path, fsynced; its name, for the rename that publishes it. */
function writeTemp(path: string, content: string | Uint8Array, mode: number): string {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', mode);
  } catch (error) {
    throw asOutputError(error, dirname(path));
  }
  try {
    writeAll(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw asOutputError(error, dirname(path));
  }
  closeSync(fd);
  return temp;
}

/** Writes a file so readers see the old content or the new, never half of it: temp file, fsync, rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  writeFilesAtomic([{ path, content, mode }]);
}

/**
 * Several files that belong together (a key pair): every one is complete in its temp file before
 * any gets its name, so a failure while writing leaves all of them as they were.
 */
export function writeFilesAtomic(files: ReadonlyArray<{ path: string; content: string | Uint8Array; mode?: number }>): void {
  const temps: string[] = [];
  try {
    for (const file of files) temps.push(writeTemp(file.path, file.content, file.mode ?? 0o644));
  } catch (error) {
    for (const temp of temps) rmSync(temp, { force: true });
    throw error;
  }
  files.forEach((file, index) => {
    try {
      renameSync(temps[index]!, file.path);
    } catch (error) {
      for (const temp of temps.slice(index)) rmSync(temp, { force: true });
      throw asOutputError(error, dirname(file.path));
    }
  });
}

/**
 * A directory a command writes into, made (with `inner`, a subdirectory, if given) and checked
 * writable before any work starts: a long run must not end in a failed write.
 */
export function prepareOutputDir(dir: string, flag: string, inner?: string): void {
  try {
    mkdirSync(inner ?? dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new UserError(`${flag} ${dir} is not a directory`, { code: 'OUTPUT_NOT_WRITABLE', hint: `choose a directory for ${flag}` });
    accessSync(inner ?? dir, constants.W_OK);
  } catch (error) {
    throw asOutputError(error, dir);
  }
}
