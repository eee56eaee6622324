/** Chart values checks: the precompiled validators judge values exactly as the chart schemas do. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'yaml';
import { baseValues, chartDir, checkChartValues, mergeValues, type ChartName } from '../../cli/emit/charts.js';
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
