/**
 * Where `bundle create` takes images from: an OCI image layout directory (oci-layout:DIR) or a
 * registry that mirrors the vendor's (registry:HOST[:PORT], same repositories and digests). Both
 * give descriptors and blob streams; nothing is buffered whole.
 */
import { Readable } from 'node:stream';
import { UserError } from '../lib/errors.js';
import { SIZE_CAPS } from '../lib/read-capped.js';
import { OciLayoutDir } from '../oci/layout.js';
import { parseJson, parseOciDocument, type OciDocumentKind } from '../oci/documents.js';
import { bundleError } from './errors.js';
import { HttpError, RegistryClient } from '../oci/registry.js';
import { parseTarget, registryFailure } from './push-target.js';
import { resolveCredentials, type CredentialOptions } from '../oci/docker-config.js';
import { isIndex, isManifest, parseReference, type Descriptor, type ImageIndex, type ImageManifest, type Platform } from '../oci/types.js';

export interface ImageSource {
  describe(reference: string): Promise<Descriptor>;
  /** A manifest or index, checked for the shape installctl uses (BUNDLE_SOURCE_INVALID otherwise). */
  readDocument(repository: string, digest: string, kind: 'index'): Promise<ImageIndex>;
  readDocument(repository: string, digest: string, kind: 'manifest'): Promise<ImageManifest>;
  /** A blob's bytes; manifests and indexes (by media type) too, which registries serve from /manifests/. */
  open(repository: string, digest: string, mediaType: string): Promise<Readable>;
  close(): void;
}

export interface ImageSourceOptions extends CredentialOptions {
  plainHttp?: boolean;
  caFile?: string;
  /** Where the registry: source's credentials came from (stdin, env, docker-config:PATH, credential-helper:NAME, none). */
  onCredentials?: (source: string) => void;
}

export function openImageSource(spec: string, options: ImageSourceOptions = {}): ImageSource {
  const [kind, ...rest] = spec.split(':');
  const target = rest.join(':');
  if (kind === 'oci-layout' && target) return openLayoutSource(target, options);
  if (kind === 'registry' && target) return openRegistrySource(target, options);
  throw new UserError(`--images-from ${spec} is not oci-layout:DIR or registry:HOST[:PORT]`, {
    code: 'USAGE',
    hint: 'e.g. --images-from oci-layout:./images or --images-from registry:mirror.vendor.example:5000',
  });
}

/** oci-layout:DIR: descriptors by reference (or digest) from the layout's index, blobs from its files. */
function openLayoutSource(target: string, options: ImageSourceOptions): ImageSource {
  if (options.plainHttp || options.caFile || options.username) {
    throw new UserError('--plain-http, --ca-file and --username apply to a registry: image source, not to oci-layout:', {
      code: 'USAGE',
      hint: `drop them, or use --images-from registry:HOST[:PORT]`,
    });
  }
  const layout = new OciLayoutDir(target);
  return {
    async describe(reference) {
      const { registry, repository, tag, digest } = parseReference(reference);
      const found = layout.find(`${registry}/${repository}:${tag ?? ''}`, digest) ?? (digest ? layout.find('', digest) : null);
      if (!found || (digest && found.digest !== digest)) {
        throw bundleError('BUNDLE_IMAGE_MISSING', `image ${reference} is not in ${target}`, {
          hint: 'the layout must hold every image in images.txt, tagged with its reference or stored by digest',
        });
      }
      return found;
    },
    readDocument: (async (_repository: string, digest: string, kind: OciDocumentKind) => layout.readDocument(digest, kind)) as ImageSource['readDocument'],
    open: async (_repository, digest) => layout.stream(digest),
    close: () => undefined,
  };
}

