/** Scheduling of the conformance pool: costly cells first, batches that shrink as the queue empties. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { takeBatch } from '../../cli/conformance/pool.js';
import { cellCost } from '../../cli/services/conformance.js';
import { supportMatrix } from '../../matrix/engine.js';

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
  it('puts self-hosted cells (two charts) first and rejections last', () => {
    const cells = supportMatrix().cells();
    const cost = (id: string) => cellCost(cells.find((cell) => cell.id === id)!);
    expect(cost('azure/gitlab-self-managed/self-hosted/connected')).toBeGreaterThan(cost('aws/gitlab-self-managed/self-hosted/connected'));
    expect(cost('onprem/gitlab-self-managed/self-hosted/connected')).toBeGreaterThan(cost('azure/gitlab-self-managed/saas-api/connected'));
    expect(cost('aws/github/saas-api/air-gapped')).toBeLessThan(cost('onprem/github/saas-api/connected'));
  });
});
