/** Runs cells across worker processes that pull one batch at a time; results come back as batches finish. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.js';
import type { HelmBinary } from '../helm/binaries.js';
import type { CellResult } from './types.js';

export interface PoolJob {
  cellId: string;
  workDir: string;
}

export function conformanceWorkerEntry(): string {
  return join(packageRoot(), 'dist', 'conformance-worker.js');
}

/** Cells per batch: one `helm lint` per Helm version serves a whole batch. */
export const BATCH_SIZE = 6;

export async function runPool(jobs: readonly PoolJob[], options: { workers: number; helm: HelmBinary[]; onResult: (result: CellResult) => void; batchSize?: number }): Promise<void> {
  const size = options.batchSize ?? BATCH_SIZE;
  const count = Math.max(1, Math.min(options.workers, jobs.length));
  // Smaller batches when there are few cells per worker, so every worker gets some.
  const perBatch = Math.max(1, Math.min(size, Math.ceil(jobs.length / count)));
  const queue: PoolJob[][] = [];
  for (let index = 0; index < jobs.length; index += perBatch) queue.push(jobs.slice(index, index + perBatch));
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      // A larger young generation: synthesis allocates many short-lived objects (fewer scavenges).
      const child = spawn(process.execPath, ['--max-semi-space-size=64', conformanceWorkerEntry(), JSON.stringify(options.helm)], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString('utf8')).slice(-4000)));
      let pending = 0;
      const next = () => {
        const batch = queue.shift();
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
