/** Reading an OCI image layout directory (oci-layout, index.json, blobs/sha256/...). */
import { createReadStream, existsSync, readFileSync, statSync, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { MEDIA, REF_NAME, isIndex, isManifest, type Descriptor, type ImageIndex, type ImageManifest } from './types.js';

export class OciLayoutDir {
  readonly index: ImageIndex;

  constructor(readonly dir: string) {
    if (!existsSync(join(dir, 'oci-layout')) || !existsSync(join(dir, 'index.json'))) {
      throw new UserError(`${dir} is not an OCI image layout (no oci-layout or index.json)`, { code: 'BUNDLE_SOURCE_INVALID', hint: 'pass a directory written by skopeo copy ... oci:DIR, oras or installctl' });
    }
    this.index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as ImageIndex;
  }

  blobPath(digest: string): string {
    return join(this.dir, 'blobs', ...digest.split(':'));
  }

  has(digest: string): boolean {
    return existsSync(this.blobPath(digest));
  }

  size(digest: string): number {
    return statSync(this.blobPath(digest)).size;
  }

  readJson<T>(digest: string): T {
    return JSON.parse(readFileSync(this.blobPath(digest), 'utf8')) as T;
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
    const body = this.readJson<{ mediaType?: string }>(digest);
    return { mediaType: body.mediaType ?? MEDIA.manifest, digest, size: this.size(digest) };
  }
}

/** Every descriptor reachable from a manifest or index (itself included), children before parents. */
export function walkDescriptors(descriptor: Descriptor, read: <T>(digest: string) => T): Descriptor[] {
  const out: Descriptor[] = [];
  const visit = (current: Descriptor) => {
    if (isIndex(current.mediaType)) {
      for (const child of read<ImageIndex>(current.digest).manifests) visit(child);
    } else if (isManifest(current.mediaType) || current.mediaType.endsWith('+json')) {
      if (isManifest(current.mediaType)) {
        const manifest = read<ImageManifest>(current.digest);
        out.push(manifest.config, ...manifest.layers);
      }
    }
    out.push(current);
  };
  visit(descriptor);
  return out;
}
