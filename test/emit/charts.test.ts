/** Chart values checks: the precompiled validators judge values exactly as the chart schemas do. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  baseValues,
  catalogRelease,
  chartDir,
  chartMetadata,
  chartVersion,
  chartYamlFor,
  checkChartValues,
  mergeValues,
  releaseImageOverrides,
  type ChartName,
} from '../../cli/emit/charts.js';
import { currentRelease, releaseCatalog } from '../../cli/releases/catalog.js';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import type { JsonSchema } from '../../cli/schema/schema-resolver.js';
import { fixturePath, fixtures } from '../charts/helpers.js';

const CHARTS: ChartName[] = ['agent-platform', 'model-server'];

describe('checkChartValues', () => {
  it.each(CHARTS)('%s: accepts the chart defaults and names the path of a bad value', (chart) => {
    expect(checkChartValues(chart, baseValues(chart))).toEqual([]);
    const key = Object.keys(baseValues(chart).images as object)[0]!;
    const bad = mergeValues(baseValues(chart), { images: { [key]: { digest: 'sha256:short' } } });
    const findings = checkChartValues(chart, bad);
    expect(findings.map((finding) => finding.path)).toEqual([['images', key, 'digest']]);
  });

  it.each(CHARTS)('%s: agrees with ajv compiling values.schema.json at run time, fixture by fixture', (chart) => {
    const runtime = runtimeValidator(JSON.parse(readFileSync(join(chartDir(chart), 'values.schema.json'), 'utf8')) as JsonSchema);
    const variants = fixtures(chart).flatMap((fixture) => {
      const merged = mergeValues(baseValues(chart), parse(readFileSync(fixturePath(chart, fixture), 'utf8')) as Record<string, unknown>);
      return [merged, { ...merged, unexpected: true }, mergeValues(merged, { global: { imageRegistry: 42 } })];
    });
    for (const values of variants) expect(checkChartValues(chart, values)).toEqual(runtime.check(values));
  });
});

describe('baseValues', () => {
  it.each(['agent-platform', 'model-server'] as const)("%s: the values.yaml Helm reads, whether from the build's JSON copy or parsed", (chart) => {
    const text = readFileSync(join(chartDir(chart), 'values.yaml'), 'utf8');
    expect(baseValues(chart)).toEqual(parse(text));
    // The build's copy is keyed by the exact text it came from (npm test builds first).
    const built = JSON.parse(readFileSync(join(chartDir(chart), '..', '..', 'dist', 'chart-base-values.json'), 'utf8'))[chart];
    expect(built.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(built.values).toEqual(parse(text));
  });
});

describe('charts per release (the catalog is the one source of versions and images)', () => {
  const releases = releaseCatalog().map((release) => release.version);
  const current = currentRelease().version;
  const table = releases.flatMap((release) => CHARTS.map((chart) => [release, chart] as const));

  it.each(table)("%s %s: the catalog's chart version, appVersion and a kubeVersion floor at the release's minimum Kubernetes", (release, chart) => {
    const entry = catalogRelease(release);
    expect(chartVersion(chart, release)).toBe(entry.charts[chart].version);
    expect(chartMetadata(chart, release)).toEqual({
      version: entry.charts[chart].version,
      appVersion: entry.charts[chart].appVersion,
      kubeVersion: `>=${entry.kubernetes.min}.0-0`,
    });
    const chartYaml = parse(chartYamlFor(chart, release)) as Record<string, unknown>;
    const own = parse(readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
    expect(chartYaml).toEqual({ ...own, ...chartMetadata(chart, release) });
  });

  it.each(CHARTS)('%s: the current release is the chart directory as it is (Chart.yaml bytes, no image to pin)', (chart) => {
    expect(chartYamlFor(chart, current)).toBe(readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8'));
    expect(chartVersion(chart)).toBe(chartVersion(chart, current));
    expect(releaseImageOverrides(chart, current)).toEqual({});
  });

  it.each(table)('%s %s: overrides exactly the images values.yaml pins differently, with their tags', (release, chart) => {
    const pinned = baseValues(chart).images as Record<string, { digest: string; tag: string }>;
    const images = catalogRelease(release).charts[chart].images;
    const differing = Object.keys(images).filter((key) => images[key]!.digest !== pinned[key]!.digest || images[key]!.tag !== pinned[key]!.tag);
    expect(releaseImageOverrides(chart, release)).toEqual(Object.fromEntries(differing.map((key) => [key, images[key]])));
    if (release !== current) expect(differing.length).toBeGreaterThan(0);
  });

  it('refuses a release the catalog does not hold (a bug: validate refuses such a spec first)', () => {
    expect(() => chartVersion('agent-platform', '2027.1.0')).toThrow(/not in the release catalog/);
  });
});
