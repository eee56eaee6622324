/**
 * A render for any catalogued release: the values run the release's images (the customer layer pins
 * those the chart's values.yaml does not), renamed values are under the release's names, the chart
 * and Pulumi versions are the release's, images.txt lists the release's images, and relocation works
 * on top. The current release renders exactly as before (no images in the layer).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { baseValues, chartDir, chartImageKeys, mergeValues, type ChartName, type Values } from '../../cli/emit/charts.js';
import type { Relocation } from '../../cli/emit/render-files.js';
import { currentRelease, findRelease } from '../../cli/releases/catalog.js';
import { applyRenames, renamesForRelease } from '../../cli/releases/renames.js';
import { RELEASES, renderAt } from '../helpers/releases.js';

/** Self-hosted (both charts), air-gapped (a mirror), bundled RabbitMQ: every kind of image. */
const EXAMPLE = 'aws-ghes-self-hosted-air-gapped.yaml';
const CHARTS: ChartName[] = ['agent-platform', 'model-server'];
const CURRENT = currentRelease().version;
const layerOf = (files: Map<string, string>, chart: ChartName) => parse(files.get(`helm/${chart}.values.yaml`)!) as Values;
const catalogImages = (release: string, chart: ChartName) => findRelease(release)!.charts[chart].images;
const renders = new Map(RELEASES.map((release) => [release, renderAt(EXAMPLE, release)]));

describe.each(RELEASES)('a render at %s', (release) => {
  const files = renders.get(release)!;

  it.each(CHARTS)("%s: the merged values run exactly the release's images, and the layer pins only those values.yaml does not", (chart) => {
    const layer = layerOf(files, chart);
    const merged = mergeValues(baseValues(chart), layer);
    const base = baseValues(chart).images as Record<string, { digest: string }>;
    for (const [key, image] of Object.entries(catalogImages(release, chart))) {
      expect((merged.images as Values)[key], `${chart} ${key}`).toMatchObject({ registry: image!.registry, repository: image!.repository, digest: image!.digest });
    }
    const changed = Object.keys(catalogImages(release, chart)).filter((key) => catalogImages(release, chart)[key]!.digest !== base[key]!.digest);
    expect(Object.keys((layer.images ?? {}) as Values)).toEqual(changed);
    if (release === CURRENT) expect(layer.images).toBeUndefined();
  });

  it("lists the release's images in images.txt (what bundle create carries)", () => {
    const expected = new Set<string>();
    for (const chart of CHARTS) {
      const merged = mergeValues(baseValues(chart), layerOf(files, chart));
      for (const key of chartImageKeys(chart, merged)) {
        const image = catalogImages(release, chart)[key]!;
        expected.add(`${image.registry}/${image.repository}@${image.digest}`);
      }
    }
    expect(files.get('images.txt')!.trim().split('\n').sort()).toEqual([...expected].sort());
    const others = RELEASES.filter((other) => other !== release).map((other) => catalogImages(other, 'agent-platform').api!.digest);
    for (const digest of others.filter((digest) => digest !== catalogImages(release, 'agent-platform').api!.digest)) expect(files.get('images.txt')).not.toContain(digest);
  });

  it("names the release's chart versions in the values headers and the RUNBOOK's helm upgrade, and pins its Pulumi versions", () => {
    for (const chart of CHARTS) {
      const version = findRelease(release)!.charts[chart].version;
      expect(files.get(`helm/${chart}.values.yaml`)!.split('\n')[0]).toContain(`chart ${chart} ${version}:`);
      expect(files.get('RUNBOOK.md')).toMatch(new RegExp(`helm upgrade --install ${chart} \\S+ --version ${version.replace(/\./g, '\\.')} `));
    }
    const pulumi = findRelease(release)!.pulumi;
    expect(JSON.parse(files.get('pulumi/package.json')!).dependencies).toEqual({ '@pulumi/pulumi': pulumi.sdk, '@pulumi/aws': pulumi.providers.aws });
  });

  it('differs from the current release only in install.release, the images and the renamed keys', () => {
    for (const chart of CHARTS) {
      const { images: _images, install, ...rest } = layerOf(files, chart) as Values & { install?: Values };
      const back = renamesForRelease(chart, release).map((rename) => ({ from: rename.to, to: rename.from }));
      const { images: _current, install: currentInstall, ...current } = layerOf(renders.get(CURRENT)!, chart) as Values & { install?: Values };
      expect(applyRenames(rest, back.reverse()).values).toEqual(current);
      expect(install).toEqual(currentInstall && { ...currentInstall, release });
    }
  });
});

describe('renamed values', () => {
  it.each(RELEASES)("%s: the git gateway's clone cache is under the release's key, with the same settings", (release) => {
    const gateway = layerOf(renders.get(release)!, 'agent-platform').gitGateway as Values;
    const storage = (layerOf(renders.get(CURRENT)!, 'agent-platform').gitGateway as Values).storage;
    const key = renamesForRelease('agent-platform', release).some((rename) => rename.to === 'gitGateway.persistence') ? 'persistence' : 'storage';
    expect(release === '2026.12.0' ? 'persistence' : 'storage').toBe(key);
    expect(gateway[key]).toEqual(storage);
    expect(Object.keys(gateway)).not.toContain(key === 'persistence' ? 'storage' : 'persistence');
  });
});

describe('the current release', () => {
  it('is the version the chart directories carry (Chart.yaml), and its layers pin no image', () => {
    for (const chart of CHARTS) {
      const chartYaml = parse(readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8')) as { version: string };
      expect(renders.get(CURRENT)!.get(`helm/${chart}.values.yaml`)!.split('\n')[0]).toContain(`chart ${chart} ${chartYaml.version}:`);
    }
  });
});

/** The relocation bundle push would record for this render's images: each under registry.acme.internal:5000/site. */
function relocationFor(files: Map<string, string>): Relocation {
  const images = new Map(
    files
      .get('images.txt')!
      .trim()
      .split('\n')
      .map((source) => {
        const [name, digest] = source.split('@') as [string, string];
        const repository = name.slice(name.indexOf('/') + 1);
        return [source, { registry: 'registry.acme.internal:5000', repository: `site/${repository}`, digest }] as const;
      }),
  );
  return { file: 'bundle.relocation.json', registry: 'registry.acme.internal:5000/site', sha256: 'a'.repeat(64), images, issues: [] };
}

describe('render --relocate at any release', () => {
  it.each(RELEASES)("%s: every image runs from the mirror by the release's digest", (release) => {
    const relocated = renderAt(EXAMPLE, release, relocationFor(renders.get(release)!));
    const expected = renders
      .get(release)!
      .get('images.txt')!
      .trim()
      .split('\n')
      .map((source) => `registry.acme.internal:5000/site/${source.slice(source.indexOf('/') + 1)}`);
    expect(relocated.get('images.txt')!.trim().split('\n').sort()).toEqual(expected.sort());
    for (const chart of CHARTS) {
      const merged = mergeValues(baseValues(chart), layerOf(relocated, chart));
      for (const key of chartImageKeys(chart, merged)) {
        expect((merged.images as Values)[key], `${chart} ${key}`).toMatchObject({ registry: 'registry.acme.internal:5000', digest: catalogImages(release, chart)[key]!.digest });
      }
    }
  });
});
