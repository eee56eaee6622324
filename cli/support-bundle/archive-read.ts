/**
 * Reads a support bundle for `support-bundle analyze`: a file from a customer is hostile until
 * proven otherwise. Streamed (gunzip, then tar), never unpacked to disk; every entry must be a
 * regular file under support-bundle/ with a plain relative name (no .., no absolute path, no
 * backslash, no link or device), at most the file cap, at most MAX_ENTRIES entries and the total
 * cap in all (decompressed bytes counted as they come, so a gzip bomb stops at the cap). index.json
 * must list every other file with its SHA-256.
 */
import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import tar from 'tar-stream';
import { UserError } from '../lib/errors.js';
import { BUNDLE_API_VERSION, BUNDLE_CAPS, BUNDLE_KIND, BUNDLE_ROOT, INDEX_FILE, type BundleIndex } from './archive.js';

export const MAX_ENTRIES = 20_000;
/** Tar headers, padding and the end blocks on top of the files' bytes. */
const TAR_OVERHEAD = 16 * 1024 * 1024;

export interface ReadLimits {
  fileBytes: number;
  totalBytes: number;
  entries: number;
}

const DEFAULT_LIMITS: ReadLimits = { fileBytes: BUNDLE_CAPS.fileBytes, totalBytes: BUNDLE_CAPS.totalBytes, entries: MAX_ENTRIES };

export interface ReadBundle {
  index: BundleIndex;
  /** Files by path under support-bundle/ (index.json not included). */
  files: Map<string, Buffer>;
}

function invalid(file: string, problem: string): UserError {
  return new UserError(`${file} is not a support bundle installctl can read: ${problem}`, {
    code: 'SUPPORT_BUNDLE_INVALID',
    hint: 'pass the .tar.gz that installctl support-bundle wrote, as it was written',
  });
}

/** The path under support-bundle/ of an entry name, or the reason it is refused. */
export function entryPath(name: string): { path: string } | { problem: string } {
  if (!name.startsWith(`${BUNDLE_ROOT}/`)) return { problem: 'an entry outside support-bundle/' };
  const path = name.slice(BUNDLE_ROOT.length + 1);
  if (path === '' || name.includes('\\') || name.includes('\0')) return { problem: 'an entry with an unusable name' };
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return { problem: 'an entry whose name holds an empty, . or .. segment' };
  return { path };
}

/** Counts decompressed bytes and fails past the cap: the tar parser never sees more. */
function byteCap(max: number, onExceeded: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(onExceeded());
      else callback(null, chunk);
    },
  });
}

async function readEntries(file: string, limits: ReadLimits): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  let total = 0;
  let refusal: UserError | null = null;
  extract.on('entry', (header, stream, next) => {
    // A refused entry destroys the extractor, which destroys this entry's stream with the same error: handled here once.
    stream.on('error', () => {});
    const fail = (problem: string) => {
      refusal ??= invalid(file, problem);
      extract.destroy(refusal);
    };
    if (header.type !== 'file') return fail(`${JSON.stringify(header.name)} is a ${header.type ?? 'special'} entry, not a regular file`);
    const where = entryPath(header.name);
    if ('problem' in where) return fail(`${where.problem}: ${JSON.stringify(header.name)}`);
    if (files.has(where.path)) return fail(`${JSON.stringify(header.name)} appears twice`);
    if (files.size + 1 > limits.entries) return fail(`more than ${limits.entries} entries`);
    if ((header.size ?? 0) > limits.fileBytes) return fail(`${JSON.stringify(header.name)} is larger than the ${limits.fileBytes}-byte file cap`);
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (data) => {
      const chunk = data as Buffer;
      size += chunk.length;
      total += chunk.length;
      if (size > limits.fileBytes || total > limits.totalBytes) return fail(`more than the ${size > limits.fileBytes ? 'file' : 'total'} cap`);
      chunks.push(chunk);
    });
    stream.on('end', () => {
      files.set(where.path, Buffer.concat(chunks));
      next();
    });
  });
  const tooLarge = () => invalid(file, `more than ${limits.totalBytes} bytes once decompressed`);
  try {
    await pipeline(createReadStream(file), createGunzip(), byteCap(limits.totalBytes + TAR_OVERHEAD, tooLarge), extract);
  } catch (error) {
    // Set by the entry handler (a closure the compiler does not follow).
    const refused = refusal as UserError | null;
    if (refused) throw refused;
    if (error instanceof UserError) throw error;
    throw invalid(file, `not a gzipped tar (${(error as Error).message})`);
  }
  return files;
}

function parseIndex(file: string, bytes: Buffer | undefined): BundleIndex {
  if (!bytes) throw invalid(file, `no ${INDEX_FILE}`);
  let index: BundleIndex;
  try {
    index = JSON.parse(bytes.toString('utf8')) as BundleIndex;
  } catch {
    throw invalid(file, `${INDEX_FILE} is not JSON`);
  }
  if (index?.apiVersion !== BUNDLE_API_VERSION || index.kind !== BUNDLE_KIND || !Array.isArray(index.files)) throw invalid(file, `${INDEX_FILE} is not a ${BUNDLE_KIND} index`);
  return index;
}

/** The bundle's files, each checked against index.json (present, same SHA-256); nothing unlisted. */
export async function readBundleArchive(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<ReadBundle> {
  let regular: boolean;
  try {
    regular = statSync(file).isFile();
  } catch {
    throw new UserError(`no such support bundle: ${file}`, { code: 'FILE_NOT_FOUND', hint: 'check the path' });
  }
  if (!regular) throw invalid(file, 'not a regular file');
  const files = await readEntries(file, limits);
  const index = parseIndex(file, files.get(INDEX_FILE));
  files.delete(INDEX_FILE);
  const listed = new Set<string>();
  for (const entry of index.files) {
    const content = files.get(entry.path);
    if (!content) throw invalid(file, `${INDEX_FILE} lists ${JSON.stringify(entry.path)}, which is missing`);
    if (createHash('sha256').update(content).digest('hex') !== entry.sha256) throw invalid(file, `${JSON.stringify(entry.path)} does not match its SHA-256 in ${INDEX_FILE}`);
    listed.add(entry.path);
  }
  for (const path of files.keys()) if (!listed.has(path)) throw invalid(file, `${JSON.stringify(path)} is not listed in ${INDEX_FILE}`);
  return { index, files };
}
