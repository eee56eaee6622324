/** --shard i/n: cost-balanced, deterministic shards that `matrix --format github-actions` and `conformance merge` agree with. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planShards, shardCells } from '../../cli/conformance/shards.js';
import { cellCost, estimateRunMs, WORKER_STARTUP_MS } from '../../cli/conformance/cost.js';
import { buildReport, mergeReports } from '../../cli/conformance/reports.js';
import { githubActionsMatrix } from '../../cli/services/matrix.js';
import { supportMatrix, type Cell } from '../../cli/matrix/engine.js';
import type { CellResult } from '../../cli/conformance/types.js';
import { releaseCatalog } from '../../cli/releases/catalog.js';
import { runCli } from '../helpers/cli.js';

const cells = supportMatrix().cells();
const ids = (list: readonly { id: string }[]) => list.map((cell) => cell.id);
const load = (shard: readonly Cell[]) => shard.reduce((sum, cell) => sum + cellCost(cell), 0);
const spread = (shards: readonly Cell[][]) => {
  const loads = shards.map(load);
  return (Math.max(...loads) - Math.min(...loads)) / Math.max(...loads);
};

describe('shards over the whole matrix', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('n = %i: every cell in exactly one shard, each shard in matrix order, the same split every time', (count) => {
    const shards = Array.from({ length: count }, (_, index) => shardCells(cells, { index: index + 1, count }));
    expect(shards.flatMap(ids).sort()).toEqual(ids(cells).sort());
    const position = new Map(cells.map((cell, index) => [cell.id, index]));
    for (const shard of shards) expect(shard.map((cell) => position.get(cell.id)!)).toEqual(shard.map((cell) => position.get(cell.id)!).sort((a, b) => a - b));
    // A fresh matrix (as another machine builds it) gives the same split.
    const again = supportMatrix()
      .cells()
      .map((cell) => ({ ...cell }));
    expect(planShards(again, count).map(ids)).toEqual(shards.map(ids));
    expect(shards.every((shard) => shard.length > 0)).toBe(true);
  });

  it.each([2, 4])('n = %i: estimated shard costs differ by less than 20%%', (count) => {
    expect(spread(planShards(cells, count))).toBeLessThan(0.2);
  });

  it.each([3, 5, 6, 7, 8])('n = %i: estimated shard costs differ by less than 20%% too', (count) => {
    expect(spread(planShards(cells, count))).toBeLessThan(0.2);
  });

  it('splits connected from air-gapped cells no more: both shards of 2 mix networks and platforms', () => {
    for (const shard of planShards(cells, 2)) {
      expect(new Set(shard.map((cell) => cell.network)).size).toBe(supportMatrix().dimensions.network.length);
      expect(new Set(shard.map((cell) => cell.platform)).size).toBe(supportMatrix().dimensions.platform.length);
    }
  });

  it('property: any selection, any n: a partition with a balanced estimate (greedy longest-first bound)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.subarray([...cells], { minLength: 0 }), (count, subset) => {
        const shards = planShards(subset, count);
        expect(shards).toHaveLength(count);
        expect(shards.flatMap(ids).sort()).toEqual(ids(subset).sort());
        // Longest-first: the heaviest shard exceeds the lightest by at most one cell's cost.
        const loads = shards.map(load);
        const biggest = Math.max(0, ...subset.map((cell) => cellCost(cell)));
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(biggest);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the cost estimate', () => {
  it.each([
    ['a rejection is nearly free', 'aws/github/saas-api/air-gapped', 0, 10],
    ['an on-prem SaaS-models cell is the cheapest renderable', 'onprem/github/saas-api/connected', 800, 1300],
    ['Azure with a model server is the costliest', 'azure/github/self-hosted/connected', 2000, 3200],
  ])('%s', (_, id, low, high) => {
    const cost = cellCost(supportMatrix().cell(id)!);
    expect(cost).toBeGreaterThanOrEqual(low);
    expect(cost).toBeLessThanOrEqual(high);
    const renderable = cells.filter((cell) => cell.status !== 'unsupported').map((cell) => cellCost(cell));
    if (low >= 2000) expect(cost).toBe(Math.max(...renderable));
    if (low === 800) expect(cost).toBe(Math.min(...renderable));
  });

  it('upgrade edges add every other catalogued release: its render, synthesis and templates', () => {
    const others = releaseCatalog().length - 1;
    for (const id of ['onprem/github/saas-api/connected', 'azure/github/self-hosted/connected']) {
      const cell = supportMatrix().cell(id)!;
      expect(cellCost(cell, 2, true)).toBeGreaterThan(cellCost(cell, 2, false) + others * 100);
      expect(estimateRunMs([cell], 1, 2, false)).toBe(WORKER_STARTUP_MS + cellCost(cell, 2, false));
    }
    expect(cellCost(supportMatrix().cell('aws/github/saas-api/air-gapped')!, 2, true)).toBe(cellCost(supportMatrix().cell('aws/github/saas-api/air-gapped')!, 2, false));
  });

  it("one Helm version costs less than two; the run estimate includes the workers' start-up", () => {
    const cell = supportMatrix().cell('gcp/github/self-hosted/connected')!;
    expect(cellCost(cell, 1)).toBeLessThan(cellCost(cell, 2));
    expect(estimateRunMs([cell], 2)).toBe(WORKER_STARTUP_MS + cellCost(cell));
    expect(estimateRunMs([], 2)).toBe(0);
  });
});

describe('the plan and the merge agree with the split', () => {
  it.each([1, 2, 3, 4, 6, 8])("matrix --format github-actions --shards %i: one entry per shard, with that shard's cell count", (count) => {
    const plan = githubActionsMatrix(count, cells);
    expect(plan.include.map((entry) => entry.shard)).toEqual(Array.from({ length: count }, (_, index) => `${index + 1}/${count}`));
    expect(plan.include.map((entry) => entry.cells)).toEqual(Array.from({ length: count }, (_, index) => shardCells(cells, { index: index + 1, count }).length));
  });

  it('the CLI prints the same plan', () => {
    const printed = runCli(['matrix', '--format', 'github-actions', '--shards', '4']);
    expect(printed.status).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(githubActionsMatrix(4, cells));
  });

  it.each([2, 4, 7])('conformance merge of the %i shard reports holds every cell once, in matrix order', (count) => {
    const result = (cell: Cell): CellResult => ({
      id: cell.id,
      platform: cell.platform,
      scm: cell.scm,
      models: cell.models,
      network: cell.network,
      status: cell.status,
      result: 'pass',
      reasons: cell.reasons.map((reason) => reason.code),
      durationMs: 1,
      stages: [{ name: 'init', status: 'pass', durationMs: 1, message: null }],
      upgrades: [],
    });
    const reports = Array.from({ length: count }, (_, index) =>
      buildReport(shardCells(cells, { index: index + 1, count }).map(result), { helm: ['3', '4'], shard: { index: index + 1, count }, only: [], affected: null }, '0.1.0'),
    );
    const merged = mergeReports(reports.reverse(), '0.1.0');
    expect(ids(merged.cells)).toEqual(ids(cells));
    expect(merged.summary.cells).toBe(cells.length);
  });
});
