/**
 * Random access into a bundle without unpacking it: the tar index gives each blob's offset, the
 * root digest comes from index.json, and the chain root index -> bundle record -> bundle manifest
 * is read and checked (each blob's bytes against its name) before anything else is trusted.
 */
import { createReadStream, existsSync, readSync, openSync, closeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { UserError } from '../lib/errors.js';
import { indexTar, type TarEntry } from '../oci/tar-index.js';
import { sha256, type ImageIndex, type ImageManifest } from '../oci/types.js';
import { BUNDLE_ARTIFACT_TYPE, type BundleManifest } from './manifest.js';

export class BundleFile {
  readonly entries: Map<string, TarEntry>;
  readonly rootDigest: string;
  readonly root: ImageIndex;
  readonly manifest: BundleManifest;
  readonly recordDigest: string;

  constructor(readonly file: string) {
    if (!existsSync(file)) throw new UserError(`no such bundle: ${file}`, { code: 'FILE_NOT_FOUND', hint: 'check the path' });
    this.entries = indexTar(file);
    const layout = this.entries.get('index.json');
    if (!this.entries.has('oci-layout') || !layout) throw new UserError(`${file} is not an installctl bundle (no OCI layout at its root)`, { code: 'BUNDLE_INVALID', hint: 'bundles are written by installctl bundle create' });
    const index = JSON.parse(this.read(layout).toString('utf8')) as ImageIndex;
    const rootDescriptor = index.manifests[0];
    if (!rootDescriptor) throw new UserError(`${file}: index.json lists no root index`, { code: 'BUNDLE_INVALID' });
    this.rootDigest = rootDescriptor.digest;
    this.root = JSON.parse(this.blob(this.rootDigest).toString('utf8')) as ImageIndex;
    const record = this.root.manifests[0];
    const recordManifest = record ? (JSON.parse(this.blob(record.digest).toString('utf8')) as ImageManifest) : null;
    if (!record || recordManifest?.artifactType !== BUNDLE_ARTIFACT_TYPE || !recordManifest.layers[0]) throw new UserError(`${file}: the root index does not start with a bundle record`, { code: 'BUNDLE_INVALID' });
    this.recordDigest = record.digest;
    this.manifest = JSON.parse(this.blob(recordManifest.layers[0].digest).toString('utf8')) as BundleManifest;
  }

  private read(entry: TarEntry): Buffer {
    const buffer = Buffer.alloc(entry.size);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, entry.size, entry.offset);
    } finally {
      closeSync(fd);
    }
    return buffer;
  }

  entryOf(digest: string): TarEntry | undefined {
    return this.entries.get(`blobs/sha256/${digest.replace(/^sha256:/, '')}`);
  }

  /** A small blob (manifest, index, config), checked against its digest. */
  blob(digest: string): Buffer {
    const entry = this.entryOf(digest);
    if (!entry) throw new UserError(`${this.file} lacks blob ${digest}`, { code: 'BUNDLE_BLOB_MISSING', hint: 'run installctl bundle verify for the full list', exitCode: 4 });
    const bytes = this.read(entry);
    if (sha256(bytes) !== digest) throw new UserError(`blob ${digest} in ${this.file} is corrupted`, { code: 'BUNDLE_BLOB_CORRUPT', hint: 'run installctl bundle verify; re-transfer the bundle', exitCode: 4 });
    return bytes;
  }

  json<T>(digest: string): T {
    return JSON.parse(this.blob(digest).toString('utf8')) as T;
  }

  /** A blob's bytes [start, end] as a stream (no end: to the blob's end). */
  stream(digest: string, start = 0, end?: number): Readable {
    const entry = this.entryOf(digest)!;
    if (entry.size === 0) return Readable.from([]);
    const last = entry.offset + (end ?? entry.size - 1);
    return createReadStream(this.file, { start: entry.offset + start, end: last, highWaterMark: 1 << 20 });
  }
}
