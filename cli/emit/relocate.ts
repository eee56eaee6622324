/**
 * `render --relocate MAP`: point every image a release runs at its copy in the customer's registry,
 * by digest, as bundle push recorded it. global.imageRegistry is cleared because each image now
 * names its own mirror location (registry and prefixed repository). Only the parts parsed from a
 * checked reference (cli/bundle/relocation-check.ts) reach the values.
 */
import { UserError } from '../lib/errors.js';
import { baseValues, chartImageKeys, imageOf, mergeValues, type ChartName, type Values } from './charts.js';

/**
 * An image's place in the mirror, as values carry it: each part parsed from a checked reference.
 * Declared here, where values use it; bundle/relocation-check.ts makes them (bundle imports emit).
 */
export interface RelocatedImage {
  registry: string;
  repository: string;
  digest: string;
}

/** The values layer with every used image relocated; throws when the map lacks one of them. */
export function relocateValues(chart: ChartName, layer: Values, images: ReadonlyMap<string, RelocatedImage>, mapFile: string): Values {
  const merged = mergeValues(baseValues(chart), layer);
  const relocated: Record<string, unknown> = { ...((layer.images ?? {}) as Record<string, unknown>) };
  const missing: string[] = [];
  for (const key of chartImageKeys(chart, merged)) {
    const image = imageOf(chart, merged, key);
    const source = `${image.registry}/${image.repository}@${image.digest}`;
    const target = images.get(source);
    if (!target) missing.push(source);
    else
      relocated[key] = { ...((layer.images as Record<string, object> | undefined)?.[key] ?? {}), registry: target.registry, repository: target.repository, digest: target.digest };
  }
  if (missing.length) {
    throw new UserError(`${mapFile} does not relocate ${missing.length} image${missing.length === 1 ? '' : 's'} this install runs: ${missing.join(', ')}`, {
      code: 'RELOCATION_INCOMPLETE',
      hint: 'the map comes from a bundle of another spec or release; bundle and push this spec, then render with its .relocation.json',
      details: { missing },
    });
  }
  return { ...layer, global: { ...((layer.global ?? {}) as Values), imageRegistry: '' }, images: relocated };
}
