/**
 * What a re-render keeps of the directory it replaces. The render owns the files its manifest
 * lists, as it wrote them; everything else there belongs to the operator (pulumi/node_modules after
 * `npm ci`, generated passwords, `pulumi config set --secret` values and the stack's encryption salt)
 * and must survive a re-render, or the next `pulumi up` would lose its secrets. That includes a file
 * the earlier render wrote and this one no longer produces (a stack file after `metadata.name`
 * changed, model-server values after switching to saas-api) when the operator changed it since, or
 * when it is a stack file holding Pulumi state: only what installctl wrote, untouched, may go.
 */
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  symlinkSync,
  utimesSync,
  type Stats,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { compareText } from '../lib/compare.js';
import { UserError } from '../lib/errors.js';
import { outputError } from '../lib/atomic-write.js';
import { readTextCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { readRenderManifest } from './output-dir.js';

export interface ListedFile {
  sha256: string | null;
  bytes: number | null;
}

export interface PreviousRender {
  dir: string;
  /** Files the earlier render wrote, as its manifest lists them (manifest.json itself is not listed). */
  listed: Map<string, ListedFile>;
}

const readRenderState = (file: string, what: string) => readTextCapped(file, { what, maxBytes: SIZE_CAPS.renderState });

export function previousRender(dir: string): PreviousRender | null {
  // Read once: the manifest that says dir is an earlier render is the one whose files are listed.
  const manifest = readRenderManifest(dir);
  if (!manifest) return null;
  const listed = new Map<string, ListedFile>();
  for (const file of Array.isArray(manifest.files) ? (manifest.files as Array<Record<string, unknown>>) : []) {
    if (typeof file?.path !== 'string') continue;
    listed.set(file.path, {
      sha256: typeof file.sha256 === 'string' && /^[0-9a-f]{64}$/.test(file.sha256) ? file.sha256 : null,
      bytes: typeof file.bytes === 'number' ? file.bytes : null,
    });
  }
  return { dir, listed };
}

/** SHA-256 of a file, read in chunks: an operator's file may be large. */
export function fileSha256(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(64 * 1024);
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, n));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** A Pulumi stack file of a render (not Pulumi.yaml): Pulumi writes secure values and the stack's encryption keys into it. */
export const STACK_FILE = /^pulumi\/Pulumi\.[^/]+\.ya?ml$/;

