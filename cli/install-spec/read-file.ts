/**
 * Reads a spec file as UTF-8 text within fixed bounds, so a hostile or mistaken input (a directory,
 * a disk image, a 2 GiB log) costs at most one stat and 1 MiB of reading.
 */
import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { readUpTo, SIZE_CAPS } from '../lib/read-capped.js';
import type { Finding } from '../schema/issue.js';

export const MAX_SPEC_BYTES = SIZE_CAPS.spec;

export type ReadResult =
  | { ok: true; text: string }
  /** unreadable: the file could not be read at all (exit 2); invalid: it was read but is not text (exit 1). */
  | { ok: false; kind: 'unreadable' | 'invalid'; finding: Finding; line?: number; column?: number };

function fail(kind: 'unreadable' | 'invalid', code: string, message: string, hint: string, at?: { line: number; column: number }): ReadResult {
  return { ok: false, kind, finding: { severity: 'error', code, path: [], message, hint }, ...at };
}

export function readSpecFile(file: string): ReadResult {
  let fd: number;
  try {
    if (file !== '-' && statSync(file).isDirectory()) {
      return fail(
        'unreadable',
        'FILE_IS_DIRECTORY',
        `${file} is a directory, not a spec file`,
        'pass the YAML or JSON spec file inside it, e.g. installctl validate examples/*.yaml',
      );
    }
    fd = file === '-' ? 0 : openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('unreadable', 'FILE_NOT_FOUND', `no such file: ${file}`, 'check the path; installctl init writes a starter spec');
    return fail('unreadable', 'FILE_UNREADABLE', `cannot read ${file}: ${code ?? String(error)}`, 'check the file permissions');
  }
  try {
    if (file !== '-' && fstatSync(fd).size > MAX_SPEC_BYTES) return tooLarge(file);
    const bytes = readUpTo(fd, MAX_SPEC_BYTES);
    if (bytes === null) return tooLarge(file);
    return decode(bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail('unreadable', 'FILE_UNREADABLE', `cannot read ${file}: ${code ?? String(error)}`, 'check the file permissions');
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

function tooLarge(file: string): ReadResult {
  return fail('invalid', 'FILE_TOO_LARGE', `${file} is larger than 1 MiB; an install spec is a few KiB`, 'pass the install spec itself, not a bundle or a log');
}

function decode(bytes: Buffer): ReadResult {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail('invalid', 'FILE_NOT_UTF8', 'the file is UTF-16 encoded', 'save it as UTF-8');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return fail('invalid', 'FILE_BINARY', `the file is binary (a NUL byte at offset ${nul})`, 'pass a YAML or JSON text file', positionOf(bytes, nul));
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    return fail('invalid', 'FILE_NOT_UTF8', `the file is not valid UTF-8 (byte 0x${bytes[bad]!.toString(16)} at offset ${bad})`, 'save it as UTF-8', positionOf(bytes, bad));
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { ok: true, text: bytes.toString('utf8', start) };
}

function positionOf(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    // LF, CRLF and a lone CR each end a line, as the parser counts them (normalizeLineBreaks).
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let extra: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [extra, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [extra, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [extra, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += extra + 1;
  }
  return -1;
}
