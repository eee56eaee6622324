/**
 * bundle create for a release other than the current one: the images come from the render, so a
 * 2026.12.0 spec's bundle carries 2026.12.0's images (built offline by scripts/vendor-images.mjs),
 * both charts packaged as 2026.12.0 ships them (Chart.yaml version, appVersion, kubeVersion), and the
 * Pulumi plugin of 2026.12.0's pins. A layout of only the current release's images cannot make it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildVendorImages, chartImages, releaseImages } from '../../scripts/vendor-images.mjs';
import { generateKeys } from '../../cli/bundle/keys.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import { createBundle } from '../../cli/services/bundle-create.js';
import { helmBinaries } from '../../cli/conformance/helm/binaries.js';
import { chartMetadata } from '../../cli/emit/charts.js';
import { projectPins } from '../../cli/emit/pulumi-project.js';
import { currentRelease } from '../../cli/releases/catalog.js';
import { AIR_GAPPED_SPEC } from '../helpers/bundles.js';
import { renderAt } from '../helpers/releases.js';

const RELEASE = '2026.12.0';
const EXAMPLE = 'aws-ghes-self-hosted-air-gapped.yaml';
let dir: string;
let spec: string;
let key: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-bundle-release-'));
  spec = join(dir, 'spec.yaml');
  writeFileSync(spec, readFileSync(AIR_GAPPED_SPEC, 'utf8').replace(/^(\s+version: )\S+$/m, `$1${RELEASE}`));
  key = generateKeys(join(dir, 'signing')).privateKey;
  await buildVendorImages(join(dir, 'images-next'), releaseImages(RELEASE));
  await buildVendorImages(join(dir, 'images-current'), chartImages());
  const created = await createBundle({ spec, out: join(dir, 'next.bundle'), imagesFrom: `oci-layout:${join(dir, 'images-next')}`, key });
  if (!created.bundle) throw new Error(JSON.stringify(created.issues));
  bundle = created.bundle;
}, 120_000);

describe(`bundle create of a ${RELEASE} spec`, () => {
  it("carries the release's images: the render's images.txt, with the release's changed digests", () => {
    const file = new BundleFile(bundle);
    expect(file.manifest.release).toBe(RELEASE);
    const listed = renderAt(EXAMPLE, RELEASE).get('images.txt')!.trim().split('\n');
    expect(file.manifest.images.map((image) => image.source)).toEqual(listed);
    const current = renderAt(EXAMPLE, currentRelease().version).get('images.txt')!.trim().split('\n');
    expect(listed.filter((image) => !current.includes(image)).length).toBeGreaterThan(0);
  });

  it('packages both charts as the release ships them, readable by Helm', async () => {
    const file = new BundleFile(bundle);
    const [helm] = await helmBinaries(['4']);
    expect(file.manifest.charts.map((chart) => chart.name).sort()).toEqual(['agent-platform', 'model-server']);
    for (const chart of file.manifest.charts) {
      const metadata = chartMetadata(chart.name as 'agent-platform' | 'model-server', RELEASE);
      expect(chart.tag).toBe(metadata.version);
      const manifest = file.imageManifest(chart.digest);
      expect(JSON.parse(file.blob(manifest.config.digest).toString('utf8'))).toMatchObject(metadata);
      const tgz = join(dir, `${chart.name}.tgz`);
      writeFileSync(tgz, file.blob(manifest.layers[0]!.digest));
      expect(parse(execFileSync(helm!.path, ['show', 'chart', tgz], { encoding: 'utf8' }))).toMatchObject(metadata);
    }
  });

  it("lists the Pulumi plugin of the release's pins", () => {
    expect(new BundleFile(bundle).manifest.plugins.list.map((plugin) => plugin.version)).toEqual([projectPins(RELEASE)['@pulumi/aws']]);
  });

  it("cannot be made from a layout of the current release's images only", async () => {
    await expect(createBundle({ spec, out: join(dir, 'current.bundle'), imagesFrom: `oci-layout:${join(dir, 'images-current')}`, key })).rejects.toThrow(
      /image registry\.installctl\.dev\/agent-platform\/\S+@sha256:[0-9a-f]{64} is not in /,
    );
  });
});
