/**
 * `installctl bundle verify`: offline. One streaming pass hashes every entry of the tar (nothing is
 * unpacked); then the signature is checked against the root digest and every blob against the
 * bundle manifest. Names each missing, extra or corrupted blob.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import tar from 'tar-stream';
import { UserError } from '../lib/errors.js';
import { DigestStream } from '../oci/types.js';
import { BundleFile } from '../bundle/reader.js';
import { signatureProblem, type BundleSignature } from '../bundle/keys.js';

export const VerifyExit = { ok: 0, badSignature: 3, badBlobs: 4 } as const;

export interface VerifyResult {
  ok: boolean;
  exitCode: number;
  rootDigest: string | null;
  /** valid, invalid, or unchecked (no --key given). */
  signature: 'valid' | 'invalid' | 'unchecked';
  signatureProblem: string | null;
  blobs: { expected: number; checked: number; bytes: number };
  missing: Array<{ digest: string; size: number; mediaType: string }>;
  extra: string[];
  corrupted: Array<{ digest: string; problem: string }>;
}

interface Seen {
  digest: string;
  size: number;
}

/** Hashes every entry in one pass: blobs/sha256/<hex> -> what its bytes really are. */
async function hashEntries(file: string): Promise<{ blobs: Map<string, Seen>; others: string[]; bytes: number }> {
  const blobs = new Map<string, Seen>();
  const others: string[] = [];
  let bytes = 0;
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const hasher = new DigestStream();
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    pipeline(stream, hasher, sink).then(() => {
      bytes += hasher.bytes;
      const match = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(header.name);
      if (match) blobs.set(`sha256:${match[1]}`, { digest: hasher.digest(), size: hasher.bytes });
      else if (header.name !== 'oci-layout' && header.name !== 'index.json') others.push(header.name);
      next();
    }, next);
  });
  try {
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), extract);
  } catch (error) {
    throw new UserError(`${file} is not a complete tar archive (${(error as Error).message})`, { code: 'BUNDLE_TRUNCATED', hint: 'the copy is incomplete or not a bundle; transfer it again and compare its size', exitCode: 4 });
  }
  return { blobs, others, bytes };
}

export async function verifyBundle(options: { file: string; key?: string | null; signature?: string | null }): Promise<VerifyResult> {
  if (!existsSync(options.file)) throw new UserError(`no such bundle: ${options.file}`, { code: 'FILE_NOT_FOUND', hint: 'check the path' });
  const seen = await hashEntries(options.file);
  const corrupted: VerifyResult['corrupted'] = [];
  for (const [name, actual] of seen.blobs) if (actual.digest !== name) corrupted.push({ digest: name, problem: `content hashes to ${actual.digest}` });

  let bundle: BundleFile | null = null;
  try {
    bundle = new BundleFile(options.file);
  } catch (error) {
    if (!(error instanceof UserError) || ['BUNDLE_INVALID', 'BUNDLE_TRUNCATED', 'FILE_NOT_FOUND'].includes(error.code)) throw error;
    // The chain itself (root, record or manifest) is damaged: report it as a blob problem.
    const match = /blob (sha256:[0-9a-f]{64})/.exec(error.message);
    if (match && !corrupted.some((entry) => entry.digest === match[1])) corrupted.push({ digest: match[1]!, problem: error.message });
  }
  const rootDigest = bundle?.rootDigest ?? null;

  let signature: VerifyResult['signature'] = 'unchecked';
  let problem: string | null = null;
  const signatureFile = options.signature ?? `${options.file}.sig`;
  const signatureText = existsSync(signatureFile) ? readFileSync(signatureFile, 'utf8') : null;
  let recorded: BundleSignature | null = null;
  try {
    recorded = signatureText === null ? null : (JSON.parse(signatureText) as BundleSignature);
  } catch {
    problem = `${signatureFile} is not a signature file`;
  }
  if (options.key) {
    problem ??= !recorded
      ? `no signature file ${signatureFile}`
      : !rootDigest
        ? 'the bundle has no readable root to check the signature against'
        : signatureProblem(recorded, rootDigest, options.key);
    signature = problem ? 'invalid' : 'valid';
  } else if (problem || (recorded && rootDigest && recorded.rootDigest !== rootDigest)) {
    // Without a key nothing proves who signed, but a signature of another bundle is still a mix-up worth stopping for.
    problem ??= `${signatureFile} is for root ${recorded!.rootDigest}, the bundle's root is ${rootDigest}`;
    signature = 'invalid';
  }

  const missing: VerifyResult['missing'] = [];
  const extra: string[] = [...seen.others];
  if (bundle) {
    const expected = new Map(bundle.manifest.blobs.map((blob) => [blob.digest, blob]));
    const chain = new Set([bundle.rootDigest, bundle.recordDigest, ...bundle.json<{ layers: Array<{ digest: string }>; config: { digest: string } }>(bundle.recordDigest).layers.map((layer) => layer.digest)]);
    const recordConfig = bundle.json<{ config: { digest: string } }>(bundle.recordDigest).config.digest;
    chain.add(recordConfig);
    for (const [digest, blob] of expected) {
      const actual = seen.blobs.get(digest);
      if (!actual) missing.push({ digest, size: blob.size, mediaType: blob.mediaType });
      else if (actual.size !== blob.size && !corrupted.some((entry) => entry.digest === digest)) corrupted.push({ digest, problem: `size ${actual.size}, the manifest says ${blob.size}` });
    }
    for (const digest of seen.blobs.keys()) if (!expected.has(digest) && !chain.has(digest)) extra.push(`blobs/sha256/${digest.slice(7)}`);
  }
  const blobsOk = missing.length === 0 && extra.length === 0 && corrupted.length === 0 && bundle !== null;
  const exitCode = signature === 'invalid' ? VerifyExit.badSignature : blobsOk ? VerifyExit.ok : VerifyExit.badBlobs;
  return {
    ok: exitCode === VerifyExit.ok,
    exitCode,
    rootDigest,
    signature,
    signatureProblem: problem,
    blobs: { expected: bundle?.manifest.blobs.length ?? 0, checked: seen.blobs.size, bytes: seen.bytes },
    missing,
    extra,
    corrupted,
  };
}
