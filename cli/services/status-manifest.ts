/**
 * How `installctl status` reads a render directory it must not trust: anyone may have edited DIR
 * since the render, or handed over a crafted one. manifest.json is read at most 16 MiB and its
 * shape checked value by value (a message names the bad one, quoted and escaped); every file path
 * it lists must be a plain relative path, and no symbolic link below DIR is ever followed (a render
 * writes none, and one could lead outside DIR). Nothing in DIR is written, moved or locked.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { formatCap, readUpTo, SIZE_CAPS } from '../lib/read-capped.js';
import { INVISIBLE, quoteForMessage } from '../lib/visible-text.js';
import { MANIFEST_FILE, MANIFEST_KIND } from '../emit/output-dir.js';

/** What status needs of manifest.json, checked. Keys it does not know are ignored: a newer installctl may add some. */
export interface StatusManifest {
  installctl: string;
  install: string;
  /** Null in renders by an installctl that did not record it (before issue 15). */
  release: string | null;
  spec: { file: string; sha256: string };
  cell: { id: string; status: string };
  files: Array<{ path: string; sha256: string; bytes: number }>;
}

/** A release version (schemas/install.schema.json#/$defs/release). */
export const RELEASE_VERSION = /^20[2-9][0-9]\.(1[0-2]|[1-9])\.(0|[1-9][0-9]*)$/;
const TOOL_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** Far more files than a render writes (about a hundred), and far larger ones: past these the manifest is not a render's. */
const MAX_FILES = 10_000;
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_TEXT = 4096;

const notARender = (dir: string, why: string) =>
  new UserError(`${dir} is not a render directory: ${why}`, {
    code: 'STATUS_NOT_A_RENDER',
    hint: 'pass the directory installctl render --out wrote',
  });

const invalid = (dir: string, why: string) =>
  new UserError(`${join(dir, MANIFEST_FILE)} is not a render manifest installctl can trust: ${why}`, {
    code: 'STATUS_MANIFEST_INVALID',
    hint: 're-render the directory (installctl render SPEC --out DIR), or restore manifest.json from the render',
  });

export type Opened = { fd: number; size: number } | { problem: 'missing' | 'not-a-file' | 'unreadable' };

function openProblem(error: unknown): Opened {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing' };
  if (code === 'ELOOP') return { problem: 'not-a-file' };
  return { problem: 'unreadable' };
}

/**
 * Opens DIR/relative for reading without following a symbolic link anywhere below DIR (DIR itself
 * may be one). A parent that is a file makes the file missing; a link in the path, a directory,
 * FIFO or device in its place is not-a-file. O_NOFOLLOW closes the race on the last component,
 * O_NONBLOCK keeps a FIFO swapped in from blocking the open.
 */
export function openInside(dir: string, relative: string): Opened {
  const parts = relative.split('/');
  let path = dir;
  for (const [index, part] of parts.entries()) {
    path = join(path, part);
    let stat;
    try {
      stat = lstatSync(path);
    } catch (error) {
      return openProblem(error);
    }
    if (stat.isSymbolicLink()) return { problem: 'not-a-file' };
    const last = index === parts.length - 1;
    if (last && !stat.isFile()) return { problem: 'not-a-file' };
    if (!last && !stat.isDirectory()) return { problem: 'missing' };
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return openProblem(error);
  }
  const stat = fstatSync(fd);
  if (stat.isFile()) return { fd, size: stat.size };
  closeSync(fd);
  return { problem: 'not-a-file' };
}

/** SHA-256 of an opened file, read in chunks up to its size (a file may grow while it is read: what is past is not hashed). */
export function hashOpened(fd: number, size: number): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(64 * 1024);
  for (let done = 0, n; done < size && (n = readSync(fd, buffer, 0, Math.min(buffer.length, size - done), null)) > 0; done += n) hash.update(buffer.subarray(0, n));
  return hash.digest('hex');
}

