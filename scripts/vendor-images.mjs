#!/usr/bin/env node
// Builds the vendor's images as deterministic OCI stand-ins: every image the charts pin, as a
// multi-arch index (linux/amd64, linux/arm64) whose manifests share one base layer, written into an
// OCI image layout. Same input, same bytes, same digests: the charts' values.yaml pin these digests
// (test/oci/vendor-images.test.ts fails when they drift), so tests and benchmarks can build, bundle
// and push the exact images an install references - offline, without the vendor's registry.
// Usage: node scripts/vendor-images.mjs OUT_DIR [RELEASE]   (prints ref digest per image; RELEASE: a
// catalogued release's images, releases/RELEASE.yaml, instead of the charts' own)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import tar from 'tar-stream';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PLATFORMS = [
  { architecture: 'amd64', os: 'linux' },
  { architecture: 'arm64', os: 'linux' },
];
const CREATED = '2026-11-01T00:00:00Z';
export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
};

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A tar of the given files with fixed metadata: deterministic bytes. */
export function tarball(files) {
  return new Promise((resolve, reject) => {
    const pack = tar.pack();
    const chunks = [];
    pack.on('data', (chunk) => chunks.push(chunk));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
    for (const [name, content] of files) pack.entry({ name, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' }, content);
    pack.finalize();
  });
}

/** The images the charts pin: [{ key, chart, registry, repository, tag, digest }]. */
export function chartImages() {
  const out = [];
  for (const chart of ['agent-platform', 'model-server']) {
    const values = parse(readFileSync(join(root, 'charts', chart, 'values.yaml'), 'utf8'));
    for (const [key, image] of Object.entries(values.images)) out.push({ key, chart, ...image });
  }
  return out;
}

/**
 * The images a catalogued release runs (releases/VERSION.yaml), in the same shape: every release's
 * digests are the builds of this script too, so a bundle of any release can be made offline.
 */
export function releaseImages(version) {
  const release = parse(readFileSync(join(root, 'releases', `${version}.yaml`), 'utf8'));
  return Object.entries(release.charts).flatMap(([chart, entry]) => Object.entries(entry.images).map(([key, image]) => ({ key, chart, ...image })));
}

export class LayoutWriter {
  constructor(dir) {
    this.dir = dir;
    this.manifests = [];
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  }

  blob(bytes, mediaType, extra = {}) {
    const digest = sha256(bytes);
    const path = join(this.dir, 'blobs', 'sha256', digest.slice(7));
    if (!existsSync(path)) writeFileSync(path, bytes);
    return { mediaType, digest, size: bytes.length, ...extra };
  }

  json(value, mediaType, extra = {}) {
    return this.blob(Buffer.from(JSON.stringify(value)), mediaType, extra);
  }

  tag(descriptor, ref) {
    this.manifests.push({ ...descriptor, annotations: { ...(descriptor.annotations ?? {}), 'org.opencontainers.image.ref.name': ref } });
  }

  finish() {
    writeFileSync(join(this.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: this.manifests }, null, 2));
  }
}

/** One image as a multi-arch index: a shared base layer plus the image's own layer, per platform. */
export async function buildImage(layout, { registry, repository, tag }) {
  const base = layout.blob(await tarball([['etc/installctl-base/release', 'installctl base image 2026.11\n']]), MEDIA.layer);
  const own = layout.blob(await tarball([[`app/${repository}/VERSION`, `${registry}/${repository}:${tag}\n`]]), MEDIA.layer);
  const manifests = PLATFORMS.map((platform) => {
    const config = layout.json(
      {
        created: CREATED,
        architecture: platform.architecture,
        os: platform.os,
        config: { User: '65532', Entrypoint: [`/app/${repository}/run`] },
        rootfs: { type: 'layers', diff_ids: [base.digest, own.digest] },
      },
      MEDIA.config,
    );
    const manifest = layout.json({ schemaVersion: 2, mediaType: MEDIA.manifest, config, layers: [base, own] }, MEDIA.manifest);
    return { ...manifest, platform };
  });
  const index = layout.json({ schemaVersion: 2, mediaType: MEDIA.index, manifests }, MEDIA.index);
  layout.tag(index, `${registry}/${repository}:${tag}`);
  return index;
}

/** Every pinned image into an OCI layout at dir; returns [{ ref, digest }]. */
export async function buildVendorImages(dir, images = chartImages()) {
  const layout = new LayoutWriter(dir);
  const built = [];
  const seen = new Set();
  for (const image of images) {
    const ref = `${image.registry}/${image.repository}:${image.tag}`;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const index = await buildImage(layout, image);
    built.push({ ref, repository: image.repository, digest: index.digest });
  }
  layout.finish();
  return built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node scripts/vendor-images.mjs OUT_DIR [RELEASE]');
  const release = process.argv[3];
  for (const { ref, digest } of await buildVendorImages(out, release ? releaseImages(release) : chartImages())) console.log(`${ref} ${digest}`);
}