/** registry:HOST[:PORT]: a mirror registry, connected (and its credentials looked up) on the first request. */
function openRegistrySource(target: string, options: ImageSourceOptions): ImageSource {
  // The same address rules as bundle push --registry: no credentials, a real host, a valid port.
  const address = parseTarget(target, '--images-from registry:');
  if (address.prefix)
    throw new UserError(`--images-from registry: takes HOST[:PORT] only, not a path (${JSON.stringify(address.prefix)})`, {
      code: 'USAGE',
      hint: 'images are looked up by the repositories images.txt names',
    });
  // Credentials are looked up (Docker config, credential helper) on the first request, once.
  let client: RegistryClient | null = null;
  let credentials = 'none';
  let connecting: Promise<RegistryClient> | null = null;
  const connect = () =>
    (connecting ??= resolveCredentials(address.host, options).then((found) => {
      credentials = found.source;
      options.onCredentials?.(found.source);
      client = new RegistryClient(address.host, {
        plainHttp: options.plainHttp ?? false,
        caFile: options.caFile,
        username: found.username,
        password: found.password,
        identityToken: found.identityToken,
      });
      return client;
    }));
  const sourceInvalid = (message: string) => bundleError('BUNDLE_SOURCE_INVALID', `${target}: ${message}`, { hint: 'the source registry must serve OCI or Docker v2 manifests' });
  // Registry failures as user errors: a missing image names the reference, the rest say what failed.
  const guard = async <T>(reference: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof HttpError && error.status === 404)
        throw bundleError('BUNDLE_IMAGE_MISSING', `${target} has no ${reference}`, { hint: 'the source registry must hold every image in images.txt' });
      throw registryFailure(error, { host: target, stage: 'probe', credentials });
    }
  };
  return {
    describe: (reference) =>
      guard(reference, async () => {
        const { repository, tag, digest } = parseReference(reference);
        const manifest = await (await connect()).getManifest(repository, digest ?? tag ?? 'latest');
        if (digest && manifest.digest !== digest)
          throw bundleError('BUNDLE_IMAGE_MISSING', `${target} serves ${repository} with digest ${manifest.digest}, not ${digest}`, {
            hint: 'the source registry must hold the exact digests the charts pin',
          });
        const body = parseJson(manifest.bytes, (problem) => sourceInvalid(`${reference} is ${problem}`)) as { mediaType?: unknown } | null;
        const mediaType = typeof body?.mediaType === 'string' ? body.mediaType : manifest.mediaType;
        return { mediaType, digest: manifest.digest, size: manifest.bytes.length };
      }),
    readDocument: ((repository: string, digest: string, kind: OciDocumentKind) =>
      guard(`${repository}@${digest}`, async () => {
        const { bytes } = await (await connect()).getManifest(repository, digest);
        if (bytes.length > SIZE_CAPS.ociDocument) throw sourceInvalid(`${repository}@${digest} is larger than a manifest may be`);
        return parseOciDocument(bytes, kind, (problem) => sourceInvalid(`${repository}@${digest} is ${problem}`));
      })) as ImageSource['readDocument'],
    open: (repository, digest, mediaType) =>
      guard(`${repository}@${digest}`, async () => {
        const connected = await connect();
        return isIndex(mediaType) || isManifest(mediaType) ? Readable.from([(await connected.getManifest(repository, digest)).bytes]) : connected.getBlob(repository, digest);
      }),
    close: () => (client as RegistryClient | null)?.close(),
  };
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) throw new UserError(`--platform ${text} is not OS/ARCH[/VARIANT]`, { code: 'USAGE', hint: 'e.g. --platform linux/amd64' });
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** An index narrowed to one platform: the matching child manifest (the index itself otherwise). */
export async function selectPlatform(source: ImageSource, repository: string, top: Descriptor, platform: Platform | null): Promise<Descriptor> {
  if (!platform || !isIndex(top.mediaType)) return top;
  const index = await source.readDocument(repository, top.digest, 'index');
  const match = index.manifests.find(
    (entry) => entry.platform?.os === platform.os && entry.platform.architecture === platform.architecture && (!platform.variant || entry.platform.variant === platform.variant),
  );
  if (!match)
    throw bundleError('BUNDLE_IMAGE_MISSING', `${repository}@${top.digest} has no ${platform.os}/${platform.architecture} manifest`, {
      hint: 'drop --platform or pick a platform every image is built for',
    });
  return match;
}

/** Every descriptor an image needs (configs, layers, child manifests, itself), each digest once, children first. */
export async function imageDescriptors(source: ImageSource, repository: string, top: Descriptor): Promise<Descriptor[]> {
  const out = new Map<string, Descriptor>();
  const visited = new Set<string>();
  const visit = async (descriptor: Descriptor): Promise<void> => {
    // Each document once: a source index listing one child many times costs one read.
    if (visited.has(descriptor.digest)) return;
    visited.add(descriptor.digest);
    if (isIndex(descriptor.mediaType)) {
      for (const child of (await source.readDocument(repository, descriptor.digest, 'index')).manifests) await visit(child);
    } else if (isManifest(descriptor.mediaType)) {
      const manifest = await source.readDocument(repository, descriptor.digest, 'manifest');
      for (const blob of [manifest.config, ...manifest.layers]) if (!out.has(blob.digest)) out.set(blob.digest, blob);
    }
    if (!out.has(descriptor.digest)) out.set(descriptor.digest, { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size });
  };
  await visit(top);
  return [...out.values()];
}
