/**
 * Random access into a bundle without unpacking it: the tar index (cli/oci/tar-index.ts, the one
 * bundle reader) gives each blob's offset, the root digest comes from index.json, and the chain
 * root index -> bundle record -> bundle manifest is read and checked (each document's size capped
 * before it is read, its bytes against its digest, its shape against the OCI spec or
 * schemas/bundle.schema.json) before anything else is trusted.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { formatCap, SIZE_CAPS } from '../lib/read-capped.js';
import { indexTar, type TarEntry } from '../oci/tar-index.js';
import { parseJson, parseOciDocument } from '../oci/documents.js';
import { MEDIA, sha256, type ImageIndex, type ImageManifest } from '../oci/types.js';
import { bundleError } from './errors.js';
import { BUNDLE_ARTIFACT_TYPE, bundleDocumentProblem, type BundleManifest } from './manifest.js';

const HINT = 'run installctl bundle verify FILE --key PUB for the full list; re-transfer the bundle';

export class BundleFile {
  readonly rootDigest: string;
  readonly root: ImageIndex;
  readonly manifest: BundleManifest;
  readonly recordDigest: string;
  /** The bundle record (an artifact manifest whose one layer is the bundle manifest). */
  readonly record: ImageManifest;

  /** entries: an index made earlier (verify indexes once, then hashes and reads through it). */
  constructor(
    readonly file: string,
    readonly entries: Map<string, TarEntry> = indexTar(file),
  ) {
    const layout = this.entries.get('index.json');
    if (!this.entries.has('oci-layout') || !layout) throw this.invalid('no OCI layout at its root (oci-layout and index.json)');
    const index = parseOciDocument(this.read(layout, 'index.json'), 'index', (problem) => this.invalid(`index.json is ${problem}`));
    const rootDescriptor = index.manifests[0];
    if (index.manifests.length !== 1 || rootDescriptor!.mediaType !== MEDIA.index) throw this.invalid('index.json must name exactly one root index');
    this.rootDigest = rootDescriptor!.digest;
    this.root = this.index(this.rootDigest);
    const record = this.root.manifests[0];
    if (!record || record.mediaType !== MEDIA.manifest) throw this.invalid('the root index does not start with a bundle record');
    this.recordDigest = record.digest;
    this.record = this.imageManifest(record.digest);
    const layer = this.record.layers[0];
    if (this.record.artifactType !== BUNDLE_ARTIFACT_TYPE || this.record.layers.length !== 1 || layer!.mediaType !== MEDIA.bundleManifest)
      throw this.invalid('the root index does not start with a bundle record');
    const manifest = parseJson(this.blob(layer!.digest), (problem) => this.invalid(`the bundle manifest is ${problem}`));
    const problem = bundleDocumentProblem(manifest, 'BundleManifest');
    if (problem) throw this.invalid(`the bundle manifest is not valid: ${problem}`);
    this.manifest = manifest as BundleManifest;
  }

  private invalid(message: string) {
    return bundleError('BUNDLE_INVALID', `${this.file} is not an installctl bundle: ${message}`, {
      hint: 'bundles are written by installctl bundle create; use the file as it was written',
    });
  }

  /** An entry's bytes, refused above SIZE_CAPS.ociDocument before anything is allocated. */
  private read(entry: TarEntry, what: string): Buffer {
    if (entry.size > SIZE_CAPS.ociDocument) throw this.invalid(`${what} is ${entry.size} bytes, more than the ${formatCap(SIZE_CAPS.ociDocument)} a JSON document may be`);
    const buffer = Buffer.alloc(entry.size);
    const fd = openSync(this.file, 'r');
    try {
      let done = 0;
      while (done < entry.size) {
        const n = readSync(fd, buffer, done, entry.size - done, entry.offset + done);
        if (n === 0) throw bundleError('BUNDLE_TRUNCATED', `${this.file} changed while it was read`, { hint: 'do not write to the bundle while it is verified or pushed' });
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return buffer;
  }

  entryOf(digest: string): TarEntry | undefined {
    return this.entries.get(`blobs/sha256/${digest.replace(/^sha256:/, '')}`);
  }

  /** A small blob (manifest, index, config; at most SIZE_CAPS.ociDocument), checked against its digest. */
  blob(digest: string): Buffer {
    const entry = this.entryOf(digest);
    if (!entry) throw bundleError('BUNDLE_BLOB_MISSING', `${this.file} lacks blob ${digest}`, { hint: HINT, details: { digest } });
    const bytes = this.read(entry, `blob ${digest}`);
    if (sha256(bytes) !== digest) throw bundleError('BUNDLE_BLOB_CORRUPT', `blob ${digest} in ${this.file} is corrupted`, { hint: HINT, details: { digest } });
    return bytes;
  }

  /** An image index blob, checked for the shape installctl uses. */
  index(digest: string): ImageIndex {
    return parseOciDocument(this.blob(digest), 'index', (problem) => this.invalid(`blob ${digest} is ${problem}`));
  }

  /** An image manifest blob, checked for the shape installctl uses. */
  imageManifest(digest: string): ImageManifest {
    return parseOciDocument(this.blob(digest), 'manifest', (problem) => this.invalid(`blob ${digest} is ${problem}`));
  }

  /** A blob's bytes [start, end] as a stream (no end: to the blob's end). */
  stream(digest: string, start = 0, end?: number): Readable {
    const entry = this.entryOf(digest);
    if (!entry) throw bundleError('BUNDLE_BLOB_MISSING', `${this.file} lacks blob ${digest}`, { hint: HINT });
    if (entry.size === 0) return Readable.from([]);
    const last = entry.offset + (end ?? entry.size - 1);
    return createReadStream(this.file, { start: entry.offset + start, end: last, highWaterMark: 1 << 20 });
  }
}
