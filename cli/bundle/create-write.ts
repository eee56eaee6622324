/**
 * `bundle create`, writing: the root (a bundle record, an artifact whose layer is the bundle
 * manifest, plus every top-level item) under one root index, streamed with every blob into one tar
 * whose root is an OCI image layout, and the root digest signed (detached, ed25519). Blobs stream
 * from their sources into the tar with their digests checked on the way; nothing is unpacked and no
 * blob is held whole in memory.
 */
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import tar from 'tar-stream';
import { packageVersion } from '../lib/package-root.js';
import { asOutputError, writeFileAtomic } from '../lib/atomic-write.js';
import { DigestStream, MEDIA, REF_NAME, type Descriptor, type ImageIndex } from '../oci/types.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { artifactManifest, BlobSet } from './contents.js';
import { BUNDLE_ARTIFACT_TYPE, BUNDLE_RECORD_REPOSITORY, type BundleManifest } from './manifest.js';
import { signRoot, type BundleSignature } from './keys.js';
import { bundleError } from './errors.js';
import type { Gathered } from './create-contents.js';
import type { CreateEvent } from './create-progress.js';

/** The root blobs and the layout's index.json: what the tar starts with. */
export interface BundleRoot {
  root: BlobSet;
  /** The digests of the root index, the record and the manifest: the tar's first blobs. */
  first: string[];
  rootDigest: string;
  /** index.json of the layout: the root index, named "bundle". */
  layout: Buffer;
}

/** The root: a bundle record (an artifact whose layer is the manifest) plus every top-level item. */
export function bundleRoot(manifest: BundleManifest, settings: InstallSettings, gathered: Gathered, blobs: BlobSet): BundleRoot {
  const { images, charts, render, plugins, weights } = gathered;
  const root = new BlobSet();
  const manifestBlob = root.json(manifest, MEDIA.bundleManifest);
  const record = artifactManifest(root, BUNDLE_ARTIFACT_TYPE, [manifestBlob], undefined, { 'org.opencontainers.image.title': `${settings.name} ${settings.release}` });
  const entry = (descriptor: Pick<Descriptor, 'digest' | 'mediaType'>, ref: string): Descriptor => ({
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: (root.blobs.get(descriptor.digest) ?? blobs.blobs.get(descriptor.digest))!.size,
    annotations: { [REF_NAME]: ref },
  });
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [
      entry(record, `${BUNDLE_RECORD_REPOSITORY}:${settings.name}-${settings.release}`),
      ...images.map((image) => entry(image, image.source)),
      ...[...charts, render, plugins.artifact, ...weights.artifacts].map((artifact) => entry(artifact, `${artifact.repository}:${artifact.tag}`)),
    ],
    annotations: { 'dev.installctl.install': settings.name, 'dev.installctl.cell': settings.cell, 'dev.installctl.version': packageVersion() },
  };
  const rootBlob = root.json(index, MEDIA.index);
  const layout = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: [{ ...rootBlob, annotations: { [REF_NAME]: 'bundle' } }] }));
  return { root, first: [rootBlob.digest, record.digest, manifestBlob.digest], rootDigest: rootBlob.digest, layout };
}

/**
 * Bundle and signature are both complete on disk before either gets its name; on any failure
 * only what this run created is removed (never a file that was there before it).
 */
export async function writeSignedBundle(out: string, bundle: BundleRoot, blobs: BlobSet, privateKey: KeyObject, progress: (event: CreateEvent) => void): Promise<void> {
  const temp = `${out}.partial-${process.pid}`;
  const signatureTemp = `${out}.sig.partial-${process.pid}`;
  const existed = existsSync(out);
  let renamed = false;
  try {
    progress({ type: 'phase', phase: 'write' });
    await writeTar(temp, bundle.layout, bundle.first, bundle.root, blobs, progress);
    progress({ type: 'phase', phase: 'sign' });
    const signature: BundleSignature = signRoot(bundle.rootDigest, privateKey);
    writeFileAtomic(signatureTemp, JSON.stringify(signature, null, 2) + '\n');
    renameSync(temp, out);
    renamed = true;
    renameSync(signatureTemp, `${out}.sig`);
  } catch (error) {
    rmSync(temp, { force: true });
    rmSync(signatureTemp, { force: true });
    if (renamed && !existed) rmSync(out, { force: true });
    throw asOutputError(error, dirname(out));
  }
}

const OCI_LAYOUT = Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }));

/** Counts bytes on their way into the tar. */
function counter(onBytes: (delta: number) => void): Transform {
  return new Transform({ transform: (chunk: Buffer, _encoding, callback) => (onBytes(chunk.length), callback(null, chunk)) });
}

async function writeTar(file: string, layoutIndex: Buffer, first: string[], root: BlobSet, blobs: BlobSet, progress: (event: CreateEvent) => void): Promise<void> {
  const pack = tar.pack();
  const finished = pipeline(pack, createWriteStream(file));
  // Awaited at the end; until then a failure to open the file must not surface as an unhandled rejection.
  finished.catch(() => {});
  // Root, record and manifest first: a streaming verifier knows every expected blob before it meets them.
  const seen = new Set<string>();
  const ordered = [...first.map((digest) => root.blobs.get(digest)!), ...[...root.blobs.values()].filter((blob) => !first.includes(blob.digest)), ...blobs.blobs.values()].filter(
    (blob) => !seen.has(blob.digest) && seen.add(blob.digest),
  );
  const total = OCI_LAYOUT.length + layoutIndex.length + ordered.reduce((sum, blob) => sum + blob.size, 0);
  let written = 0;
  let done = 0;
  const header = (name: string, size: number) => ({ name, size, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' });
  const add = async (name: string, size: number, open: () => Promise<Readable> | Readable, digest: string | null) => {
    const target = pack.entry(header(name, size));
    const hasher = new DigestStream();
    await pipeline(
      await open(),
      hasher,
      counter((delta) => progress({ type: 'bytes', written: (written += delta), total, blobs: done, totalBlobs: ordered.length })),
      target,
    );
    // digest() may be called once: the hash is final after it.
    const actual = hasher.digest();
    if (digest && (actual !== digest || hasher.bytes !== size)) {
      throw bundleError('BUNDLE_SOURCE_CORRUPT', `blob ${digest} from the image source does not match its digest or size (got ${actual}, ${hasher.bytes} bytes)`, {
        hint: 'the source image is damaged: re-copy it, then create the bundle again',
      });
    }
  };
  await add('oci-layout', OCI_LAYOUT.length, () => Readable.from([OCI_LAYOUT]), null);
  await add('index.json', layoutIndex.length, () => Readable.from([layoutIndex]), null);
  for (const blob of ordered) {
    await add(`blobs/sha256/${blob.digest.slice(7)}`, blob.size, () => blob.open(), blob.digest);
    done++;
    progress({ type: 'bytes', written, total, blobs: done, totalBlobs: ordered.length });
  }
  pack.finalize();
  await finished;
}
