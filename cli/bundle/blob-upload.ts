/**
 * Sends one blob from a bundle into a repository: monolithic (POST, then PUT with the bytes) when
 * it fits in one chunk, else chunked PATCHes in order with the acknowledged offset journaled after
 * each. A PATCH that fails is resumed from the offset the registry reports (GET on the upload URL),
 * not from zero; a session the registry no longer knows is started over. The bytes are hashed on
 * the way out and the upload is never committed when they do not match the blob's digest.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UserError } from '../lib/errors.js';
import { HttpError, TransientError } from '../oci/http.js';
import type { RegistryClient } from '../oci/registry.js';
import type { BundleFile } from './reader.js';
import type { PushJournal } from './push-journal.js';
import { bundleError } from './errors.js';

export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;

export interface BlobUploadContext {
  client: RegistryClient;
  bundle: BundleFile;
  journal: PushJournal;
  chunkSize: number;
  /** Attempts per chunk before giving up (the journal keeps the offset for a rerun). */
  retries: number;
  backoffMs: number;
  onBytes: (delta: number) => void;
  onResume?: (event: { digest: string; repository: string; offset: number }) => void;
  onRetry?: (event: { attempt: number; reason: string; delayMs: number }) => void;
  /** After each acknowledged chunk. */
  onChunk?: (event: { digest: string; repository: string; offset: number; size: number }) => void;
}

export interface BlobUploadResult {
  /** Bytes put on the wire for this blob (retries and restarts included). */
  bytesSent: number;
  /** Offset an earlier run's session was resumed at; null when the upload started from zero. */
  resumedFrom: number | null;
}

export function corruptBlob(bundle: BundleFile, digest: string, actual: string): UserError {
  return bundleError('BUNDLE_BLOB_CORRUPT', `blob ${digest} in ${bundle.file} is corrupted (its bytes hash to ${actual}); nothing that references it was pushed`, {
    hint: `run installctl bundle verify ${bundle.file} --key PUB, then re-transfer the bundle`,
    details: { digest, actual },
  });
}

/** Hashes and counts what flows through; with `expect`, fails the stream at its end on a mismatch. */
class HashingStream extends Transform {
  constructor(
    private readonly hash: Hash,
    private readonly onBytes: (delta: number) => void,
    private readonly expect?: { digest: string; fail: (actual: string) => Error },
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.onBytes(chunk.length);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.expect) return callback();
    const actual = `sha256:${this.hash.digest('hex')}`;
    // Failing before the body ends aborts the request: the registry never sees a complete upload.
    callback(actual === this.expect.digest ? null : this.expect.fail(actual));
  }
}

async function hashPrefix(bundle: BundleFile, digest: string, length: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (length > 0) await pipeline(bundle.stream(digest, 0, length - 1), new Writable({ write: (chunk: Buffer, _encoding, done) => (hash.update(chunk), done()) }));
  return hash;
}

/** The registry forgot the session or refuses it (e.g. restarted mid-chunk): start a new one. */
function sessionLost(error: unknown): boolean {
  return error instanceof HttpError && [400, 404, 416].includes(error.status);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendChunks(
  context: BlobUploadContext,
  repository: string,
  digest: string,
  size: number,
  start: { location: string; offset: number },
): Promise<{ location: string; bytesSent: number }> {
  const { client, bundle, journal } = context;
  let { location, offset } = start;
  let hash = await hashPrefix(bundle, digest, offset);
  let bytesSent = 0;
  let failures = 0;
  while (offset < size) {
    const end = Math.min(offset + context.chunkSize, size);
    const before = hash.copy();
    try {
      const from = offset;
      location = await client.patch(repository, location, from, end - from, () =>
        bundle.stream(digest, from, end - 1).pipe(new HashingStream(hash, (delta) => ((bytesSent += delta), context.onBytes(delta)))),
      );
      offset = end;
      failures = 0;
      journal.setSession(digest, { repository, location, offset });
      context.onChunk?.({ digest, repository, offset, size });
    } catch (error) {
      if (!(error instanceof TransientError) || ++failures > context.retries) throw error;
      const delayMs = Math.min(10_000, context.backoffMs * 2 ** (failures - 1));
      context.onRetry?.({ attempt: failures, reason: error.reason, delayMs });
      await sleep(delayMs);
      const status = await client.uploadStatus(repository, location, size);
      // The registry cannot hold more of this session than was sent to it: a larger offset is a lie.
      if (!status || status.offset > end) throw new HttpError(404, 'upload session lost', '');
      location = status.location;
      // Resume where the registry says it is; re-hash the prefix when that is not where the chunk began.
      hash = status.offset === offset ? before : await hashPrefix(bundle, digest, status.offset);
      offset = status.offset;
      journal.setSession(digest, { repository, location, offset });
    }
  }
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== digest) throw corruptBlob(bundle, digest, actual);
  return { location, bytesSent };
}

export async function uploadBlob(context: BlobUploadContext, repository: string, digest: string, size: number): Promise<BlobUploadResult> {
  const { client, bundle, journal } = context;
  let bytesSent = 0;
  let resumedFrom: number | null = null;
  let session: { location: string; offset: number } | null = null;
  const earlier = journal.session(digest);
  if (earlier && earlier.repository === repository) {
    const status = await client.uploadStatus(repository, earlier.location, size);
    if (status) {
      session = status;
      resumedFrom = status.offset;
      context.onResume?.({ digest, repository, offset: status.offset });
    } else journal.dropSession(digest);
  }
  for (let restarts = 0; ; restarts++) {
    try {
      if (!session) {
        session = { location: await client.startUpload(repository), offset: 0 };
        journal.setSession(digest, { repository, ...session });
      }
      if (session.offset === 0 && size <= context.chunkSize) {
        const hashing = () =>
          new HashingStream(createHash('sha256'), (delta) => ((bytesSent += delta), context.onBytes(delta)), { digest, fail: (actual) => corruptBlob(bundle, digest, actual) });
        await client.commit(repository, session.location, digest, { length: size, stream: () => bundle.stream(digest).pipe(hashing()) });
      } else {
        const sent = await sendChunks(context, repository, digest, size, session);
        bytesSent += sent.bytesSent;
        await client.commit(repository, sent.location, digest);
      }
      journal.commit(repository, digest);
      return { bytesSent, resumedFrom };
    } catch (error) {
      if (!sessionLost(error) || restarts >= 2) throw error;
      journal.dropSession(digest);
      session = null;
    }
  }
}
