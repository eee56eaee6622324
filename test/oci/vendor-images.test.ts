/** The charts and every catalogued release pin the digests of the deterministic vendor images that scripts/vendor-images.mjs builds. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVendorImages, chartImages, releaseImages } from '../../scripts/vendor-images.mjs';
import { releaseCatalog } from '../../cli/releases/catalog.js';

describe('vendor images', () => {
  it('build to exactly the digests the charts pin (rebuild and re-pin after changing the builder)', async () => {
    const built = await buildVendorImages(mkdtempSync(join(tmpdir(), 'installctl-vendor-')));
    const pinned = chartImages();
    for (const image of pinned) {
      expect(built.find((entry) => entry.ref === `${image.registry}/${image.repository}:${image.tag}`)?.digest, `${image.chart} ${image.key}`).toBe(image.digest);
    }
    expect(new Set(built.map((entry) => entry.ref)).size).toBe(built.length);
  });

  it.each(releaseCatalog().map((release) => release.version))('build to exactly the digests release %s pins (a bundle of any release is made offline)', async (version) => {
    const pinned = releaseImages(version);
    const built = await buildVendorImages(mkdtempSync(join(tmpdir(), 'installctl-vendor-')), pinned);
    for (const image of pinned) {
      expect(built.find((entry) => entry.ref === `${image.registry}/${image.repository}:${image.tag}`)?.digest, `${version} ${image.chart} ${image.key}`).toBe(image.digest);
    }
  });

  it('are multi-arch indexes whose platform manifests share a base layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-vendor-'));
    await buildVendorImages(dir);
    const blob = (digest: string) => JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), 'utf8'));
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    const first = blob(index.manifests[0].digest);
    expect(first.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    const baseLayers = index.manifests.map((entry: { digest: string }) => blob(blob(entry.digest).manifests[0].digest).layers[0].digest);
    expect(new Set(baseLayers).size).toBe(1);
  });
});
