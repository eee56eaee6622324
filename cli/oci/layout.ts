/**
 * Reading an OCI image layout directory (oci-layout, index.json, blobs/sha256/...), the oci-layout:
 * image source of bundle create. index.json and every manifest or index are read with
 * SIZE_CAPS.ociDocument and checked for their shape; digests must be sha256:<64 hex> before they
 * become paths, so a crafted index cannot point outside blobs/.
 */
import { createReadStream, existsSync, statSync, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { readFileCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { OciError } from './errors.js';
import { parseJson, parseOciDocument, type OciDocumentKind } from './documents.js';
import { DIGEST, MEDIA, REF_NAME, isIndex, isManifest, type Descriptor, type ImageIndex, type ImageManifest } from './types.js';

const HINT = 'pass a directory written by skopeo copy ... oci:DIR, oras or installctl';

export class OciLayoutDir {
  readonly index: ImageIndex;

  constructor(readonly dir: string) {
    if (!existsSync(join(dir, 'oci-layout')) || !existsSync(join(dir, 'index.json'))) {
      throw new OciError('BUNDLE_SOURCE_INVALID', `${dir} is not an OCI image layout (no oci-layout or index.json)`, { hint: HINT });
    }
    this.index = parseOciDocument(this.read(join(dir, 'index.json'), 'index.json'), 'index', (problem) => this.invalid(`index.json is ${problem}`));
  }

  private invalid(message: string) {
    return new OciError('BUNDLE_SOURCE_INVALID', `${this.dir}: ${message}`, { hint: HINT });
  }

  private read(file: string, what: string): Buffer {
    return readFileCapped(file, { what: `OCI layout ${what}`, maxBytes: SIZE_CAPS.ociDocument, tooLargeCode: 'BUNDLE_SOURCE_INVALID', hint: HINT });
  }

  blobPath(digest: string): string {
    if (!DIGEST.test(digest)) throw this.invalid(`${JSON.stringify(digest.slice(0, 80))} is not a sha256 digest`);
    return join(this.dir, 'blobs', ...digest.split(':'));
  }

  has(digest: string): boolean {
    return existsSync(this.blobPath(digest));
  }

  size(digest: string): number {
    return statSync(this.blobPath(digest)).size;
  }

  /** A manifest or index blob, capped and checked for its shape. */
  readDocument(digest: string, kind: 'index'): ImageIndex;
  readDocument(digest: string, kind: 'manifest'): ImageManifest;
  readDocument(digest: string, kind: OciDocumentKind): ImageIndex | ImageManifest;
  readDocument(digest: string, kind: OciDocumentKind): ImageIndex | ImageManifest {
    return parseOciDocument(this.read(this.blobPath(digest), `blob ${digest}`), kind, (problem) => this.invalid(`blob ${digest} is ${problem}`));
  }

  stream(digest: string): ReadStream {
    return createReadStream(this.blobPath(digest));
  }

  /** The descriptor tagged with ref (org.opencontainers.image.ref.name), else the one with this digest. */
  find(ref: string, digest: string | null): Descriptor | null {
    const tagged = this.index.manifests.find((entry) => entry.annotations?.[REF_NAME] === ref);
    if (tagged) return tagged;
    if (!digest) return null;
    const listed = this.index.manifests.find((entry) => entry.digest === digest);
    if (listed) return listed;
    if (!this.has(digest)) return null;
    const body = parseJson(this.read(this.blobPath(digest), `blob ${digest}`), (problem) => this.invalid(`blob ${digest} is ${problem}`)) as { mediaType?: unknown };
    const mediaType = typeof body?.mediaType === 'string' ? body.mediaType : MEDIA.manifest;
    if (!isIndex(mediaType) && !isManifest(mediaType)) throw this.invalid(`blob ${digest} is neither an image index nor an image manifest`);
    return { mediaType, digest, size: this.size(digest) };
  }
}
