/**
 * Every file installctl reads from outside its own package is read with a size cap, so a hostile or
 * mistaken input (/dev/zero, a FIFO, a 2 GiB log passed as a key) costs at most the cap in memory
 * and time. The caps live here, in one table, so the README's "Security model" and the tests
 * name the same numbers.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { UserError } from './errors.js';
import type { StoppingCode } from './error-catalogue.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The largest input of each kind installctl accepts (README "Security model"). */
export const SIZE_CAPS = {
  /** An install spec (YAML or JSON). */
  spec: 1 * MiB,
  /** A relocation map written by bundle push. */
  relocationMap: 16 * MiB,
  /** An ed25519 key file (PEM). */
  key: 64 * KiB,
  /** A detached bundle signature (JSON). */
  signature: 64 * KiB,
  /** A PEM CA bundle (--ca-file). */
  caFile: 4 * MiB,
  /** The push journal written next to a bundle. */
  pushJournal: 64 * MiB,
  /** JSON documents inside a bundle or an OCI layout: index.json, manifests, indexes, the bundle record. */
  ociDocument: 4 * MiB,
  /** A pax extended header or GNU long name inside a bundle tar (it names one entry). */
  tarExtendedHeader: 64 * KiB,
  /** A render's manifest.json and Pulumi stack file, read back on re-render and by status (its values layer too). */
  renderState: 16 * MiB,
  /** A conformance report given to conformance merge. */
  conformanceReport: 64 * MiB,
  /** One entry of the conformance result cache (--cache-dir): a stage group's outputs or one Helm run's output. */
  conformanceCacheEntry: 16 * MiB,
  /** A password or token read from standard input. */
  stdinSecret: 64 * KiB,
  /** A registry response body that installctl reads whole (errors, token responses, manifests). */
  registryResponse: 4 * MiB,
  /** The Docker config ($DOCKER_CONFIG/config.json or ~/.docker/config.json) registry credentials are read from. */
  dockerConfig: 1 * MiB,
  /** What a Docker credential helper (docker-credential-NAME get) prints on stdout, and on stderr. */
  credentialHelperOutput: 64 * KiB,
  /** What git prints for conformance --affected (changed paths) and the report's commit. */
  gitOutput: 16 * MiB,
  /** Preflight evidence given to `preflight --from-evidence` (or inside a support bundle). */
  preflightEvidence: 64 * MiB,
  /** A kubeconfig, and each file it names (CA, client certificate and key, token file). */
  kubeconfig: 4 * MiB,
  /** One Kubernetes API response read whole (a page of a list, a Pod log read by preflight --active). */
  kubernetesResponse: 64 * MiB,
} as const;

export type CapKind = keyof typeof SIZE_CAPS;

export interface ReadCappedOptions {
  /** What the file is, for messages: "relocation map", "public key". */
  what: string;
  /** The cap in bytes (usually SIZE_CAPS[kind]). */
  maxBytes: number;
  /** Code for a file over the cap (default FILE_TOO_LARGE). */
  tooLargeCode?: StoppingCode;
  hint?: string;
}

/**
 * Reads up to maxBytes + 1 bytes from an open descriptor; null when there is more (the input is
 * over the cap). Works for regular files, character devices, FIFOs and stdin alike.
 */
export function readUpTo(fd: number, maxBytes: number): Buffer | null {
  const buffer = Buffer.alloc(Math.min(maxBytes + 1, 64 * KiB));
  let chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, Math.min(buffer.length, maxBytes + 1 - length), null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw error;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    length += n;
    if (length > maxBytes) {
      chunks = [];
      return null;
    }
  }
  return Buffer.concat(chunks, length);
}

function fileError(file: string, options: ReadCappedOptions, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserError(`no such ${options.what}: ${file}`, { code: 'FILE_NOT_FOUND', hint: options.hint ?? 'check the path' });
  return new UserError(`cannot read ${options.what} ${file}: ${code ?? String(error)}`, { code: 'FILE_UNREADABLE', hint: 'check the path and its permissions' });
}

/** The whole file, at most options.maxBytes; a user error for a missing, unreadable, directory or oversized input. */
export function readFileCapped(file: string, options: ReadCappedOptions): Buffer {
  let fd: number;
  try {
    if (statSync(file).isDirectory())
      throw new UserError(`${file} is a directory, not a ${options.what}`, { code: 'FILE_IS_DIRECTORY', hint: options.hint ?? 'pass the file itself' });
    fd = openSync(file, 'r');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw fileError(file, options, error);
  }
  const tooLarge = () =>
    new UserError(`${file} is larger than ${formatCap(options.maxBytes)}, the most a ${options.what} may be`, {
      code: options.tooLargeCode ?? 'FILE_TOO_LARGE',
      hint: options.hint ?? `pass the ${options.what} itself`,
    });
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > options.maxBytes) throw tooLarge();
    const bytes = readUpTo(fd, options.maxBytes);
    if (bytes === null) throw tooLarge();
    return bytes;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw fileError(file, options, error);
  } finally {
    closeSync(fd);
  }
}

/** readFileCapped decoded as UTF-8 text. */
export function readTextCapped(file: string, options: ReadCappedOptions): string {
  return readFileCapped(file, options).toString('utf8');
}

/** "16 MiB", "64 KiB": caps are whole powers of 1024. */
export function formatCap(bytes: number): string {
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} bytes`;
}
