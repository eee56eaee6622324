/**
 * Synthesis worker process (bundled to dist/synthesis-worker.js): reads a JSON list of rendered
 * Pulumi projects on stdin, synthesizes each under mocks in turn, checks the resource policies,
 * and writes one JSON line per project. Separate processes give parallelism across cores and a
 * clean Pulumi runtime per batch.
 */
import { checkPolicies } from './policies.js';
import { normalizeSynthesis } from './normalize.js';
import { synthesizeProject } from './synthesize.js';

export interface WorkerJob {
  id: string;
  projectDir: string;
  /** Also return the normalized resource list (for golden comparisons). */
  normalized?: boolean;
}

export interface WorkerResult {
  id: string;
  durationMs: number;
  resources: number;
  violations: Array<{ policy: string; resource: string | null; message: string }>;
  errors: string[];
  normalized?: unknown;
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WorkerJob[];
  for (const job of jobs) {
    const started = performance.now();
    let result: WorkerResult;
    try {
      const synthesis = await synthesizeProject(job.projectDir);
      result = {
        id: job.id,
        durationMs: Math.round(performance.now() - started),
        resources: synthesis.resources.length,
        violations: checkPolicies(synthesis),
        errors: synthesis.errors,
        ...(job.normalized ? { normalized: normalizeSynthesis(synthesis) } : {}),
      };
    } catch (error) {
      result = { id: job.id, durationMs: Math.round(performance.now() - started), resources: 0, violations: [], errors: [error instanceof Error ? error.message : String(error)] };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}

await main();
