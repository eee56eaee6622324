/**
 * What changes in the Helm values between the renders of one spec at two releases: the images each
 * chart runs (chart, key, reference before and after) and the customer values layer, with the keys
 * the releases in between renamed moved first, so a renamed key reads as moved (and migrated), not
 * as one key removed and another added. Pure: it reads the rendered files it is given.
 */
import { parse } from 'yaml';
import { compareText } from '../lib/compare.js';
import { baseValues, chartImageKeys, mergeValues, type ChartName, type ImageValue, type Values } from '../emit/charts.js';
import { applyRenames, renamesBetween, valueAt } from '../releases/renames.js';
import type { Release } from '../releases/catalog.js';
import { changedPaths } from '../conformance/pulumi/resource-diff.js';
import type * as Output from '../generated/cli-output.js';

export const CHARTS: readonly ChartName[] = ['agent-platform', 'model-server'];

/** A chart's customer values layer in a render (helm/<chart>.values.yaml), or null when the render has none. */
export function customerLayer(files: ReadonlyMap<string, string>, chart: ChartName): Values | null {
  const text = files.get(`helm/${chart}.values.yaml`);
  return text === undefined ? null : ((parse(text) ?? {}) as Values);
}

const reference = (image: Partial<ImageValue> & { tag?: string }) => `${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ''}@${image.digest}`;

/** The image reference of each key the chart runs with this layer (registry/repository:tag@digest). */
function imagesOf(chart: ChartName, layer: Values | null): Map<string, string> {
  if (!layer) return new Map();
  const merged = mergeValues(baseValues(chart), layer);
  const images = (merged.images ?? {}) as Record<string, ImageValue & { tag?: string }>;
  return new Map(chartImageKeys(chart, merged).flatMap((key) => (images[key] ? [[key, reference(images[key])] as const] : [])));
}

export function imageChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Output.UpgradeHop['images'] {
  return CHARTS.flatMap((chart) => {
    const was = imagesOf(chart, customerLayer(before, chart));
    const now = imagesOf(chart, customerLayer(after, chart));
    const keys = [...new Set([...was.keys(), ...now.keys()])].sort(compareText);
    return keys.filter((key) => was.get(key) !== now.get(key)).map((key) => ({ chart, key, from: was.get(key) ?? null, to: now.get(key) ?? null }));
  });
}

const withoutImages = (layer: Values | null): Values => {
  const { images: _images, ...rest } = layer ?? {};
  return rest;
};

/**
 * The customer layer's changes from `from` to `to`, images left out (imageChanges lists them): the
 * renames of the releases crossed are applied to the earlier layer first, and each key they moved
 * is listed as moved; what differs after that is added, removed or changed.
 */
export function valueChanges(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  from: string,
  to: string,
  catalog: readonly Release[],
): { values: Output.UpgradeHop['values']; renamedValues: Output.UpgradeHop['renamedValues'] } {
  const values: Output.UpgradeHop['values'] = [];
  const renamedValues: Output.UpgradeHop['renamedValues'] = [];
  for (const chart of CHARTS) {
    const renames = renamesBetween(chart, from, to, catalog);
    const migrated = applyRenames(withoutImages(customerLayer(before, chart)), renames);
    const now = withoutImages(customerLayer(after, chart));
    for (const rename of renames) {
      renamedValues.push({ chart, from: rename.from, to: rename.to, reason: rename.reason ?? null, inLayer: migrated.moved.some((move) => move.from === rename.from) });
    }
    for (const move of migrated.moved) values.push({ chart, change: 'moved', path: move.to, movedFrom: move.from });
    for (const path of changedPaths(migrated.values, now)) {
      const change = valueAt(migrated.values, path) === undefined ? 'added' : valueAt(now, path) === undefined ? 'removed' : 'changed';
      values.push({ chart, change, path, movedFrom: null });
    }
  }
  return { values, renamedValues };
}
