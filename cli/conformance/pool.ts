/** Runs cells across worker processes that pull one batch at a time; results come back as batches finish. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.js';
import { SYNTHESIS_NODE_FLAGS } from './pulumi/pool.js';
import type { HelmBinary } from './helm/binaries.js';
import type { CellResult } from './types.js';
import type { CacheConfig } from './result-cache.js';

export interface PoolJob {
  cellId: string;
  workDir: string;
  /** Relative cost estimate: costly cells go first, so the run does not end waiting on one. */
  cost?: number;
  /** --work-dir: the worker writes the cell's synthesis and manifests into workDir (stages.ts CellJob). */
  keepArtifacts?: boolean;
  /** false (--no-upgrade-edges): the cell runs no upgrade stage. */
  upgradeEdges?: boolean;
}

/**
 * The next batch: the largest cells first, and batches shrink as the queue empties (guided
 * scheduling), so workers finish together instead of one idling while another runs a full batch.
 * Near-free jobs (rejections, under a tenth of the costliest job left) do not count toward the
 * queue's length: 27 rejections behind 17 renderable cells must not keep batches at full size
 * until one worker is left alone with the last renderable cells.
 */
export function takeBatch<T>(queue: T[], size: number, workers: number, cost: (job: T) => number = () => 1): T[] {
  const costliest = Math.max(0, ...queue.map(cost));
  const counted = queue.filter((job) => cost(job) >= costliest / 10).length;
  const take = Math.max(1, Math.min(size, Math.ceil(counted / (2 * workers))));
  return queue.splice(0, take);
}

export function conformanceWorkerEntry(): string {
  return join(packageRoot(), 'dist', 'conformance-worker.js');
}

/** Cells per batch: one `helm lint` per Helm version serves a whole batch. */
export const BATCH_SIZE = 6;

export async function runPool(
  jobs: readonly PoolJob[],
  options: { workers: number; helm: HelmBinary[]; cache?: CacheConfig | null; onResult: (result: CellResult) => void; batchSize?: number },
): Promise<void> {
  const size = options.batchSize ?? BATCH_SIZE;
  const count = Math.max(1, Math.min(options.workers, jobs.length));
  // Stable sort: equal costs keep matrix order (results are reported in matrix order regardless).
  const queue = [...jobs].sort((a, b) => (b.cost ?? 1) - (a.cost ?? 1));
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [...SYNTHESIS_NODE_FLAGS, conformanceWorkerEntry(), JSON.stringify(options.helm), JSON.stringify(options.cache ?? null)], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString('utf8')).slice(-4000)));
      let pending = 0;
      const next = () => {
        const batch = queue.length ? takeBatch(queue, size, count, (job) => job.cost ?? 1) : null;
        if (batch) {
          pending = batch.length;
          child.stdin.write(JSON.stringify(batch) + '\n');
        } else child.stdin.end();
      };
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.trim()) return;
        options.onResult(JSON.parse(line) as CellResult);
        if (--pending === 0) next();
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`conformance worker exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`))));
      next();
    });
  await Promise.all(Array.from({ length: count }, worker));
}