/** Whether a stack file holds what Pulumi wrote: a secure value or the stack's encryption keys. Loose on purpose: a false "yes" only keeps a file. */
export function holdsPulumiState(text: string): boolean {
  return /(?:^|[\s{,"'])(?:secure|encryptionsalt|encryptedkey|secretsprovider)["']?\s*:/m.test(text);
}

/** Whether a listed file the new render does not produce is the operator's now: changed since installctl wrote it, or Pulumi state. */
function operatorOwnsListed(file: string, path: string, listed: ListedFile, stat: Stats): boolean {
  if (!stat.isFile()) return true;
  try {
    if (STACK_FILE.test(path) && holdsPulumiState(readRenderState(file, 'Pulumi stack file'))) return true;
    return listed.sha256 === null || listed.bytes !== stat.size || fileSha256(file) !== listed.sha256;
  } catch {
    // Unreadable or oversized: not provably installctl's, so it is kept.
    return true;
  }
}

function mountedInside(dir: string, path: string): UserError {
  return new UserError(`${join(dir, path)} is on another file system (a mount point): a render replaces ${dir} by renaming it and cannot take a mount along`, {
    code: 'RENDER_OUT_UNSAFE',
    hint: `mount it outside ${dir} (a symbolic link to it inside ${dir} is kept), or render into another directory`,
  });
}

/**
 * Entries of the previous directory the render does not own, shallowest first: a directory
 * holding no listed or produced file is kept whole (one entry), others are descended into.
 */
export function operatorEntries(previous: PreviousRender, produced: ReadonlySet<string>): string[] {
  const renderedDirs = new Set(
    [...previous.listed.keys(), ...produced].flatMap((path) =>
      path
        .split('/')
        .slice(0, -1)
        .map((_, index, parts) => parts.slice(0, index + 1).join('/')),
    ),
  );
  const device = lstatSync(previous.dir).dev;
  const kept: string[] = [];
  const walk = (relative: string) => {
    let names: string[];
    try {
      names = readdirSync(join(previous.dir, relative));
    } catch (error) {
      throw carryOverError(error, join(previous.dir, relative), dirname(previous.dir));
    }
    for (const name of names.sort(compareText)) {
      const path = relative ? `${relative}/${name}` : name;
      if (produced.has(path)) continue;
      const file = join(previous.dir, path);
      const stat = lstatSync(file);
      if (stat.dev !== device) throw mountedInside(previous.dir, path);
      const listed = previous.listed.get(path);
      if (listed) {
        if (operatorOwnsListed(file, path, listed, stat)) kept.push(path);
      } else if (stat.isDirectory() && renderedDirs.has(path)) walk(path);
      else kept.push(path);
    }
  };
  walk('');
  return kept;
}

/** A file's content and mode at target, for when a hard link is not allowed (fs.protected_hardlinks, another owner). */
function copyPreserving(source: string, target: string, stat: Stats): void {
  copyFileSync(source, target, constants.COPYFILE_EXCL);
  chmodSync(target, stat.mode & 0o7777);
  utimesSync(target, stat.atimeMs / 1000, stat.mtimeMs / 1000);
}

const LINK_REFUSED = new Set(['EPERM', 'EXDEV', 'EMLINK']);

function carryOverError(error: unknown, source: string, writingIn: string): unknown {
  if (error instanceof UserError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(`cannot carry ${source} over into the new render: ${code === 'EACCES' ? 'permission denied' : 'operation not permitted'}`, {
      code: 'RENDER_CARRY_OVER_FAILED',
      hint: 'a re-render keeps every file of the directory that installctl did not write; make it readable by this user, or move it out of the directory',
    });
  }
  return outputError(error, writingIn) ?? error;
}

/**
 * Links the kept entries into the staging directory: no bytes copied, the old names go with the old
 * directory. A file that may not be hard-linked is copied with its mode and times (its owner becomes
 * the user running installctl). Directories are recreated with their modes, set once they are filled.
 */
export function linkEntries(fromDir: string, toDir: string, entries: readonly string[], link: (source: string, target: string) => void = linkSync): void {
  const device = lstatSync(fromDir).dev;
  const carry = (path: string) => {
    const source = join(fromDir, path);
    const target = join(toDir, path);
    const stat = lstatSync(source);
    if (stat.dev !== device) throw mountedInside(fromDir, path);
    mkdirSync(dirname(target), { recursive: true });
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stat.isDirectory()) {
      mkdirSync(target, { mode: 0o700 });
      for (const name of readdirSync(source).sort(compareText)) carry(`${path}/${name}`);
      chmodSync(target, stat.mode & 0o7777);
    } else if (stat.isFile()) {
      try {
        link(source, target);
      } catch (error) {
        if (!LINK_REFUSED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        copyPreserving(source, target, stat);
      }
    }
    // Sockets and FIFOs are not state worth carrying.
  };
  for (const entry of entries) {
    try {
      carry(entry);
    } catch (error) {
      throw carryOverError(error, join(fromDir, entry), dirname(toDir));
    }
  }
}

/** Top-level keys Pulumi writes into a stack file to decrypt its secrets. */
const ENCRYPTION_KEYS = ['secretsprovider', 'encryptedkey', 'encryptionsalt'];

/**
 * The new stack file, plus what `pulumi config set --secret` and `pulumi stack init` wrote into the
 * old one: `secure:` values of keys the render does not set, and the encryption keys. Plain values
 * are the render's to decide (re-rendering is how settings change).
 */
export function mergeStackConfig(previousText: string, renderedText: string): string {
  let old: Document;
  try {
    old = parseDocument(previousText);
    if (old.errors.length) return renderedText;
  } catch {
    return renderedText;
  }
  const next = parseDocument(renderedText);
  let changed = false;
  for (const key of ENCRYPTION_KEYS) {
    const value = old.get(key);
    if (value !== undefined && value !== null) {
      next.set(key, value);
      changed = true;
    }
  }
  const oldConfig = old.get('config');
  if (isMap(oldConfig)) {
    for (const pair of oldConfig.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (!key || !isMap(pair.value) || !pair.value.has('secure')) continue;
      if (next.hasIn(['config', key])) continue;
      next.setIn(['config', key], { secure: String(pair.value.get('secure')) });
      changed = true;
    }
  }
  return changed ? next.toString({ lineWidth: 0 }) : renderedText;
}

/** The previous stack file's text, when the earlier render wrote one at this path. */
export function previousStackFile(previous: PreviousRender | null, path: string): string | null {
  if (!previous || !previous.listed.has(path)) return null;
  const file = join(previous.dir, path);
  return existsSync(file) ? readRenderState(file, 'Pulumi stack file') : null;
}