/** A file below DIR as text, at most maxBytes; null when it is missing, not a file, unreadable or too large. */
export function readInside(dir: string, relative: string, maxBytes: number): string | null {
  const opened = openInside(dir, relative);
  if ('problem' in opened) return null;
  try {
    return opened.size > maxBytes ? null : (readUpTo(opened.fd, maxBytes)?.toString('utf8') ?? null);
  } catch {
    return null;
  } finally {
    closeSync(opened.fd);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A short string without invisible characters, or the reason it is not. */
function textProblem(value: unknown, max = MAX_TEXT): string | null {
  if (typeof value !== 'string' || value === '') return 'not a non-empty string';
  if (value.length > max) return `longer than ${max} characters`;
  if (new RegExp(INVISIBLE.source, 'u').test(value)) return `${quoteForMessage(value)} holds a control or invisible character`;
  return null;
}

/** Why a listed path could lead outside DIR or is no path a render writes; null when it is a plain relative path. */
export function pathProblem(path: string): string | null {
  const text = textProblem(path);
  if (text) return text;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `${quoteForMessage(path)} is absolute`;
  if (path.includes('\\')) return `${quoteForMessage(path)} holds a backslash`;
  if (path.split('/').some((part) => part === '..')) return `${quoteForMessage(path)} leaves DIR (..)`;
  if (path.split('/').some((part) => part === '' || part === '.')) return `${quoteForMessage(path)} has an empty or . component`;
  if (path === MANIFEST_FILE) return `${quoteForMessage(path)} is the manifest itself`;
  return null;
}

function checkFiles(dir: string, value: unknown): StatusManifest['files'] {
  if (!Array.isArray(value)) throw invalid(dir, 'files is not a list');
  if (value.length > MAX_FILES) throw invalid(dir, `files lists ${value.length} entries, more than the ${MAX_FILES} a render could write`);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const at = `files[${index}]`;
    if (!isObject(entry)) throw invalid(dir, `${at} is not an object`);
    const problem = typeof entry.path === 'string' ? pathProblem(entry.path) : 'not a string';
    if (problem) throw invalid(dir, `${at}.path: ${problem}`);
    const path = entry.path as string;
    if (seen.has(path)) throw invalid(dir, `${at}.path: ${quoteForMessage(path)} is listed twice`);
    seen.add(path);
    if (typeof entry.sha256 !== 'string' || !SHA256.test(entry.sha256)) throw invalid(dir, `${at}.sha256 is not a SHA-256 in hex`);
    if (!Number.isSafeInteger(entry.bytes) || (entry.bytes as number) < 0 || (entry.bytes as number) > MAX_FILE_BYTES)
      throw invalid(dir, `${at}.bytes is not a size from 0 to ${formatCap(MAX_FILE_BYTES)}`);
    return { path, sha256: entry.sha256, bytes: entry.bytes as number };
  });
}

/** The checked manifest of a parsed manifest.json. */
export function checkManifest(dir: string, data: unknown): StatusManifest {
  if (!isObject(data)) throw invalid(dir, 'not a JSON object');
  if (data.kind !== MANIFEST_KIND) throw notARender(dir, `${MANIFEST_FILE} is not of kind ${MANIFEST_KIND}`);
  if (data.apiVersion !== 'installctl.dev/v1alpha1') throw invalid(dir, 'apiVersion is not installctl.dev/v1alpha1');
  if (typeof data.installctl !== 'string' || !TOOL_VERSION.test(data.installctl) || data.installctl.length > 64) throw invalid(dir, 'installctl is not a version');
  const installProblem = textProblem(data.install, 256);
  if (installProblem) throw invalid(dir, `install: ${installProblem}`);
  if (data.release !== undefined && (typeof data.release !== 'string' || !RELEASE_VERSION.test(data.release))) throw invalid(dir, 'release is not a release version (2026.11.0)');
  const spec = data.spec;
  if (!isObject(spec)) throw invalid(dir, 'spec is not an object');
  const fileProblem = typeof spec.file === 'string' && spec.file.includes('/') ? `${quoteForMessage(spec.file)} is not a file name` : textProblem(spec.file, 255);
  if (fileProblem || spec.file === '.' || spec.file === '..') throw invalid(dir, `spec.file: ${fileProblem ?? 'not a file name'}`);
  if (typeof spec.sha256 !== 'string' || !SHA256.test(spec.sha256)) throw invalid(dir, 'spec.sha256 is not a SHA-256 in hex');
  const cell = data.cell;
  if (!isObject(cell) || textProblem(cell.id, 256) || textProblem(cell.status, 64)) throw invalid(dir, 'cell is not {id, status}');
  return {
    installctl: data.installctl,
    install: data.install as string,
    release: (data.release as string | undefined) ?? null,
    spec: { file: spec.file as string, sha256: spec.sha256 },
    cell: { id: cell.id as string, status: cell.status as string },
    files: checkFiles(dir, data.files),
  };
}

/** DIR's manifest, read and checked; a user error when DIR is not a render or its manifest cannot be trusted. */
export function readStatusManifest(dir: string): StatusManifest {
  try {
    if (!statSync(dir).isDirectory()) throw notARender(dir, 'it is not a directory');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw notARender(dir, code === 'ENOENT' ? 'no such directory' : `it cannot be read (${code ?? String(error)})`);
  }
  const opened = openInside(dir, MANIFEST_FILE);
  if ('problem' in opened) {
    if (opened.problem === 'missing') throw notARender(dir, `it holds no ${MANIFEST_FILE}`);
    throw invalid(dir, opened.problem === 'not-a-file' ? 'it is a symbolic link or not a file' : 'it cannot be read');
  }
  let bytes: Buffer | null;
  try {
    bytes = opened.size > SIZE_CAPS.renderState ? null : readUpTo(opened.fd, SIZE_CAPS.renderState);
  } catch (error) {
    throw invalid(dir, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    closeSync(opened.fd);
  }
  if (bytes === null) throw invalid(dir, `it is larger than ${formatCap(SIZE_CAPS.renderState)}`);
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(dir, 'it is not JSON');
  }
  return checkManifest(dir, data);
}
