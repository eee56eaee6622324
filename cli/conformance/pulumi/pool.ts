/** Runs synthesis jobs across worker processes (one per core by default), preserving job order in the result. */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';
import type { WorkerJob, WorkerResult } from './worker.js';

/**
 * A larger young generation for processes that synthesize: the Pulumi runtime keeps many objects
 * alive across scavenges, so fewer, larger ones cost far less (12 Azure syntheses: 3.0 s of
 * scavenges at the default 16 MiB semi-space, 0.65 s at 128 MiB).
 */
export const SYNTHESIS_NODE_FLAGS = ['--max-semi-space-size=128'];

export function workerEntry(): string {
  return join(packageRoot(), 'dist', 'synthesis-worker.js');
}

function runWorker(jobs: WorkerJob[], onResult: (result: WorkerResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SYNTHESIS_NODE_FLAGS, workerEntry()], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim()) onResult(JSON.parse(line) as WorkerResult);
      }
    });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`synthesis worker exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`))));
    child.stdin.end(JSON.stringify(jobs));
  });
}

/** Jobs are dealt round-robin so each worker gets a mix of platforms (similar cost per worker). */
export async function synthesizeAll(jobs: WorkerJob[], options: { workers?: number; onResult?: (result: WorkerResult) => void } = {}): Promise<WorkerResult[]> {
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), jobs.length));
  const batches: WorkerJob[][] = Array.from({ length: count }, () => []);
  jobs.forEach((job, index) => batches[index % count]!.push(job));
  const results = new Map<string, WorkerResult>();
  await Promise.all(
    batches.map((batch) =>
      runWorker(batch, (result) => {
        results.set(result.id, result);
        options.onResult?.(result);
      }),
    ),
  );
  return jobs.map((job) => results.get(job.id) ?? { id: job.id, durationMs: 0, resources: 0, violations: [], errors: ['no result from the synthesis worker'] });
}
