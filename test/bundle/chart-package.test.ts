/**
 * packageChart for a release: the chart directory with the release's Chart.yaml (version, appVersion,
 * kubeVersion from the catalog), byte-for-byte reproducible; the current release's package is the
 * chart directory's own.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { packageChart } from '../../cli/bundle/chart-package.js';
import { chartDir, chartMetadata, chartYamlFor, type ChartName } from '../../cli/emit/charts.js';
import { currentRelease, releaseCatalog } from '../../cli/releases/catalog.js';

const CHARTS: ChartName[] = ['agent-platform', 'model-server'];

/** The files of a gzipped tar, by name. */
function untar(tgz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = header.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 135).toString('latin1'), 8);
    files.set(name, tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('packageChart per release', () => {
  const table = releaseCatalog().flatMap((release) => CHARTS.map((chart) => [release.version, chart] as const));

  it.each(table)("%s %s: Chart.yaml and the OCI config carry the release's metadata; every other file is the chart's own", async (release, chart) => {
    const packaged = await packageChart(chartDir(chart), chartYamlFor(chart, release));
    const metadata = chartMetadata(chart, release);
    expect({ version: packaged.version, appVersion: packaged.appVersion }).toEqual({ version: metadata.version, appVersion: metadata.appVersion });
    expect(JSON.parse(packaged.config.toString('utf8'))).toMatchObject(metadata);
    const files = untar(packaged.tgz);
    expect(parse(files.get(`${chart}/Chart.yaml`)!.toString('utf8'))).toMatchObject({ name: chart, ...metadata });
    const own = await packageChart(chartDir(chart));
    for (const [name, content] of untar(own.tgz)) {
      if (name !== `${chart}/Chart.yaml`) expect(files.get(name)?.equals(content), name).toBe(true);
    }
    expect([...files.keys()]).toEqual([...untar(own.tgz).keys()]);
  });

  it.each(table)('%s %s: the same bytes every time', async (release, chart) => {
    const [first, second] = await Promise.all([packageChart(chartDir(chart), chartYamlFor(chart, release)), packageChart(chartDir(chart), chartYamlFor(chart, release))]);
    expect(first.tgz.equals(second.tgz)).toBe(true);
    expect(first.config.equals(second.config)).toBe(true);
  });

  it.each(CHARTS)('%s: the current release packages the chart directory exactly as it is', async (chart) => {
    const own = await packageChart(chartDir(chart));
    const current = await packageChart(chartDir(chart), chartYamlFor(chart, currentRelease().version));
    expect(current.tgz.equals(own.tgz)).toBe(true);
    expect(untar(own.tgz).get(`${chart}/Chart.yaml`)!.toString('utf8')).toBe(readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8'));
  });

  it('differs between releases with other chart versions', async () => {
    const versions = new Set(releaseCatalog().map((release) => release.charts['agent-platform'].version));
    const digests = new Set(
      await Promise.all(
        releaseCatalog().map(async (release) => (await packageChart(chartDir('agent-platform'), chartYamlFor('agent-platform', release.version))).tgz.toString('base64')),
      ),
    );
    expect(digests.size).toBe(versions.size);
  });
});
