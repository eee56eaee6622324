/**
 * A support bundle on disk: one gzipped tar, byte-for-byte reproducible from its contents. Every
 * entry sits under support-bundle/, in the order the caller lists them (fixed by the layout), with
 * a fixed mtime (the epoch), uid/gid 0, mode 0644 and no user names; gzip writes no file name and
 * no mtime. The first entry is index.json: every other file with its SHA-256 and size, what was
 * truncated and what was left out to stay within the caps (a file cap, then a total cap).
 */
import { createHash } from 'node:crypto';
import { reproducibleTarGz } from '../lib/reproducible-tar.js';

export const BUNDLE_ROOT = 'support-bundle';
export const INDEX_FILE = 'index.json';
export const BUNDLE_KIND = 'SupportBundle';
export const BUNDLE_API_VERSION = 'installctl.dev/v1alpha1';

const MiB = 1024 * 1024;

/** The caps a bundle is written within (README "Security model" names them). */
export const BUNDLE_CAPS = {
  /** One file of the bundle (a JSON list, one container's log). */
  fileBytes: 8 * MiB,
  /** Everything in the bundle, before compression; past it, files (logs first) are left out. */
  totalBytes: 256 * MiB,
  /** One container's log. */
  logBytes: 2 * MiB,
} as const;

export interface BundleFile {
  /** Path under support-bundle/, forward slashes, no . or .. segments. */
  path: string;
  content: string;
  /** Why the content is shorter than what was collected (e.g. "max-log-lines"); null when whole. */
  truncated: string | null;
}

export interface IndexedFile {
  path: string;
  bytes: number;
  sha256: string;
  truncated: string | null;
}

export interface BundleIndex {
  apiVersion: typeof BUNDLE_API_VERSION;
  kind: typeof BUNDLE_KIND;
  installctl: string;
  collectedAt: string;
  install: { name: string; cell: string; specSha256: string };
  options: Record<string, unknown>;
  caps: typeof BUNDLE_CAPS;
  files: IndexedFile[];
  /** Files not written at all, to stay within the total cap. */
  omitted: Array<{ path: string; bytes: number; reason: string }>;
}

export interface ArchiveResult {
  bytes: Buffer;
  index: BundleIndex;
}

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** A file over the file cap, cut at a line break (a UTF-8 character is never split). */
export function capContent(file: BundleFile, maxBytes: number): BundleFile {
  if (Buffer.byteLength(file.content) <= maxBytes) return file;
  const cut = Buffer.from(file.content)
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  const atLine = cut.lastIndexOf('\n');
  const kept = atLine > 0 ? cut.slice(0, atLine + 1) : cut;
  return { ...file, content: kept, truncated: file.truncated ? `${file.truncated}, file-cap` : 'file-cap' };
}

/**
 * Applies the caps: each file to caps.fileBytes, then files in order until caps.totalBytes; a file
 * that would pass the total is left out (named in index.omitted), later smaller ones may still fit.
 */
export function withinCaps(files: readonly BundleFile[], caps: typeof BUNDLE_CAPS = BUNDLE_CAPS): { kept: BundleFile[]; omitted: BundleIndex['omitted'] } {
  const kept: BundleFile[] = [];
  const omitted: BundleIndex['omitted'] = [];
  let total = 0;
  for (const file of files) {
    const capped = capContent(file, caps.fileBytes);
    const bytes = Buffer.byteLength(capped.content);
    if (total + bytes > caps.totalBytes) {
      omitted.push({ path: file.path, bytes, reason: 'total-cap' });
      continue;
    }
    total += bytes;
    kept.push(capped);
  }
  return { kept, omitted };
}

/** The bundle's bytes (gzipped tar, index.json first) and its index. Same files in, same bytes out. */
export async function writeBundleArchive(
  header: Omit<BundleIndex, 'files' | 'omitted' | 'caps'>,
  files: readonly BundleFile[],
  caps: typeof BUNDLE_CAPS = BUNDLE_CAPS,
): Promise<ArchiveResult> {
  const { kept, omitted } = withinCaps(files, caps);
  const indexed: IndexedFile[] = kept.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.content), sha256: sha256(file.content), truncated: file.truncated }));
  const index: BundleIndex = { ...header, caps, files: indexed, omitted };
  const entries = [
    { name: `${BUNDLE_ROOT}/${INDEX_FILE}`, content: Buffer.from(JSON.stringify(index, null, 2) + '\n') },
    ...kept.map((file) => ({ name: `${BUNDLE_ROOT}/${file.path}`, content: Buffer.from(file.content) })),
  ];
  return { bytes: await reproducibleTarGz(entries), index };
}

/** A path segment from the cluster (a pod or container name), safe in a tar path: no separators, no . or ... */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return cleaned === '' || /^\.+$/.test(cleaned) ? `_${cleaned.replace(/\./g, '_')}` : cleaned;
}
