/**
 * `installctl bundle verify`: offline. The bundle is indexed once by the same strict reader push
 * uses (cli/oci/tar-index.ts), its root chain and structure are checked (every referenced blob
 * present with its size, nothing unlisted), the signature against the root digest, and then one
 * sequential pass hashes every entry by its offset (nothing is unpacked). Names each missing,
 * extra or corrupted blob.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { KeyObject } from 'node:crypto';
import { UserError, withUserErrors } from '../lib/errors.js';
import { EXIT_OK, exitCodeOf } from '../lib/error-catalogue.js';
import { DigestStream } from '../oci/types.js';
import { indexTar, type TarEntry } from '../oci/tar-index.js';
import { BundleFile } from '../bundle/reader.js';
import { inspectStructure } from '../bundle/structure.js';
import { blobOwners, type BlobOwner } from '../bundle/blob-owners.js';
import { bundleError } from '../bundle/errors.js';
import { loadKey, readSignature, signatureProblem } from '../bundle/keys.js';
import { requireKey, SIGNATURE_SKIPPED } from '../bundle/signature-policy.js';

export interface VerifyResult {
  ok: boolean;
  /** 0, or the catalogue's exit of the failure (schemas/cli-output.schema.json#/$defs/bundleVerify allows 0, 3, 4). */
  exitCode: 0 | 3 | 4;
  rootDigest: string | null;
  /** valid, invalid, or SIGNATURE_SKIPPED (--allow-unsigned, no --key). */
  signature: 'valid' | 'invalid' | typeof SIGNATURE_SKIPPED;
  signatureProblem: string | null;
  blobs: { expected: number; checked: number; bytes: number };
  /** Each with the artifacts it belongs to (image, chart, weights...; none for a blob nothing lists). */
  missing: Array<{ digest: string; size: number; mediaType: string; artifacts: BlobOwner[] }>;
  extra: string[];
  corrupted: Array<{ digest: string; problem: string; artifacts: BlobOwner[] }>;
}

async function hashEntry(file: string, entry: TarEntry): Promise<string> {
  const hasher = new DigestStream();
  if (entry.size === 0) return hasher.digest();
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  await pipeline(createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 1 << 20 }), hasher, sink);
  if (hasher.bytes !== entry.size) throw bundleError('BUNDLE_TRUNCATED', `${file} changed while it was verified`, { hint: 'do not write to the bundle while it is verified' });
  return hasher.digest();
}

/** Hashes every blob entry in file order: blobs/sha256/<hex> -> what its bytes really hash to. */
async function hashEntries(file: string, entries: Map<string, TarEntry>): Promise<{ blobs: Map<string, string>; bytes: number }> {
  const blobs = new Map<string, string>();
  let bytes = 0;
  for (const entry of [...entries.values()].sort((a, b) => a.offset - b.offset)) {
    const digest = await hashEntry(file, entry);
    bytes += entry.size;
    if (entry.name.startsWith('blobs/sha256/')) blobs.set(`sha256:${entry.name.slice(13)}`, digest);
  }
  return { blobs, bytes };
}

function checkSignature(signatureFile: string, rootDigest: string | null, key: { object: KeyObject; file: string } | null): Pick<VerifyResult, 'signature' | 'signatureProblem'> {
  // --allow-unsigned skips the signature entirely, as push does: FILE.sig is not even read.
  if (!key) return { signature: SIGNATURE_SKIPPED, signatureProblem: null };
  const read = readSignature(signatureFile);
  const problem =
    read.problem ?? (!rootDigest ? 'the bundle has no readable root to check the signature against' : signatureProblem(read.signature!, rootDigest, key.object, key.file));
  return { signature: problem ? 'invalid' : 'valid', signatureProblem: problem };
}

type VerifyOptions = { file: string; key?: string | null; allowUnsigned?: boolean; signature?: string | null };

/** The service boundary: an OciError of the layers below leaves as the UserError the catalogue makes of it. */
export function verifyBundle(options: VerifyOptions): Promise<VerifyResult> {
  return withUserErrors(() => verify(options));
}

async function verify(options: VerifyOptions): Promise<VerifyResult> {
  // The key first: a missing or bad --key is a usage error whatever the bundle holds.
  requireKey('verify', options.key, options.allowUnsigned);
  const key = options.key ? { object: loadKey(options.key, 'public'), file: options.key } : null;
  const entries = indexTar(options.file);
  const corrupted: Array<Omit<VerifyResult['corrupted'][number], 'artifacts'>> = [];
  const missing: Array<Omit<VerifyResult['missing'][number], 'artifacts'>> = [];
  const extra: string[] = [];

  let bundle: BundleFile | null = null;
  try {
    bundle = new BundleFile(options.file, entries);
  } catch (error) {
    if (!(error instanceof UserError) || !['BUNDLE_BLOB_MISSING', 'BUNDLE_BLOB_CORRUPT'].includes(error.code)) throw error;
    // The chain itself (root, record or manifest) is damaged: report it as a blob problem.
    const digest = String(error.details!.digest);
    if (error.code === 'BUNDLE_BLOB_MISSING') missing.push({ digest, size: 0, mediaType: 'unknown' });
    else corrupted.push({ digest, problem: error.message });
  }
  const rootDigest = bundle?.rootDigest ?? null;
  const signature = checkSignature(options.signature ?? `${options.file}.sig`, rootDigest, key);

  if (bundle) {
    const structure = inspectStructure(bundle);
    missing.push(...structure.missing);
    corrupted.push(...structure.corrupted);
    extra.push(...structure.extra);
  }
  const seen = await hashEntries(options.file, entries);
  for (const [name, actual] of seen.blobs) {
    if (actual !== name && !corrupted.some((entry) => entry.digest === name)) corrupted.push({ digest: name, problem: `content hashes to ${actual}` });
  }
  const owners = bundle ? blobOwners(bundle) : new Map<string, BlobOwner[]>();
  const owned = <T extends { digest: string }>(blob: T) => ({ ...blob, artifacts: owners.get(blob.digest) ?? [] });
  const blobsOk = missing.length === 0 && extra.length === 0 && corrupted.length === 0 && bundle !== null;
  // The exit codes of the errors push would stop on for the same bundle.
  const exitCode = verifyExit(signature.signature === 'invalid' ? exitCodeOf('BUNDLE_SIGNATURE_INVALID') : blobsOk ? EXIT_OK : exitCodeOf('BUNDLE_BLOB_CORRUPT'));
  return {
    ok: exitCode === EXIT_OK,
    exitCode,
    rootDigest,
    ...signature,
    blobs: { expected: bundle?.manifest.blobs.length ?? 0, checked: seen.blobs.size, bytes: seen.bytes },
    missing: missing.map(owned),
    extra,
    corrupted: corrupted.map(owned),
  };
}

/** The exit codes bundle verify's output schema allows; the catalogue giving another is a bug. */
function verifyExit(code: number): VerifyResult['exitCode'] {
  if (code === 0 || code === 3 || code === 4) return code;
  throw new Error(`bundle verify exits 0, 3 or 4 (schemas/cli-output.schema.json), the catalogue gave ${code}`);
}
