/**
 * Renamed chart values. installctl's emitter writes the keys of the current release; a render for
 * another release moves them to that release's names (forwards through each newer release's
 * renames, backwards through each older one's), and an upgrade moves a customer's own keys the
 * same way. A key still under an old name after a rename is silently ignored by the chart, which
 * is why conformance fails on it (unmigratedRenames).
 */
import { compareReleaseVersions, currentRelease, releaseCatalog, type Release, type ReleaseChart } from './catalog.js';
import type { ValueRename } from '../generated/release.js';

export type { ValueRename } from '../generated/release.js';
type Values = Record<string, unknown>;

const isMap = (value: unknown): value is Values => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value at a dotted path, or undefined. */
export function valueAt(values: Values, path: string): unknown {
  let node: unknown = values;
  for (const key of path.split('.')) {
    if (!isMap(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** A copy of `values` with `path` removed (and maps left empty by it removed too). */
function without(values: Values, keys: string[]): Values {
  const [head, ...rest] = keys;
  if (!Object.hasOwn(values, head!)) return values;
  const out: Values = { ...values };
  if (rest.length === 0) delete out[head!];
  else if (isMap(out[head!])) {
    const inner = without(out[head!] as Values, rest);
    if (Object.keys(inner).length) out[head!] = inner;
    else delete out[head!];
  }
  return out;
}

/** A copy of `values` with `value` at `keys`, merged into a map already there (the moved key wins). */
function withValue(values: Values, keys: string[], value: unknown): Values {
  const [head, ...rest] = keys;
  const out: Values = { ...values };
  if (rest.length === 0) out[head!] = isMap(value) && isMap(out[head!]) ? { ...(out[head!] as Values), ...value } : value;
  else out[head!] = withValue(isMap(out[head!]) ? (out[head!] as Values) : {}, rest, value);
  return out;
}

export interface AppliedRename {
  from: string;
  to: string;
}

/** Moves each rename's `from` to its `to`, in order; the input is not changed. What moved is listed. */
export function applyRenames(values: Values, renames: readonly Pick<ValueRename, 'from' | 'to'>[]): { values: Values; moved: AppliedRename[] } {
  let out = values;
  const moved: AppliedRename[] = [];
  for (const rename of renames) {
    const value = valueAt(out, rename.from);
    if (value === undefined) continue;
    out = withValue(without(out, rename.from.split('.')), rename.to.split('.'), value);
    moved.push({ from: rename.from, to: rename.to });
  }
  return { values: out, moved };
}

/** The renames of one chart made by the releases after `from` up to `to`, oldest first. */
export function renamesBetween(chart: ReleaseChart, from: string, to: string, catalog: readonly Release[] = releaseCatalog()): ValueRename[] {
  return catalog
    .filter((release) => compareReleaseVersions(release.version, from) > 0 && compareReleaseVersions(release.version, to) <= 0)
    .flatMap((release) => release.values.renamed.filter((rename) => rename.chart === chart));
}

/** The renames that take the current release's keys to `version`'s (reversed and in reverse order for an older release). */
export function renamesForRelease(chart: ReleaseChart, version: string, catalog: readonly Release[] = releaseCatalog()): Array<Pick<ValueRename, 'from' | 'to'>> {
  const current = currentRelease(catalog).version;
  const relation = compareReleaseVersions(version, current);
  if (relation >= 0) return renamesBetween(chart, current, version, catalog);
  return renamesBetween(chart, version, current, catalog)
    .reverse()
    .map((rename) => ({ from: rename.to, to: rename.from }));
}

/** The old keys a layer still sets after the renames that reached `version`: values the chart would ignore. */
export function unmigratedRenames(chart: ReleaseChart, values: Values, version: string, catalog: readonly Release[] = releaseCatalog()): ValueRename[] {
  const reached = catalog
    .filter((release) => compareReleaseVersions(release.version, version) <= 0)
    .flatMap((release) => release.values.renamed.filter((rename) => rename.chart === chart));
  // A key renamed away and later renamed back (a -> b -> a) is current again.
  const stale = new Set<string>();
  for (const rename of reached) {
    stale.add(rename.from);
    stale.delete(rename.to);
  }
  return reached.filter((rename) => stale.has(rename.from) && valueAt(values, rename.from) !== undefined);
}
