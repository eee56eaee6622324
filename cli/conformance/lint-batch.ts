/**
 * The batched `helm lint` stage of conformance: one Helm process per Helm version lints the chart
 * copies of a whole batch of cells, after each distinct copy was looked up in the caches.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KUBE_VERSION, runHelm } from './helm/helm.js';
import type { HelmBinary } from './helm/binaries.js';
import { chartDir, type ChartName } from '../emit/charts.js';
import { HelmCache, treeHash } from './helm-cache.js';
import { helmIdentity, isLintSection, keep, lookup, storesFor, type CacheConfig } from './result-cache.js';

/** What lint needs of a prepared cell. */
export interface LintCell {
  job: { workDir: string; cache?: CacheConfig | null };
  /** Per chart: the cell's merged values (base, customer, infrastructure) as lint reads them from a chart copy. */
  lintValues: Map<ChartName, string>;
}

const brief = (items: string[], limit = 5) => items.slice(0, limit).join('; ') + (items.length > limit ? `; ... (${items.length - limit} more)` : '');

const copies = new Set<string>();

/**
 * The cell's copy of the chart with its merged values.yaml, made once: the batches of both Helm
 * versions run at once and lint the same copy, which must not be rewritten under a running lint.
 */
function lintCopy(workDir: string, chart: ChartName, values: string): string {
  const copy = join(workDir, 'lint', chart);
  if (!copies.has(copy)) {
    cpSync(chartDir(chart), copy, { recursive: true });
    writeFileSync(join(copy, 'values.yaml'), values);
    copies.add(copy);
  }
  return copy;
}

export type LintOutcome = { message: string | null; durationMs: number; cached: boolean };

/**
 * `helm lint --strict` over every prepared chart copy in one process per Helm version: its start-up
 * dominates its cost. A copy is the chart plus the cell's merged values.yaml, so identical copies
 * lint identically: each distinct one is looked up in the caches and only the misses are linted.
 */
export async function lintBatch<T extends LintCell>(batch: T[], helm: HelmBinary): Promise<Map<T, LintOutcome>> {
  const ready = batch.filter((cell) => cell.lintValues.size > 0);
  const outcome = new Map<T, LintOutcome>();
  if (ready.length === 0) return outcome;
  const stores = storesFor(ready[0]!.job.workDir, ready[0]!.job.cache);
  const keyOf = (chart: ChartName, values: string) => HelmCache.key(['lint', helmIdentity(helm), DEFAULT_KUBE_VERSION, treeHash(chartDir(chart)), values]);
  const found = new Map<string, { lines: string[] | null; cached: boolean }>();
  const toLint = new Map<string, string>();
  for (const cell of ready) {
    for (const [chart, values] of cell.lintValues) {
      const key = keyOf(chart, values);
      if (found.has(key)) continue;
      const hit = lookup(stores, key, isLintSection);
      found.set(key, hit ? { lines: hit.value, cached: hit.cached } : { lines: null, cached: false });
      if (hit) continue;
      toLint.set(lintCopy(cell.job.workDir, chart, values), key);
    }
  }
  let durationMs = 0;
  let failure = '';
  if (toLint.size) {
    const result = await runHelm(helm.path, ['lint', '--strict', '--kube-version', DEFAULT_KUBE_VERSION, ...toLint.keys()], { timeoutMs: 300_000 });
    durationMs = result.durationMs;
    failure = `exit ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
    const sections = lintSections(`${result.stdout}\n${result.stderr}`);
    for (const [path, key] of toLint) {
      const section = sections.get(path) ?? null;
      found.set(key, { lines: section, cached: false });
      if (section) keep(stores, key, section, !section.some((line) => /^\[(ERROR|WARNING)\]/.test(line)));
    }
  }
  const ran = ready.filter((cell) => [...cell.lintValues].some(([chart, values]) => !found.get(keyOf(chart, values))!.cached));
  const share = ran.length ? Math.round(durationMs / ran.length) : 0;
  for (const cell of ready) {
    const entries = [...cell.lintValues].map(([chart, values]) => [chart, found.get(keyOf(chart, values))!] as const);
    const problems = entries.flatMap(([chart, { lines }]) => {
      if (!lines) return [`${chart}: helm lint reported nothing (${failure})`];
      return lines.filter((line) => /^\[(ERROR|WARNING)\]/.test(line)).map((line) => `${chart}: ${line}`);
    });
    outcome.set(cell, { message: problems.length ? brief(problems) : null, durationMs: share, cached: entries.every(([, entry]) => entry.cached) });
  }
  return outcome;
}

/** helm lint output split by chart: the lines under each `==> Linting PATH`. */
export function lintSections(output: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of output.split('\n')) {
    const header = /^==> Linting (.+)$/.exec(line.trim());
    if (header) sections.set(header[1]!, (current = []));
    else if (current && line.trim() && !/chart\(s\) linted/.test(line)) current.push(line.trim());
  }
  return sections;
}
