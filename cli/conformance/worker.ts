/**
 * Conformance worker process (bundled to dist/conformance-worker.js). The parent sends one JSON
 * batch per line on stdin ([{ cellId, workDir }, ...]); the worker answers with one JSON
 * CellResult line per cell. Batches arrive one at a time, so faster workers take more of them.
 */
import { createInterface } from 'node:readline';
import { supportMatrix } from '../matrix/engine.js';
import type { HelmBinary } from './helm/binaries.js';
import { runBatch } from './stages.js';
import type { CacheConfig } from './result-cache.js';

const helm = JSON.parse(process.argv[2] ?? '[]') as HelmBinary[];
const cache = JSON.parse(process.argv[3] ?? 'null') as CacheConfig | null;
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const batch = JSON.parse(line) as Array<{ cellId: string; workDir: string; keepArtifacts?: boolean; upgradeEdges?: boolean }>;
  const jobs = batch.map((job) => {
    const cell = supportMatrix().cell(job.cellId);
    if (!cell) throw new Error(`unknown cell ${job.cellId}`);
    return { cell, helm, workDir: job.workDir, cache, keepArtifacts: job.keepArtifacts === true, upgradeEdges: job.upgradeEdges !== false };
  });
  for (const result of await runBatch(jobs)) process.stdout.write(JSON.stringify(result) + '\n');
}
