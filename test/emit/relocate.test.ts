/**
 * relocateValues: only the parsed parts of a checked target (registry, repository, digest) reach the
 * values, each image keeps the rest of its layer, and an image the map lacks is refused.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkRelocationMap } from '../../cli/bundle/relocation-check.js';
import { relocateValues } from '../../cli/emit/relocate.js';
import { baseValues, chartImageKeys, checkChartValues, mergeValues } from '../../cli/emit/charts.js';
import { UserError } from '../../cli/lib/errors.js';
import { CHARTS, legitimateMap } from '../helpers/relocation.js';

const CONTEXT = { origin: 'map', hint: null };

describe('relocateValues', () => {
  it.each(CHARTS)('%s: every used image gets exactly the target parts; the values still match the chart schema', (chart) => {
    const { images } = checkRelocationMap(legitimateMap('[fd00::1]:5000/team/mirror'), CONTEXT);
    const layer = chart === 'model-server' ? { models: [{ name: 'm', weights: { source: 'oci' } }], devicePlugin: { enabled: true } } : {};
    const values = relocateValues(chart, layer, images, 'map');
    const merged = mergeValues(baseValues(chart), values);
    const used = chartImageKeys(chart, merged);
    expect(used.length).toBeGreaterThan(1);
    const base = baseValues(chart).images as Record<string, { repository: string; digest: string; tag: string }>;
    for (const key of used) {
      expect((values.images as Record<string, unknown>)[key]).toEqual({
        registry: '[fd00::1]:5000',
        repository: `team/mirror/${base[key]!.repository}`,
        digest: base[key]!.digest,
      });
    }
    expect((values.global as { imageRegistry: string }).imageRegistry).toBe('');
    if (chart === 'agent-platform') expect(checkChartValues(chart, merged)).toEqual([]);
  });

  it("keeps the layer's other keys of an image and the layer's other values", () => {
    const { images } = checkRelocationMap(legitimateMap('registry.acme.internal/site'), CONTEXT);
    const values = relocateValues('agent-platform', { images: { api: { pullPolicy: 'Always' } }, replicas: 3 }, images, 'map');
    expect((values.images as Record<string, unknown>).api).toMatchObject({ pullPolicy: 'Always', registry: 'registry.acme.internal' });
    expect(values.replicas).toBe(3);
  });

  it('emits values whose YAML holds the targets as plain scalars (nothing a map could add keys with)', () => {
    const { images } = checkRelocationMap(legitimateMap('localhost:5000'), CONTEXT);
    const yaml = stringify(relocateValues('agent-platform', {}, images, 'map').images, { lineWidth: 0 });
    expect(yaml).toMatch(/registry: localhost:5000\n/);
    expect(yaml).not.toMatch(/["'|>]/);
  });

  it('refuses a map that lacks an image the release runs, naming it', () => {
    const map = legitimateMap();
    const dropped = map.entries.find((entry) => entry.source.includes('/portal@'))!;
    const { images } = checkRelocationMap({ ...map, entries: map.entries.filter((entry) => entry !== dropped) }, CONTEXT);
    try {
      relocateValues('agent-platform', {}, images, 'map');
      throw new Error('accepted');
    } catch (error) {
      expect((error as UserError).code).toBe('RELOCATION_INCOMPLETE');
      expect((error as UserError).details).toEqual({ missing: [dropped.source] });
    }
  });
});
