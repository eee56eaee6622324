/** Scheduling of the conformance pool: costly cells first, batches that shrink as the queue empties. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { takeBatch } from '../../cli/conformance/pool.js';
import { cellCost } from '../../cli/services/conformance.js';
import { supportMatrix } from '../../cli/matrix/engine.js';

describe('takeBatch', () => {
  it('hands out every job exactly once, in queue order, never more than the batch size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 6 }), (jobs, size, workers) => {
        const queue = Array.from({ length: jobs }, (_, index) => index);
        const batches: number[][] = [];
        while (queue.length) batches.push(takeBatch(queue, size, workers));
        expect(batches.flat()).toEqual(Array.from({ length: jobs }, (_, index) => index));
        for (const batch of batches) expect(batch.length).toBeGreaterThanOrEqual(1);
        for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(size);
        // Guided: batches never grow as the queue drains.
        for (let index = 1; index < batches.length; index++) expect(batches[index]!.length).toBeLessThanOrEqual(batches[index - 1]!.length);
      }),
      { numRuns: 300 },
    );
  });

  it('ends with single-cell batches so workers finish together', () => {
    const queue = Array.from({ length: 96 }, (_, index) => index);
    const sizes: number[] = [];
    while (queue.length) sizes.push(takeBatch(queue, 6, 2).length);
    expect(sizes[0]).toBe(6);
    expect(sizes.slice(-4)).toEqual([1, 1, 1, 1]);
  });
});

describe('cellCost', () => {
  const cells = supportMatrix().cells();
  const cost = (id: string, upgradeEdges = true) =>
    cellCost(
      cells.find((cell) => cell.id === id)!,
      2,
      upgradeEdges,
    );

  it('puts self-hosted cells (two charts) first and rejections last', () => {
    expect(cost('azure/gitlab-self-managed/self-hosted/connected')).toBeGreaterThan(cost('aws/gitlab-self-managed/self-hosted/connected'));
    expect(cost('onprem/gitlab-self-managed/self-hosted/connected', false)).toBeGreaterThan(cost('azure/gitlab-self-managed/saas-api/connected', false));
    expect(cost('aws/github/saas-api/air-gapped')).toBeLessThan(cost('onprem/github/saas-api/connected'));
  });

  it('weighs the upgrade edges: two more Azure syntheses outweigh a second chart on-prem', () => {
    expect(cost('azure/gitlab-self-managed/saas-api/connected')).toBeGreaterThan(cost('onprem/gitlab-self-managed/self-hosted/connected'));
    expect(cost('aws/github/saas-api/air-gapped')).toBe(cost('aws/github/saas-api/air-gapped', false));
  });
});

describe('takeBatch by cost', () => {
  const cells = supportMatrix().cells();
  const sizes = (jobs: readonly { cost: number }[], workers = 2) => {
    const queue = [...jobs].sort((a, b) => b.cost - a.cost);
    const out: number[] = [];
    while (queue.length) out.push(takeBatch(queue, 6, workers, (job) => job.cost).length);
    return out;
  };
  const renderable = cells
    .filter((cell) => cell.status !== 'unsupported')
    .slice(0, 17)
    .map((cell) => ({ cost: cellCost(cell) }));
  const rejections = cells.filter((cell) => cell.status === 'unsupported').map((cell) => ({ cost: cellCost(cell) }));

  it('rejections queued behind renderable cells do not enlarge the renderable batches', () => {
    const alone = sizes(renderable);
    const mixed = sizes([...renderable, ...rejections]);
    // The renderable cells go out in the same batches as without the rejections (the last may take some along).
    expect(mixed.slice(0, alone.length - 1)).toEqual(alone.slice(0, -1));
    expect(alone[0]).toBe(5);
  });

  it('property: every job exactly once, in queue order, within the batch size', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 2000 }), { maxLength: 100 }), fc.integer({ min: 1, max: 4 }), (costs, workers) => {
        const queue = costs.map((cost, index) => ({ cost, index }));
        const batches: Array<typeof queue> = [];
        while (queue.length) batches.push(takeBatch(queue, 6, workers, (job) => job.cost));
        expect(batches.flat().map((job) => job.index)).toEqual(costs.map((_, index) => index));
        for (const batch of batches) expect(batch.length).toBeGreaterThanOrEqual(1);
        for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(6);
      }),
      { numRuns: 200 },
    );
  });
});
