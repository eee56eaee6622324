/**
 * Upgrade edges: every pair of consecutive catalogued releases (releases/, oldest first), and the
 * three checks of one edge over a cell's renders at both ends. What an operator runs on upgrade is
 * `pulumi up` and `helm upgrade` of the newer render over the older one, so the checks are what
 * breaks or loses data there:
 *
 *   upgrade-stateful-replacement: pulumi would replace or delete a stateful resource (a database,
 *     cache, bucket, cluster, key, node pool with local data) that the newer release does not
 *     declare in infrastructure.replacements (resource-diff.ts);
 *   upgrade-immutable: an object keeps its name but changes a field Kubernetes refuses to update
 *     (helm/immutable-fields.ts), so `helm upgrade` fails half-way;
 *   upgrade-unmigrated-value: a values layer of the newer render still sets a key that release (or
 *     an earlier one) renamed away: the chart silently ignores it (releases/renames.ts).
 *
 * Pure: the renders, syntheses and manifests come from upgrade-stage.ts (or a test).
 */
import { compareReleaseVersions, releaseCatalog, type Release } from '../releases/catalog.js';
import { unmigratedRenames } from '../releases/renames.js';
import type { ChartName } from '../emit/charts.js';
import type { KubeObject } from './helm/helm.js';
import { immutableFieldViolations } from './helm/immutable-fields.js';
import { diffResources, undeclaredStatefulLosses } from './pulumi/resource-diff.js';
import type { SynthesizedResource } from './pulumi/types.js';
import type { EdgeViolation } from './types.js';

export interface UpgradeEdge {
  from: Release;
  to: Release;
}

/** Each catalogued release and the next one, oldest first (2026.10.2 -> 2026.11.0, 2026.11.0 -> 2026.12.0). */
export function upgradeEdges(catalog: readonly Release[] = releaseCatalog()): UpgradeEdge[] {
  const ordered = [...catalog].sort((a, b) => compareReleaseVersions(a.version, b.version));
  return ordered.slice(1).map((to, index) => ({ from: ordered[index]!, to }));
}

/** The edge as reports name it. */
export const edgeName = (edge: { from: string; to: string }): string => `${edge.from} -> ${edge.to}`;

/** Stateful resources pulumi up would replace or delete going from `before` to `after` that `to` does not declare. */
export function statefulReplacementViolations(before: readonly SynthesizedResource[], after: readonly SynthesizedResource[], to: Release): EdgeViolation[] {
  return undeclaredStatefulLosses(diffResources(before, after), to.infrastructure.replacements).map((change) => ({
    policy: 'upgrade-stateful-replacement' as const,
    resource: change.id,
    message:
      change.action === 'delete'
        ? `pulumi up would delete this ${change.stateful} and what it holds; ${to.version} declares no replacement of ${change.type}`
        : `pulumi up would replace this ${change.stateful} (${change.replaceBecause.join(', ')} changed) and lose what it holds; ${to.version} declares no replacement of ${change.type}`,
  }));
}

export interface ChartManifests {
  chart: ChartName;
  objects: readonly KubeObject[];
}

/** Immutable fields that change between each chart's render at the older release and at the newer one. */
export function immutableChangeViolations(before: readonly ChartManifests[], after: readonly ChartManifests[]): EdgeViolation[] {
  return after.flatMap(({ chart, objects }) => {
    const old = before.find((entry) => entry.chart === chart);
    if (!old) return [];
    return immutableFieldViolations(old.objects, objects).map((violation) => ({
      policy: 'upgrade-immutable' as const,
      resource: `${chart} ${violation.resource ?? ''}`.trim(),
      message: violation.message,
    }));
  });
}

export interface ValuesLayer {
  chart: ChartName;
  /** customer (helm/<chart>.values.yaml) or infrastructure (the Pulumi outputs). */
  layer: 'customer' | 'infrastructure';
  values: Record<string, unknown>;
}

/** Keys a values layer of release `to` still sets although `to` or an earlier release renamed them. */
export function unmigratedValueViolations(layers: readonly ValuesLayer[], to: Release, catalog: readonly Release[] = releaseCatalog()): EdgeViolation[] {
  // `to` as given (the document the edge was keyed by), in place of the catalog's entry of that version.
  const releases = [...catalog.filter((release) => release.version !== to.version), to];
  return layers.flatMap(({ chart, layer, values }) =>
    unmigratedRenames(chart, values, to.version, releases).map((rename) => {
      const by = releases.find((release) => release.values.renamed.includes(rename))?.version ?? 'an earlier release';
      return {
        policy: 'upgrade-unmigrated-value' as const,
        resource: `${chart} ${rename.from}`,
        message: `the ${layer} values of ${to.version} still set ${rename.from}, which ${by} renamed to ${rename.to}: the chart ignores it`,
      };
    }),
  );
}

/** One line per violation, the first few: an edge's message. */
export function violationsBrief(violations: readonly EdgeViolation[], limit = 3): string {
  const lines = [...new Set(violations.map((v) => `${v.policy}: ${v.resource ?? ''} ${v.message}`.replace(/\s+/g, ' ')))];
  return lines.slice(0, limit).join('; ') + (lines.length > limit ? `; ... (${lines.length - limit} more)` : '');
}
