/** OCI image-spec shapes and the media types installctl reads and writes. */
import { parseReference as parseImageReference } from './reference.js';
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  empty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  bundleManifest: 'application/vnd.installctl.bundle.manifest.v1+json',
  render: 'application/vnd.installctl.render.v1.tar',
  plugin: 'application/vnd.installctl.pulumi.plugin.v1.tar+gzip',
  pluginList: 'application/vnd.installctl.pulumi.plugins.v1+json',
  weights: 'application/vnd.installctl.model.weights.v1.part',
  weightsConfig: 'application/vnd.installctl.model.weights.v1+json',
} as const;

export const ARTIFACT = {
  render: 'application/vnd.installctl.render.v1',
  plugins: 'application/vnd.installctl.pulumi.plugins.v1',
  weights: 'application/vnd.installctl.model.weights.v1',
} as const;

export const REF_NAME = 'org.opencontainers.image.ref.name';

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function isIndex(mediaType: string): boolean {
  return mediaType === MEDIA.index || mediaType === MEDIA.dockerList;
}

export function isManifest(mediaType: string): boolean {
  return mediaType === MEDIA.manifest || mediaType === MEDIA.dockerManifest;
}

export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A pass-through stream that hashes and counts what flows through it. */
export class DigestStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Splits registry/repository[:tag][@digest] by the distribution grammar (oci/reference.ts). */
export function parseReference(reference: string): { registry: string; repository: string; tag: string | null; digest: string | null } {
  const parsed = parseImageReference(reference);
  // The references split here were written by installctl (images.txt) or checked by the spec schema.
  if (!parsed) throw new Error(`${JSON.stringify(reference)} is not an image reference`);
  return { registry: parsed.domain, repository: parsed.path, tag: parsed.tag, digest: parsed.digest };
}
