/**
 * The upgrade stage: a cell's upgrade edges (upgrade-edges.ts), each from the cell at one catalogued
 * release to the cell at the next (upgrade-side.ts renders, synthesizes and templates each end).
 * Every edge is checked for the three upgrade policies; the stage fails when one edge does.
 *
 * Everything goes through the run's caches and --cache-dir (result-cache.ts): renders at other
 * releases, syntheses (by Pulumi project), templates (by Helm inputs), an edge's Pulumi diff (by
 * both projects, so a chart change re-runs no synthesis) and the edge itself (by everything it
 * reads), so an edge whose inputs did not change is not re-run.
 */
import { parse } from 'yaml';
import { DEFAULT_KUBE_VERSION } from './helm/helm.js';
import { treeHash } from './helm-cache.js';
import { releaseChart, releaseDocument } from './release-chart.js';
import { cacheKeys, helmIdentity, isPassed, withoutHeaderComment } from './result-cache.js';
import { brief } from './stage-runner.js';
import type { EdgeViolation, UpgradeEdgeResult } from './types.js';
import {
  edgeName,
  immutableChangeViolations,
  statefulReplacementViolations,
  unmigratedValueViolations,
  upgradeEdges,
  violationsBrief,
  type ChartManifests,
  type UpgradeEdge,
} from './upgrade-edges.js';
import { Sides, type Side, type SidesContext } from './upgrade-side.js';

export type { OwnRender } from './upgrade-side.js';

export interface UpgradeContext extends SidesContext {
  /** Default: every pair of consecutive catalogued releases. */
  edges?: readonly UpgradeEdge[];
}

class EdgeRun {
  readonly sides: Sides;

  constructor(private readonly context: UpgradeContext) {
    this.sides = new Sides(context);
  }

  /** Everything an edge reads, as a --cache-dir key (null without one). */
  key(from: Side, to: Side): string | null {
    const { cache, charts, namespaces, helm } = this.context;
    if (!cache) return null;
    const parts = (side: Side) => [
      side.release.version,
      releaseDocument(side.release),
      side.pulumi,
      ...charts.flatMap((chart) => [chart, namespaces[chart], treeHash(releaseChart(chart, side.release, this.sides.runDir)), withoutHeaderComment(side.values.get(chart)!)]),
    ];
    return cacheKeys.upgradeEdge(cache, helmIdentity(helm), DEFAULT_KUBE_VERSION, [...parts(from), ...parts(to)]);
  }

  /** upgrade-stateful-replacement: identical projects change nothing; a diff that passed before is read from --cache-dir. */
  private async pulumiViolations(from: Side, to: Side): Promise<EdgeViolation[]> {
    if (from.pulumi === to.pulumi) return [];
    const { cache } = this.context;
    const keep = this.sides.stores.keep;
    const key = cache ? cacheKeys.upgradeDiff(cache, from.pulumi, to.pulumi, JSON.stringify(to.release.infrastructure.replacements)) : null;
    if (key && keep!.get(key, isPassed)) return [];
    const violations = statefulReplacementViolations((await this.sides.synthesis(from)).resources, (await this.sides.synthesis(to)).resources, to.release);
    if (key && violations.length === 0) keep!.set(key, true);
    return violations;
  }

  /** upgrade-immutable: each chart's objects at both ends. */
  private async helmViolations(from: Side, to: Side): Promise<EdgeViolation[]> {
    const before: ChartManifests[] = [];
    const after: ChartManifests[] = [];
    for (const chart of this.context.charts) {
      before.push({ chart, objects: await this.sides.manifests(from, chart) });
      after.push({ chart, objects: await this.sides.manifests(to, chart) });
    }
    return immutableChangeViolations(before, after);
  }

  /** upgrade-unmigrated-value: both values layers of the newer end. */
  private async valueViolations(to: Side): Promise<EdgeViolation[]> {
    const infra = await this.sides.infra(to);
    const layers = this.context.charts.flatMap((chart) => [
      { chart, layer: 'customer' as const, values: (parse(to.values.get(chart)!) ?? {}) as Record<string, unknown> },
      { chart, layer: 'infrastructure' as const, values: infra[chart] ?? {} },
    ]);
    return unmigratedValueViolations(layers, to.release);
  }

  async check(edge: UpgradeEdge, from: Side, to: Side, key: string | null): Promise<UpgradeEdgeResult> {
    const started = performance.now();
    const ends = { from: edge.from.version, to: edge.to.version };
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const violations = [...(await this.pulumiViolations(from, to)), ...(await this.helmViolations(from, to)), ...(await this.valueViolations(to))];
      if (key && violations.length === 0) this.sides.stores.keep!.set(key, true);
      return { ...ends, status: violations.length ? 'fail' : 'pass', durationMs: elapsed(), message: violations.length ? violationsBrief(violations) : null, violations };
    } catch (error) {
      return { ...ends, status: 'fail', durationMs: elapsed(), message: error instanceof Error ? error.message : String(error), violations: [] };
    }
  }
}

const failed = (edge: UpgradeEdge, error: unknown): UpgradeEdgeResult => ({
  from: edge.from.version,
  to: edge.to.version,
  status: 'fail',
  durationMs: 0,
  message: error instanceof Error ? error.message : String(error),
  violations: [],
});

/**
 * Every upgrade edge of the cell, in catalog order. The ends of the edges not read from --cache-dir
 * are started first (prefetch), so the Helm runs of one end overlap the synthesis of the next.
 */
export async function runUpgradeEdges(context: UpgradeContext): Promise<UpgradeEdgeResult[]> {
  const run = new EdgeRun(context);
  type Plan = { edge: UpgradeEdge; from: Side; to: Side; key: string | null; cached: boolean } | { edge: UpgradeEdge; error: unknown };
  const plans = (context.edges ?? upgradeEdges()).map((edge): Plan => {
    try {
      const from = run.sides.side(edge.from);
      const to = run.sides.side(edge.to);
      const key = run.key(from, to);
      const cached = key !== null && run.sides.stores.keep!.get(key, isPassed) !== null;
      return { edge, from, to, key, cached };
    } catch (error) {
      return { edge, error };
    }
  });
  for (const plan of plans) if (!('error' in plan) && !plan.cached) for (const side of [plan.from, plan.to]) run.sides.prefetch(side);
  const results: UpgradeEdgeResult[] = [];
  for (const plan of plans) {
    if ('error' in plan) results.push(failed(plan.edge, plan.error));
    else if (plan.cached) results.push({ from: plan.edge.from.version, to: plan.edge.to.version, status: 'pass', durationMs: 0, message: null, cached: true, violations: [] });
    else results.push(await run.check(plan.edge, plan.from, plan.to, plan.key));
  }
  return results;
}

/** The edges of a cell whose upgrade stage did not run, each saying why. */
export function skippedEdges(message: string, edges: readonly UpgradeEdge[] = upgradeEdges()): UpgradeEdgeResult[] {
  return edges.map((edge) => ({ from: edge.from.version, to: edge.to.version, status: 'skip', durationMs: 0, message, violations: [] }));
}

/** The stage's outcome: pass, or the failing edges with their first violations in one line. */
export function upgradeOutcome(results: readonly UpgradeEdgeResult[]): true | { fail: string } {
  const failing = results.filter((result) => result.status === 'fail');
  return failing.length ? { fail: brief(failing.map((result) => `${edgeName(result)}: ${result.message ?? 'failed'}`)) } : true;
}
