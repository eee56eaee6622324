/**
 * Where `bundle create` takes images from: an OCI image layout directory (oci-layout:DIR) or a
 * registry that mirrors the vendor's (registry:HOST[:PORT], same repositories and digests). Both
 * give descriptors and blob streams; nothing is buffered whole.
 */
import { Readable } from 'node:stream';
import { UserError } from '../lib/errors.js';
import { OciLayoutDir } from '../oci/layout.js';
import { HttpError, RegistryClient } from '../oci/registry.js';
import { registryFailure } from './push-target.js';
import { isIndex, isManifest, parseReference, type Descriptor, type ImageIndex, type ImageManifest, type Platform } from '../oci/types.js';

export interface ImageSource {
  describe(reference: string): Promise<Descriptor>;
  readJson<T>(repository: string, digest: string): Promise<T>;
  /** A blob's bytes; manifests and indexes (by media type) too, which registries serve from /manifests/. */
  open(repository: string, digest: string, mediaType: string): Promise<Readable>;
  close(): void;
}

export function openImageSource(spec: string, options: { plainHttp?: boolean; caFile?: string; username?: string; password?: string } = {}): ImageSource {
  const [kind, ...rest] = spec.split(':');
  const target = rest.join(':');
  if (kind === 'oci-layout' && target) {
    if (options.plainHttp || options.caFile || options.username) {
      throw new UserError('--plain-http, --ca-file and --username apply to a registry: image source, not to oci-layout:', { code: 'USAGE', hint: `drop them, or use --images-from registry:HOST[:PORT]` });
    }
    const layout = new OciLayoutDir(target);
    return {
      async describe(reference) {
        const { registry, repository, tag, digest } = parseReference(reference);
        const found = layout.find(`${registry}/${repository}:${tag ?? ''}`, digest) ?? (digest ? layout.find('', digest) : null);
        if (!found || (digest && found.digest !== digest)) {
          throw new UserError(`image ${reference} is not in ${target}`, { code: 'BUNDLE_IMAGE_MISSING', hint: 'the layout must hold every image in images.txt, tagged with its reference or stored by digest' });
        }
        return found;
      },
      readJson: async (_repository, digest) => layout.readJson(digest),
      open: async (_repository, digest) => layout.stream(digest),
      close: () => undefined,
    };
  }
  if (kind === 'registry' && target) {
    const client = new RegistryClient(target, { plainHttp: options.plainHttp ?? false, caFile: options.caFile, username: options.username, password: options.password });
    // Registry failures as user errors: a missing image names the reference, the rest say what failed.
    const guard = async <T>(reference: string, action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) throw new UserError(`${target} has no ${reference}`, { code: 'BUNDLE_IMAGE_MISSING', hint: 'the source registry must hold every image in images.txt' });
        throw registryFailure(error, { host: target, stage: 'probe' });
      }
    };
    return {
      describe: (reference) =>
        guard(reference, async () => {
          const { repository, tag, digest } = parseReference(reference);
          const manifest = await client.getManifest(repository, digest ?? tag ?? 'latest');
          if (digest && manifest.digest !== digest) throw new UserError(`${target} serves ${repository} with digest ${manifest.digest}, not ${digest}`, { code: 'BUNDLE_IMAGE_MISSING', hint: 'the source registry must hold the exact digests the charts pin' });
          const mediaType = (JSON.parse(manifest.bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? manifest.mediaType;
          return { mediaType, digest: manifest.digest, size: manifest.bytes.length };
        }),
      readJson: (repository, digest) => guard(`${repository}@${digest}`, async () => JSON.parse((await client.getManifest(repository, digest)).bytes.toString('utf8'))),
      open: (repository, digest, mediaType) =>
        guard(`${repository}@${digest}`, async () => (isIndex(mediaType) || isManifest(mediaType) ? Readable.from([(await client.getManifest(repository, digest)).bytes]) : client.getBlob(repository, digest))),
      close: () => client.close(),
    };
  }
  throw new UserError(`--images-from ${spec} is not oci-layout:DIR or registry:HOST[:PORT]`, { code: 'USAGE', hint: 'e.g. --images-from oci-layout:./images or --images-from registry:mirror.vendor.example:5000' });
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) throw new UserError(`--platform ${text} is not OS/ARCH[/VARIANT]`, { code: 'USAGE', hint: 'e.g. --platform linux/amd64' });
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** An index narrowed to one platform: the matching child manifest (the index itself otherwise). */
export async function selectPlatform(source: ImageSource, repository: string, top: Descriptor, platform: Platform | null): Promise<Descriptor> {
  if (!platform || !isIndex(top.mediaType)) return top;
  const index = await source.readJson<ImageIndex>(repository, top.digest);
  const match = index.manifests.find((entry) => entry.platform?.os === platform.os && entry.platform.architecture === platform.architecture && (!platform.variant || entry.platform.variant === platform.variant));
  if (!match) throw new UserError(`${repository}@${top.digest} has no ${platform.os}/${platform.architecture} manifest`, { code: 'BUNDLE_IMAGE_MISSING', hint: 'drop --platform or pick a platform every image is built for' });
  return match;
}

/** Every descriptor an image needs (configs, layers, child manifests, itself), each digest once, children first. */
export async function imageDescriptors(source: ImageSource, repository: string, top: Descriptor): Promise<Descriptor[]> {
  const out = new Map<string, Descriptor>();
  const visit = async (descriptor: Descriptor): Promise<void> => {
    if (isIndex(descriptor.mediaType)) {
      for (const child of (await source.readJson<ImageIndex>(repository, descriptor.digest)).manifests) await visit(child);
    } else if (isManifest(descriptor.mediaType)) {
      const manifest = await source.readJson<ImageManifest>(repository, descriptor.digest);
      for (const blob of [manifest.config, ...manifest.layers]) if (!out.has(blob.digest)) out.set(blob.digest, blob);
    }
    if (!out.has(descriptor.digest)) out.set(descriptor.digest, { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size });
  };
  await visit(top);
  return [...out.values()];
}
