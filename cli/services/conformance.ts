/**
 * `installctl conformance`: every selected cell of the support matrix through its stages, in worker
 * processes, then the reports (conformance.json, junit.xml, summary.md, index.html).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { supportMatrix, type Cell } from '../matrix/engine.js';
import { packageRoot, packageVersion } from '../lib/package-root.js';
import { UserError } from '../lib/errors.js';
import { prepareOutputDir, writeFileAtomic } from '../lib/atomic-write.js';
import { helmBinaries, type HelmMajor } from '../conformance/helm/binaries.js';
import { affectedSince, filterCells, shardCells, type AffectedSelection, type Shard } from '../conformance/selection.js';
import { cellCost, estimateRunMs } from '../conformance/cost.js';
import { checkoutState } from '../conformance/run-info.js';
import { runPool } from '../conformance/pool.js';
import { buildReport, junitXml, summaryMarkdown } from '../conformance/reports.js';
import { heatmapHtml } from '../conformance/heatmap.js';
import { cacheConfig, pruneCache } from '../conformance/result-cache.js';
import type { CellResult, ConformanceReport } from '../conformance/types.js';

// What the command formats: --shard parsing, the --affected explanation and the stderr progress (commands import services only).
export { describeAffected, parseShard } from '../conformance/selection.js';
export { createProgress } from '../conformance/progress.js';

export interface ConformanceOptions {
  only: string[];
  shard: Shard | null;
  helm: HelmMajor[];
  jobs: number;
  reportDir: string | null;
  /** Run only the cells whose output can change since this git ref. */
  affected: string | null;
  /** Keep every cell's spec and rendered output here (default: a temporary directory, removed). */
  workDir?: string | null;
  /** The result cache (--cache-dir): unchanged cells and stages are read from it, not run. Off when absent. */
  cacheDir?: string | null;
  /** false (--no-upgrade-edges): no upgrade stage (the edges between consecutive catalogued releases); default true. */
  upgradeEdges?: boolean;
  /** After the run, drop the --cache-dir entries it neither read nor wrote (needs cacheDir). */
  cachePrune?: boolean;
  onCachePruned?: (pruned: { kept: number; removed: number }) => void;
  /** What the run is doing before cells come back (Helm check, worker start-up). */
  onPhase?: (text: string) => void;
  /** With --affected: why these cells (before --only and --shard narrow them). */
  onAffected?: (selection: AffectedSelection, selected: number) => void;
  /** estimate: the expected wall time and each cell's cost (ms), for the ETA. */
  onStart?: (total: number, estimate: { wallMs: number; costs: Map<string, number>; workers: number }) => void;
  onCell?: (result: CellResult, done: number, total: number) => void;
}

export function selectCells(
  options: Pick<ConformanceOptions, 'only' | 'shard' | 'affected'>,
  affected: (AffectedSelection & { cells: Cell[] }) | null = options.affected ? affectedSince(options.affected, packageRoot()) : null,
): Cell[] {
  let cells = filterCells(supportMatrix().cells(), options.only);
  if (affected) {
    const ids = new Set(affected.cells.map((cell) => cell.id));
    cells = cells.filter((cell) => ids.has(cell.id));
  }
  return shardCells(cells, options.shard);
}

export { cellCost } from '../conformance/cost.js';

/** The report directory, made and checked writable up front: a run must not end in a failed write. */
export function prepareReportDir(dir: string): void {
  prepareOutputDir(dir, '--report-dir');
}

export function writeReports(report: ConformanceReport, dir: string): string[] {
  prepareReportDir(dir);
  const files: Array<[string, string]> = [
    ['conformance.json', JSON.stringify(report, null, 2) + '\n'],
    ['junit.xml', junitXml(report)],
    ['summary.md', summaryMarkdown(report)],
    ['index.html', heatmapHtml(report)],
  ];
  for (const [name, content] of files) writeFileAtomic(join(dir, name), content);
  return files.map(([name]) => join(dir, name));
}

export async function conformance(options: ConformanceOptions): Promise<ConformanceReport> {
  if (options.jobs < 1) throw new UserError(`--jobs must be at least 1, not ${options.jobs}`, { code: 'USAGE' });
  if (options.cachePrune && !options.cacheDir)
    throw new UserError('--cache-prune needs --cache-dir', { code: 'USAGE', hint: 'give the cache directory to prune with --cache-dir DIR' });
  const started = Date.now();
  const affected = options.affected ? affectedSince(options.affected, packageRoot(), undefined, [options.cacheDir, options.workDir, options.reportDir]) : null;
  const cells = selectCells(options, affected);
  if (affected) options.onAffected?.(affected, cells.length);
  if (options.reportDir) prepareReportDir(options.reportDir);
  options.onPhase?.(`checking Helm ${options.helm.join(' and ')}`);
  const checkedHelm = await helmBinaries(options.helm);
  const cache = options.cacheDir ? cacheConfig(options.cacheDir, checkedHelm) : null;
  if (cache && options.workDir) cache.config.keepsWorkDir = true;
  const helm = cache?.helm ?? checkedHelm;
  const workers = Math.max(1, Math.min(options.jobs, cells.length));
  const upgradeEdges = options.upgradeEdges !== false;
  const cost = (cell: Cell) => cellCost(cell, helm.length, upgradeEdges);
  options.onStart?.(cells.length, { wallMs: estimateRunMs(cells, workers, helm.length, upgradeEdges), costs: new Map(cells.map((cell) => [cell.id, cost(cell)])), workers });
  if (options.workDir && existsSync(options.workDir) && readdirSync(options.workDir).length > 0) {
    throw new UserError(`--work-dir ${options.workDir} is not empty`, { code: 'USAGE', hint: 'give a new or empty directory' });
  }
  const work = options.workDir ?? mkdtempSync(join(tmpdir(), 'installctl-conformance-'));
  const results = new Map<string, CellResult>();
  try {
    await runPool(
      cells.map((cell) => ({ cellId: cell.id, workDir: join(work, cell.id.replace(/\//g, '__')), cost: cost(cell), keepArtifacts: Boolean(options.workDir), upgradeEdges })),
      {
        workers: options.jobs,
        helm,
        cache: cache?.config ?? null,
        onResult: (result) => {
          results.set(result.id, result);
          options.onCell?.(result, results.size, cells.length);
        },
      },
    );
  } finally {
    if (!options.workDir) rmSync(work, { recursive: true, force: true });
  }
  if (options.cachePrune && options.cacheDir) options.onCachePruned?.(pruneCache(options.cacheDir, started));
  const report = buildReport(
    cells.map((cell) => results.get(cell.id)!),
    { helm: options.helm, shard: options.shard, only: options.only, affected: options.affected, upgradeEdges },
    packageVersion(),
    {
      run: { ...(checkoutState(packageRoot()) ?? { commit: null, dirty: null }), startedAt: new Date(started).toISOString(), durationMs: Date.now() - started },
      affected: affected && { rules: affected.rules, ignored: affected.ignored },
    },
  );
  if (options.reportDir) writeReports(report, options.reportDir);
  return report;
}

export const DEFAULT_JOBS = availableParallelism();
